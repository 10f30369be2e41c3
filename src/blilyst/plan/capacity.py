"""What a municipality can actually offer a newcomer right now: listings, kindergarten places, vacancies.

One value object, :class:`Capacity`, feeds both the bottleneck assessment (is housing a bottleneck?) and
the honesty check (does the campaign promise what exists?). It holds counts only — aggregates from the
newcomer service's resource registers or typed in by the contact person — never personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from blilyst.errors import InputError
from blilyst.i18n import N_, gettext, override
from blilyst.i18n import month_name as _month_name

HOUSING_TYPES = ("rental", "for_sale", "small_farm", "plot", "trial_housing")
# Translated at use time (housing_label), so each reader gets their own language.
HOUSING_LABELS = {
    "rental": N_("rental homes"),
    "for_sale": N_("homes for sale"),
    "small_farm": N_("small farms"),
    "plot": N_("building plots"),
    "trial_housing": N_("trial homes"),
}
MONTHS = tuple(range(1, 13))


def _counts(values: Mapping[Any, Any], field_name: str) -> dict[Any, Any]:
    out = {}
    for key, value in dict(values).items():
        if value is None:
            continue
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise InputError(
                field_name, gettext("'{key}' must be a whole number, got {value}").format(key=key, value=repr(value))
            ) from exc
        if number < 0:
            raise InputError(field_name, gettext("'{key}' cannot be negative ({value})").format(key=key, value=number))
        out[key] = number
    return out


@dataclass(frozen=True)
class Capacity:
    """Counts of what is on offer.

    * ``housing``: listings by type (:data:`HOUSING_TYPES`; other keys are kept as given).
    * ``kindergarten_free``: free kindergarten places by month (1–12). Months left out are *unknown*.
    * ``vacancies``: open positions by sector (free labels such as ``"health"``, ``"education"``,
      ``"industry"``, ``"culture"``).
    * ``vacancies_advertised`` / ``vacancies_known``: of the vacancies the municipality knows about, how many
      were publicly advertised (the guidance asks whether *all* are).
    * ``offers``: other concrete offers counted (``"artist_studio"``, ``"coworking"``, ``"host"`` ...).
    * ``housing_prices``: the asking price (sale, plot, small farm for sale) or monthly rent (rental, trial
      housing) of each available listing, by type, so "rimelige boliger" can be held against a price limit.
    * ``occupations``: open positions by occupation as the vacancy register words it (``"sykepleier"``), so
      "ledige stillinger for lærere" is judged occupation by occupation, not only by sector.
    """

    housing: Mapping[str, int] = field(default_factory=dict)
    kindergarten_free: Mapping[int, int] = field(default_factory=dict)
    vacancies: Mapping[str, int] = field(default_factory=dict)
    vacancies_advertised: int | None = None
    vacancies_known: int | None = None
    offers: Mapping[str, int] = field(default_factory=dict)
    housing_prices: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    occupations: Mapping[str, int] = field(default_factory=dict)
    as_of: dt.date | None = None
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "housing", _counts(self.housing, "housing"))
        object.__setattr__(self, "vacancies", _counts(self.vacancies, "vacancies"))
        object.__setattr__(self, "offers", _counts(self.offers, "offers"))
        object.__setattr__(self, "occupations", _counts(self.occupations, "occupations"))
        prices = {}
        for kind, values in dict(self.housing_prices).items():
            prices[kind] = tuple(sorted(_counts(dict(enumerate(values)), f"housing_prices[{kind}]").values()))
        object.__setattr__(self, "housing_prices", prices)
        kg = _counts({int(k): v for k, v in dict(self.kindergarten_free).items()}, "kindergarten_free")
        bad = [m for m in kg if m not in MONTHS]
        if bad:
            raise InputError(
                "kindergarten_free",
                gettext("months must be 1–12, got {months}").format(months=", ".join(map(str, bad))),
            )
        object.__setattr__(self, "kindergarten_free", kg)
        if (
            self.vacancies_advertised is not None
            and self.vacancies_known is not None
            and self.vacancies_advertised > self.vacancies_known
        ):
            raise InputError(
                "vacancies_advertised",
                gettext("{advertised} advertised is more than {known} known").format(
                    advertised=self.vacancies_advertised, known=self.vacancies_known
                ),
            )

    # housing
    def housing_total(self) -> int:
        return sum(self.housing.values())

    def housing_of(self, *types: str) -> int:
        return sum(self.housing.get(t, 0) for t in types)

    def housing_under(self, kind: str, limit: int) -> int | None:
        """Available listings of ``kind`` priced at or under ``limit`` (``None`` when no prices are known)."""
        if kind not in self.housing_prices:
            return None
        return sum(p <= limit for p in self.housing_prices[kind])

    def housing_types_available(self) -> list[str]:
        return [t for t, n in self.housing.items() if n > 0]

    # kindergarten
    def kindergarten_known(self) -> bool:
        return bool(self.kindergarten_free)

    def kindergarten_all_year_known(self) -> bool:
        return all(m in self.kindergarten_free for m in MONTHS)

    def months_without_kindergarten_place(self) -> list[int]:
        return sorted(m for m, n in self.kindergarten_free.items() if n == 0)

    def kindergarten_min(self) -> int | None:
        return min(self.kindergarten_free.values()) if self.kindergarten_free else None

    # jobs
    def vacancies_total(self) -> int:
        return sum(self.vacancies.values())

    def vacancy_sectors(self) -> list[str]:
        return [s for s, n in self.vacancies.items() if n > 0]

    def positions_for(self, occupation_words: frozenset[str]) -> int:
        """Open positions whose registered occupation contains one of ``occupation_words`` (lower case)."""
        return sum(n for name, n in self.occupations.items() if any(word in name.lower() for word in occupation_words))

    def advertised_share(self) -> float | None:
        if self.vacancies_advertised is None or not self.vacancies_known:
            return None
        return self.vacancies_advertised / self.vacancies_known

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data (stored with a check; the CLI's ``--capacity`` file has this shape)."""
        return {
            "housing": dict(self.housing),
            "kindergarten_free": {str(m): n for m, n in self.kindergarten_free.items()},
            "vacancies": dict(self.vacancies),
            "vacancies_advertised": self.vacancies_advertised,
            "vacancies_known": self.vacancies_known,
            "housing_prices": {k: list(v) for k, v in self.housing_prices.items()},
            "occupations": dict(self.occupations),
            "offers": dict(self.offers),
            "as_of": self.as_of.isoformat() if self.as_of else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "") -> Capacity:
        """The inverse of :meth:`to_dict`; a wrong value raises InputError naming the field."""
        if not isinstance(data, Mapping):
            raise InputError("capacity", gettext("must be a JSON object with housing, kindergarten_free, vacancies …"))
        try:
            as_of = dt.date.fromisoformat(data["as_of"]) if data.get("as_of") else None
        except (TypeError, ValueError) as exc:
            raise InputError(
                "as_of", gettext("must be a date like 2026-09-01, got {value}").format(value=repr(data.get("as_of")))
            ) from exc
        try:
            kindergarten = {int(m): n for m, n in (data.get("kindergarten_free") or {}).items()}
        except (TypeError, ValueError) as exc:
            raise InputError("kindergarten_free", gettext("the months must be numbers 1–12")) from exc
        return cls(
            housing=data.get("housing") or {},
            kindergarten_free=kindergarten,
            vacancies=data.get("vacancies") or {},
            vacancies_advertised=data.get("vacancies_advertised"),
            vacancies_known=data.get("vacancies_known"),
            housing_prices={k: tuple(v) for k, v in (data.get("housing_prices") or {}).items()},
            occupations=data.get("occupations") or {},
            offers=data.get("offers") or {},
            as_of=as_of,
            source=source,
        )

    def knows_housing(self) -> bool:
        return bool(self.housing)

    def knows_vacancies(self) -> bool:
        return bool(self.vacancies)


def housing_label(kind: str, lang: str | None = None) -> str:
    """The plural name of a housing type in ``lang`` (the active language when ``None``); unknown kinds as given."""
    if kind not in HOUSING_LABELS:
        return kind
    with override(lang):
        return gettext(HOUSING_LABELS[kind])


def month_name(month: int, lang: str | None = "nb") -> str:
    """The month's name in running text (``januar``); kept here for callers that import it from the plan."""
    return _month_name(month, lang)
