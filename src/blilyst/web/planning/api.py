"""The honesty check in the JSON API: ``POST /api/plan/{code}/honesty`` with ``{"text": …}``.

The text is checked against the municipality's registers as they are now and its own thresholds
("mange", "rimelig"), exactly as on the planning page; the answer is :meth:`HonestyReport.to_dict` (labels and
reasons in the request's language, rewrites in the language of the text). ``"save": true`` also stores the check
in the municipality's list (plan editors only, 403 for others). Another municipality answers 404.
"""

from __future__ import annotations

from django.utils.translation import get_language
from ninja import Field, Router
from ninja.errors import HttpError

from blilyst.i18n import DEFAULT_LANGUAGE, normalise
from blilyst.web.accounts.models import Municipality
from blilyst.web.api.schema import JsonInput
from blilyst.web.lib.authed import AuthedRequest
from blilyst.web.lib.tenancy import can
from blilyst.web.planning.models import CampaignCheck

router = Router(tags=["plan"])


class HonestyIn(JsonInput):
    text: str = Field(..., min_length=20, max_length=20000, description="The campaign text (bokmål or nynorsk).")
    title: str = Field("", max_length=150, description="A name for the check when it is saved.")
    save: bool = Field(False, description="Store the check in the municipality's list of checks.")


@router.post("/{code}/honesty", response={200: dict})
def honesty_check(request: AuthedRequest, code: str, payload: HonestyIn) -> dict:
    """Check a campaign text's promises against the municipality's registers."""
    from blilyst.web.planning.views import READ, WRITE, _current_evidence

    if not can(request.user, READ, code):
        raise HttpError(404, "Not found")
    if payload.save and not can(request.user, WRITE, code):
        raise HttpError(403, "You may read this municipality's plan but not save checks in it.")
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise HttpError(404, "Not found")
    text = payload.text.strip()
    check = CampaignCheck(
        municipality=municipality,
        title=payload.title.strip() or text[:60],
        text=text,
        capacity=_current_evidence(request, code)["capacity"],
        created_by=request.user,
    )
    report = check.report()
    if payload.save:
        check.save_with(report)
    return {"id": check.pk, **report.to_dict(normalise(get_language() or DEFAULT_LANGUAGE))}
