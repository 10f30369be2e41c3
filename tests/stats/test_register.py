"""The municipality register against the real 2024 structure (357 municipalities)."""

import pytest

from blilyst.errors import UnknownMunicipality
from blilyst.i18n import override
from blilyst.stats.register import CodeChange, Match, Municipality, get_register


@pytest.fixture(scope="module")
def reg():
    return get_register()


def test_it_holds_the_357_municipalities_of_2024_sorted_by_code(reg):
    codes = reg.codes()
    assert len(codes) == 357
    assert codes == sorted(codes)
    assert codes[0] == "0301" and "3101" in codes and "5501" in codes
    assert "3001" not in codes  # 2020-2023 Halden
    assert [m.code for m in reg.all()] == codes


def test_frame_has_county_ba_region_and_centrality(reg):
    frame = reg.frame()
    assert list(frame.columns) == [
        "code",
        "name",
        "county_code",
        "county_name",
        "ba_region_code",
        "ba_region_name",
        "centrality_class",
        "centrality_index",
    ]
    assert len(frame) == 357
    assert frame.county_code.nunique() == 15
    # SOURCES.md: class counts in the 2024 structure 5 / 21 / 54 / 65 / 104 / 108
    assert frame.centrality_class.value_counts().sort_index().tolist() == [5, 21, 54, 65, 104, 108]
    assert frame.centrality_index.between(0, 1000).all()
    assert frame.ba_region_code.notna().all()


def test_vinje_has_its_real_attributes(reg):
    vinje = reg.get("4036")
    assert vinje == Municipality("4036", "Vinje", "40", "Telemark", "038", "Vinje", 6, 550)
    assert reg.get("4032").centrality_index == 491  # Fyresdal
    tinn = reg.get("4026")
    assert (tinn.name, tinn.centrality_class, tinn.centrality_index) == ("Tinn", 5, 595)


@pytest.mark.parametrize(
    "text, code",
    [
        ("kviteseid", "4028"),
        ("KVITESEID", "4028"),
        ("kvitseid", "4028"),
        ("Vinje", "4036"),
        ("4036", "4036"),
        ("3825", "4036"),
        ("0834", "4036"),
        ("Aalesund", "1508"),
        ("Ålesund", "1508"),
        ("alesund", "1508"),
        ("Tromso", "5501"),
        ("Tromsø", "5501"),
        ("Tromsoe", "5501"),
        ("3817", "4020"),
        ("1507", "1508"),
        ("Kautokeino", "5612"),
        ("Guovdageaidnu", "5612"),
        ("Hamarøy", "1875"),
        ("Sauherad", "4020"),
        ("301", "0301"),
        ("K-3101", "3101"),
        ("Haram", "1580"),
        (" fyresdal ", "4032"),
        ("Kautokeino-Guovdageaidnu", "5612"),
        ("Vinje kommune", "4036"),
        ("Evje", "4219"),
        ("Rygge", "3103"),
    ],
)
def test_resolve_is_tolerant(reg, text, code):
    assert reg.resolve(text).code == code


def test_an_unknown_name_raises_with_suggestions(reg):
    with pytest.raises(UnknownMunicipality) as info:
        reg.resolve("Kvitesei Fjell")
    assert info.value.reason == "unknown"
    assert "Kviteseid (4028)" in info.value.suggestions
    with pytest.raises(UnknownMunicipality):
        reg.resolve("xyzzy")
    with pytest.raises(UnknownMunicipality):
        reg.resolve("9876")
    with pytest.raises(UnknownMunicipality):
        reg.get("3825")  # a historical code is not a current code


def test_an_ambiguous_name_raises_with_both(reg):
    with pytest.raises(UnknownMunicipality) as info:
        reg.resolve("Herøy")
    assert info.value.reason == "ambiguous"
    assert set(info.value.suggestions) == {"Herøy (Møre og Romsdal) (1515)", "Herøy (Nordland) (1818)"}
    assert "passer til mer enn én kommune" in str(info.value)  # the active language, bokmål by default
    with override("en"), pytest.raises(UnknownMunicipality, match="matches more than one municipality"):
        reg.resolve("Herøy")


def test_find_notes_what_happened_to_an_old_code(reg):
    best = reg.find("3825")[0]
    assert isinstance(best, Match)
    assert best.municipality.code == "4036" and best.score == 100
    assert "3825 Vinje" in best.note and "4036 Vinje" in best.note and "2024" in best.note
    assert reg.find("Vinje")[0].note == ""
    split = reg.find("1507")
    assert {m.municipality.code for m in split} == {"1508", "1580"}
    assert "er i dag delt mellom" in split[0].note  # bokmål, the default
    with override("nn"):
        assert "er i dag delt mellom" in reg.find("1507")[0].note and "fordelte" in reg.find("1507")[0].note
    with override("en"):
        assert "is today split between" in reg.find("1507")[0].note  # the register is built once, read in any


def test_history_of_merger_split_and_renumbering(reg):
    (vinje,) = reg.history("0834")
    assert isinstance(vinje, CodeChange)
    assert vinje.kind == "renumbered" and vinje.year == 2020 and vinje.via == "3825"
    assert vinje.targets == (("4036", 1.0),)
    (alesund,) = reg.history("1507")
    assert alesund.kind == "split" and alesund.year == 2024 and (alesund.year_from, alesund.year_to) == (2020, 2023)
    assert dict(alesund.targets) == {"1508": 0.5, "1580": 0.5}
    (sauherad,) = reg.history("0822")
    assert sauherad.kind == "merged" and sauherad.targets == (("4020", 1.0),)
    assert reg.history("3817")[0].kind == "renumbered"
    assert reg.history("4036") == []


