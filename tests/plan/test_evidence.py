"""The needs analysis from the bundled snapshot: key figures, charts with tables, comparison."""

from __future__ import annotations

import datetime as dt

import pytest

from blilyst.demography.retention import survival_by_group
from blilyst.errors import UnknownMunicipality
from blilyst.plan.evidence import (
    build_plan,
    comparison_spec,
    key_figure_rows,
    key_figures,
    key_figures_frame,
    migration_chart,
    pyramid_chart,
    retention_chart,
)
from blilyst.stats.register import get_register


def test_key_figures_for_fyresdal(snapshot):
    k = key_figures("4032", snapshot)
    assert (k.year, k.population, k.year_before, k.population_before) == (2026, 1274, 2016, 1323)
    assert k.change == -49
    # 06913 sums 2011-2025: natural increase -98, net migration +22
    assert (k.natural_increase_2011_2025, k.net_migration_2011_2025) == (-98, 22)
    assert (k.immigrants, k.immigrant_years) == (126, (2011, 2021))
    frame = key_figures_frame(k, "nb").set_index("Nøkkeltall")["Verdi"]
    assert frame["Folketall 1. januar 2026"] == "1\u00a0274"
    # one formatter for signed changes: a true minus sign in Norwegian, on the count and on the percentage
    nynorsk = key_figures_frame(k, "nn").set_index("Nøkkeltal")["Verdi"]
    assert nynorsk["Folketal 1. januar 2026"] == "1\u00a0274"
    assert nynorsk["Endring 2016–2026"] == "\u221249 (\u22123,7\xa0%)"
    assert frame["Endring 2016–2026"] == "\u221249 (\u22123,7\xa0%)"
    english = key_figures_frame(k, "en").set_index("Key figure")["Value"]
    assert english["Population 1 January 2026"] == "1,274"


def test_the_evidence_pages_key_figures_are_worded_in_the_core(snapshot):
    k = key_figures("4032", snapshot)
    rows = dict(key_figure_rows(k, 2050, 1100.4, 560.0, "nb"))
    assert rows["Folketall 1. januar 2026"] == "1\u00a0274"
    assert rows["Endring siden 2016"] == "\u221249 (\u22123,7\xa0%)"  # the page signs as the document does
    assert rows["Andel 67 år og eldre"].endswith(" i 2016)") and " (var " in rows["Andel 67 år og eldre"]
    assert rows["Folketall i 2050 (framskrevet)"] == "1\u00a0100"
    nynorsk = [label for label, _value in key_figure_rows(k, 2050, 1100.4, 560.0, "nn")]
    assert nynorsk[1] == "Endring sidan 2016" and nynorsk[-1] == "20–66 år i 2050 (framskrive)"
    english = dict(key_figure_rows(k, 2050, 1100.4, 560.0, "en"))
    assert english["Aged 20–66 in 2050 (projected)"] == "560"


def test_pyramid_chart_table_adds_up(snapshot):
    chart = pyramid_chart("4032", "Fyresdal", snapshot.population, 2026)
    assert chart.table[["Menn", "Kvinner"]].to_numpy().sum() == 1274
    assert chart.spec["mark"]["type"] == "bar"
    assert "65–69 år med 98 personer" in chart.alt_text
    assert chart.source == "Kilde: Statistisk sentralbyrå"


def test_migration_chart_only_where_there_are_data(snapshot):
    chart = migration_chart("4032", "Fyresdal", snapshot.migration_by_age, lang="en")
    assert chart.table["In-migrants"].sum() == 383 and chart.table["Out-migrants"].sum() == 295
    assert "2021–2025" in chart.title
    assert migration_chart("0301", "Oslo", snapshot.migration_by_age) is None


def test_comparison_spec_can_be_edited(snapshot):
    frame = get_register().frame()
    auto = comparison_spec("4036", snapshot, frame)
    assert auto.frame.iloc[0, 0] == "4036 Vinje"
    edited = comparison_spec("4036", snapshot, frame, peers=["4034", "4032"])
    assert edited.frame.iloc[:, 0].tolist() == ["4036 Vinje", "4034 Tokke", "4032 Fyresdal"]


def test_retention_chart_from_curves():
    records = [
        {"moved_in": "2020-01-01", "moved_out": "2020-07-01"},
        {"moved_in": "2020-01-01"},
        {"moved_in": "2021-01-01"},
        {"moved_in": "2022-01-01", "moved_out": "2024-06-01"},
    ]
    curves = survival_by_group(records, as_of=dt.date(2025, 1, 1))
    chart = retention_chart(curves)
    assert chart.estimated
    assert "Etter ett år bor 75\xa0% fortsatt her" in chart.alt_text
    assert chart.table.iloc[0]["1 år"] == "75\xa0%"


