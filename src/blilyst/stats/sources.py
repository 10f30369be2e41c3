"""The snapshot's data sets in the reader's language: a name and a description for each, and the manifest's
table and licence words translated (issue 12).

The manifest (``manifest.json``) keeps its English record of where each data set comes from; it is the file's
provenance and stays as written. What a person reads (``blilyst data sources``, the credit line under a table)
goes through here: the data set's key (``population_flags``) becomes its name, the description is worded for the
reader, and the licence and source words blilyst wrote itself ("older material", "from SSB data") are
translated. SSB's table numbers, licence names (CC BY 4.0, NLOD 2.0) and credit lines ("Kilde: Statistisk
sentralbyrå") are shown as published.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from blilyst.i18n import N_
from blilyst.i18n import gettext as _

if TYPE_CHECKING:
    from blilyst.stats.snapshot import Snapshot

#: Each data set's name and what it holds. A description is true of the bundled snapshot and of one written by
#: ``blilyst data refresh`` alike (the manifest's own description says which years and municipalities).
DATASET_WORDS: dict[str, tuple[str, str]] = {
    "population": (
        N_("Population"),
        N_("Population on 1 January by municipality (today's borders), sex and single-year age 0–105+."),
    ),
    "population_flags": (
        N_("Estimated population figures"),
        N_(
            "Municipality-years with no population of their own at today's borders (a merged or split "
            "municipality): their figures are estimated."
        ),
    ),
    "national_population": (
        N_("Population of Norway"),
        N_("Population on 1 January of Norway by sex and single-year age."),
    ),
    "mortality": (
        N_("Death rates"),
        N_("Death rates for Norway by year, sex and age 0–110+ (Human Mortality Database, built from SSB's figures)."),
    ),
    "fertility": (
        N_("Fertility rates"),
        N_(
            "Age-specific fertility rates for Norway by year and age 12–55 (Human Fertility Database, built from "
            "SSB's figures)."
        ),
    ),
    "births": (
        N_("Live births"),
        N_("Live births in Norway by year and sex (Human Mortality Database, built from SSB's figures)."),
    ),
    "immigrants_by_reason": (
        N_("Immigrants by reason for immigration"),
        N_(
            "Resident immigrants by reason for immigration, 2006–2021, converted to today's municipality numbers "
            "(summed where municipalities merged, shared out where they were split)."
        ),
    ),
    "refugee_settlement": (
        N_("Settlement of refugees"),
        N_(
            "Settlement of refugees: IMDi's request, the municipality's decision and the refugees actually "
            "settled, 1995–2023, converted to today's municipality numbers."
        ),
    ),
    "commuting": (
        N_("Commuting"),
        N_(
            "Employed persons in the 4th quarter of 2017 by municipality of residence and municipality of work, "
            "converted to today's municipality numbers (shared out where municipalities were split)."
        ),
    ),
    "components_2011_2025": (
        N_("Population change 2011–2025 by component"),
        N_("Natural increase, net migration and population change summed over 2011–2025, today's municipalities."),
    ),
    "components_annual": (
        N_("Population change per year by component"),
        N_(
            "Registered births, deaths, immigration, emigration, domestic in- and out-migration, net migration "
            "and population change by municipality and year."
        ),
    ),
    "boundary_changes": (
        N_("Border changes"),
        N_(
            "People who changed municipality by a border change, per municipality and year (registered for "
            "Telemark, elsewhere estimated from SSB's deviation for 2011–2025)."
        ),
    ),
    "jobs": (
        N_("Jobs"),
        N_("Employed persons by municipality of work (the jobs in the municipality)."),
    ),
    "jobs_old_structure": (
        N_("Population and jobs in the old municipal structure"),
        N_(
            "Population and jobs in the structure of 428 municipalities, with the municipality number and the "
            "share each goes to today."
        ),
    ),
    "migration_by_age": (
        N_("Migration by age"),
        N_("In- and out-migration by municipality, year and single-year age."),
    ),
    "od_flows": (
        N_("Moves between municipalities"),
        N_("Moves between municipalities, into and out of each municipality the data set covers."),
    ),
}

#: Words blilyst wrote into the manifest's ``ssb_table`` and ``licence`` fields (build_snapshot.py), translated
#: where they are shown. A field is read part by part (``"KMD/NIBR distriktsindeks base data; 13470"``).
MANIFEST_WORDS: frozenset[str] = frozenset(
    {
        N_("HMD (from SSB data)"),
        N_("HFD (from SSB data)"),
        N_("07113-type (via IMDi)"),
        N_("IMDi (not SSB)"),
        N_("KMD/NIBR distriktsindeks base data"),
        N_("09588-type"),
        N_("CC BY 4.0 (SSB; older material NLOD 2.0)"),
        N_("CC BY 4.0 (HMD/HFD terms of use; built from SSB data)"),
        N_("NLOD 2.0 (IMDi open data)"),
    }
)

#: The columns of :func:`sources_in_words`, in order (``key``, the data set's file key, is for csv and json).
SOURCE_COLUMNS = ["key", "dataset", "description", "ssb_table", "source_file", "date", "licence", "credit"]


def dataset_name(key: str) -> str:
    """A data set's name in the active language; a key blilyst does not know is shown as it is."""
    return _(DATASET_WORDS[key][0]) if key in DATASET_WORDS else key


def dataset_description(key: str, manifest_description: str = "") -> str:
    """What a data set holds, in the active language (the manifest's own words for a key blilyst does not know)."""
    return _(DATASET_WORDS[key][1]) if key in DATASET_WORDS else manifest_description


def manifest_words(text: str) -> str:
    """A manifest's ``ssb_table`` or ``licence`` field in the active language: the parts blilyst wrote are
    translated, table numbers and other parts are kept."""
    if text in MANIFEST_WORDS:
        return _(text)
    return "; ".join(_(part) if part in MANIFEST_WORDS else part for part in str(text).split("; "))


def sources_in_words(snapshot: Snapshot) -> pd.DataFrame:
    """One row per data set, as a person reads it: its key, name, description, SSB table, file, date, licence and
    credit."""
    rows = [
        {
            "key": key,
            "dataset": dataset_name(key),
            "description": dataset_description(key, str(entry.get("description", ""))),
            "ssb_table": manifest_words(str(entry.get("ssb_table", ""))),
            "source_file": entry.get("source_file", ""),
            "date": entry.get("date", ""),
            "licence": manifest_words(str(entry.get("licence", ""))),
            "credit": entry.get("credit", ""),
        }
        for key, entry in snapshot.manifest["datasets"].items()
    ]
    return pd.DataFrame(rows, columns=SOURCE_COLUMNS)