def test_current_codes_for_old_codes(reg):
    assert reg.current_codes_for("4036") == [("4036", 1.0)]
    assert reg.current_codes_for("3825") == [("4036", 1.0)]
    assert reg.current_codes_for("0834", year=2015) == [("4036", 1.0)]
    assert sorted(reg.current_codes_for("1507", year=2022)) == [("1508", 0.5), ("1580", 0.5)]
    snillfjord = reg.current_codes_for("1613", year=2010)
    assert [c for c, _ in snillfjord] == ["5055", "5056", "5059"]
    assert sum(w for _, w in snillfjord) == pytest.approx(1.0)
    with pytest.raises(UnknownMunicipality):
        reg.current_codes_for("3825", year=2015)  # 3825 was only used 2020-2023


def test_every_old_code_in_use_2018_to_2023_maps_to_weights_summing_to_one(reg):
    old = reg.old_codes()
    assert {"0834", "3825", "1507", "1850", "3001"} <= set(old)
    for code in old:
        change = reg.history(code)[-1]
        if change.year_to >= 2018:
            assert sum(w for _, w in change.targets) == pytest.approx(1.0), code
            assert all(t in reg for t, _ in change.targets)


def test_every_municipality_resolves_by_its_name_code_and_plain_spelling(reg):
    import unicodedata

    for m in reg.all():
        plain = "".join(c for c in unicodedata.normalize("NFKD", m.name) if not unicodedata.combining(c))
        plain = plain.replace("ø", "o").replace("æ", "ae").replace("Ø", "O").replace("Æ", "Ae")
        for text in (m.code, m.name, m.name.upper(), plain, f"K-{m.code}"):
            assert reg.resolve(text) == m, text
        for part in m.name.split(" - "):  # each language form on its own
            found = reg.find(part, limit=3)
            assert m in [f.municipality for f in found], part


def test_every_old_code_resolves_to_one_of_its_targets(reg):
    for code in reg.old_codes():
        change = reg.history(code)[-1]
        assert reg.resolve(code).code in {c for c, _ in change.targets}, code


def test_sami_names_keep_ssbs_letters(reg):
    # the Telemark table writes ŋ as n; SSB's Klass name (csdata) has ŋ, and so does the BA file
    porsanger = reg.get("5622")
    assert porsanger.name == "Porsanger - Porsáŋgu - Porsanki"
    assert porsanger.ba_region_name == "Porsanger - Porsáŋgu - Porsanki"
    for text in ("Porsangu", "Porsáŋgu", "porsanger"):
        assert reg.resolve(text) == porsanger, text


def test_ba_regions_are_those_of_ssbs_2024_file_for_every_municipality(reg):
    import pandas as pd

    from blilyst.stats.build_snapshot import default_raw_dir

    raw = pd.read_excel(default_raw_dir() / "csdata" / "baregioner_2024.xlsx", sheet_name="Etter kommune", dtype=str)
    expected = {}
    for muni, region in zip(raw.iloc[:, 0], raw["BA-region"], strict=False):
        code, name = muni.split(" ", 1)
        number, region_name = region.strip().split(" ", 1)
        # a few rows carry a code that is not a 2024 code (3444 Jevnaker): those are matched on the name
        current = code if code in reg else reg.resolve(name).code
        expected[current] = (int(number), region_name.strip())
    frame = reg.frame()
    assert len(expected) == 357 and frame.ba_region_code.nunique() == 159
    got = {c: (int(b), n) for c, b, n in zip(frame.code, frame.ba_region_code, frame.ba_region_name, strict=False)}
    assert got == expected
    assert got["4028"] == (35, "Seljord") and got["4036"] == (38, "Vinje")


def test_centrality_class_and_index_are_klass_128_for_every_municipality(reg):
    import pandas as pd

    from blilyst.stats.build_snapshot import default_raw_dir

    raw = pd.read_csv(
        default_raw_dir() / "ssb_sentralitet" / "sentralitet_klass128_kommuner_2020_2024.csv",
        dtype={"kommunenummer": str},
    )
    raw = raw[raw.i_2024_struktur.astype(str) == "True"].set_index("kommunenummer")
    frame = reg.frame().set_index("code")
    assert sorted(raw.index) == sorted(frame.index)
    assert (frame.centrality_class == raw.sentralitet_klasse.reindex(frame.index)).all()
    assert (frame.centrality_index == raw.sentralitetsindeks.reindex(frame.index)).all()
    assert frame.loc["4028", ["centrality_class", "centrality_index"]].tolist() == [5, 601]


def test_every_code_in_use_2018_to_2024_maps_as_ssbs_redistricting_table_says(reg):
    import pandas as pd

    from blilyst.stats.build_snapshot import default_raw_dir

    table = pd.read_csv(default_raw_dir() / "csdata" / "nor_locations_redistricting_b2024.csv", dtype=str)
    table = table[table.granularity_geo == "municip"]
    table = table.assign(
        year=table.calyear.astype(float).astype(int),
        old=table.location_code_original.str[-4:],
        new=table.location_code_current.str[-4:],
        weight=table.weighting.astype(float),
    )
    table = table[table.year.between(2018, 2024)]
    checked = 0
    for (year, old), rows in table.groupby(["year", "old"]):
        got = dict(reg.current_codes_for(old, year=year))
        assert got == pytest.approx(dict(zip(rows.new, rows.weight, strict=False))), (year, old)
        checked += 1
    assert checked == 422 + 422 + 356 + 356 + 356 + 471 + 357
