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
* statman: SSB table 06913 components of change summed over 2011-2025.
* valg_analyser: jobs by place of work (2005, 2015 in the 428-municipality structure; 2017 13470).
* HMD / HFD: Norwegian death rates, fertility rates and births (built from SSB data).
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from blilyst.errors import SnapshotError

SSB_CREDIT = "Kilde: Statistisk sentralbyrå"
SSB_LICENCE = "CC BY 4.0 (SSB; older material NLOD 2.0)"

PACKAGE_DATA = Path(__file__).resolve().parents[1] / "data"
REGISTER_FILE = PACKAGE_DATA / "register.json"
BUNDLED_SNAPSHOT = PACKAGE_DATA / "snapshot"


def default_raw_dir() -> Path:
    """``data/raw`` of the source checkout this package lives in (two levels above ``src``)."""
    return Path(__file__).resolve().parents[3] / "data" / "raw"


def _need(path: Path) -> Path:
    if not path.exists():
        raise SnapshotError(
            f"Raw data file {path} is missing. build-snapshot runs in a source checkout with data/raw "
            "(see data/raw/SOURCES.md); pass --raw DIR to point at it."
        )
    return path


def _code4(value) -> str:
    return str(value).strip()[-4:].zfill(4)


_PAREN = re.compile(r"\s*\((?:t\.o\.m|f\.o\.m|fra|til|\d)[^)]*\)\s*$", re.IGNORECASE)


def _clean_old_name(name: str) -> str:
    """'Moss (t.o.m. 2019)' -> 'Moss'; keeps '(Nordland)'-style qualifiers."""
    return _PAREN.sub("", str(name)).strip()


# --------------------------------------------------------------------------------------------
# Municipality register
# --------------------------------------------------------------------------------------------

