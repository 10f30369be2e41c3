"""The municipality list and a municipality's page (statistics: no personal data)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from blilyst.errors import UnknownMunicipality
from blilyst.web.accounts.roles import Capability
from blilyst.web.analysis import population
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
    rows = population.search(query, county)
    ctx = {
        "overview": overview,
        "rows": population.records(rows),
        "total_count": len(overview.frame),
        "counties": counties,
        "query": query,
        "county": county,
        "own_codes": set(user_municipality_codes(request.user)),
    }
    return render(request, "analysis/municipality_list.html", ctx)


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
