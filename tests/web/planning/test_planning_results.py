"""Does it work? Funnel, moved in per group, Kaplan–Meier retention and reasons, as counts only."""

from __future__ import annotations


def test_the_analyst_sees_aggregates_and_no_household(households, analyst, client_for):
    html = client_for(analyst).get("/plan/4028/results/").content.decode()
    main = html.split("<main", 1)[1]
    # funnel: 12 enquiries, 8 moved in
    assert '<td class="num">12</td>' in main and '<td class="num">8</td>' in main
    # moved in per target group: 5 labour-immigrant households; 3 families
    assert "Arbeidsinnvandrere" in main
    # retention table and Kaplan–Meier chart
    assert "Kaplan–Meier" in main
    # reasons for moving away: one each, so hidden (under 3)
    assert "skjult" in main or "hidden" in main
    for label in ("L1", "F2", "Vinje1"):
        assert f">{label}<" not in main
    assert "adult" not in main


def test_reach_against_registered_in_migration(households, analyst, client_for):
    html = client_for(analyst).get("/plan/4028/results/").content.decode()
    # Kviteseid's in-migration 2021-2025 is registered (Telemark); households moved in in 2021-2025
    assert "av de" in html or "of the" in html


def test_no_households_gives_a_plain_message(people, analyst, client_for):
    response = client_for(analyst).get("/plan/4028/results/")
    assert response.status_code == 200


def test_retention_is_hidden_while_few_households_have_moved_in(people, analyst, client_for):
    import datetime as dt

    from blilyst.web.newcomers.models import Household

    for i, day in enumerate((dt.date(2023, 1, 1), dt.date(2023, 6, 1), dt.date(2024, 2, 1))):
        Household.objects.create(
            municipality=people.a,
            label=f"S{i}",
            status="moved_in",
            target_group="returnees",
            moved_in_on=day,
            moved_out_on=dt.date(2024, 8, 1) if i == 0 else None,
            move_out_reason="jobb",
        )
    main = client_for(analyst).get("/plan/4028/results/").content.decode().split("<main", 1)[1]
    assert "3 husstander har flyttet inn gjennom tjenesten" in main and "minst fem" in main
    assert "Kaplan–Meier" not in main