def build_register(raw: Path) -> dict:
    """The register payload (``register.json``): 357 municipalities and the code history."""
    raw = Path(raw)
    kt = pd.read_csv(_need(raw / "telemark_fk" / "kommunetabell 2024.csv"), sep=";", dtype=str,
                     encoding="utf-8-sig")
    kt = kt[~kt["Kommunenr 2024"].isin(["0000", "9999"])]
    cur = kt.drop_duplicates("Kommunenr 2024").set_index("Kommunenr 2024")

    names = pd.read_csv(_need(raw / "csdata" / "nor_locations_names_b2024.csv"), dtype=str)
    mun_names = names[names.granularity_geo == "municip"]
    csdata_codes = sorted(mun_names.location_code.str[-4:])

    cent = pd.read_csv(_need(raw / "ssb_sentralitet" / "sentralitet_klass128_kommuner_2020_2024.csv"),
                       dtype={"kommunenummer": str})
    cent2024 = cent[cent.i_2024_struktur.astype(str) == "True"].set_index("kommunenummer")

    ba = pd.read_excel(_need(raw / "csdata" / "baregioner_2024.xlsx"), dtype=str)
    ba_code = ba.iloc[:, 0].str[:4]
    ba_reg = ba["BA-region"].str.strip().str.extract(r"^(\d+)\s+(.*)$")
    ba_name_of = ba.iloc[:, 0].str[5:].str.strip()
    ba = pd.DataFrame({"code": ba_code, "name": ba_name_of, "ba_code": ba_reg[0].str.zfill(3),
                       "ba_name": ba_reg[1]})
    # The BA file mixes a few 2020 codes (1567 Rindal, 3444 Jevnaker, 3445 Lunner) into the 2024 list:
    # those that are not 2024 codes are matched on the name.
    name_to_code = dict(zip(cur["Kommunenavn 2024"].str.strip(), cur.index))
    unknown = ~ba.code.isin(cur.index)
    ba.loc[unknown, "code"] = ba.loc[unknown, "name"].map(name_to_code)
    ba = ba.dropna(subset=["code"]).set_index("code")

    if set(csdata_codes) != set(cur.index) or set(csdata_codes) != set(cent2024.index):
        missing = set(csdata_codes) ^ set(cur.index) | set(csdata_codes) ^ set(cent2024.index)
        raise SnapshotError(f"Municipality lists disagree between the raw sources for codes {sorted(missing)}")

    municipalities = []
    for code in csdata_codes:
        row = cur.loc[code]
        name = row["Kommunenavn 2024"].strip()
        if "(" in name:  # "Våler (Viken)" -> "Våler (Østfold)": qualify by the 2024 county
            name = re.sub(r"\(.*\)", "(" + row["Fylkesnavn 2024"].split(" - ")[0].strip() + ")", name)
        municipalities.append({
            "code": code,
            "name": name,
            "county_code": row["Fylkesnr 2024"].strip(),
            "county_name": row["Fylkesnavn 2024"].strip(),
            "ba_region_code": ba.loc[code, "ba_code"],
            "ba_region_name": ba.loc[code, "ba_name"],
            "centrality_class": int(cent2024.loc[code, "sentralitet_klasse"]),
            "centrality_index": int(cent2024.loc[code, "sentralitetsindeks"]),
            "csdata_name": mun_names.set_index(mun_names.location_code.str[-4:]).loc[code, "location_name"],
        })

    # Names of historical codes, most authoritative source last (later ones win).
    old_names: dict[str, str] = {}
    imdi = pd.read_csv(_need(raw / "telemark_fk" / "Figur1_bosatt_anmodede.csv"), sep=";", encoding="latin-1",
                       dtype=str, usecols=["Kommunenummer", "Kommune"]).dropna().drop_duplicates()
    old_names.update({k: _clean_old_name(v) for k, v in zip(imdi.Kommunenummer, imdi.Kommune)})
    dist = pd.read_excel(_need(raw / "valg_analyser" / "distriktstall_2016_kommuner428.xlsx"), usecols=["Kommunenavn"])
    for label in dist.Kommunenavn.astype(str):
        code, _, name = label.partition(" ")
        old_names[code.zfill(4)] = name.strip()
    old_names.update(dict(zip(cent.kommunenummer, cent.kommunenavn)))
    allk = kt.dropna(subset=["Alle kommunenr"])
    old_names.update(dict(zip(allk["Alle kommunenr"], allk["Alle kommunenavn"].map(_clean_old_name))))
    old_names.update(dict(zip(kt["Kommunenr 2023"], kt["Kommunenavn 2023"])))
    # the 2020-2023 code each pre-2020 code went into (for the note "via 3825 Vinje")
    via_2020 = {a: b for a, b in zip(allk["Alle kommunenr"], allk["Kommunenr 2023"]) if a != b}

    red = pd.read_csv(_need(raw / "csdata" / "nor_locations_redistricting_b2024.csv"))
    red = red[red.granularity_geo == "municip"].copy()
    red["old"] = red.location_code_original.str[-4:]
    red["new"] = red.location_code_current.str[-4:]
    red["year"] = red.calyear.astype(int)
    # Periods of unchanged mapping for every original code.
    per_year = (red.groupby(["old", "year"])[["new", "weighting"]]
                .apply(lambda g: tuple(sorted(zip(g.new, g.weighting.round(4)))))
                .rename("targets").reset_index().sort_values(["old", "year"]))
    history = []
    current = {m["code"] for m in municipalities}
    for old, grp in per_year.groupby("old", sort=True):
        prev = None
        for year, targets in zip(grp.year, grp.targets):
            if prev is not None and prev["targets"] == targets and prev["year_to"] == year - 1:
                prev["year_to"] = int(year)
                continue
            prev = {"code": old, "year_from": int(year), "year_to": int(year), "targets": targets}
            history.append(prev)
    records = []
    for h in history:
        if h["code"] in current and h["targets"] == ((h["code"], 1.0),):
            continue  # a current code mapping to itself: nothing happened
        # merged if other original codes map to the same single target in the same years
        records.append({
            "code": h["code"],
            "name": old_names.get(h["code"], ""),
            "year_from": h["year_from"],
            "year_to": min(h["year_to"], 2023),
            "targets": [[c, float(w)] for c, w in h["targets"]],
            "via": via_2020.get(h["code"]),
        })
    return {
        "structure": 2024,
        "source": "csdata (SSB Klass 131 names, redistricting table), SSB Klass 128 centrality, "
                  "SSB BA-regions 2024, Telemark fylkeskommune kommunetabell 2024 (Klass 131 crosswalk)",
        "credit": SSB_CREDIT,
        "municipalities": municipalities,
        "history": records,
        "old_names": {k: v for k, v in sorted(old_names.items()) if k not in current},
    }


def write_register(payload: dict, dest: Path = REGISTER_FILE) -> Path:
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    tmp.replace(dest)
    return dest
