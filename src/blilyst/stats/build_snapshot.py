"""Build the bundled register and data snapshot from the raw files in ``data/raw`` (maintainers only).

Run ``blilyst data build-snapshot`` (or ``make snapshot``) in a checkout; the result is written to
``src/blilyst/data/register.json`` and ``src/blilyst/data/snapshot/`` and committed. The installed
package never reads ``data/raw``: everything it needs at runtime comes from these bundled files.

Sources (see ``data/raw/SOURCES.md`` for commits and checks):

* csdata (FHI, MIT): SSB table 07459 population by municipality, sex and single-year age, harmonised
  to the 2024 municipality structure, with names, hierarchy and the redistricting (code change) table.
* ssb_sentralitet: SSB's centrality index (Klass 128), transcribed.
* telemark_fk (Telemark fylkeskommune): Klass 131 crosswalk 2023 -> 2024 ("kommunetabell 2024"),
  immigrants by reason, IMDi refugee settlement, migration by age and origin-destination flows.
* statman: SSB table 06913 components of change summed over 2011-2025, with each municipality's
  boundary deviation (``grenseavvik``) and the year of its largest deviation.
* telemark_fk ``befolkningsendringer_01223_telemark.csv``: SSB 01223 registered annual components
  of the 17 Telemark municipalities 1997-2025 (whole years, the K4 rows).
* spread (FHI): SSB 03321 commuting, employed persons by residence x workplace, 2017.
* valg_analyser: jobs by place of work (2005, 2015 in the 428-municipality structure; 2017 13470).
* HMD / HFD: Norwegian death rates, fertility rates and births (built from SSB data).
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from blilyst.errors import SnapshotError
from blilyst.i18n import gettext
from blilyst.stats.credit import SSB_CREDIT

if TYPE_CHECKING:  # imported at run time inside the functions, after the register file is (re)built
    from blilyst.stats.register import Register

SSB_LICENCE = "CC BY 4.0 (SSB; older material NLOD 2.0)"

#: Event years of SSB 06913's border deviations in the statman extract (2011-2025).
REGISTERED_EVENT_YEARS = (2011, 2025)

PACKAGE_DATA = Path(__file__).resolve().parents[1] / "data"
REGISTER_FILE = PACKAGE_DATA / "register.json"
BUNDLED_SNAPSHOT = PACKAGE_DATA / "snapshot"


def default_raw_dir() -> Path:
    """``data/raw`` of the source checkout this package lives in (two levels above ``src``)."""
    return Path(__file__).resolve().parents[3] / "data" / "raw"


def _need(path: Path) -> Path:
    if not path.exists():
        raise SnapshotError(
            gettext(
                "Raw data file {path} is missing. build-snapshot runs in a source checkout with data/raw "
                "(see data/raw/SOURCES.md); pass --raw DIR to point at it."
            ).format(path=path)
        )
    return path


def _code4(value: object) -> str:
    return str(value).strip()[-4:].zfill(4)


_PAREN = re.compile(r"\s*\((?:t\.o\.m|f\.o\.m|fra|til|\d)[^)]*\)\s*$", re.IGNORECASE)


def _clean_old_name(name: str) -> str:
    """'Moss (t.o.m. 2019)' -> 'Moss'; keeps '(Nordland)'-style qualifiers."""
    return _PAREN.sub("", str(name)).strip()


def _with_sami_eng(name: str, klass_name: str) -> str:
    """The Telemark table writes the Sami letter ŋ as n ("Porsanger - Porsángu - Porsanki"); SSB's Klass
    name (csdata, "Porsanger-Porsáŋgu-Porsanki") has it. Take Klass's spelling where that is the only
    difference."""
    spaced = klass_name.replace("-", " - ")
    if (
        "ŋ" in spaced
        and len(spaced) == len(name)
        and all(a == b or a == "ŋ" for a, b in zip(spaced, name, strict=False))
    ):
        return spaced
    return name


# --------------------------------------------------------------------------------------------
# Municipality register
# --------------------------------------------------------------------------------------------


def _ba_regions(raw: Path, cur: pd.DataFrame) -> pd.DataFrame:
    """SSB's BA regions 2024 (labour-market regions) by 2024 code: ``name``, ``ba_code``, ``ba_name``."""
    ba = pd.read_excel(_need(raw / "csdata" / "baregioner_2024.xlsx"), dtype=str)
    ba_code = ba.iloc[:, 0].str[:4]
    ba_reg = ba["BA-region"].str.strip().str.extract(r"^(\d+)\s+(.*)$")
    ba_name_of = ba.iloc[:, 0].str[5:].str.strip()
    ba = pd.DataFrame({"code": ba_code, "name": ba_name_of, "ba_code": ba_reg[0].str.zfill(3), "ba_name": ba_reg[1]})
    # The BA file mixes a few 2020 codes (1567 Rindal, 3444 Jevnaker, 3445 Lunner) into the 2024 list:
    # those that are not 2024 codes are matched on the name.
    name_to_code = dict(zip(cur["Kommunenavn 2024"].str.strip(), cur.index, strict=False))
    unknown = ~ba.code.isin(cur.index)
    ba.loc[unknown, "code"] = ba.loc[unknown, "name"].map(name_to_code)
    ba = ba.dropna(subset=["code"]).set_index("code")
    return ba


