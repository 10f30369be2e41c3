"""A household can say it wants a small farm (småbruk) or a building plot (tomt)."""

from __future__ import annotations

import datetime as dt

from django.utils import translation


def test_a_household_may_want_a_small_farm_or_a_plot(people):
    from blilyst.web.newcomers.models import Household, Tenure

    for tenure in ("small_farm", "plot"):
        Household(
            municipality=people.a, label="Familien Lund", housing_tenure=tenure, housing_from=dt.date(2027, 4, 1)
        ).full_clean()
    with translation.override("nb"):
        assert (str(Tenure.SMALL_FARM.label), str(Tenure.PLOT.label)) == ("Småbruk", "Tomt")
    with translation.override("en"):
        assert (str(Tenure.SMALL_FARM.label), str(Tenure.PLOT.label)) == ("Small farm", "Building plot")
