"""Matching results in words, in the active language: each part of a suggestion and each gap.

"Leilighet i sentrum: 3 soverom, til leie fra 1. mars; jobb som sykepleier hos Kviteseid kommune
for voksen 1; barnehageplass fra mars i Brunkeberg barnehage" and "ingen utleiebolig med minst
3 soverom før august (ønsket fra mars)".

The sentences of :mod:`blilyst.matching`, worded here in the core (``blilyst.i18n`` and its nb/nn/en catalogs),
so the web app, its API and any other caller say the same thing in the same words: the web only renders them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from blilyst.i18n import N_, format_year, month_name, ngettext
from blilyst.i18n import gettext as _
from blilyst.matching import Gap, HousingListing, JobListing, KindergartenPlaces, Part, Suggestion

KIND_NOUN = {
    "rent": N_("rental home"),
    "sale": N_("home for sale"),
    "trial": N_("trial home"),
    "small_farm": N_("small farm"),
    "plot": N_("building plot"),
}
KIND_PHRASE = {
    "rent": N_("for rent"),
    "sale": N_("for sale"),
    "trial": N_("trial housing"),
    "small_farm": N_("small farm for sale"),
    "plot": N_("building plot for sale"),
}
#: The sectors of a job vacancy, as a gap names them (the register's sector codes).
SECTOR_LABELS = {
    "health": N_("Health and care"),
    "education": N_("Education and kindergartens"),
    "construction": N_("Building and construction"),
    "industry": N_("Industry and manufacturing"),
    "agriculture": N_("Farming, forestry and fishing"),
    "tourism": N_("Tourism, hotels and restaurants"),
    "retail": N_("Shops and services"),
    "technology": N_("IT and technology"),
    "administration": N_("Public administration"),
    "transport": N_("Transport"),
    "other": N_("Other"),
}
AGE_GROUP_WORDS = {
    "under_3": N_("under 3 years"),
    "over_3": N_("3 years and over"),
}


def day(value: dt.date, today: dt.date | None = None) -> str:
    """ "1. mars" / "1 March" (with the year when it is not the year of ``today``)."""
    values = {"day": value.day, "month": month_name(value.month)}
    if value.year != (today or dt.date.today()).year:
        # Translators: a day in running text with its year: "1. mars 2027" in Norwegian
        return _("%(day)s %(month)s %(year)s") % {**values, "year": format_year(value.year)}
    # Translators: a day in running text: "1. mars" in Norwegian
    return _("%(day)s %(month)s") % values


def month(value: dt.date, today: dt.date | None = None) -> str:
    """ "mars" / "March" (with the year when it is not the year of ``today``)."""
    if value.year != (today or dt.date.today()).year:
        return f"{month_name(value.month)} {format_year(value.year)}"
    return month_name(value.month)


def _or(items: Sequence[str]) -> str:
    """The texts joined as "a, b or c"."""
    texts = [str(i) for i in items]
    if len(texts) <= 1:
        return "".join(texts)
    # Translators: between the last two of several choices: "utleiebolig eller prøvebolig"
    word = _("or")
    return f"{', '.join(texts[:-1])} {word} {texts[-1]}"


def describe_part(part: Part, today: dt.date | None = None) -> str:
    if part.kind == "housing" and isinstance(part.listing, HousingListing):
        h = part.listing
        values = {
            "title": h.title or _(KIND_NOUN[h.kind]),
            "bedrooms": h.bedrooms,
            "kind": _(KIND_PHRASE[h.kind]),
            "date": day(h.available_from, today),
        }
        if h.kind == "plot":  # a plot has no bedrooms
            return _("%(title)s: %(kind)s from %(date)s") % values
        if h.kind == "small_farm" and h.term_months:
            values["kind"] = _("small farm to let")
        text = (
            ngettext(
                "%(title)s: %(bedrooms)s bedroom, %(kind)s from %(date)s",
                "%(title)s: %(bedrooms)s bedrooms, %(kind)s from %(date)s",
                h.bedrooms or 0,
            )
            % values
        )
        if h.kind in ("trial", "small_farm") and h.term_months:
            text += " " + ngettext("(%(months)s month)", "(%(months)s months)", h.term_months) % {
                "months": h.term_months
            }
        return text
    if part.kind == "job" and isinstance(part.listing, JobListing):
        j = part.listing
        if j.employer:
            return _("job as %(occupation)s at %(employer)s for adult %(n)s") % {
                "occupation": j.occupation,
                "employer": j.employer,
                "n": part.adult,
            }
        return _("job as %(occupation)s for adult %(n)s") % {"occupation": j.occupation, "n": part.adult}
    if part.kind == "remote":
        return _("adult %(n)s keeps a job done remotely") % {"n": part.adult}
    if part.kind == "kindergarten" and isinstance(part.listing, KindergartenPlaces):
        place = part.listing
        where = {"month": month(place.month, today), "kindergarten": place.kindergarten}
        if part.child is None:
            return _("kindergarten place from %(month)s at %(kindergarten)s") % where
        return _("kindergarten place from %(month)s at %(kindergarten)s for child %(n)s") % {**where, "n": part.child}
    raise ValueError(f"unknown part kind {part.kind!r} (or a listing of another kind: {part.listing!r})")


def describe_suggestion(suggestion: Suggestion, today: dt.date | None = None) -> str:
    """All parts in one sentence, separated by semicolons."""
    return "; ".join(describe_part(p, today) for p in suggestion.parts)


def _housing_gap(gap: Gap, today: dt.date | None) -> str:
    """No dwelling of the kinds wanted (in time, within the budget, with enough bedrooms)."""
    p = gap.params
    values = {
        "kind": _or([_(KIND_NOUN[k]) for k in p["kinds"]]),
        "bedrooms": p.get("bedrooms", 0),
    }
    if gap.code == "housing_late":
        values["month"] = month(dt.date.fromisoformat(p["earliest"]), today)
        values["wanted"] = month(dt.date.fromisoformat(p["wanted"]), today)
        if values["bedrooms"]:
            return (
                _("no %(kind)s with at least %(bedrooms)s bedrooms before %(month)s (wanted from %(wanted)s)") % values
            )
        return _("no %(kind)s before %(month)s (wanted from %(wanted)s)") % values
    if p.get("over_budget"):
        if values["bedrooms"]:
            return _("no %(kind)s with at least %(bedrooms)s bedrooms within the budget") % values
        return _("no %(kind)s within the budget") % values
    if p["kinds"] == ["small_farm"]:  # the guidance's "ledige småbruk": say so in its words
        if values["bedrooms"]:
            return _("no small farms available with at least %(bedrooms)s bedrooms") % values
        return _("no small farms available")
    if p["kinds"] == ["plot"]:
        return _("no building plots available")
    if values["bedrooms"]:
        return _("no %(kind)s with at least %(bedrooms)s bedrooms") % values
    return _("no %(kind)s") % values


def _job_gap(gap: Gap) -> str:
    """No vacancy for an adult's occupations, sectors or wishes."""
    p = gap.params
    if p.get("occupations"):
        return _("no vacancy as %(occupations)s for adult %(n)s") % {
            "occupations": _or(p["occupations"]),
            "n": p["adult"],
        }
    if not p.get("sectors"):
        return _("no vacancy that fits the job wishes of adult %(n)s") % {"n": p["adult"]}
    return _("no vacancy in %(sectors)s for adult %(n)s") % {
        "sectors": _or([(_(SECTOR_LABELS[s]) if s in SECTOR_LABELS else s).lower() for s in p.get("sectors", [])]),
        "n": p["adult"],
    }


