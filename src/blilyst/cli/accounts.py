"""``blilyst accounts`` and ``blilyst attractiveness``: demographic accounts and the attractiveness model.

Thin translators over :mod:`blilyst.demography.accounts` and :mod:`blilyst.demography.attractiveness`;
every output says its sources and which figures are estimated.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import typer

from blilyst.cli import LANG_HELP, app, use_language
from blilyst.cli.output import OutputFormat, emit
from blilyst.errors import InputError
from blilyst.i18n import N_, format_number, format_percent, format_signed
from blilyst.i18n import gettext as _

if TYPE_CHECKING:
    import pandas as pd


def parse_years(text: str | None) -> tuple[int, int] | None:
    """``"2016-2025"`` → ``(2016, 2025)``; ``"2020"`` → ``(2020, 2020)``; None stays None."""
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–:]\s*(\d{4}))?\s*", text)
    if not m:
        raise InputError("--years", _("'{text}' is not a year or a range like 2016-2025").format(text=text))
    a = int(m.group(1))
    b = int(m.group(2) or a)
    if b < a:
        raise InputError("--years", _("the range {first}-{last} runs backwards").format(first=a, last=b))
    return a, b


def accounts_output(kommune: str, years: str | None = None, by_age: bool = False):
    """The frame, title and notes ``blilyst accounts`` prints (also used by the tests)."""
    from blilyst.demography.accounts import accounts_from_snapshot, registered_period
    from blilyst.stats.register import get_register
    from blilyst.stats.snapshot import load_snapshot

    muni = get_register().resolve(kommune)
    snap = load_snapshot()
    acc = accounts_from_snapshot([muni.code], parse_years(years), snapshot=snap)
    notes = list(acc.notes)
    reg = registered_period(snap.components_2011_2025, muni.code)
    if reg is not None:
        tot = acc.residual.totals()
        if all(y in acc.years for y in range(2011, 2026)):
            t = tot[tot.year.between(2011, 2025)]
            ni = float((t.births - t.deaths).sum())
            # the estimate as the account has it: border transfers out, no figure where a stock is a fixed share
            w = acc.wide(muni.code)
            net = w[w.year.between(2011, 2025)].net_migration
            if net.isna().any():
                check = _(
                    "Check against SSB 06913 (registered), 2011–2025: natural increase {natural} (estimated "
                    "{natural_estimated}), net migration {net} (cannot be estimated: some 1 January populations "
                    "are fixed shares of a merged municipality)."
                ).format(
                    natural=format_number(reg["natural_increase_sum"]),
                    natural_estimated=format_number(ni),
                    net=format_number(reg["net_migration_sum"]),
                )
            else:
                check = _(
                    "Check against SSB 06913 (registered), 2011–2025: natural increase {natural} (estimated "
                    "{natural_estimated}), net migration {net} (estimated {net_estimated})."
                ).format(
                    natural=format_number(reg["natural_increase_sum"]),
                    natural_estimated=format_number(ni),
                    net=format_number(reg["net_migration_sum"]),
                    net_estimated=format_number(float(net.sum())),
                )
            if not reg["comparable"]:
                check += " " + _("SSB marks this municipality not comparable over the period.")
            notes.append(check)
    if by_age:
        frame = acc.by_age(muni.code)
        frame["value"] = frame.value.round(2)
        title = _("{code} {name}: components by sex and age at the end of the year").format(
            code=muni.code, name=muni.name
        )
    else:
        frame = acc.totals.copy()
        frame["value"] = frame.value.round(1)
        span = str(acc.years[0]) if len(acc.years) == 1 else f"{acc.years[0]}–{acc.years[-1]}"
        title = _("{code} {name}: demographic accounts {years}").format(code=muni.code, name=muni.name, years=span)
    return acc, frame, title, notes


@app.command(
    "accounts",
    help=N_(
        "Demographic accounts: population 1 January, births, deaths, migration, each registered or "
        "estimated.\n\n"
        "Example: blilyst accounts Vinje --years 2016-2025"
    ),
)
def accounts_cmd(
    kommune: str = typer.Argument(..., help=N_("Municipality number or name, e.g. 4036 or Vinje.")),
    years: str = typer.Option(None, "--years", help=N_("Event years, e.g. 2016-2025 (default: all from 2006).")),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help=N_("table, csv or json.")),
    by_age: bool = typer.Option(False, "--by-age", help=N_("Components by sex and single-year age.")),
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    use_language(lang)
    acc, frame, title, notes = accounts_output(kommune, years, by_age)
    if fmt is OutputFormat.table and not by_age:
        emit(
            accounts_table(acc),
            fmt,
            title=title,
            notes=[*notes, _("* = estimated; figures without * are registered. '–' = not in the data.")],
        )
    else:
        emit(frame, fmt, title=title, notes=notes)


_SHORT = {
    "population_start": N_("pop. 1 Jan"),
    "births": N_("births"),
    "deaths": N_("deaths"),
    "natural_increase": N_("nat. incr."),
    "in_migration": N_("in"),
    "out_migration": N_("out"),
    "domestic_in": N_("dom. in"),
    "domestic_out": N_("dom. out"),
    "domestic_net": N_("dom. net"),
    "international_net": N_("intl net"),
    "net_migration": N_("net mig."),
    "boundary_change": N_("border ch."),
    "residual": N_("residual"),
    "population_end": N_("pop. 1 Jan next"),
}


def accounts_table(acc) -> pd.DataFrame:
    """The accounts as text cells for the terminal, each estimated figure marked with ``*``."""
    import pandas as pd

    t = acc.totals
    cells = t.assign(
        cell=[format_number(v) + ("*" if s == "estimated" else "") for v, s in zip(t.value, t.source, strict=False)]
    )
    wide = cells.pivot_table(index="year", columns="component", values="cell", aggfunc="first")
    wide = wide[[c for c in _SHORT if c in wide.columns]].rename(columns={k: _(v) for k, v in _SHORT.items()})
    wide = wide.fillna("–")
    wide.index = wide.index.astype(str)
    out = wide.reset_index().rename(columns={"year": _("Year")})
    out.columns.name = None
    return pd.DataFrame(out)


def attractiveness_output(kommune: str | None = None, period: str | None = None, old_structure: bool = False):
    from blilyst.demography.attractiveness import attractiveness_from_snapshot, attractiveness_old_structure

    if old_structure:
        if period not in (None, "2005-2015"):
            raise InputError("--period", _("the 428-municipality data cover 2005-2015 only"))
        model = attractiveness_old_structure()
    else:
        model = attractiveness_from_snapshot(parse_years(period))
    cols = [
        "municipality",
        "name",
        "centrality_class",
        "net_migration_pct",
        "job_growth_pct",
        "expected_pct",
        "attractiveness",
        "rank",
        "n",
        "rank_in_class",
        "n_in_class",
        "net_migration_source",
    ]
    notes = [_("Fit {period}: {equation}.").format(period=model.period, equation=model.equation()), *model.notes]
    if kommune is None:
        frame = model.frame[model.frame.in_fit].sort_values("rank")[cols]
        title = _("Attractiveness as a place to live, {period} (rank 1 = most attractive)").format(period=model.period)
    else:
        from blilyst.stats.register import get_register

        muni = get_register().resolve(kommune)
        code = muni.code
        if old_structure:
            olds = model.frame[model.frame.current_code == muni.code]
            if olds.empty:
                raise InputError(
                    "KOMMUNE", _("{municipality} has no municipality in the 2016 structure").format(municipality=muni)
                )
            by_name = olds[olds.name.str.lower() == muni.name.lower()]
            code = (by_name if len(by_name) else olds).municipality.iloc[0]
        frame = model.place(code)[cols]
        row = model.frame[model.frame.municipality == code].iloc[0]
        if not row.in_fit:
            notes.insert(
                0,
                _("{code} {name} is not ranked: its population is an estimate in this period.").format(
                    code=muni.code, name=muni.name
                ),
            )
        else:
            notes.insert(
                0,
                _(
                    "{name}: net migration {net} against {expected} expected from job growth {jobs}: "
                    "attractiveness {points} points; rank {rank} of {count}, {rank_in_class} of {count_in_class} in "
                    "centrality class {centrality}."
                ).format(
                    name=muni.name,
                    net=format_percent(row.net_migration_pct / 100, 1, signed=True),
                    expected=format_percent(row.expected_pct / 100, 1, signed=True),
                    jobs=format_percent(row.job_growth_pct / 100, 1, signed=True),
                    points=format_signed(row.attractiveness, 1),
                    rank=row["rank"],
                    count=row.n,
                    rank_in_class=row.rank_in_class,
                    count_in_class=row.n_in_class,
                    centrality=row.centrality_class,
                ),
            )
        title = _("{code} {name} among centrality class {centrality}, {period}").format(
            code=muni.code, name=muni.name, centrality=row.centrality_class, period=model.period
        )
    frame = frame.copy()
    for c in ("net_migration_pct", "job_growth_pct", "expected_pct", "attractiveness"):
        frame[c] = frame[c].round(2)
    sources = set(model.frame.net_migration_source)
    if sources == {"estimated"}:
        notes.append(_("All net migration figures are estimated (residual method); job counts are registered."))
    elif sources == {"registered"}:
        notes.append(_("All net migration figures are registered (SSB 06913/01223); job counts are registered."))
    else:
        notes.append(
            _(
                "Net migration is registered where the table says so and estimated (residual method) elsewhere "
                "(marked *); job counts are registered."
            )
        )
    return model, frame, title, notes


def attractiveness_table(frame) -> pd.DataFrame:
    """Short text cells for the terminal."""
    import pandas as pd

    def f(v: float) -> str:
        return format_signed(v, 1)

    return pd.DataFrame(
        {
            _("Number"): frame.municipality,
            _("Name"): frame.name,
            _("class"): frame.centrality_class.astype(str),
            _("net mig. %"): [
                f(v) + ("" if src == "registered" else "*")
                for v, src in zip(frame.net_migration_pct, frame.net_migration_source, strict=False)
            ],
            _("jobs %"): frame.job_growth_pct.map(f),
            _("expected %"): frame.expected_pct.map(f),
            _("attractiveness"): frame.attractiveness.map(f),
            _("rank"): [f"{r}/{n}" for r, n in zip(frame["rank"], frame.n, strict=False)],
            _("in class"): [f"{r}/{n}" for r, n in zip(frame.rank_in_class, frame.n_in_class, strict=False)],
        }
    )


@app.command(
    "attractiveness",
    help=N_(
        "Attractiveness as a place to live (Telemarksforsking's model): net migration beyond what job "
        "growth explains.\n\n"
        "Example: blilyst attractiveness Vinje --period 2005-2015"
    ),
)
def attractiveness_cmd(
    kommune: str = typer.Argument(None, help=N_("Municipality number or name; leave out for the full ranking.")),
    period: str = typer.Option(
        None,
        "--period",
        help=N_(
            "Any two job years in the data, e.g. 2005-2015 "
            "(the default offline) or 2015-2017; after 'blilyst data refresh' also the "
            "years of SSB 13470."
        ),
    ),
    old_structure: bool = typer.Option(
        False, "--old-structure", help=N_("Run on the 428 municipalities of 2016 (2005-2015 only).")
    ),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help=N_("table, csv or json.")),
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    use_language(lang)
    _model, frame, title, notes = attractiveness_output(kommune, period, old_structure)
    if fmt is OutputFormat.table:
        emit(attractiveness_table(frame), fmt, title=title, notes=[*notes, _("* = estimated.")])
    else:
        emit(frame, fmt, title=title, notes=notes)
