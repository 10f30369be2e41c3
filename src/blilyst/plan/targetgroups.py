"""Target groups: the guidance's hierarchy of in-migrants, user-defined groups, and the evidence for each.

Success factor 3 of Distriktssenteret's *Drømmen om å bli flere* is to choose a concrete target group. The
booklet observes that municipalities rank would-be residents in a de-facto hierarchy — returnees first,
then lifestyle movers, job-seeking families, young single job seekers, and last a large group hardly anyone
works for (people over 45, refugees, labour immigrants, family reunification) — even though labour
immigration explains most of the recent growth in in-migration, nearly half of 40-year-olds in a
municipality are in-migrants and fewer than one in five is a returnee.

This module lists those groups (plus groups the user defines), measures each against the municipality's
own data — its share of recent in- and out-migration by age (SSB migration by single year of age), the
immigrant population by reason for immigration (SSB) and refugee settlement (IMDi) — and warns when a
plan's priorities contradict the data, with the numbers.

Inputs are the snapshot frames of the shared contract (``snapshot.migration_by_age``,
``snapshot.immigrants_by_reason``, ``snapshot.refugee_settlement``); nothing here loads data itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from blilyst.axes import MAX_AGE, age_band_label
from blilyst.demography.inmigrants import MODEL, OWN, InMigrantProfile, in_migrant_profile
from blilyst.errors import InputError
from blilyst.i18n import N_, active, format_list, in_every_language, in_language, ngettext, override, pgettext
from blilyst.i18n import gettext as _
from blilyst.plan.texts import data_age_note, fmt_int, fmt_pct, year_span

if TYPE_CHECKING:
    from blilyst.plan.bottlenecks import Assessment

#: A text rendered in every language (``blilyst.i18n.in_every_language``), read with ``in_language``.
Texts = Mapping[str, str]

SOURCE_MIGRATION = N_("Source: Statistics Norway (migration by age, via Telemark County Council)")
SOURCE_REASON = N_("Source: Statistics Norway (immigrants by reason for immigration)")
SOURCE_IMDI = N_("Source: IMDi (settlement of refugees)")

# Reasons for immigration, normalised (SSB's categories)
REASONS = ("labour", "family", "refugee", "education_other", "unknown")
REASON_LABELS: dict[str, str] = {
    "labour": N_("Labour immigrants"),
    "family": N_("Family immigration"),
    "refugee": N_("Refugees and their families"),
    "education_other": N_("Education and other reasons"),
    "unknown": N_("Not stated"),
}


def reason_label(reason: str, lang: str | None = None) -> str:
    """A reason for immigration (one of :data:`REASONS`) as the reader sees it."""
    with override(lang):
        return _(REASON_LABELS[reason])


# Age bands that partition 0..105 so that the hierarchy's age proxies are comparable with effort shares
AGE_BANDS: tuple[tuple[int, int], ...] = ((0, 15), (16, 17), (18, 29), (30, 44), (45, 66), (67, 105))


@dataclass(frozen=True)
class TargetGroup:
    """A group of would-be residents a plan can work for.

    ``level`` is the group's place (1–5) in the guidance's hierarchy, ``None`` for a user-defined group.
    The guidance's groups have English message ids as ``name``, ``description`` and ``guidance``, read in the
    reader's language (:meth:`label`, :meth:`description_text`, :meth:`guidance_text`); a user-defined group
    keeps the words its municipality wrote. ``age_ranges`` are inclusive (a group may span several, e.g.
    children and their parents' ages); ``immigration_reasons`` use :data:`REASONS`. ``household_types``,
    ``origins`` and ``competence`` are free labels the newcomer service also records (e.g. ``"family"``,
    ``"abroad"``, ``"nurse"``).
    """

    key: str
    name: str
    description: str
    level: int | None = None
    age_ranges: tuple[tuple[int, int], ...] = ()
    household_types: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    immigration_reasons: tuple[str, ...] = ()
    competence: tuple[str, ...] = ()
    guidance: str = ""
    age_is_proxy: bool = False  # the ages only approximate the group (SSB data do not show returnees etc.)
    parent: str | None = None  # for the sub-groups of level 5

    @property
    def user_defined(self) -> bool:
        return self.level is None

    def _text(self, text: str, lang: str | None) -> str:
        if self.user_defined or not text:
            return text
        with override(lang):
            return _(text)

    def label(self, lang: str | None = None) -> str:
        """The group's name in ``lang`` (default: the active language)."""
        return self._text(self.name, lang)

    def description_text(self, lang: str | None = None) -> str:
        return self._text(self.description, lang)

    def guidance_text(self, lang: str | None = None) -> str:
        """What the guidance says about the group ("" for none)."""
        return self._text(self.guidance, lang)


HIERARCHY: tuple[TargetGroup, ...] = (
    TargetGroup(
        key="returnees",
        level=1,
        name=N_("Returnees"),
        description=N_("People who grew up in the municipality and move back, often with a family."),
        origins=("returnee",),
        household_types=("family",),
        guidance=N_(
            "Gets the most effort but is hardly swayed by the municipality's work: they have their own "
            "channels and reasons to move home. Fewer than one in five 40-year-olds is a returnee."
        ),
    ),
    TargetGroup(
        key="lifestyle_movers",
        level=2,
        name=N_("Lifestyle movers"),
        description=N_("Families from Norway, the Nordic countries and Europe looking for a rural way of life."),
        household_types=("family",),
        origins=("domestic", "nordic", "europe"),
        age_ranges=((0, 15), (30, 44)),
        age_is_proxy=True,
        guidance=N_(
            "Often the declared audience of campaigns; in practice families where at least one adult needs a job."
        ),
    ),
    TargetGroup(
        key="job_seeking_families",
        level=3,
        name=N_("Job-seeking families"),
        description=N_("Norwegian and foreign families with children who move mainly for work."),
        household_types=("family",),
        age_ranges=((0, 15), (30, 44)),
        age_is_proxy=True,
        guidance=N_(
            "Rarely in touch with the municipality's in-migration work, yet a group it hopes will stay. "
            "Needs work for two adults, housing and a kindergarten place."
        ),
    ),
    TargetGroup(
        key="young_single",
        level=4,
        name=N_("Young and single job seekers"),
        description=N_("Young people from Norway and abroad who come for a job."),
        household_types=("single",),
        age_ranges=((18, 29),),
        guidance=N_(
            "Assumed to move on and so given little priority; regional trainee schemes and places that "
            "court active young people are the exceptions that worked."
        ),
    ),
    TargetGroup(
        key="overlooked",
        level=5,
        name=N_("The overlooked"),
        description=N_(
            "People over 45, refugees, labour immigrants and family reunification — a large group that "
            "is rarely targeted."
        ),
        age_ranges=((45, 105),),
        immigration_reasons=("labour", "refugee", "family"),
        guidance=N_(
            "Many need help and often contribute to growth. Labour immigration explains the large recent "
            "increase in in-migration, and nearly half of the municipalities that grew in 2012 would "
            "have shrunk without immigration."
        ),
    ),
)

OVERLOOKED_SUBGROUPS: tuple[TargetGroup, ...] = (
    TargetGroup(
        key="over_45",
        level=5,
        parent="overlooked",
        name=N_("Over 45"),
        description=N_("Adult in-migrants aged 45 and over."),
        age_ranges=((45, 105),),
    ),
    TargetGroup(
        key="refugees",
        level=5,
        parent="overlooked",
        name=N_("Refugees"),
        description=N_("Refugees settled in the municipality, and their families."),
        origins=("abroad",),
        immigration_reasons=("refugee",),
    ),
    TargetGroup(
        key="labour_immigrants",
        level=5,
        parent="overlooked",
        name=N_("Labour immigrants"),
        description=N_("Immigrants who come to work."),
        origins=("abroad",),
        immigration_reasons=("labour",),
        guidance=N_("For labour immigrants the job, not the idyll, decides where they settle."),
    ),
    TargetGroup(
        key="family_reunification",
        level=5,
        parent="overlooked",
        name=N_("Family reunification"),
        description=N_("Immigrants who come to live with family in Norway."),
        origins=("abroad",),
        immigration_reasons=("family",),
    ),
)

TRADITIONAL_KEYS = ("returnees", "lifestyle_movers", "job_seeking_families")
OVERLOOKED_KEYS = ("overlooked", "over_45", "refugees", "labour_immigrants", "family_reunification")


def candidate_groups() -> list[TargetGroup]:
    """The five levels of the hierarchy followed by the four sub-groups of level 5."""
    return list(HIERARCHY) + list(OVERLOOKED_SUBGROUPS)


def group_label(key: str, lang: str = "nb", groups: Sequence[TargetGroup] = ()) -> str:
    """A group key as the reader sees it: ``"all"`` is everyone, ``"unspecified"`` no group; ``groups``
    (user-defined) are searched before the guidance's groups; unknown keys are shown as given."""
    if key == "all":
        with override(lang):
            return pgettext("target groups", "All")
    if key == "unspecified":
        with override(lang):
            return _("No target group")
    for group in list(groups) + candidate_groups():
        if group.key == key:
            return group.label(lang)
    return key


def get_group(key: str) -> TargetGroup:
    for group in candidate_groups():
        if group.key == key:
            return group
    raise InputError(
        "target_group",
        _("unknown group '{key}'; choose one of {keys} or define your own").format(
            key=key, keys=", ".join(g.key for g in candidate_groups())
        ),
    )


def user_group(
    key: str,
    name: str,
    *,
    description: str = "",
    age_range: tuple[int, int] | None = None,
    household_types: Sequence[str] = (),
    origins: Sequence[str] = (),
    immigration_reasons: Sequence[str] = (),
    competence: Sequence[str] = (),
) -> TargetGroup:
    """A group the user defines by age range, household type, origin and competence; its name and description
    are shown as written, in every language."""
    if not key or not key.replace("_", "").replace("-", "").isalnum():
        raise InputError("key", _("'{key}' is not a valid key (letters, digits, - and _)").format(key=key))
    if key in {g.key for g in candidate_groups()}:
        raise InputError("key", _("'{key}' is one of the guidance's groups; pick another key").format(key=key))
    ranges: tuple[tuple[int, int], ...] = ()
    if age_range is not None:
        lo, hi = age_range
        if not (0 <= lo <= hi <= MAX_AGE):
            raise InputError(
                "age_range", _("({first}, {last}) must satisfy 0 <= from <= to <= 105").format(first=lo, last=hi)
            )
        ranges = ((int(lo), int(hi)),)
    bad = [r for r in immigration_reasons if r not in REASONS]
    if bad:
        raise InputError(
            "immigration_reasons",
            _("unknown reason(s) {reasons}; use {choices}").format(reasons=", ".join(bad), choices=", ".join(REASONS)),
        )

    return TargetGroup(
        key=key,
        name=name,
        description=description,
        age_ranges=ranges,
        household_types=tuple(household_types),
        origins=tuple(origins),
        immigration_reasons=tuple(immigration_reasons),
        competence=tuple(competence),
    )


# --------------------------------------------------------------------------------------------- data


def _municipality_rows(frame: pd.DataFrame, municipality: str, name: str) -> pd.DataFrame:
    if "municipality" not in frame.columns:
        raise InputError(name, _("needs a 'municipality' column (four-digit code)"))
    rows = frame[frame["municipality"].astype(str) == str(municipality)]
    return rows


def recent_years(frame: pd.DataFrame, municipality: str, n: int = 5) -> list[int]:
    """The last ``n`` years with data for the municipality."""
    years = sorted(_municipality_rows(frame, municipality, "frame")["year"].unique().tolist())
    return [int(y) for y in years[-n:]]


def migration_age_profile(
    migration_by_age: pd.DataFrame,
    municipality: str,
    years: Sequence[int] | None = None,
    bands: Sequence[tuple[int, int]] = AGE_BANDS,
) -> pd.DataFrame:
    """In- and out-migration summed over ``years`` by age band, with each band's share of the total.

    Columns: ``age_from, age_to, band, in_migration, out_migration, net_migration, in_share, out_share``.
    Missing cells in the source (ages nobody moved at) count as zero.
    """
    rows = _municipality_rows(migration_by_age, municipality, "migration_by_age")
    if rows.empty:
        raise InputError(
            "municipality",
            _(
                "no migration-by-age data for {municipality} (the bundled data cover the Telemark municipalities only)"
            ).format(municipality=municipality),
        )
    years = list(years) if years is not None else recent_years(migration_by_age, municipality)
    rows = rows[rows["year"].isin(years)]
    if rows.empty:
        raise InputError(
            "years",
            _("no migration-by-age data for {municipality} in {years}").format(
                municipality=municipality, years=", ".join(map(str, years))
            ),
        )
    ages = rows["age"].astype(int)
    inn = rows["in_migration"].fillna(0).astype(float)
    out = rows["out_migration"].fillna(0).astype(float)
    result = []
    for lo, hi in bands:
        mask = (ages >= lo) & (ages <= hi)
        band = age_band_label(lo, hi)
        result.append(
            {
                "age_from": lo,
                "age_to": hi,
                "band": band,
                "in_migration": float(inn[mask].sum()),
                "out_migration": float(out[mask].sum()),
            }
        )
    frame = pd.DataFrame(result)
    frame["net_migration"] = frame["in_migration"] - frame["out_migration"]
    tot_in, tot_out = float(inn.sum()), float(out.sum())
    frame["in_share"] = frame["in_migration"] / tot_in if tot_in else float("nan")
    frame["out_share"] = frame["out_migration"] / tot_out if tot_out else float("nan")
    frame.attrs["years"] = years
    frame.attrs["total_in"] = tot_in
    frame.attrs["total_out"] = tot_out
    return frame


def normalise_reason(label: str) -> str | None:
    """Map SSB's Norwegian labels (or English keys) for reason for immigration to :data:`REASONS`;
    ``None`` for the total ("Alle")."""
    text = str(label).lower()
    if text in REASONS:
        return text
    if "flykt" in text or "refugee" in text:
        return "refugee"
    if "arbeid" in text or "labour" in text or "labor" in text or "work" in text:
        return "labour"
    if "famil" in text:
        return "family"
    if "utdanning" in text or "education" in text or "andre" in text or "other" in text:
        return "education_other"
    if "uoppgitt" in text or "unknown" in text or "not stated" in text or "not_stated" in text:
        return "unknown"
    if text in {"alle", "all", "total", "i alt", "innvandringsgrunn: alle"} or "alle" in text:
        return None
    raise InputError("reason", _("unknown reason for immigration '{label}'").format(label=label))


def immigrants_by_reason_shares(
    immigrants_by_reason: pd.DataFrame, municipality: str, year: int | None = None
) -> pd.DataFrame:
    """The immigrant population by reason in one year (latest by default): ``reason, persons, share``.

    The total row ("Alle") is dropped and shares are of the sum of the five reasons. If the frame has a
    ``sex`` column, only the both-sexes rows (or the sum of male and female) are used.
    """
    rows = _municipality_rows(immigrants_by_reason, municipality, "immigrants_by_reason").copy()
    if rows.empty:
        raise InputError(
            "municipality", _("no immigrants-by-reason data for {municipality}").format(municipality=municipality)
        )
    if "sex" in rows.columns:
        both = rows[rows["sex"].astype(str).str.lower().isin(["all", "alle", "both", "total"])]
        rows = both if not both.empty else rows
    year = int(rows["year"].max()) if year is None else int(year)
    rows = rows[rows["year"] == year]
    rows["reason_key"] = rows["reason"].map(normalise_reason)
    rows = rows[rows["reason_key"].notna()]
    persons = rows.groupby("reason_key")["persons"].sum().reindex(list(REASONS), fill_value=0).astype(float)
    total = persons.sum()
    frame = pd.DataFrame({"reason": persons.index, "persons": persons.values})
    frame["share"] = frame["persons"] / total if total else float("nan")
    frame.attrs["year"] = year
    # handed out by a fixed split of a merged municipality (Haram and Ålesund 2006–2021): the persons are not the
    # municipality's own, the shares are those of the merged municipality
    frame.attrs["apportioned"] = bool("apportioned" in rows and rows["apportioned"].astype(bool).any())
    return frame


def apportioned_note(year: int) -> str:
    """Why immigrants by reason show shares only where the municipality was part of a merged one."""
    return _(
        "In {year} the municipality was part of a merged municipality and its immigrants are a fixed share of that "
        "one's: only the shares (those of the merged municipality) are shown."
    ).format(year=year)


def normalise_settlement_measure(label: str) -> str:
    text = str(label).lower()
    if "opprinnelig" in text or "original" in text:
        return "original_request"
    if "anmod" in text or "request" in text:
        return "requested"
    if "vedtak" in text or "decid" in text or "decision" in text:
        return "decided"
    if "faktisk" in text or "bosatt" in text or "settled" in text or "actual" in text:
        return "settled"
    return text


def refugees_settled(
    refugee_settlement: pd.DataFrame, municipality: str, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """Refugee settlement per year: ``year, requested, decided, settled`` (IMDi; missing = NaN)."""
    rows = _municipality_rows(refugee_settlement, municipality, "refugee_settlement").copy()
    if rows.empty:
        raise InputError(
            "municipality", _("no refugee-settlement data for {municipality}").format(municipality=municipality)
        )
    rows["measure_key"] = rows["measure"].map(normalise_settlement_measure)
    table = rows.pivot_table(index="year", columns="measure_key", values="persons", aggfunc="sum")
    table = table.reindex(columns=["requested", "decided", "settled"])
    if years is not None:
        table = table.reindex(list(years))
    return table.reset_index().rename_axis(None, axis=1)


# ----------------------------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class Indicator:
    """One number about a group, with what it measures, the period and the source (both in every language)."""

    key: str
    label: Texts
    value: float
    unit: str  # "share" or "persons"
    period: str
    source: Texts
    proxy: bool = False

    def display(self, lang: str | None = None) -> str:
        number = fmt_pct(self.value, lang) if self.unit == "share" else fmt_int(self.value, lang)
        return f"{in_language(self.label, lang)}: {number} ({self.period})"


@dataclass(frozen=True)
class GroupEvidence:
    """The data behind one target group for one municipality.

    ``in_share`` is the group's share of recent in-migration that the priority check compares with the
    effort a plan gives the group (``None`` when the data cannot show the group, e.g. returnees). ``notes``
    are in every language (read them with ``blilyst.i18n.in_language``).
    """

    group: TargetGroup
    municipality: str
    in_share: float | None = None
    out_share: float | None = None
    in_persons: float | None = None
    out_persons: float | None = None
    period: str | None = None
    immigrant_share: float | None = None  # share of the immigrant population with the group's reasons
    immigrant_year: int | None = None
    indicators: tuple[Indicator, ...] = ()
    notes: tuple[Texts, ...] = field(default_factory=tuple)


def _age_mask(ages: pd.Series, ranges: Sequence[tuple[int, int]]) -> pd.Series:
    mask = pd.Series(False, index=ages.index)
    for lo, hi in ranges:
        mask |= (ages >= lo) & (ages <= hi)
    return mask


def _age_range_text(ranges: Sequence[tuple[int, int]]) -> str:
    """The age ranges joined as the active language lists them (``30–44 og 0–15``)."""
    return format_list([age_band_label(lo, hi) for lo, hi in ranges], active())


def _message(message: str) -> Texts:
    """A fixed message (an English id marked with ``N_``) in every language."""
    return in_every_language(lambda: _(message))


def _nearest_profile(migration_by_age: pd.DataFrame, municipality: str, years: int) -> InMigrantProfile | None:
    """The registered in-migrants nearest to a municipality without its own (county, class, all)."""
    from blilyst.stats.register import get_register

    register = get_register()
    if municipality not in register:
        return None
    info = in_migrant_profile(migration_by_age, municipality, register, years=years)
    return None if info.scope in (OWN, MODEL) else info


def _borrowed_source(info: InMigrantProfile) -> Texts:
    return in_every_language(lambda: _("Statistics Norway, migration by age: {source}").format(source=info.describe()))


def _migration_evidence(
    group: TargetGroup,
    municipality: str,
    migration_by_age: pd.DataFrame,
    years: Sequence[int] | None,
    indicators: list[Indicator],
    notes: list[Texts],
    kw: dict[str, Any],
) -> None:
    """The group's share of recent in- and out-migrants (its ages), borrowed from the nearest municipalities
    with registered moves where the municipality has none; added to ``indicators``, ``notes`` and ``kw``."""
    borrowed: InMigrantProfile | None = None
    rows = _municipality_rows(migration_by_age, municipality, "migration_by_age")
    use_years = list(years) if years is not None else recent_years(migration_by_age, municipality)
    rows = rows[rows["year"].isin(use_years)]
    if rows.empty:
        # no registered moves by age here: the shares of the nearest municipalities that have them
        # (county, else centrality class, else all), said in the source of every figure
        borrowed = _nearest_profile(migration_by_age, municipality, len(use_years) or 5)
        if borrowed is not None:
            use_years = list(borrowed.years)
            rows = migration_by_age[
                migration_by_age["municipality"].astype(str).isin(borrowed.municipalities)
                & migration_by_age["year"].isin(use_years)
            ]
    if rows.empty:
        notes.append(_message(N_("No migration-by-age data for the municipality.")))
    else:
        mask = _age_mask(rows["age"].astype(int), group.age_ranges)
        inn = rows["in_migration"].fillna(0).astype(float)
        out = rows["out_migration"].fillna(0).astype(float)
        period = year_span(use_years)
        kw.update(in_share=float(inn[mask].sum() / inn.sum()) if inn.sum() else None, period=period)
        if borrowed is None:  # out-migrants and persons only from the municipality's own moves
            kw.update(
                out_share=float(out[mask].sum() / out.sum()) if out.sum() else None,
                in_persons=float(inn[mask].sum()),
                out_persons=float(out[mask].sum()),
            )
        source = _message(SOURCE_MIGRATION) if borrowed is None else _borrowed_source(borrowed)
        if borrowed is not None:
            info = borrowed
            notes.append(
                in_every_language(
                    lambda: _(
                        "The municipality has no registered moves by age in the data: the shares are those of {source}."
                    ).format(source=info.describe())
                )
            )
        ranges = group.age_ranges
        if kw["in_share"] is not None:
            indicators.append(
                Indicator(
                    "in_share",
                    in_every_language(
                        lambda: _("Share of in-migrants aged {ages}").format(ages=_age_range_text(ranges))
                    ),
                    kw["in_share"],
                    "share",
                    period,
                    source,
                    proxy=group.age_is_proxy,
                )
            )
        if kw.get("out_share") is not None:
            indicators.append(
                Indicator(
                    "out_share",
                    in_every_language(
                        lambda: _("Share of out-migrants aged {ages}").format(ages=_age_range_text(ranges))
                    ),
                    kw["out_share"],
                    "share",
                    period,
                    source,
                    proxy=group.age_is_proxy,
                )
            )
        if borrowed is None:
            indicators.append(
                Indicator(
                    "net",
                    in_every_language(lambda: _("Net in-migration aged {ages}").format(ages=_age_range_text(ranges))),
                    kw["in_persons"] - kw["out_persons"],
                    "persons",
                    period,
                    source,
                    proxy=group.age_is_proxy,
                )
            )
        if group.age_is_proxy:
            notes.append(
                _message(
                    N_(
                        "The ages are only a proxy: the statistics do not show household type, so the figure "
                        "also counts adults without children of those ages."
                    )
                )
            )


def _reason_evidence(
    group: TargetGroup,
    municipality: str,
    immigrants_by_reason: pd.DataFrame,
    indicators: list[Indicator],
    notes: list[Texts],
    kw: dict[str, Any],
) -> None:
    """The group's share and number of the immigrant population, by its reasons for immigration."""
    try:
        reasons = immigrants_by_reason_shares(immigrants_by_reason, municipality)
    except InputError:
        notes.append(_message(N_("No reason-for-immigration data for the municipality.")))
    else:
        sel = reasons[reasons["reason"].isin(group.immigration_reasons)]
        share = float(sel["share"].sum())
        year = int(reasons.attrs["year"])
        kw.update(immigrant_share=share, immigrant_year=year)

        def names() -> str:
            return ", ".join(reason_label(r).lower() for r in group.immigration_reasons)

        indicators.append(
            Indicator(
                "immigrant_share",
                in_every_language(lambda: _("Share of the immigrant population: {reasons}").format(reasons=names())),
                share,
                "share",
                str(year),
                _message(SOURCE_REASON),
            )
        )
        if reasons.attrs.get("apportioned"):
            notes.append(in_every_language(lambda: apportioned_note(year)))
            return
        indicators.append(
            Indicator(
                "immigrant_persons",
                in_every_language(
                    lambda: _("Immigrants living in the municipality: {reasons}").format(reasons=names())
                ),
                float(sel["persons"].sum()),
                "persons",
                str(year),
                _message(SOURCE_REASON),
            )
        )


def _refugee_evidence(
    municipality: str, refugee_settlement: pd.DataFrame, indicators: list[Indicator], notes: list[Texts]
) -> None:
    """Refugees settled in the last five years with figures (IMDi), with a note when those are old."""
    try:
        settled = refugees_settled(refugee_settlement, municipality)
    except InputError:
        settled = None
    if settled is not None:
        known = settled.dropna(subset=["settled"])
        if not known.empty:
            # the last five calendar years up to the latest with data (years without figures count as 0)
            last = int(known["year"].max())
            window = known[known["year"] > last - 5]
            if data_age_note(last):
                notes.append(
                    in_every_language(
                        lambda: _(
                            "IMDi's settlement figures end in {year}, {age} years ago; later settlements are "
                            "not counted."
                        ).format(year=last, age=dt.date.today().year - last)
                    )
                )
            indicators.append(
                Indicator(
                    "refugees_settled",
                    _message(N_("Refugees settled")),
                    float(window["settled"].sum()),
                    "persons",
                    year_span([last - 4, last]),
                    _message(SOURCE_IMDI),
                )
            )


def group_evidence(
    group: TargetGroup,
    municipality: str,
    *,
    migration_by_age: pd.DataFrame | None = None,
    immigrants_by_reason: pd.DataFrame | None = None,
    refugee_settlement: pd.DataFrame | None = None,
    years: Sequence[int] | None = None,
) -> GroupEvidence:
    """Evidence for one group: share of recent in-/out-migration in its ages, share of the immigrant
    population with its reasons for immigration, refugees settled. Frames that are ``None`` or that lack
    the municipality are skipped with a note saying so."""
    indicators: list[Indicator] = []
    notes: list[Texts] = []
    kw: dict[str, Any] = {}

    if group.age_ranges and migration_by_age is not None:
        _migration_evidence(group, municipality, migration_by_age, years, indicators, notes, kw)
    if group.immigration_reasons and immigrants_by_reason is not None:
        _reason_evidence(group, municipality, immigrants_by_reason, indicators, notes, kw)
    if "refugee" in group.immigration_reasons and refugee_settlement is not None:
        _refugee_evidence(municipality, refugee_settlement, indicators, notes)

    if group.user_defined and (group.household_types or group.origins or group.competence):
        notes.append(
            _message(
                N_(
                    "Household type, origin and competence are not in the migration statistics; the newcomer "
                    "service's own records show them for the people it has met."
                )
            )
        )
    if group.key == "returnees":
        notes.append(
            _message(
                N_(
                    "The statistics do not tell returnees from other in-migrants. The booklet estimates that "
                    "fewer than one in five 40-year-olds is a returnee, while nearly half are in-migrants."
                )
            )
        )
    return GroupEvidence(
        group=group, municipality=str(municipality), indicators=tuple(indicators), notes=tuple(notes), **kw
    )


def evaluate_groups(
    groups: Sequence[TargetGroup],
    municipality: str,
    **frames: Any,
) -> list[GroupEvidence]:
    """:func:`group_evidence` for each group (same frames and ``years``)."""
    return [group_evidence(g, municipality, **frames) for g in groups]


# ------------------------------------------------------------------------------- priorities vs data


@dataclass(frozen=True)
class PriorityWarning:
    """A place where a plan's priorities contradict the data, with the numbers behind it."""

    code: str
    message: Texts  # in every language
    numbers: Mapping[str, float]
    groups: tuple[str, ...] = ()

    def text(self, lang: str | None = None) -> str:
        return in_language(self.message, lang)


def normalise_priorities(priorities: Mapping[str, float], known: Sequence[str]) -> dict[str, float]:
    """Effort per group key as shares summing to 1 (input may be hours, kroner, points or shares)."""
    unknown = [k for k in priorities if k not in known]
    if unknown:
        raise InputError(
            "priorities",
            _("unknown target group(s) {groups}; known: {known}").format(
                groups=", ".join(unknown), known=", ".join(known)
            ),
        )
    if any(v < 0 for v in priorities.values()):
        raise InputError("priorities", _("effort cannot be negative"))
    total = float(sum(priorities.values()))
    if total <= 0:
        raise InputError("priorities", _("give some effort to at least one group"))
    return {k: float(v) / total for k, v in priorities.items()}


def check_priorities(
    priorities: Mapping[str, float],
    evidence: Sequence[GroupEvidence],
) -> list[PriorityWarning]:
    """Warnings where the effort a plan gives each group contradicts the municipality's data.

    ``priorities`` maps group keys to effort (any unit; normalised to shares). ``evidence`` must cover the
    groups named and should include ``over_45``/``overlooked`` and ``labour_immigrants`` for the
    hierarchy checks. Rules (thresholds in the docs, docs/plan.md):

    * ``traditional_focus``: at least half the effort on returnees, lifestyle movers and families while
      people 45+ are at least a quarter of in-migrants and get less than half their share of effort.
    * ``labour_immigrants_ignored``: labour immigrants are the largest group of immigrants living in the
      municipality but get under 10 % of the effort (counting level 5 as a whole).
    * ``refugees_ignored``: refugees were settled in recent years but get no effort.
    * ``returnee_focus``: at least 30 % of the effort on returnees (the guidance's own caution).
    * ``under_prioritised`` / ``over_prioritised``: a group's effort share is under half its share of
      in-migration (when that share is 20 % or more), or over twice it (when the effort is 30 % or more).
    """
    by_key = {e.group.key: e for e in evidence}
    known = [g.key for g in candidate_groups()] + [k for k in by_key if k not in {g.key for g in candidate_groups()}]
    effort = normalise_priorities(priorities, known)

    def e(*keys: str) -> float:
        return sum(effort.get(k, 0.0) for k in keys)

    warnings: list[PriorityWarning] = []

    old = by_key.get("over_45") or by_key.get("overlooked")
    traditional = e(*TRADITIONAL_KEYS)
    overlooked_effort = e(*OVERLOOKED_KEYS)
    if old is not None and old.in_share is not None:
        s45 = old.in_share
        if traditional >= 0.5 and s45 >= 0.25 and overlooked_effort < s45 / 2:
            period = old.period
            warnings.append(
                PriorityWarning(
                    "traditional_focus",
                    in_every_language(
                        lambda: _(
                            "The plan puts {effort} of its effort on returnees, lifestyle movers and families, but "
                            "{share} of in-migrants in {period} were 45 or older. People over 45 and the other "
                            "overlooked groups get only {overlooked} of the effort."
                        ).format(
                            effort=fmt_pct(traditional),
                            share=fmt_pct(s45),
                            period=period,
                            overlooked=fmt_pct(overlooked_effort),
                        )
                    ),
                    {
                        "effort_traditional": traditional,
                        "in_share_45_plus": s45,
                        "effort_overlooked": overlooked_effort,
                    },
                    ("over_45",),
                )
            )

    labour = by_key.get("labour_immigrants")
    if labour is not None and labour.immigrant_share is not None:
        labour_share = labour.immigrant_share
        # largest reason among the immigrants living here?
        others = [
            share
            for k in ("refugees", "family_reunification")
            if k in by_key and (share := by_key[k].immigrant_share) is not None
        ]
        largest = all(labour_share >= o for o in others)
        labour_effort = e("labour_immigrants", "overlooked")
        if largest and labour_share >= 0.3 and labour_effort < 0.10:
            year = labour.immigrant_year
            warnings.append(
                PriorityWarning(
                    "labour_immigrants_ignored",
                    in_every_language(
                        lambda: _(
                            "Labour immigrants are the largest group of immigrants in the municipality ({share} in "
                            "{year}) but get {effort} of the effort. For them the job, not the idyll, decides."
                        ).format(share=fmt_pct(labour_share), year=year, effort=fmt_pct(labour_effort))
                    ),
                    {"immigrant_share_labour": labour_share, "effort_labour": labour_effort},
                    ("labour_immigrants",),
                )
            )

    refugees = by_key.get("refugees")
    if refugees is not None:
        settled = next((i for i in refugees.indicators if i.key == "refugees_settled"), None)
        if settled is not None and settled.value > 0 and e("refugees", "overlooked") == 0:
            count, period = settled.value, settled.period
            warnings.append(
                PriorityWarning(
                    "refugees_ignored",
                    in_every_language(
                        lambda: ngettext(
                            "The municipality settled {count} refugee in {period}, but the plan gives refugees no "
                            "effort. Getting them to stay is in-migration work too.",
                            "The municipality settled {count} refugees in {period}, but the plan gives them no "
                            "effort. Getting them to stay is in-migration work too.",
                            round(count),
                        ).format(count=fmt_int(count), period=period)
                    ),
                    {"refugees_settled": count, "effort_refugees": 0.0},
                    ("refugees",),
                )
            )

    if effort.get("returnees", 0.0) >= 0.3:
        returnees = effort["returnees"]
        warnings.append(
            PriorityWarning(
                "returnee_focus",
                in_every_language(
                    lambda: _(
                        "{effort} of the effort goes to returnees. The booklet notes that they are hardly swayed by "
                        "the municipality's work, and that fewer than one in five 40-year-olds is a returnee."
                    ).format(effort=fmt_pct(returnees))
                ),
                {"effort_returnees": returnees},
                ("returnees",),
            )
        )

    for key, ev in by_key.items():
        # groups whose ages are only a proxy (families) share one age profile: no per-group verdict on them
        if ev.in_share is None or ev.group.age_is_proxy or (key == "overlooked" and "over_45" in by_key):
            continue
        warnings.extend(_effort_warnings(key, ev, ev.in_share, effort.get(key, 0.0)))
    return warnings


def _effort_warnings(key: str, ev: GroupEvidence, share: float, eff: float) -> list[PriorityWarning]:
    """A group's effort against its share of in-migration: under half of it, or over twice it."""
    if share >= 0.2 and eff < share / 2:
        message = in_every_language(
            lambda: _("{name} are {share} of in-migrants in {period} but get {effort} of the effort.").format(
                name=ev.group.label(), share=fmt_pct(share), period=ev.period, effort=fmt_pct(eff)
            )
        )
        return [PriorityWarning("under_prioritised", message, {"in_share": share, "effort": eff}, (key,))]
    if eff >= 0.3 and share < eff / 2:
        message = in_every_language(
            lambda: _("{name} get {effort} of the effort but are {share} of in-migrants in {period}.").format(
                name=ev.group.label(), share=fmt_pct(share), period=ev.period, effort=fmt_pct(eff)
            )
        )
        return [PriorityWarning("over_prioritised", message, {"in_share": share, "effort": eff}, (key,))]
    return []


# --------------------------------------------------------------------- bottlenecks and needs per group

# Which checklist items (blilyst.plan.bottlenecks) hit which group hardest, from the guidance's list of
# newcomers' needs: work for more than one person, varied housing, kindergarten and school, leisure and a
# good social environment.
GROUP_BOTTLENECKS: dict[str, tuple[str, ...]] = {
    "returnees": ("jobs", "kindergarten", "housing"),
    "lifestyle_movers": ("housing", "jobs", "kindergarten", "receiving"),
    "job_seeking_families": ("jobs", "kindergarten", "housing", "vacancies"),
    "young_single": ("jobs", "vacancies", "housing", "receiving"),
    "overlooked": ("receiving", "housing", "jobs", "vacancies"),
    "over_45": ("jobs", "vacancies", "housing", "receiving"),
    "refugees": ("receiving", "housing", "jobs"),
    "labour_immigrants": ("housing", "receiving", "vacancies", "jobs"),
    "family_reunification": ("receiving", "kindergarten", "housing", "jobs"),
}


def bottlenecks_hitting(group: TargetGroup, assessment: Assessment) -> list[tuple[str, str]]:
    """The checklist items that hit ``group`` and are rated ``bottleneck`` or ``partly`` in ``assessment``
    (a :class:`blilyst.plan.bottlenecks.Assessment`), worst first: ``[(item key, rating value), ...]``.
    User-defined groups with children or families are treated like job-seeking families, others like
    young job seekers."""
    keys = GROUP_BOTTLENECKS.get(group.key)
    if keys is None:
        family = "family" in group.household_types or any(lo < 16 for lo, _ in group.age_ranges)
        keys = GROUP_BOTTLENECKS["job_seeking_families" if family else "young_single"]
    hits = []
    for key in keys:
        rating = assessment.items[key].rating
        if rating.value in ("bottleneck", "partly"):
            hits.append((key, rating.value))
    return sorted(hits, key=lambda kv: kv[1] != "bottleneck")


@dataclass(frozen=True)
class NeedsFit:
    """How well a group matches what the needs analysis says the municipality needs."""

    age_overlap: float | None  # share of the group's age span inside the needed ages (None: group has no ages)
    competence: tuple[str, ...]  # competences both needed and named for the group
    text: Texts  # in every language


def needs_fit(
    group: TargetGroup, needed_ages: tuple[int, int] = (20, 66), needed_competence: Sequence[str] = ()
) -> NeedsFit:
    """Overlap between the group's ages and the ages the municipality needs (by default the working ages
    20–66), and the competences it names that the needs analysis asks for."""
    lo_n, hi_n = needed_ages
    overlap = None
    if group.age_ranges:
        span = sum(min(hi, 105) - lo + 1 for lo, hi in group.age_ranges)
        inside = sum(max(0, min(hi, hi_n) - max(lo, lo_n) + 1) for lo, hi in group.age_ranges)
        overlap = inside / span if span else None
    wanted = {c.lower() for c in needed_competence}
    shared = tuple(c for c in group.competence if c.lower() in wanted)

    def render() -> str:
        if overlap is None:
            text = _("The group is not defined by age.")
        else:
            text = _("{share} of the group's ages fall within {first}–{last}.").format(
                share=fmt_pct(overlap), first=lo_n, last=hi_n
            )
        if shared:
            text += " " + _("Competence the municipality needs: {competence}.").format(competence=", ".join(shared))
        return text

    return NeedsFit(overlap, shared, in_every_language(render))
