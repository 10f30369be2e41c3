"""What a municipality can actually offer a newcomer right now: listings, kindergarten places, vacancies.

One value object, :class:`Capacity`, feeds both the bottleneck assessment (is housing a bottleneck?) and
the honesty check (does the campaign promise what exists?). It holds counts only — aggregates from the
newcomer service's resource registers or typed in by the contact person — never personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from blilyst.errors import InputError

HOUSING_TYPES = ("rental", "for_sale", "small_farm", "plot", "trial_housing")
HOUSING_LABELS = {
    "rental": {"nb": "utleieboliger", "en": "rental homes"},
    "for_sale": {"nb": "boliger til salgs", "en": "homes for sale"},
    "small_farm": {"nb": "småbruk", "en": "small farms"},
    "plot": {"nb": "tomter", "en": "building plots"},
    "trial_housing": {"nb": "prøveboliger", "en": "trial homes"},
}
MONTHS = tuple(range(1, 13))
MONTH_NAMES = {
    "nb": (
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def _counts(values: Mapping, field_name: str) -> dict:
    out = {}
    for key, value in dict(values).items():
        if value is None:
            continue
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise InputError(field_name, f"'{key}' must be a whole number, got {value!r}") from exc
        if number < 0:
            raise InputError(field_name, f"'{key}' cannot be negative ({number})")
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
    * ``offers``: other concrete offers counted (``"artist_studio"``, ``"coworking"``, ``"mentor"`` ...).
    """

    housing: Mapping[str, int] = field(default_factory=dict)
    kindergarten_free: Mapping[int, int] = field(default_factory=dict)
    vacancies: Mapping[str, int] = field(default_factory=dict)
    vacancies_advertised: int | None = None
    vacancies_known: int | None = None
    offers: Mapping[str, int] = field(default_factory=dict)
    as_of: dt.date | None = None
    source: str = ""

    def __post_init__(self):
        object.__setattr__(self, "housing", _counts(self.housing, "housing"))
        object.__setattr__(self, "vacancies", _counts(self.vacancies, "vacancies"))
        object.__setattr__(self, "offers", _counts(self.offers, "offers"))
        kg = _counts({int(k): v for k, v in dict(self.kindergarten_free).items()}, "kindergarten_free")
        bad = [m for m in kg if m not in MONTHS]
        if bad:
            raise InputError("kindergarten_free", f"months must be 1–12, got {bad}")
        object.__setattr__(self, "kindergarten_free", kg)
        if (
            self.vacancies_advertised is not None
            and self.vacancies_known is not None
            and self.vacancies_advertised > self.vacancies_known
        ):
            raise InputError(
                "vacancies_advertised",
                f"{self.vacancies_advertised} advertised is more than {self.vacancies_known} known",
            )

    # housing
    def housing_total(self) -> int:
        return sum(self.housing.values())

    def housing_of(self, *types: str) -> int:
        return sum(self.housing.get(t, 0) for t in types)

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

    def advertised_share(self) -> float | None:
        if self.vacancies_advertised is None or not self.vacancies_known:
            return None
        return self.vacancies_advertised / self.vacancies_known

    def knows_housing(self) -> bool:
        return bool(self.housing)

    def knows_vacancies(self) -> bool:
        return bool(self.vacancies)


def month_name(month: int, lang: str = "nb") -> str:
    return MONTH_NAMES.get(lang, MONTH_NAMES["nb"])[month - 1]