def _old_names(raw: Path, kt: pd.DataFrame, cent: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """Names of historical codes, and the 2020-2023 code each pre-2020 code went into."""
    # Names of historical codes, most authoritative source last (later ones win).
    old_names: dict[str, str] = {}
    imdi = (
        pd.read_csv(
            _need(raw / "telemark_fk" / "Figur1_bosatt_anmodede.csv"),
            sep=";",
            encoding="latin-1",
            dtype=str,
            usecols=["Kommunenummer", "Kommune"],
        )
        .dropna()
        .drop_duplicates()
    )
    old_names.update({k: _clean_old_name(v) for k, v in zip(imdi.Kommunenummer, imdi.Kommune, strict=False)})
    dist = pd.read_excel(_need(raw / "valg_analyser" / "distriktstall_2016_kommuner428.xlsx"), usecols=["Kommunenavn"])
    for label in dist.Kommunenavn.astype(str):
        code, _, name = label.partition(" ")
        old_names[code.zfill(4)] = name.strip()
    old_names.update(dict(zip(cent.kommunenummer, cent.kommunenavn, strict=False)))
    allk = kt.dropna(subset=["Alle kommunenr"])
    old_names.update(dict(zip(allk["Alle kommunenr"], allk["Alle kommunenavn"].map(_clean_old_name), strict=False)))
    old_names.update(dict(zip(kt["Kommunenr 2023"], kt["Kommunenavn 2023"], strict=False)))
    # the 2020-2023 code each pre-2020 code went into (for the note "via 3825 Vinje")
    via_2020 = {a: b for a, b in zip(allk["Alle kommunenr"], allk["Kommunenr 2023"], strict=False) if a != b}
    return old_names, via_2020


def _history(raw: Path, current: set[str], old_names: dict[str, str], via_2020: dict[str, str]) -> list[dict[str, Any]]:
    """Every code's periods of unchanged mapping to 2024 codes (csdata's redistricting table), leaving out
    current codes that map to themselves. A code without a name gets the one of the code it replaced
    (added to ``old_names``)."""
    red = pd.read_csv(_need(raw / "csdata" / "nor_locations_redistricting_b2024.csv"))
    red = red[red.granularity_geo == "municip"].copy()
    red["old"] = red.location_code_original.str[-4:]
    red["new"] = red.location_code_current.str[-4:]
    red["year"] = red.calyear.astype(int)
    # Periods of unchanged mapping for every original code.
    per_year: dict[tuple[str, int], list[tuple[str, float]]] = {}
    for o, y, n, w in zip(red.old, red.year, red.new, red.weighting.round(4), strict=False):
        per_year.setdefault((o, int(y)), []).append((n, float(w)))
    history: list[dict[str, Any]] = []
    prev: dict[str, Any] | None = None
    for (old, year), target_list in sorted(per_year.items()):
        targets = tuple(sorted(target_list))
        if prev is not None and prev["code"] == old and prev["targets"] == targets and prev["year_to"] == year - 1:
            prev["year_to"] = year
            continue
        prev = {"code": old, "year_from": year, "year_to": year, "targets": targets}
        history.append(prev)
    # A code used only 2018-2019 (Trøndelag's renumbering) gets the name of the code it replaced when
    # exactly one code ended in 2017 with the same targets.
    ended: dict[tuple[int, tuple[tuple[str, float], ...]], list[str]] = {}
    for h in history:
        ended.setdefault((h["year_to"], h["targets"]), []).append(h["code"])
    for h in history:
        if h["code"] not in old_names and h["code"] not in current:
            before = ended.get((h["year_from"] - 1, h["targets"]), [])
            if len(before) == 1 and before[0] in old_names:
                old_names[h["code"]] = old_names[before[0]]
    records = []
    for h in history:
        if h["code"] in current and h["targets"] == ((h["code"], 1.0),):
            continue  # a current code mapping to itself: nothing happened
        # merged if other original codes map to the same single target in the same years
        records.append(
            {
                "code": h["code"],
                "name": old_names.get(h["code"], ""),
                "year_from": h["year_from"],
                "year_to": min(h["year_to"], 2023),
                "targets": [[c, float(w)] for c, w in h["targets"]],
                "via": via_2020.get(h["code"]),
            }
        )
    return records


def build_register(raw: Path) -> dict[str, Any]:
    """The register payload (``register.json``): 357 municipalities and the code history."""
    raw = Path(raw)
    kt = pd.read_csv(_need(raw / "telemark_fk" / "kommunetabell 2024.csv"), sep=";", dtype=str, encoding="utf-8-sig")
    kt = kt[~kt["Kommunenr 2024"].isin(["0000", "9999"])]
    cur = kt.drop_duplicates("Kommunenr 2024").set_index("Kommunenr 2024")

    names = pd.read_csv(_need(raw / "csdata" / "nor_locations_names_b2024.csv"), dtype=str)
    mun_names = names[names.granularity_geo == "municip"]
    csdata_codes = sorted(mun_names.location_code.str[-4:])

    cent = pd.read_csv(
        _need(raw / "ssb_sentralitet" / "sentralitet_klass128_kommuner_2020_2024.csv"), dtype={"kommunenummer": str}
    )
    cent2024 = cent[cent.i_2024_struktur.astype(str) == "True"].set_index("kommunenummer")

    ba = _ba_regions(raw, cur)

    if set(csdata_codes) != set(cur.index) or set(csdata_codes) != set(cent2024.index):
        missing = set(csdata_codes) ^ set(cur.index) | set(csdata_codes) ^ set(cent2024.index)
        raise SnapshotError(
            gettext("Municipality lists disagree between the raw sources for codes {codes}").format(
                codes=", ".join(sorted(missing))
            )
        )

    municipalities = []
    for code in csdata_codes:
        row = cur.loc[code]
        csdata_name = mun_names.set_index(mun_names.location_code.str[-4:]).loc[code, "location_name"]
        name = _with_sami_eng(str(row["Kommunenavn 2024"]).strip(), str(csdata_name))
        if "(" in name:  # "Våler (Viken)" -> "Våler (Østfold)": qualify by the 2024 county
            name = re.sub(r"\(.*\)", "(" + row["Fylkesnavn 2024"].split(" - ")[0].strip() + ")", name)
        municipalities.append(
            {
                "code": code,
                "name": name,
                "county_code": row["Fylkesnr 2024"].strip(),
                "county_name": row["Fylkesnavn 2024"].strip(),
                "ba_region_code": ba.loc[code, "ba_code"],
                "ba_region_name": ba.loc[code, "ba_name"],
                "centrality_class": int(str(cent2024.loc[code, "sentralitet_klasse"])),
                "centrality_index": int(str(cent2024.loc[code, "sentralitetsindeks"])),
                "csdata_name": csdata_name,
            }
        )

    current = {m["code"] for m in municipalities}
    old_names, via_2020 = _old_names(raw, kt, cent)
    records = _history(raw, current, old_names, via_2020)
    return {
        "structure": 2024,
        "source": "csdata (SSB Klass 131 names, redistricting table), SSB Klass 128 centrality, "
        "SSB BA-regions 2024, Telemark fylkeskommune kommunetabell 2024 (Klass 131 crosswalk)",
        "credit": SSB_CREDIT,
        "municipalities": municipalities,
        "history": records,
        "old_names": {k: v for k, v in sorted(old_names.items()) if k not in current},
    }


def write_register(payload: dict[str, Any], dest: Path = REGISTER_FILE) -> Path:
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    tmp.replace(dest)
    return dest


# --------------------------------------------------------------------------------------------
# Data sets
# --------------------------------------------------------------------------------------------

FIRST_YEAR = 2006  # 2005 is incomplete in the csdata file (Vindafjord and Aure missing)

_CSDATA = "csdata (FHI, github.com/niphr/csdata @ 59345122, MIT) from SSB 07459"
_TELEMARK = "Telemark fylkeskommune, github.com/evensrii/Telemark"


def _manifest_entry(
    description: str,
    ssb_table: str,
    source_file: str,
    date: str,
    *,
    licence: str = SSB_LICENCE,
    credit: str = SSB_CREDIT,
    provenance: str = "",
) -> dict[str, Any]:
    return {
        "description": description,
        "ssb_table": ssb_table,
        "source_file": source_file,
        "date": date,
        "licence": licence,
        "credit": credit,
        "provenance": provenance,
    }


def _population(raw: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    path = _need(raw / "csdata" / "nor_population_by_age_sex_b2024_2005_2026.parquet")
    pop = pd.read_parquet(path)
    pop = pop[pop.calyear >= FIRST_YEAR]
    mun = pop[pop.granularity_geo == "municip"]
    codes = mun.location_code.astype("category")
    out = pd.DataFrame(
        {
            "municipality": codes.cat.rename_categories(lambda c: c[-4:]).astype(str).to_numpy(),
            "year": mun.calyear.astype("int16").to_numpy(),
            "sex": mun.sex.astype(str).to_numpy(),
            "age": mun.age.astype("int16").to_numpy(),
            "population": mun.pop_jan1_n.astype("int32").to_numpy(),
        }
    )
    nat = pop[pop.granularity_geo == "nation"]
    national = pd.DataFrame(
        {
            "year": nat.calyear.astype("int16").to_numpy(),
            "sex": nat.sex.astype(str).to_numpy(),
            "age": nat.age.astype("int16").to_numpy(),
            "population": nat.pop_jan1_n.astype("int64").to_numpy(),
        }
    )
    return out, national


def _sorted_population(pop: pd.DataFrame) -> pd.DataFrame:
    sex_order = {"male": 0, "female": 1}
    pop = pop.assign(_s=pop.sex.map(sex_order)).sort_values(["year", "municipality", "_s", "age"])
    return pop.drop(columns="_s").reset_index(drop=True)


def _population_flags(raw: Path, register: Register, years: range) -> pd.DataFrame:
    """Where csdata apportions an old municipality between several of today's by fixed weights
    (fractional ``weighting`` in the redistricting table), the population is an estimate."""
    red = pd.read_csv(_need(raw / "csdata" / "nor_locations_redistricting_b2024.csv"))
    red = red[(red.granularity_geo == "municip") & (red.weighting < 1)]
    red = red[red.calyear.between(years.start, years.stop - 1)]
    rows = []
    for (cur, orig), grp in red.groupby([red.location_code_current.str[-4:], red.location_code_original.str[-4:]]):
        rows.append((cur, int(grp.calyear.min()), int(grp.calyear.max()), orig, float(grp.weighting.iloc[0])))
    flags = []
    frame = pd.DataFrame(rows, columns=["municipality", "year_from", "year_to", "old_code", "weight"])
    for key, grp in frame.groupby(["municipality", "year_from", "year_to"]):
        code, y0, y1 = cast("tuple[str, int, int]", key)
        parts, others = [], set()
        for w, wgrp in grp.groupby("weight"):
            olds = []
            for old in wgrp.old_code:
                changes = [c for c in register.history(old) if c.year_from <= y1 and c.year_to >= y0]
                name = changes[-1].name if changes else ""
                olds.append(f"{old} {name}".strip())
                if changes:
                    others |= {t for t, _ in changes[-1].targets if t != code}
            parts.append(f"{w:.0%} of the population of {', '.join(olds)}")
        rest = ", ".join(f"{c} {register.get(c).name}" for c in sorted(others))
        flags.append(
            {
                "municipality": code,
                "year_from": y0,
                "year_to": y1,
                "note": (
                    f"{register.get(code).name} {y0}–{y1} is an estimate: the source (csdata) gives it "
                    + "; ".join(parts)
                    + (f" (the rest goes to {rest})" if rest else "")
                    + ", a fixed split rather than where people lived"
                ),
            }
        )
    return pd.DataFrame(flags, columns=["municipality", "year_from", "year_to", "note"])


_LAST_DROPPED: list[str] = []


def _map_codes(
    frame: pd.DataFrame,
    register: Register,
    code_col: str,
    value_cols: list[str],
    keys: list[str],
    year_col: str | None = None,
) -> pd.DataFrame:
    """Re-key ``frame`` from old municipality codes to 2024 codes: sum where several old codes
    merged, apportion by the redistricting weights where one was split (``apportioned`` = True)."""
    from blilyst.errors import UnknownMunicipality

    mapping = {}
    out_rows = []
    dropped = []
    for code in frame[code_col].unique():
        try:
            mapping[code] = register.current_codes_for(code)
        except UnknownMunicipality:
            # codes outside csdata's change tables (merged before 1995, Svalbard, "unknown")
            dropped.append(code)
    if dropped:
        lost = frame[frame[code_col].isin(dropped)]
        _LAST_DROPPED[:] = [f"{c} ({lost.loc[lost[code_col] == c, value_cols[0]].sum():g})" for c in sorted(dropped)]
    else:
        _LAST_DROPPED[:] = []
    for code, targets in mapping.items():
        for cur, w in targets:
            out_rows.append((code, cur, w))
    m = pd.DataFrame(out_rows, columns=[code_col, "municipality", "_w"])
    merged = frame.merge(m, on=code_col, how="inner")
    for col in value_cols:
        merged[col] = merged[col] * merged["_w"]
    merged["apportioned"] = merged["_w"] < 1
    group = ["municipality", *keys]
    grouped = merged.groupby(group, sort=True)
    out = grouped[value_cols].sum(min_count=1)
    out["apportioned"] = grouped["apportioned"].any()
    return out.reset_index()


def _immigrants_by_reason(raw: Path, register: Register) -> pd.DataFrame:
    path = _need(raw / "telemark_fk" / "befolkning_innvandringsgrunn alle kommuner.csv")
    text = path.read_bytes().decode("latin-1")
    lines = text.splitlines()
    head = [line.split(";") for line in lines[:4]]
    body = pd.read_csv(io.StringIO("\n".join(lines[4:])), sep=";", header=None, dtype=str)
    reasons = {
        "Alle": "all",
        "Arbeidsinnvandrere": "labour",
        "Familieinnvandrede": "family",
        "Flyktninger og deres familieinnvandrede": "refugee",
        "Utdanning (inkl. au pair) eller andre grunner": "education_other",
        "Uoppgitt": "not_stated",
    }
    cols = []
    for i in range(2, len(head[0])):
        reason = head[0][i].split(": ", 1)[1]
        sex = head[1][i].split(": ", 1)[1]
        unit = head[2][i].split(": ", 1)[1]
        year = int(head[3][i].split(": ", 1)[1])
        if unit == "Personer" and sex in ("Alle", "Begge kjønn"):
            cols.append((i, reasons[reason], year))
    if not cols:
        raise SnapshotError(
            gettext("{path}: no columns for persons of both sexes (Kjønn: Alle) found; the file layout changed").format(
                path=path
            )
        )
    records = []
    codes = body[0].str.strip().str.lstrip("K")
    for i, reason, year in cols:
        values = pd.to_numeric(body[i], errors="coerce")
        records.append(pd.DataFrame({"old_code": codes, "year": year, "reason": reason, "persons": values}))
    long = pd.concat(records).dropna(subset=["persons"])
    long = long[long.old_code.str.fullmatch(r"\d{4}")]
    out = _map_codes(long, register, "old_code", ["persons"], ["year", "reason"])
    return out[["municipality", "year", "reason", "persons", "apportioned"]]


def _refugee_settlement(raw: Path, register: Register) -> pd.DataFrame:
    path = _need(raw / "telemark_fk" / "Figur1_bosatt_anmodede.csv")
    d = pd.read_csv(path, sep=";", encoding="latin-1", dtype=str)
    d = d[d.Enhet == "Personer"]
    measures = {
        "Anmodning om bosetting": "anmodning",
        "Vedtak om bosetting": "vedtak",
        "Faktisk bosetting": "bosatt",
        "Opprinnelig anmodning": "opprinnelig_anmodning",
    }
    long = pd.DataFrame(
        {
            "old_code": d.Kommunenummer.str.strip(),
            "year": d["År"].astype(int),
            "measure": d.Bosetting.map(measures),
            "persons": pd.to_numeric(d.Antall.str.replace(",", "."), errors="coerce"),
        }
    )
    long = long.dropna(subset=["persons", "measure"])
    long = long[long.old_code.str.fullmatch(r"\d{4}") & (long.old_code != "0000")]
    out = _map_codes(long, register, "old_code", ["persons"], ["year", "measure"])
    return out[["municipality", "year", "measure", "persons", "apportioned"]]


def _components(raw: Path) -> pd.DataFrame:
    s = pd.read_csv(_need(raw / "statman" / "befolkningsvekst_kommune_2011_2025.csv"), dtype={"kommunenummer": str})
    return (
        pd.DataFrame(
            {
                "municipality": s.kommunenummer.str.zfill(4),
                "pop_start": s.folkemengde_start.astype("int64"),
                "pop_end": s.folkemengde_slutt.astype("int64"),
                "natural_increase_sum": s.fodselsoverskudd_sum.round().astype("int64"),
                "net_migration_sum": s.nettoinnflytting_sum.round().astype("int64"),
                "population_change_sum": s.folketilvekst_sum.round().astype("int64"),
                "residual_sum": s.restledd_sum.round().astype("int64"),
                "boundary_change_sum": s.grenseavvik_sum.round().astype("int64"),
                "comparable": s.sammenlignbar.astype(str).str.lower().eq("true"),
            }
        )
        .sort_values("municipality")
        .reset_index(drop=True)
    )


#: SSB 01223 column (Telemark file) -> ``components_annual`` component.
_COMPONENTS_01223 = {
    "Fødde": "births",
    "Døde": "deaths",
    "Innvandring": "immigration",
    "Utvandring": "emigration",
    "Innflytting, innalandsk": "domestic_in",
    "Utflytting, innalandsk": "domestic_out",
    "Nettoinnflytting inkl. inn- og utvandring": "net_migration",
    "Folkevekst": "population_change",
}


def _telemark_01223(raw: Path, register: Register) -> pd.DataFrame:
    """The Telemark 01223 file, one row per municipality and year, with its 2024 code."""
    d = pd.read_csv(_need(raw / "telemark_fk" / "befolkningsendringer_01223_telemark.csv"))
    by_name = {m.name: m.code for m in register.all() if m.code.startswith("40")}
    unknown = sorted(set(d.Kommune) - set(by_name))
    if unknown:
        raise SnapshotError(
            gettext("{file} names unknown municipalities {names}").format(
                file="befolkningsendringer_01223_telemark.csv", names=", ".join(map(str, unknown))
            )
        )
    d["municipality"] = d.Kommune.map(by_name)
    d["year"] = d["Ved utgangen av året"].astype(int)
    return d


def _components_annual(telemark: pd.DataFrame) -> pd.DataFrame:
    """Registered annual components (SSB 01223, whole years) in the long layout of ``components_annual``."""
    long = telemark.melt(
        id_vars=["municipality", "year"], value_vars=list(_COMPONENTS_01223), var_name="column", value_name="persons"
    )
    long["component"] = long.column.map(_COMPONENTS_01223)
    long["persons"] = long.persons.astype(float)
    return long[["municipality", "year", "component", "persons"]].sort_values(
        ["municipality", "year", "component"], ignore_index=True
    )


def _boundary_changes(
    raw: Path, telemark: pd.DataFrame, population: pd.DataFrame | None = None, flagged: Sequence[str] = ()
) -> pd.DataFrame:
    """People moved between municipalities by a border change, per municipality and event year.

    A transfer in event year ``t`` takes effect between 31 December ``t`` and 1 January ``t+1``.
    Registered for Telemark: SSB 01223's 1 January ``t+1`` minus its end-of-year ``t``. Elsewhere from
    the statman extract of SSB 06913 (``agg_KommSummerHist``), ``estimated``: its 2011-2025 sum of
    deviations (``grenseavvik_sum``) and its largest year (``grenseavvik_maks_aar``, with
    ``grenseavvik_maks_pst`` the largest deviation over the 1 January population of that year). With
    ``population`` (1 January stocks) the largest year gets its own deviation and the rest of the sum
    goes to the year where it mirrors other municipalities' transfers (:func:`_place_remainders`);
    without it, or for the merged-then-split ``flagged`` municipalities, the whole sum lands in the
    largest year. Municipalities that had no population of their own in some years (merged, then split
    again: ``aar_uten_folketall`` > 0, or a deviation above half the population) are left out: theirs is
    not a border transfer but a new municipality (see ``population_flags``).
    """
    t = telemark.sort_values(["municipality", "year"])
    nxt = t.groupby("municipality")["Befolkning 1. januar"].shift(-1)
    gap = nxt - t["Befolkning ved utgangen av kvartalet"]
    reg = pd.DataFrame({"municipality": t.municipality, "year": t.year, "persons": gap})
    reg = reg[reg.persons.notna() & (reg.persons != 0)].assign(source="registered")
    s = pd.read_csv(_need(raw / "statman" / "befolkningsvekst_kommune_2011_2025.csv"), dtype={"kommunenummer": str})
    s["municipality"] = s.kommunenummer.str.zfill(4)
    s = s[
        (s.grenseavvik_sum != 0)
        & (s.aar_uten_folketall == 0)
        & (s.grenseavvik_maks_pst < 0.5)
        & ~s.municipality.isin(set(telemark.municipality))
    ]
    largest: dict[str, float] = {}
    if population is not None:
        stock = population.groupby(["municipality", "year"])["population"].sum()
        skip = set(flagged)
        for code, year, share in zip(
            s.municipality.astype(str).tolist(),
            s.grenseavvik_maks_aar.astype(int).tolist(),
            s.grenseavvik_maks_pst.astype(float).tolist(),
            strict=True,
        ):
            if code not in skip and (code, year) in stock.index:
                largest[code] = float(round(share * float(stock.loc[(code, year)])))
    est = _place_remainders(reg, s, largest)
    out = pd.concat([reg, est], ignore_index=True)
    out["year"] = out.year.astype(int)
    return out.sort_values(["municipality", "year"], ignore_index=True)


def _place_remainders(registered: pd.DataFrame, s: pd.DataFrame, largest: dict[str, float]) -> pd.DataFrame:
    """Estimated transfers from 06913's sums: the largest year's deviation in its year, the rest of the sum
    (a transfer in another year) where it balances the year's transfers.

    Every person a border change moves leaves one municipality and enters another in the same year, so the
    transfers of a year sum to zero over Norway. The largest deviation carries the sign of the sum (else the
    rest would be larger than the largest). A rest of at least 5 persons goes to the year other than its
    largest whose imbalance it cancels best, best matches first, where that leaves at most a quarter of it
    (Sandnes' -34 in 2016 against Sola's +34; Volda's -23 in 2018 against Stryn's +23); otherwise, and for
    smaller rests (rounding), it stays with the largest year as before.
    """
    rows: list[tuple[str, int, float]] = []
    rests: list[tuple[str, int, float]] = []
    for code, year, total in zip(
        s.municipality.astype(str).tolist(),
        s.grenseavvik_maks_aar.astype(int).tolist(),
        s.grenseavvik_sum.astype(float).tolist(),
        strict=True,
    ):
        big = largest.get(code)
        if big is None or big <= 0 or abs(total - np.sign(total) * big) < 5:
            rows.append((code, year, total))
            continue
        part = float(np.sign(total) * big)
        rows.append((code, year, part))
        rests.append((code, year, total - part))
    first, last = REGISTERED_EVENT_YEARS
    balance = dict.fromkeys(range(first, last + 1), 0.0)
    for y, v in zip(registered.year.astype(int), registered.persons.astype(float), strict=True):
        if y in balance:
            balance[y] += v
    for _code, y, v in rows:
        if y in balance:
            balance[y] += v
    placed: dict[int, int] = {}
    while len(placed) < len(rests):
        best: tuple[float, int, int] | None = None
        for i, (_code, own, rest) in enumerate(rests):
            if i in placed:
                continue
            for y in balance:
                if y != own:
                    score = abs(balance[y] + rest) / abs(rest)
                    if best is None or score < best[0]:
                        best = (score, i, y)
        if best is None or best[0] > 0.25:
            break
        _, i, y = best
        placed[i] = y
        balance[y] += rests[i][2]
    for i, (code, own, rest) in enumerate(rests):
        rows.append((code, placed.get(i, own), rest))
    est = pd.DataFrame(rows, columns=["municipality", "year", "persons"])
    summed = est.groupby(["municipality", "year"])["persons"].sum().reset_index()
    return pd.DataFrame(summed).assign(source="estimated")


def _commuting(raw: Path, register: Register) -> pd.DataFrame:
    """SSB 03321 (2017): employed persons by residence and workplace municipality, re-keyed to 2024 codes
    (split old municipalities apportioned by the register's weights on both ends)."""
    x = pd.read_excel(_need(raw / "spread" / "ssb_03321_commuting_2017.xlsx"), header=None, skiprows=4)
    x = x.iloc[:, :3]
    x.columns = ["workplace", "residence", "persons"]
    x["workplace"] = x.workplace.ffill()
    x = x[x.residence.notna() & pd.to_numeric(x.persons, errors="coerce").notna()]
    x = x[x.workplace.astype(str).str.match(r"^\d{4} ") & x.residence.astype(str).str.match(r"^\d{4} ")]
    x = pd.DataFrame(
        {
            "workplace_old": x.workplace.str[:4],
            "residence_old": x.residence.str[:4],
            "persons": x.persons.astype(float),
        }
    )
    res = _map_codes(x, register, "residence_old", ["persons"], ["workplace_old"]).rename(
        columns={"municipality": "residence"}
    )
    dropped = list(_LAST_DROPPED)
    both = _map_codes(res, register, "workplace_old", ["persons"], ["residence"]).rename(
        columns={"municipality": "workplace"}
    )
    _LAST_DROPPED[:] = sorted(set(dropped) | set(_LAST_DROPPED))
    both = both[both.persons > 0]
    return pd.DataFrame(
        {
            "year": 2017,
            "residence": both.residence,
            "workplace": both.workplace,
            "persons": both.persons.round(1),
        }
    ).sort_values(["residence", "workplace"], ignore_index=True)


def _jobs(raw: Path, register: Register) -> tuple[pd.DataFrame, pd.DataFrame]:
    x = pd.read_excel(_need(raw / "valg_analyser" / "distriktstall_2016_kommuner428.xlsx"))
    label = x.Kommunenavn.astype(str).str.strip()
    old = pd.DataFrame(
        {
            "old_code": label.str.split(" ", n=1).str[0].str.zfill(4),
            "name": label.str.split(" ", n=1).str[1].str.strip(),
            "population_2006": x["B06-O"].astype("int64"),
            "population_2016": x["B16-O"].astype("int64"),
            "jobs_2005": x["S05-O"].astype("int64"),
            "jobs_2015": x["S15-O"].astype("int64"),
        }
    )
    rows = []
    for code in old.old_code:
        for cur, w in register.current_codes_for(code, year=2016):
            rows.append((code, cur, w))
    m = pd.DataFrame(rows, columns=["old_code", "current_code", "weight"])
    old_structure = old.merge(m, on="old_code").sort_values(["old_code", "current_code"]).reset_index(drop=True)
    parts = []
    for year, col in ((2005, "jobs_2005"), (2015, "jobs_2015")):
        j = old_structure.assign(jobs=old_structure[col] * old_structure.weight, apportioned=old_structure.weight < 1)
        g = j.groupby("current_code", as_index=False).agg(jobs=("jobs", "sum"), apportioned=("apportioned", "any"))
        parts.append(g.rename(columns={"current_code": "municipality"}).assign(year=year))
    a = pd.read_csv(_need(raw / "valg_analyser" / "akvakultur_syss_2017_13470_arbeidssted.csv"), dtype={"kom2024": str})
    parts.append(
        pd.DataFrame(
            {
                "municipality": a.kom2024.str.zfill(4),
                "year": 2017,
                "jobs": a.syss_total_2017.astype(float),
                "apportioned": False,
            }
        )
    )
    jobs = pd.concat(parts)[["municipality", "year", "jobs", "apportioned"]]
    jobs = jobs.sort_values(["year", "municipality"]).reset_index(drop=True)
    return jobs, old_structure


def _od_flows(raw: Path, register: Register) -> pd.DataFrame:
    county_names: dict[str, set[str]] = {}
    for m in register.all():
        county_names.setdefault(m.county_name.split(" - ")[0].strip(), set()).add(m.code)

    def code_of(name: str, county: str) -> str:
        candidates = [x.municipality for x in register.find(name, limit=10) if x.score >= 99 or not x.note]
        in_county = [m for m in candidates if m.code in county_names.get(county.strip(), set())]
        pick = in_county or candidates
        if not pick:
            raise SnapshotError(
                gettext("OD flows: cannot place the municipality '{name}' ({county})").format(name=name, county=county)
            )
        return pick[0].code

    frames = []
    for fname, direction in (
        ("tilflytting_til_telemarkskommuner.csv", "in"),
        ("fraflytting_fra_telemarkskommuner.csv", "out"),
    ):
        d = pd.read_csv(_need(raw / "telemark_fk" / fname))
        cache: dict[tuple[str, str], str] = {}
        for col_name, col_county in (("Fra kommune", "Fra fylke"), ("Til kommune", "Til fylke")):
            keys = list(zip(d[col_name], d[col_county], strict=False))
            for k in set(keys):
                if k not in cache:
                    cache[k] = code_of(*k)
        frames.append(
            pd.DataFrame(
                {
                    "year": d["År"].astype("int64"),
                    "origin": [cache[k] for k in zip(d["Fra kommune"], d["Fra fylke"], strict=False)],
                    "destination": [cache[k] for k in zip(d["Til kommune"], d["Til fylke"], strict=False)],
                    "moves": d.Antall.astype("int64"),
                    "direction": direction,
                }
            )
        )
    od = pd.concat(frames, ignore_index=True)
    names = {m.code: m.name for m in register.all()}
    od["origin_name"] = od.origin.map(names)
    od["destination_name"] = od.destination.map(names)
    od = od[["year", "origin", "origin_name", "destination", "destination_name", "moves", "direction"]]
    return od.sort_values(["direction", "destination", "origin"]).reset_index(drop=True)


def _migration_by_age(raw: Path, register: Register) -> pd.DataFrame:
    d = pd.read_csv(
        _need(raw / "telemark_fk" / "Flytting etter alder Telemark Panda.csv"), sep=";", encoding="utf-8-sig"
    )
    codes = {name: register.resolve(name).code for name in d.Region.unique()}
    out = pd.DataFrame(
        {
            "municipality": d.Region.map(codes),
            "year": d["År"].astype("int64"),
            "age": d.Alder.str.extract(r"^(\d+)")[0].astype("int64"),
            "in_migration": d.Innflytting.fillna(0).astype("int64"),
            "out_migration": d.Utflytting.fillna(0).astype("int64"),
            "net_migration": d.Nettoflytting.fillna(0).astype("int64"),
        }
    )
    dup = out.duplicated(["municipality", "year", "age"])
    if dup.any():
        raise SnapshotError(
            gettext("Migration by age: the same municipality, year and age occurs twice ({rows})").format(
                rows=out[dup].head(3).to_dict("records")
            )
        )
    return out.sort_values(["municipality", "year", "age"]).reset_index(drop=True)


def _hmd_table(path: Path, skip: int) -> pd.DataFrame:
    return pd.read_csv(_need(path), sep=r"\s+", skiprows=skip, na_values=".", dtype=str)


def _mortality(raw: Path) -> pd.DataFrame:
    d = _hmd_table(raw / "hmd_hfd_norway" / "Mx_1x1.txt", 2)
    age = d.Age.str.rstrip("+").astype("int64")
    frames = [
        pd.DataFrame(
            {"year": d.Year.astype("int64"), "sex": sex, "age": age, "mx": pd.to_numeric(d[col], errors="coerce")}
        )
        for sex, col in (("male", "Male"), ("female", "Female"))
    ]
    return pd.concat(frames).sort_values(["year", "sex", "age"]).reset_index(drop=True)


def _fertility(raw: Path) -> pd.DataFrame:
    d = _hmd_table(raw / "hmd_hfd_norway" / "NORasfrRR.txt", 2)
    return pd.DataFrame(
        {
            "year": d.Year.astype("int64"),
            "age": d.Age.str.strip("+-").astype("int64"),
            "asfr": pd.to_numeric(d.ASFR, errors="coerce"),
        }
    ).reset_index(drop=True)


def _births(raw: Path) -> pd.DataFrame:
    d = _hmd_table(raw / "hmd_hfd_norway" / "Births.txt", 2)
    frames = [
        pd.DataFrame({"year": d.Year.astype("int64"), "sex": sex, "births": d[col].astype("int64")})
        for sex, col in (("male", "Male"), ("female", "Female"))
    ]
    return pd.concat(frames).sort_values(["year", "sex"]).reset_index(drop=True)


def build_datasets(raw: Path, register: Register | None = None) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """All data sets of the snapshot and their manifest, from the raw files."""
    from blilyst.stats.register import Register, get_register

    raw = Path(raw)
    register = register if register is not None else get_register()
    if isinstance(register, dict):
        register = Register(register)
    pop, national = _population(raw)
    pop = _sorted_population(pop)
    years = range(int(pop.year.min()), int(pop.year.max()) + 1)
    jobs, jobs_old = _jobs(raw, register)
    datasets = {
        "population": pop,
        "population_flags": _population_flags(raw, register, years),
        "national_population": national.sort_values(["year", "sex", "age"]).reset_index(drop=True),
        "mortality": _mortality(raw),
        "fertility": _fertility(raw),
        "births": _births(raw),
        "immigrants_by_reason": _immigrants_by_reason(raw, register),
    }
    dropped = {"immigrants_by_reason": list(_LAST_DROPPED)}
    datasets["refugee_settlement"] = _refugee_settlement(raw, register)
    dropped["refugee_settlement"] = list(_LAST_DROPPED)
    telemark = _telemark_01223(raw, register)
    datasets["commuting"] = _commuting(raw, register)
    dropped["commuting"] = list(_LAST_DROPPED)
    datasets |= {
        "components_2011_2025": _components(raw),
        "components_annual": _components_annual(telemark),
        "boundary_changes": _boundary_changes(
            raw, telemark, pop, sorted(set(datasets["population_flags"].municipality.astype(str)))
        ),
        "jobs": jobs,
        "jobs_old_structure": jobs_old,
        "migration_by_age": _migration_by_age(raw, register),
        "od_flows": _od_flows(raw, register),
    }
    hmd_terms = "CC BY 4.0 (HMD/HFD terms of use; built from SSB data)"
    entries = {
        "population": _manifest_entry(
            "Population 1 January by municipality (2024 borders), sex and single-year age 0-105+, "
            f"{years.start}-{years.stop - 1}",
            "07459",
            "csdata/nor_population_by_age_sex_b2024_2005_2026.parquet",
            "2026-08-22",
            provenance=_CSDATA,
        ),
        "population_flags": _manifest_entry(
            "Municipality-years whose population is apportioned by fixed weights in the source (estimates)",
            "07459",
            "csdata/nor_locations_redistricting_b2024.csv",
            "2026-08-22",
            provenance=_CSDATA,
        ),
        "national_population": _manifest_entry(
            "Population 1 January of Norway by sex and single-year age (nation rows of the source)",
            "07459",
            "csdata/nor_population_by_age_sex_b2024_2005_2026.parquet",
            "2026-08-22",
            provenance=_CSDATA,
        ),
        "mortality": _manifest_entry(
            "Central death rates m(x) for Norway by year, sex and age 0-110+",
            "HMD (from SSB data)",
            "hmd_hfd_norway/Mx_1x1.txt",
            "2024-08-01",
            licence=hmd_terms,
            credit="Human Mortality Database (mortality.org); Kilde: Statistisk sentralbyrå",
            provenance="github.com/robjhyndman/vital data-raw @ ae3cb6ad",
        ),
        "fertility": _manifest_entry(
            "Age-specific fertility rates for Norway by year and age 12-55",
            "HFD (from SSB data)",
            "hmd_hfd_norway/NORasfrRR.txt",
            "2023-04-19",
            licence=hmd_terms,
            credit="Human Fertility Database (humanfertility.org); Kilde: Statistisk sentralbyrå",
            provenance="github.com/robjhyndman/vital data-raw @ ae3cb6ad",
        ),
        "births": _manifest_entry(
            "Live births in Norway by year and sex",
            "HMD (from SSB data)",
            "hmd_hfd_norway/Births.txt",
            "2024-08-01",
            licence=hmd_terms,
            credit="Human Mortality Database (mortality.org); Kilde: Statistisk sentralbyrå",
            provenance="github.com/robjhyndman/vital data-raw @ ae3cb6ad",
        ),
        "immigrants_by_reason": _manifest_entry(
            "Immigrants resident by reason for immigration, 2006-2021, mapped from 2022 and older codes to "
            "2024 codes (summed where merged, apportioned where split)",
            "07113-type (via IMDi)",
            "telemark_fk/befolkning_innvandringsgrunn alle kommuner.csv",
            "2022-10-28",
            provenance=_TELEMARK + " @ ffacbc49",
        ),
        "refugee_settlement": _manifest_entry(
            "Refugee settlement: IMDi's request (anmodning), municipal decision (vedtak) and actual "
            "settlement (bosatt), 1995-2023, mapped to 2024 codes",
            "IMDi (not SSB)",
            "telemark_fk/Figur1_bosatt_anmodede.csv",
            "2023",
            licence="NLOD 2.0 (IMDi open data)",
            credit="Kilde: IMDi",
            provenance=_TELEMARK + " @ 83541874",
        ),
        "components_2011_2025": _manifest_entry(
            "Components of population change summed over 2011-2025 (natural increase, net migration, "
            "residual), 2024 structure",
            "06913",
            "statman/befolkningsvekst_kommune_2011_2025.csv",
            "2026-04-15",
            provenance="github.com/gjermundbae/statman @ 2643350",
        ),
        "components_annual": _manifest_entry(
            "Registered components of population change per year (births, deaths, immigration, emigration, "
            "domestic in/out, net migration, population change), the 17 Telemark municipalities, 1997-2025",
            "01223",
            "telemark_fk/befolkningsendringer_01223_telemark.csv",
            "2026-08-20",
            provenance=_TELEMARK + " @ 6b5ce537",
        ),
        "boundary_changes": _manifest_entry(
            "People moved by border changes per municipality and event year (effective 1 January of the next "
            "year): registered for Telemark (01223 end of year vs next 1 January), elsewhere SSB's 2011-2025 "
            "deviation (estimated): its largest year's deviation in that year, the rest of the sum in the year it "
            "balances other municipalities' transfers",
            "01223; 06913",
            "telemark_fk/befolkningsendringer_01223_telemark.csv; statman/befolkningsvekst_kommune_2011_2025.csv",
            "2026-08-20",
            provenance=_TELEMARK + " @ 6b5ce537; github.com/gjermundbae/statman @ 2643350",
        ),
        "commuting": _manifest_entry(
            "Employed persons in Q4 2017 by municipality of residence and of work (commuting), mapped from the "
            "428-municipality structure to 2024 codes (apportioned where split)",
            "03321",
            "spread/ssb_03321_commuting_2017.xlsx",
            "2017",
            provenance="github.com/sykdomspulsen-org/spread @ 77de1778",
        ),
        "jobs": _manifest_entry(
            "Employed persons by place of work (jobs in the municipality): 2005 and 2015 mapped from the "
            "428-municipality structure, 2017 from SSB 13470",
            "KMD/NIBR distriktsindeks base data; 13470",
            "valg_analyser/distriktstall_2016_kommuner428.xlsx; valg_analyser/akvakultur_syss_2017_13470_arbeidssted.csv",
            "2026-07-18",
            provenance="github.com/oystess/valg_analyser @ a7e5944c",
        ),
        "jobs_old_structure": _manifest_entry(
            "Population 2006/2016 and jobs 2005/2015 in the 428-municipality structure with the 2024 code "
            "and weight each maps to",
            "KMD/NIBR distriktsindeks base data",
            "valg_analyser/distriktstall_2016_kommuner428.xlsx",
            "2026-07-18",
            provenance="github.com/oystess/valg_analyser @ a7e5944c",
        ),
        "migration_by_age": _manifest_entry(
            "Domestic in- and out-migration by single-year age, Telemark municipalities, 2016-2025",
            "09588-type",
            "telemark_fk/Flytting etter alder Telemark Panda.csv",
            "2026-08-20",
            provenance=_TELEMARK + " @ 45e6fab3",
        ),
        "od_flows": _manifest_entry(
            "Moves between municipalities into (direction 'in') and out of ('out') the Telemark municipalities, 2025",
            "13864",
            "telemark_fk/tilflytting_til_telemarkskommuner.csv; telemark_fk/fraflytting_fra_telemarkskommuner.csv",
            "2026-08-20",
            provenance=_TELEMARK + " @ 01a16aad / f85fa4cd",
        ),
    }
    for name, codes in dropped.items():
        if codes:
            entries[name]["dropped_codes"] = (
                "Old codes that no change table maps to a 2024 municipality (persons in all years): " + ", ".join(codes)
            )
    today = _dt.date.today().isoformat()
    manifest = {
        "version": f"{today.replace('-', '.')}-bundled",
        "built": today,
        "structure": 2024,
        "credit": SSB_CREDIT,
        "licence": SSB_LICENCE,
        "datasets": entries,
    }
    return datasets, manifest


def build(
    raw: Path | None = None, snapshot_dir: Path = BUNDLED_SNAPSHOT, register_file: Path = REGISTER_FILE
) -> dict[str, Any]:
    """Rebuild ``register.json`` and the bundled snapshot from ``raw`` (default: ``data/raw``)."""
    from blilyst.stats.register import Register, get_register
    from blilyst.stats.snapshot import write_snapshot

    raw = Path(raw) if raw else default_raw_dir()
    payload = build_register(raw)
    write_register(payload, register_file)
    get_register.cache_clear()
    datasets, manifest = build_datasets(raw, Register(payload))
    dest = write_snapshot(datasets, manifest, Path(snapshot_dir))
    written: dict[str, Any] = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    return written
