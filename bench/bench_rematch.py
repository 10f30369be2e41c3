"""Re-matching a municipality's open households after a register change, as the request that changed the
register does it (``resources.views.registers_changed``: the listing index, then ``matchinputs.refresh_gaps``).

Run: ``.venv/bin/python bench/bench_rematch.py`` (SQLite file in a temporary ``BLILYST_HOME``), or with
``DATABASE_URL=postgres://...`` for PostgreSQL (a throw-away database ``blilyst_bench_<pid>`` is made on that
server and dropped afterwards). ``--households 300 1500 5000`` picks the sizes.

Per size, one municipality with that many open households (one or two adults with an occupation and job
wishes, half of them with a child wanting a kindergarten place, most wanting housing) and thin registers (40
dwellings, 20 vacancies, three kindergartens with a place or none a month for a year), so many households
keep gaps: the costly case, every gap a row to write and keep. It times:

* ``first``: the first re-matching (every gap row is new),
* ``again``: the re-matching after a register change (one dwelling added), median of three: what a listing
  saved on the page or through the API costs, the statement count beside it,
* baseline, same run: the matching engine alone over the same households, needs already read (what no
  database can make faster).

The figures decide whether re-matching stays inside the request (docs/resources.md, "Re-matching").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from webload import PostgresDatabase

OCCUPATIONS = ["sykepleier", "lærer", "snekker", "elektriker", "ingeniør", "kokk", "sjåfør", "mekaniker", "lege"]
WISHES = ["helse", "skole", "bygg", "butikk", "kontor", "renhold", "", ""]


def _municipality(code: str):
    from blilyst.web.accounts.models import Municipality

    return Municipality.objects.create(code=code, name=f"Bench {code}")


def _registers(municipality, rng: random.Random, today: dt.date) -> None:
    from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity

    Housing.objects.bulk_create(
        Housing(
            municipality=municipality,
            kind=rng.choice(["rent", "sale", "trial"]),
            title=f"Bolig {i}",
            bedrooms=rng.randint(1, 5),
            size_m2=rng.randint(40, 200),
            price=rng.randint(6_000, 20_000),
            available_from=today + dt.timedelta(days=rng.randint(0, 300)),
        )
        for i in range(40)
    )
    JobVacancy.objects.bulk_create(
        JobVacancy(
            municipality=municipality,
            employer=f"Arbeidsgiver {i}",
            occupation=rng.choice(OCCUPATIONS).title(),
            sector=rng.choice(["health", "education", "construction", "industry"]),
            advertised="nav",
            positions=rng.randint(1, 3),
        )
        for i in range(20)
    )
    first = today.replace(day=1)
    KindergartenCapacity.objects.bulk_create(
        KindergartenCapacity(
            municipality=municipality,
            kindergarten=f"Barnehage {k}",
            month=dt.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1),
            free_places=rng.randint(0, 1),
        )
        for k in range(3)
        for i in range(12)
    )


def _households(municipality, n: int, rng: random.Random, today: dt.date) -> None:
    from blilyst.web.newcomers.models import Adult, Child, Household

    made = Household.objects.bulk_create(
        Household(
            municipality=municipality,
            label=f"Husstand {i}",
            status=rng.choice(["enquiry", "in_dialogue", "visited", "decided", "moved_in"]),
            housing_tenure=rng.choice(["rent", "buy", "any", "trial", ""]),
            housing_bedrooms=rng.randint(1, 5),
            housing_from=today + dt.timedelta(days=rng.randint(0, 300)),
        )
        for i in range(n)
    )
    adults, children = [], []
    for household in made:
        for a in range(rng.randint(1, 2)):
            adults.append(
                Adult(
                    household=household,
                    name=f"Voksen {a}",
                    occupation=rng.choice(OCCUPATIONS),
                    job_wishes=rng.choice(WISHES),
                )
            )
        if rng.random() < 0.5:
            start = today + dt.timedelta(days=rng.randint(30, 330))
            children.append(
                Child(household=household, birth_year=today.year - rng.randint(1, 4), kindergarten_from=start)
            )
    Adult.objects.bulk_create(adults)
    Child.objects.bulk_create(children)


def _rematch(code: str) -> int:
    """What ``registers_changed`` does for an editor (tenancy narrowing left out: one municipality)."""
    from django.utils import timezone

    from blilyst.web.newcomers.models import Household
    from blilyst.web.resources import matchinputs
    from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity, MatchingGap

    index = matchinputs.listing_index(
        Housing.objects.filter(municipality_id=code),
        JobVacancy.objects.filter(municipality_id=code),
        KindergartenCapacity.objects.filter(municipality_id=code),
        today=timezone.localdate(),
    )
    return matchinputs.refresh_gaps(index, Household.objects.all(), MatchingGap.objects.all(), code)


def _engine_alone(code: str) -> float:
    """Baseline: the matching engine over the same households, their needs and the index already built."""
    from django.utils import timezone

    from blilyst import matching as m
    from blilyst.web.newcomers.models import Household
    from blilyst.web.resources import matchinputs
    from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity

    index = matchinputs.listing_index(
        Housing.objects.filter(municipality_id=code),
        JobVacancy.objects.filter(municipality_id=code),
        KindergartenCapacity.objects.filter(municipality_id=code),
        today=timezone.localdate(),
    )
    households = Household.objects.filter(municipality_id=code).prefetch_related("adults", "children", "offers")
    needs = [matchinputs.household_needs(h) for h in households]
    started = time.perf_counter()
    for need in needs:
        m.match_household(need, index)
    return time.perf_counter() - started


def measure(n: int, code: str) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from blilyst.web.resources.models import Housing, MatchingGap

    rng = random.Random(n)
    today = timezone.localdate()
    municipality = _municipality(code)
    _registers(municipality, rng, today)
    _households(municipality, n, rng, today)
    started = time.perf_counter()
    assert _rematch(code) == n
    first = time.perf_counter() - started
    again, statements = [], 0
    for i in range(3):
        Housing.objects.create(
            municipality=municipality, kind="rent", title=f"Ny {i}", bedrooms=3, size_m2=80, price=9_000,
            available_from=today,
        )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            _rematch(code)
            again.append(time.perf_counter() - started)
        statements = len(queries.captured_queries)
    gaps = MatchingGap.objects.filter(municipality_id=code, resolved_on__isnull=True).count()
    return {
        "first": first,
        "again": statistics.median(again),
        "statements": statements,
        "engine": _engine_alone(code),
        "gaps": gaps,
    }


def run(sizes: list[int]) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'households':>10} {'open gaps':>9} {'first s':>8} {'again s':>8} {'statements':>10} {'engine s':>9}")
    for i, n in enumerate(sizes):
        r = measure(n, f"{9000 + i}")
        print(
            f"{n:>10} {r['gaps']:>9} {r['first']:>8.2f} {r['again']:>8.2f} {r['statements']:>10.0f} {r['engine']:>9.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, nargs="+", default=[300, 1500, 5000])
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blilyst.web.settings")
    os.environ["BLILYST_HOME"] = tempfile.mkdtemp(prefix="blilyst-bench-rematch-")
    os.environ.setdefault("BLILYST_SECRET_KEY", "bench-secret-key-" + "x" * 40)
    os.environ["BLILYST_DEBUG"] = "0"
    url = os.environ.get("DATABASE_URL")
    if url:
        with PostgresDatabase(url) as throwaway:
            os.environ["DATABASE_URL"] = throwaway
            run(args.households)
    else:
        run(args.households)


if __name__ == "__main__":
    main()
