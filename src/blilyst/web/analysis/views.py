"""The municipality list and a municipality's page (statistics: no personal data)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import get_format
from django.views.decorators.http import require_GET

from blilyst.errors import UnknownMunicipality
from blilyst.plan import population
from blilyst.web.accounts.roles import Capability
from blilyst.web.lib.tenancy import require_capability, user_municipality_codes


@require_GET
@require_capability(Capability.VIEW_STATISTICS)
def municipality_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    county = request.GET.get("county", "")[:2]
    overview = population.overview()
    counties = population.counties()
    if county and county not in {code for code, _name in counties}:
        county = ""
    rows = _display_rows(population.records(population.search(query, county)))
    ctx = {
        "overview": overview,
        "rows": rows,
        "total_count": len(overview.frame),
        "counties": counties,
        "query": query,
        "county": county,
        "own_codes": set(user_municipality_codes(request.user)),
        "data_version": _data_version(),
    }
    return render(request, "analysis/municipality_list.html", ctx)


def _data_version() -> str:
    """Names the snapshot in use (its origin and manifest), for keys of cached fragments."""
    from blilyst.plan.diskcache import data_fingerprint
    from blilyst.stats.snapshot import load_snapshot

    return data_fingerprint(load_snapshot())[:16]


def _display_rows(records: list[dict]) -> list[dict]:
    """Add each row's link and its population formatted for the active language, once in Python:
    357 ``{% url %}`` and ``intcomma`` calls in the template would cost more than the rest of the page."""
    separator = get_format("THOUSAND_SEPARATOR")
    link = reverse("municipality_detail", args=["0000"]).replace("0000", "{}")
    for row in records:
        pop = row["population"]
        row["url"] = link.format(row["code"])
        row["centrality_display"] = str(row["centrality_class"])
        row["population_display"] = "–" if pop is None else f"{pop:,}".replace(",", separator)
    return records


@require_GET
@require_capability(Capability.VIEW_STATISTICS)
def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    from blilyst.stats.register import get_register

    try:
        municipality = get_register().get(code)
    except UnknownMunicipality:
        raise Http404("No such municipality") from None
    overview = population.overview()
    rows = population.age_sex_table(municipality.code)
    total = {
        "male": sum(r["male"] for r in rows),
        "female": sum(r["female"] for r in rows),
        "total": sum(r["total"] for r in rows),
    }
    ctx = {
        "municipality": municipality,
        "overview": overview,
        "age_rows": rows,
        "total": total,
        "history": population.totals_by_year(municipality.code),
    }
    return render(request, "analysis/municipality_detail.html", ctx)