def test_build_plan_resolves_names_and_fills_the_needs_analysis(snapshot):
    plan = build_plan("fyresdal", snapshot=snapshot, prepared_on=dt.date(2026, 11, 26))
    assert (plan.municipality, plan.name) == ("4032", "Fyresdal")
    assert len(plan.charts) == 2 and plan.comparison is not None
    assert "født færre enn det døde (\u221298)" in plan.summary  # a true minus sign, as every Norwegian number
    assert plan.sources[0] == "Kilde: Statistisk sentralbyrå"
    oslo = build_plan("0301", snapshot=snapshot, prepared_on=dt.date(2026, 11, 26), lang="en")
    assert len(oslo.charts) == 1  # no migration by age outside Telemark
    with pytest.raises(UnknownMunicipality):
        build_plan("Atlantis", snapshot=snapshot)


@pytest.fixture(scope="module")
def outlook(snapshot):
    from blilyst.demography.attractiveness import attractiveness_from_snapshot
    from blilyst.demography.scenarios import run_scenario

    return (
        run_scenario("4032", "trend", 20, snapshot=snapshot),
        run_scenario("4032", "target-seeking", 20, snapshot=snapshot),
        attractiveness_from_snapshot(snapshot=snapshot),
    )


def test_outlook_adds_the_projected_pyramid_workforce_and_target_seeking_answer(snapshot, outlook):
    trend, seeking, model = outlook
    plan = build_plan(
        "4032",
        snapshot=snapshot,
        prepared_on=dt.date(2026, 11, 26),
        projection=trend,
        target_seeking=seeking,
        attractiveness=model,
    )
    future = plan.charts[-1]
    assert future.estimated and "2046" in future.title and "framskrevet" in future.title
    # band totals are rounded, so they add up to the projected total within a few persons
    assert abs(future.table[["Menn", "Kvinner"]].to_numpy().sum() - trend.summary().iloc[-1]["population"]) < 10
    work = plan.tables[0].frame.set_index("")
    assert work.loc["Folketall", "2026"] == "1\u00a0274"
    assert work.loc["20–66 år", "2026"] == "739"  # registered, 1 January 2026
    assert "dere trenger om lag" in plan.summary and "innflyttere i året" in plan.summary
    row = model.frame[model.frame.municipality == "4032"].iloc[0]
    assert f"nummer {int(row.rank_in_class)} av {int(row.n_in_class)} i sentralitetsklasse 6" in plan.summary


def test_the_plan_states_the_national_immigration_assumption_and_flags_fast_growth(snapshot):
    fast = build_plan("3222", snapshot=snapshot, projection=True, lang="en")
    assert any(s.startswith("Net immigration to Norway: the mean of Norway's net immigration") for s in fast.sources)
    assert any(s.startswith("Flag: Lørenskog grows") and "housing plans" in s for s in fast.sources)
    calm = build_plan("4032", snapshot=snapshot, projection=True, lang="nb")
    assert any(s.startswith("Nettoinnvandring til Norge:") for s in calm.sources)
    assert not any(s.startswith("Merk:") for s in calm.sources)  # Fyresdal does not grow by half in 20 years


def test_the_projections_sources_are_in_the_plans_language(snapshot):
    """The projection's sources are kept as notes and worded in the plan's language (issue 12)."""
    from blilyst.demography.scenarios import run_scenario

    trend = run_scenario("4032", "trend", 20, snapshot=snapshot)
    nn = build_plan("4032", snapshot=snapshot, projection=trend, lang="nn")
    assert any(s.startswith("Dødelegheit: Human Mortality Database, Noreg, dødsratar") for s in nn.sources)
    assert any(s.startswith("Folketal 1. januar 2016–2026 etter kjønn og alder") for s in nn.sources)
    en = build_plan("4032", snapshot=snapshot, projection=trend, lang="en")
    assert any(s.startswith("Mortality: Human Mortality Database, Norway, death rates") for s in en.sources)


def test_notoddens_growth_shows_the_border_move_apart():
    """Notodden grew by 672 from 2016 to 2026; 442 of them came with the border from Midt-Telemark on
    1 January 2020 (SSB 01223), which the key figures now say."""
    from blilyst.plan.evidence import key_figures, key_figures_frame
    from blilyst.stats.snapshot import load_snapshot

    k = key_figures("4005", load_snapshot())
    assert (k.change, k.boundary_change) == (672, 442)
    frame = key_figures_frame(k, "nb").set_index("Nøkkeltall")
    assert frame.loc["Av dette flyttet med grenseendringer 2016–2026 (ikke flytting)", "Verdi"] == "+442"
    assert abs(key_figures("4032", load_snapshot()).boundary_change) < 0.5  # Fyresdal: no border change


def test_haram_net_migration_by_age_covers_only_the_years_with_its_own_stocks():
    """Haram's stocks 2006–2023 are half of the merged Ålesund: the plan's chart of net migration by age and
    sex shows 2024–2025 and no artefact in the thousands (issue 8)."""
    from blilyst.plan import needs

    chart = needs.migration_by_age_chart("1580", "en")
    assert chart.title == "Net migration by age and sex, Haram 2024–2025 (estimated)"
    cells = chart.table[["Males", "Females"]].to_numpy().ravel()
    assert max(abs(float(str(c).replace("\u2212", "-").replace(",", ""))) for c in cells) < 300


