"""Real data for the plan tests: the bundled snapshot frames of the shared contract
(``snapshot.migration_by_age``, ``snapshot.immigrants_by_reason``, ``snapshot.refugee_settlement``),
built from data/raw (Telemark migration by age, SSB immigrants by reason, IMDi refugee settlement)."""

from __future__ import annotations

import pandas as pd
import pytest

from blilyst.stats.snapshot import BUNDLED_DIR, load_snapshot


@pytest.fixture(scope="session")
def snapshot():
    # the bundled data exactly, so a local refreshed snapshot on the machine cannot change the figures
    return load_snapshot(BUNDLED_DIR)


@pytest.fixture(scope="session")
def migration_by_age(snapshot) -> pd.DataFrame:
    return snapshot.migration_by_age


@pytest.fixture(scope="session")
def immigrants_by_reason(snapshot) -> pd.DataFrame:
    return snapshot.immigrants_by_reason


@pytest.fixture(scope="session")
def refugee_settlement(snapshot) -> pd.DataFrame:
    return snapshot.refugee_settlement
