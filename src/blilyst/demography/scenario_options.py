"""What each scenario can be told, one options class per kind of scenario.

:func:`blilyst.demography.scenarios.run_scenario` takes one of these, so an option that means something
to one scenario cannot be passed to another by mistake. :func:`options_for` builds the right one from
keyword arguments (the CLI's flags) and names any that do not apply.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from blilyst.errors import InputError
from blilyst.i18n import gettext as _

if TYPE_CHECKING:
    from blilyst.demography.assumptions import AssumptionSet


@dataclass(frozen=True)
class ScenarioOptions:
    """Shared by all scenarios: ``window`` is the number of trend years the rates are estimated over
    (default 10; 5 for ``trend5``); ``base_year`` the 1 January to start from (default the latest in the
    data; an earlier year projects over years already registered, for backtests)."""

    window: int | None = None
    base_year: int | None = None


@dataclass(frozen=True)
class TrendOptions(ScenarioOptions):
    """trend, trend5, zero-migration, no-immigration, low, high. ``assumptions``: a user file (path)
    or :class:`~blilyst.demography.assumptions.AssumptionSet` whose rows replace the scenario's inputs.
    ``international``: Norway's net immigration a year (trend, trend5, low, high, and an assumptions
    file's region-years without migration rows): ``trend`` (the window mean), ``low``, ``high``,
    ``registered`` (for backtests), ``zero`` or a number; see :mod:`blilyst.demography.international`."""

    assumptions: AssumptionSet | Path | str | None = None
    international: str | float = "trend"


@dataclass(frozen=True)
class HousingOptions(ScenarioOptions):
    """housing-led: ``dwellings_per_year`` (one number or one per projection year), ``headship``
    (106 rates by age; default :func:`~blilyst.demography.scenarios.default_headship`), ``vacancy``
    (share of new dwellings left empty)."""

    dwellings_per_year: float | list[float] | None = None
    headship: np.ndarray | None = None
    vacancy: float = 0.0


@dataclass(frozen=True)
class EmploymentOptions(ScenarioOptions):
    """employment-led: ``jobs_growth`` (share a year, e.g. 0.01) or ``jobs_target`` (jobs in the
    final year); ``participation`` (106 rates by age; default
    :func:`~blilyst.demography.scenarios.default_participation`) and ``unemployment``."""

    jobs_growth: float | None = None
    jobs_target: float | None = None
    participation: np.ndarray | None = None
    unemployment: float = 0.02


@dataclass(frozen=True)
class TargetOptions(ScenarioOptions):
    """target-seeking: ``target`` "working-age" keeps ages 20–66 stable, "population" reaches
    ``target_population`` in the final year along a straight line."""

    target: str = "working-age"
    target_population: float | None = None


@dataclass(frozen=True)
class StochasticOptions(ScenarioOptions):
    """stochastic: ``simulations`` paths drawn with ``seed``."""

    simulations: int = 1000
    seed: int = 2024


OPTIONS_BY_SCENARIO: dict[str, type[ScenarioOptions]] = {
    "trend": TrendOptions,
    "trend5": TrendOptions,
    "zero-migration": TrendOptions,
    "no-immigration": TrendOptions,
    "low": TrendOptions,
    "high": TrendOptions,
    "housing-led": HousingOptions,
    "employment-led": EmploymentOptions,
    "target-seeking": TargetOptions,
    "stochastic": StochasticOptions,
}


def default_options(scenario: str) -> ScenarioOptions:
    """The options ``scenario`` runs with when none are given."""
    return _options_class(scenario)()


def options_for(scenario: str, **values: Any) -> ScenarioOptions:
    """The options object for ``scenario`` from keyword arguments; ``None`` values are left at their
    defaults. An argument the scenario does not use is an :class:`InputError` naming it."""
    cls = _options_class(scenario)
    known = {f.name for f in fields(cls)}
    given = {k: v for k, v in values.items() if v is not None}
    unused = sorted(set(given) - known)
    if unused:
        raise InputError(
            unused[0],
            _("does not apply to the scenario '{scenario}'; it takes {options}").format(
                scenario=scenario, options=", ".join(sorted(known))
            ),
        )
    return cls(**given)


def check_options(scenario: str, options: ScenarioOptions | None) -> ScenarioOptions:
    """``options`` (or the defaults) after checking they are the kind ``scenario`` takes."""
    cls = _options_class(scenario)
    if options is None:
        return cls()
    if type(options) is not cls:
        raise InputError(
            "options",
            _("the scenario '{scenario}' takes {expected}, not {given}").format(
                scenario=scenario, expected=cls.__name__, given=type(options).__name__
            ),
        )
    return options


def _options_class(scenario: str) -> type[ScenarioOptions]:
    try:
        return OPTIONS_BY_SCENARIO[scenario]
    except KeyError:
        raise InputError(
            "scenario",
            _("unknown scenario '{scenario}'; choose one of {choices}").format(
                scenario=scenario, choices=", ".join(OPTIONS_BY_SCENARIO)
            ),
        ) from None