def test_key_figures_of_a_merged_split_municipality_say_the_old_stock_is_an_estimate():
    """Haram 2016 is half of the merged Ålesund (32 083): the key figures say so, give no change (−70.5 % was
    printed) and no immigrant figures from the half-and-half split of Ålesund's immigrants (issue 8)."""
    from blilyst.plan.evidence import key_figures, key_figures_frame
    from blilyst.stats.snapshot import load_snapshot

    k = key_figures("1580", load_snapshot())
    assert k.before_is_estimate and k.immigrants is None
    frame = key_figures_frame(k, "en").set_index("Key figure")["Value"]
    assert frame["Population 1 January 2016"].endswith("(an estimate: a fixed share of the merged municipality)")
    assert frame["Change 2016–2026"] == "not comparable: the municipality was merged and split again"
    assert "-70" not in " ".join(frame) and not any(label.startswith("Immigrants") for label in frame.index)
    notodden = key_figures_frame(key_figures("4005", load_snapshot()), "en").set_index("Key figure")["Value"]
    assert notodden["Change 2016–2026"] == "+672 (+5.3%)"


def test_the_attractiveness_sentence_says_its_figures_are_old():
    """Telemarksforsking's model runs on jobs 2005–2015: in a plan dated 2026 the sentence says they are 11
    years old (issue 8: a sentence built on data older than three years says so)."""
    import datetime as dt

    from blilyst.plan import needs

    text = needs.attractiveness_text("5528", "en")
    assert text.startswith("In 2005-2015 the municipality's net migration was")
    age = dt.date.today().year - 2015
    assert f"These figures are from 2015, {age} years ago" in text


def test_haram_charts_mark_fixed_share_stocks_and_print_no_artefact_change():
    """Haram 2006–2023 are half of the merged Ålesund: the population chart calls them estimates, its text
    starts at the first registered year, and the components chart gives no change where there is no migration
    (−22 623 over the period, −24 401 in 2023 were printed) (issue 8)."""
    from blilyst.plan import needs

    population = needs.population_chart("1580", "trend", "en")
    status = dict(zip(population.table["Year"], population.table["Status"], strict=False))
    assert status[2016] == "Estimated (fixed share of a merged municipality)" and status[2024] == "Registered"
    assert "It was 9,357 in 2024" in population.alt_text
    components = needs.components_chart("1580", "en")
    assert "the population changed by –" in components.alt_text and "22,623" not in components.alt_text
    change = dict(zip(components.table["Year"], components.table["Change"], strict=False))
    assert change[2023] == "–" and change[2025] == "+51"
    notodden = needs.population_chart("4005", "trend", "en")
    assert set(notodden.table["Status"]) == {"Registered", "Projected"}


def test_the_net_migration_chart_never_calls_a_minus_the_most_in_migration():
    """Vardø lost people at every age 2016–2025: the chart's text said 'Most net in-migration at ages 70–79 (-5)'
    (issue 8)."""
    from blilyst.plan import needs

    vardo = needs.net_migration_by_sex_chart("5607", "en").alt_text
    assert "Net out-migration at every age: the least at ages 70–79" in vardo and "Most net in-migration" not in vardo
    oslo = needs.net_migration_by_sex_chart("0301", "en").alt_text
    assert "Most net in-migration at ages 20–29" in oslo


def test_the_similar_municipalities_say_why_attractiveness_is_missing_in_the_readers_format():
    """Haram and Ålesund show '–' for attractiveness: the note says they are left out of the model's fit, and the
    fitted line is written with decimal commas in bokmål (it read 'y = 0.3465x + 1.9998') (issue 8)."""
    from blilyst.plan import needs

    note = needs.comparison("1580", None, "nb").note
    assert "Haram og Ålesund: holdt utenfor attraktivitetsmodellen" in note
    assert "y = 0,3465x + 1,9998 (R² 0,46, n = 350)" in note
    assert "holdt utenfor attraktivitetsmodellen" not in needs.comparison("4028", None, "nb").note


def test_the_growth_beside_the_immigrant_growth_says_how_much_came_by_border_changes():
    """Tønsberg grew by 5 389 in 2016–2020, +2 061 of them by border changes from Sandefjord: the summary says
    so instead of presenting the transfer as ordinary growth (issue 8)."""
    from blilyst.plan import needs

    text = needs.immigration_text("3905", "en")
    assert "The population grew by 5,389 in the same years (+2,061 of them moved by border changes" in text
    assert "border changes" not in needs.immigration_text("4032", "en")


def test_the_growth_message_says_how_old_the_immigrant_figures_are():
    """The fallback summary's immigrant change ends in 2021: it says how old that is (issue 8)."""
    import datetime as dt

    from blilyst.plan.evidence import growth_message, key_figures
    from blilyst.stats.snapshot import load_snapshot

    text = growth_message(key_figures("4005", load_snapshot()), "en")
    assert "The immigrant population changed by 695 from 2011 to 2021." in text
    assert f"These figures are from 2021, {dt.date.today().year - 2021} years ago" in text