def _household_kindergarten_gap(gap: Gap, today: dt.date | None) -> str:
    """No kindergarten place in time, for gaps recorded per household (before 2026-12)."""
    p = gap.params
    values = {"wanted": month(dt.date.fromisoformat(p["wanted"]), today), "children": p.get("children", 1)}
    if gap.code == "kindergarten_late":
        values.update({"month": month(dt.date.fromisoformat(p["month"]), today), "kindergarten": p["kindergarten"]})
        if values["children"] > 1:
            return (
                _(
                    "no kindergarten with %(children)s free places from %(wanted)s; the first is from %(month)s at %(kindergarten)s"
                )
                % values
            )
        return (
            _("no kindergarten place from %(wanted)s; the first free place is from %(month)s at %(kindergarten)s")
            % values
        )
    if values["children"] > 1:
        return _("no kindergarten with %(children)s free places from %(wanted)s") % values
    return _("no kindergarten place from %(wanted)s") % values


def describe_gap(gap: Gap, today: dt.date | None = None) -> str:
    if gap.code in ("housing_late", "housing_none"):
        return _housing_gap(gap, today)
    if gap.code == "job_none":
        return _job_gap(gap)
    if gap.code in ("kindergarten_late", "kindergarten_none") and "child" in gap.params:
        return _child_gap(gap, today)
    if gap.code in ("kindergarten_late", "kindergarten_none"):  # gaps recorded per household, before 2026-12
        return _household_kindergarten_gap(gap, today)
    raise ValueError(f"unknown gap code {gap.code!r}")


def _child_gap(gap: Gap, today: dt.date | None) -> str:
    """One child's kindergarten gap, naming the child by number and age group (never by name)."""
    p = gap.params
    values = {
        "n": p["child"],
        "wanted": month(dt.date.fromisoformat(p["wanted"]), today),
        "age": _(AGE_GROUP_WORDS[p["age_group"]]) if p.get("age_group") in AGE_GROUP_WORDS else "",
    }
    if gap.code == "kindergarten_late":
        values.update({"month": month(dt.date.fromisoformat(p["month"]), today), "kindergarten": p["kindergarten"]})
        if values["age"]:
            return (
                _(
                    "no kindergarten place from %(wanted)s for child %(n)s (%(age)s); the first free place is "
                    "from %(month)s at %(kindergarten)s"
                )
                % values
            )
        return (
            _(
                "no kindergarten place from %(wanted)s for child %(n)s; the first free place is from %(month)s "
                "at %(kindergarten)s"
            )
            % values
        )
    if values["age"]:
        return _("no kindergarten place from %(wanted)s for child %(n)s (%(age)s)") % values
    return _("no kindergarten place from %(wanted)s for child %(n)s") % values
