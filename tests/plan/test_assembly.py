"""The whole document from a saved plan: one figure, one period, wherever the document uses it."""

from __future__ import annotations

from blilyst.plan.assembly import build_document
from blilyst.plan.saved import SavedPlan


def test_natural_increase_has_one_period_and_one_value_in_the_document():
    document = build_document(SavedPlan("4028"), lang="nb")
    rows = dict(zip(document.key_figures.iloc[:, 0], document.key_figures.iloc[:, 1], strict=True))
    # Kviteseid 2011–2025 (SSB components): 159 more deaths than births, net migration +126
    assert rows["Fødselsoverskudd 2011–2025"].replace("\u2212", "-") == "-159"
    assert "I 2011–2025 ble det født færre enn det døde (om lag −159)" in document.summary
    assert "nettoinnflyttingen var +126 (registrert av SSB)" in document.summary
    assert "2016–2025 ble det født" not in document.summary
