"""Real data for the plan tests, read straight from data/raw into the shapes of the shared snapshot
contract (``snapshot.migration_by_age``, ``snapshot.immigrants_by_reason``, ``snapshot.refugee_settlement``).

Reading data/raw keeps these tests independent of the snapshot build; the frames have the contract's
columns, so the same functions run on ``load_snapshot()`` frames in the app.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
TELEMARK = RAW / "telemark_fk"


@lru_cache(maxsize=1)
def _code_2023_to_2024() -> dict[str, str]:
    with open(TELEMARK / "kommunetabell 2024.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    mapping = {}
    for row in rows:
        mapping[row["Alle kommunenr"]] = row["Kommunenr 2024"]
        mapping[row["Kommunenr 2023"]] = row["Kommunenr 2024"]
    return mapping


@lru_cache(maxsize=1)
def _telemark_name_to_code() -> dict[str, str]:
    names = pd.read_csv(RAW / "csdata" / "nor_locations_names_b2024.csv")
    tele = names[names["location_code"].str.startswith("municip_nor40")]
    mapping = {n: c.removeprefix("municip_nor") for c, n in zip(tele["location_code"], tele["location_name"])}
    mapping["Kragerå"] = mapping["Kragerø"]  # a misspelling in the source
    return mapping


@lru_cache(maxsize=1)
def _migration_by_age() -> pd.DataFrame:
    raw = pd.read_csv(TELEMARK / "Flytting etter alder Telemark Panda.csv", sep=";", encoding="utf-8-sig")
    names = _telemark_name_to_code()
    frame = pd.DataFrame({
        "municipality": raw["Region"].map(names),
        "year": raw["År"].astype(int),
        "age": raw["Alder"].str.replace(" år", "", regex=False).astype(int),
        "in_migration": raw["Innflytting"].fillna(0).astype(int),
        "out_migration": raw["Utflytting"].fillna(0).astype(int),
    })
    frame = frame.groupby(["municipality", "year", "age"], as_index=False).sum()
    frame["net_migration"] = frame["in_migration"] - frame["out_migration"]
    return frame


@lru_cache(maxsize=1)
def _immigrants_by_reason() -> pd.DataFrame:
    text = (TELEMARK / "befolkning_innvandringsgrunn alle kommuner.csv").read_bytes().decode("latin-1")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    reason, sex, unit, year = rows[0], rows[1], rows[2], rows[3]
    mapping = _code_2023_to_2024()
    out = []
    for row in rows[4:]:
        if not row or not row[0].startswith("K"):
            continue
        code = row[0][1:]
        if code not in mapping:
            continue
        for j in range(2, len(row)):
            if j >= len(unit) or "Personer" not in unit[j] or "Alle" not in sex[j] or not row[j].strip():
                continue
            out.append({
                "municipality": mapping[code],
                "year": int(year[j].split(":")[1]),
                "reason": reason[j].split(":", 1)[1].strip(),
                "persons": int(float(row[j])),
            })
    return pd.DataFrame(out)


@lru_cache(maxsize=1)
def _refugee_settlement() -> pd.DataFrame:
    raw = pd.read_csv(TELEMARK / "Figur1_bosatt_anmodede.csv", sep=";", encoding="latin-1",
                      dtype={"Kommunenummer": str}, na_values=["."])
    mapping = _code_2023_to_2024()
    raw = raw[raw["Kommunenummer"].isin(mapping) & (raw["Enhet"] == "Personer")]
    frame = pd.DataFrame({
        "municipality": raw["Kommunenummer"].map(mapping),
        "year": raw["År"].astype(int),
        "measure": raw["Bosetting"],
        "persons": pd.to_numeric(raw["Antall"], errors="coerce"),  # '.' and ':' are missing
    })
    return frame.groupby(["municipality", "year", "measure"], as_index=False)["persons"].sum(min_count=1)


@pytest.fixture(scope="session")
def migration_by_age() -> pd.DataFrame:
    return _migration_by_age()


@pytest.fixture(scope="session")
def immigrants_by_reason() -> pd.DataFrame:
    return _immigrants_by_reason()


@pytest.fixture(scope="session")
def refugee_settlement() -> pd.DataFrame:
    return _refugee_settlement()
