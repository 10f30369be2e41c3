"""The offline data snapshot: real SSB (and HMD/HFD, IMDi) data bundled with blilyst.

A snapshot is a directory with one parquet file per data set and a ``manifest.json`` that gives the
snapshot's ``version`` and ``built`` date and, per data set, its description, source table, source
file, date, licence and credit line ("Kilde: Statistisk sentralbyrå"). The bundled snapshot lives in
``blilyst/data/snapshot/`` and is built from ``data/raw`` by :mod:`blilyst.stats.build_snapshot`.

A *local* snapshot written by ``blilyst data refresh`` (directory ``$BLILYST_DATA_DIR``, default
``~/.local/share/blilyst/snapshot``) takes precedence when it is valid; data sets it does not hold
are taken from the bundled one. A corrupt local snapshot is ignored with a warning (the bundled data
are used and nothing is lost); a corrupt bundled snapshot raises :class:`SnapshotError`.

All municipality codes are four-digit strings of the 2024 structure (see :mod:`blilyst.stats.register`).
Stocks are populations on 1 January; ages are single years with 105 = 105+ (see :mod:`blilyst.axes`).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from blilyst.arrays import FloatArray, JSONDict
from blilyst.axes import N_AGES, SEXES
from blilyst.errors import SnapshotError
from blilyst.i18n import format_number, format_percent, gettext

P = ParamSpec("P")
R = TypeVar("R")

BUNDLED_DIR = Path(__file__).resolve().parents[1] / "data" / "snapshot"
MANIFEST = "manifest.json"
ENV_DIR = "BLILYST_DATA_DIR"

# Data set -> required columns and their kind: "str", "int", "float", "bool".
SCHEMAS: dict[str, dict[str, str]] = {
    "population": {"municipality": "str", "year": "int", "sex": "str", "age": "int", "population": "int"},
    "population_flags": {"municipality": "str", "year_from": "int", "year_to": "int", "note": "str"},
    "national_population": {"year": "int", "sex": "str", "age": "int", "population": "int"},
    "mortality": {"year": "int", "sex": "str", "age": "int", "mx": "float"},
    "fertility": {"year": "int", "age": "int", "asfr": "float"},
    "births": {"year": "int", "sex": "str", "births": "int"},
    "immigrants_by_reason": {"municipality": "str", "year": "int", "reason": "str", "persons": "float"},
    "refugee_settlement": {"municipality": "str", "year": "int", "measure": "str", "persons": "float"},
    "components_2011_2025": {
        "municipality": "str",
        "pop_start": "int",
        "pop_end": "int",
        "natural_increase_sum": "int",
        "net_migration_sum": "int",
        "population_change_sum": "int",
        "residual_sum": "int",
        "comparable": "bool",
    },
    "jobs": {"municipality": "str", "year": "int", "jobs": "float"},
    "jobs_old_structure": {
        "old_code": "str",
        "name": "str",
        "population_2006": "int",
        "population_2016": "int",
        "jobs_2005": "int",
        "jobs_2015": "int",
        "current_code": "str",
        "weight": "float",
    },
    "migration_by_age": {
        "municipality": "str",
        "year": "int",
        "age": "int",
        "in_migration": "int",
        "out_migration": "int",
        "net_migration": "int",
    },
    "od_flows": {
        "year": "int",
        "origin": "str",
        "origin_name": "str",
        "destination": "str",
        "destination_name": "str",
        "moves": "int",
        "direction": "str",
    },
    # people moved by a border change in event year ``year`` (effective 1 January ``year + 1``)
    "boundary_changes": {"municipality": "str", "year": "int", "persons": "float", "source": "str"},
    # commuting (SSB 03321): employed persons by residence and workplace municipality
    "commuting": {"year": "int", "residence": "str", "workplace": "str", "persons": "float"},
    # optional: registered annual components (SSB 06913/01223); the bundled snapshot has the Telemark
    # municipalities (01223), ``blilyst data refresh`` writes the whole country
    "components_annual": {"municipality": "str", "year": "int", "component": "str", "persons": "float"},
}
#: Data sets a snapshot may lack (the bundled one has no source for them); loading gives an empty frame.
OPTIONAL_DATASETS: tuple[str, ...] = ("components_annual",)
#: Data sets every (bundled) snapshot has.
DATASETS = tuple(n for n in SCHEMAS if n not in OPTIONAL_DATASETS)
#: The components ``components_annual`` may hold (a table keeps whichever of them it has).
ANNUAL_COMPONENTS: tuple[str, ...] = (
    "births",
    "deaths",
    "immigration",
    "emigration",
    "domestic_in",
    "domestic_out",
    "net_migration",
    "population_change",
)
_SOURCE_COLUMNS = ["dataset", "description", "ssb_table", "source_file", "date", "licence", "credit"]
_CHECK = {
    "str": lambda t: (
        pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or (pa.types.is_dictionary(t) and pa.types.is_string(t.value_type))
    ),
    "int": pa.types.is_integer,
    "float": lambda t: pa.types.is_floating(t) or pa.types.is_integer(t),
    "bool": pa.types.is_boolean,
}


_FLAG_PART = re.compile(r"(\d+)% of the population of (.+?)(?=; \d+% of|\s\(the rest goes to|, a fixed split|$)")
_FLAG_REST = re.compile(r"\(the rest goes to (.+?)\)")


def population_flag_text(name: str, year_from: int, year_to: int, note: str) -> str:
    """A ``population_flags`` row in the active language. The snapshot stores its note as built (English: which
    old municipalities gave the stock, with what share); the same facts are worded here through gettext, so a
    bokmål or nynorsk output never prints the stored English."""
    parts = [
        gettext("{share} of the population of {municipalities}").format(
            share=format_percent(int(share) / 100),
            municipalities=olds,
        )
        for share, olds in _FLAG_PART.findall(note)
    ]
    if not parts:
        return gettext(
            "{name} {first}–{last} is an estimate: the source (csdata) gives it a fixed share of a merged "
            "municipality rather than where people lived."
        ).format(name=name, first=year_from, last=year_to)
    rest = _FLAG_REST.search(note)
    if rest:
        return gettext(
            "{name} {first}–{last} is an estimate: the source (csdata) gives it {parts} (the rest goes to {rest}), "
            "a fixed split rather than where people lived."
        ).format(name=name, first=year_from, last=year_to, parts="; ".join(parts), rest=rest.group(1))
    return gettext(
        "{name} {first}–{last} is an estimate: the source (csdata) gives it {parts}, a fixed split rather than "
        "where people lived."
    ).format(name=name, first=year_from, last=year_to, parts="; ".join(parts))


def _fix_local(directory: Path) -> str:
    return gettext(
        "Delete the local snapshot directory {dir} to fall back to the bundled data, or run 'blilyst data refresh' "
        "again."
    ).format(dir=directory)


def _fix_bundled() -> str:
    return gettext(
        "Reinstall blilyst, or in a source checkout run 'blilyst data build-snapshot' (or 'git checkout "
        "src/blilyst/data/snapshot')."
    )


def local_dir() -> Path:
    """Where ``blilyst data refresh`` writes the local snapshot (``$BLILYST_DATA_DIR`` or the XDG default)."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "blilyst" / "snapshot"


@dataclass
class Snapshot:
    """The loaded data sets (pandas frames, see the module docstring and the attributes' names)."""

    origin: str  # "bundled" or "local"
    path: Path
    manifest: JSONDict
    frames: dict[str, pd.DataFrame] = field(repr=False)
    _cube: tuple[list[str], list[int], FloatArray] | None = field(default=None, repr=False)

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", ""))

    def frame(self, name: str) -> pd.DataFrame:
        """A data set by name (one of :data:`DATASETS`, or of :data:`OPTIONAL_DATASETS`: an empty frame
        with the schema's columns when the snapshot lacks it)."""
        try:
            return self.frames[name]
        except KeyError:
            if name in OPTIONAL_DATASETS:
                return _empty(name)
            raise SnapshotError(
                gettext("The snapshot in {path} has no data set '{name}'").format(path=self.path, name=name)
            ) from None

    @property
    def population(self) -> pd.DataFrame:
        return self.frame("population")

    @property
    def population_flags(self) -> pd.DataFrame:
        return self.frame("population_flags")

    @property
    def national_population(self) -> pd.DataFrame:
        return self.frame("national_population")

    @property
    def mortality(self) -> pd.DataFrame:
        return self.frame("mortality")

    @property
    def fertility(self) -> pd.DataFrame:
        return self.frame("fertility")

    @property
    def births(self) -> pd.DataFrame:
        return self.frame("births")

    @property
    def immigrants_by_reason(self) -> pd.DataFrame:
        return self.frame("immigrants_by_reason")

    @property
    def refugee_settlement(self) -> pd.DataFrame:
        return self.frame("refugee_settlement")

    @property
    def components_2011_2025(self) -> pd.DataFrame:
        return self.frame("components_2011_2025")

    @property
    def components_annual(self) -> pd.DataFrame:
        """Registered components by municipality and year (``municipality, year, component, persons``;
        components from :data:`ANNUAL_COMPONENTS`), after ``blilyst data refresh``; empty otherwise."""
        return self.frame("components_annual")

    @property
    def boundary_changes(self) -> pd.DataFrame:
        """People moved by border changes: ``municipality, year, persons, source`` (event year ``year``,
        effective 1 January ``year + 1``; ``source`` registered or estimated)."""
        return self.frame("boundary_changes")

    @property
    def commuting(self) -> pd.DataFrame:
        """Employed persons by ``residence`` and ``workplace`` municipality (SSB 03321, ``year`` 2017)."""
        return self.frame("commuting")

    @property
    def jobs(self) -> pd.DataFrame:
        return self.frame("jobs")

    @property
    def jobs_old_structure(self) -> pd.DataFrame:
        return self.frame("jobs_old_structure")

    @property
    def migration_by_age(self) -> pd.DataFrame:
        return self.frame("migration_by_age")

    @property
    def od_flows(self) -> pd.DataFrame:
        return self.frame("od_flows")

    def sources(self) -> pd.DataFrame:
        """One row per data set: dataset, description, ssb_table, source_file, date, licence, credit."""
        rows = [
            {"dataset": name, **{k: entry.get(k, "") for k in _SOURCE_COLUMNS[1:]}}
            for name, entry in self.manifest["datasets"].items()
        ]
        return pd.DataFrame(rows, columns=_SOURCE_COLUMNS)

    def credit(self, dataset: str) -> str:
        """The credit line for a data set ("Kilde: Statistisk sentralbyrå, table 07459, 2026-08-22")."""
        from blilyst.stats.sources import manifest_words

        e = self.manifest["datasets"][dataset]
        return gettext("{credit}, table {table} ({date}), licence {licence}").format(
            credit=e["credit"],
            table=manifest_words(e["ssb_table"]),
            date=e["date"],
            licence=manifest_words(e["licence"]),
        )

    def population_cube(
        self, municipalities: Iterable[str] | None = None, years: Iterable[int] | None = None
    ) -> tuple[list[str], list[int], FloatArray]:
        """Population as a float64 array shaped (year, region, sex, age) = (Y, R, 2, 106).

        ``municipalities`` (2024 codes) and ``years`` select and order the axes; default all.
        Unknown codes or years raise :class:`SnapshotError` naming them.
        """
        if self._cube is None:
            pop = self.population
            all_codes = sorted(pop.municipality.unique())
            all_years = sorted(int(y) for y in pop.year.unique())
            expected = len(all_years) * len(all_codes) * len(SEXES) * N_AGES
            if len(pop) != expected:
                raise SnapshotError(
                    gettext("Population in {path} is not complete ({rows} rows, expected {expected}).").format(
                        path=self.path, rows=format_number(len(pop)), expected=format_number(expected)
                    )
                )
            cube = pop.population.to_numpy(dtype=np.float64).reshape(len(all_years), len(all_codes), len(SEXES), N_AGES)
            self._cube = (all_codes, all_years, cube)
        all_codes, all_years, cube = self._cube
        codes = all_codes if municipalities is None else [str(c) for c in municipalities]
        yrs = all_years if years is None else [int(y) for y in years]
        ci = {c: i for i, c in enumerate(all_codes)}
        yi = {y: i for i, y in enumerate(all_years)}
        bad = [c for c in codes if c not in ci] + [str(y) for y in yrs if y not in yi]
        if bad:
            raise SnapshotError(
                gettext("Not in the population data: {codes} (years {first}–{last}, 2024 municipality codes).").format(
                    codes=", ".join(bad[:10]), first=all_years[0], last=all_years[-1]
                )
            )
        out = cube[np.ix_([yi[y] for y in yrs], [ci[c] for c in codes])]
        return list(codes), list(yrs), np.ascontiguousarray(out)


# ----------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------


def _read_manifest(directory: Path) -> JSONDict:
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SnapshotError(gettext("{path} is missing").format(path=path)) from None
    except (OSError, ValueError) as exc:
        raise SnapshotError(gettext("{path} is not valid JSON ({error})").format(path=path, error=exc)) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("datasets"), dict):
        raise SnapshotError(gettext("{path} has no 'datasets' section").format(path=path))
    return manifest


def _check_schema(name: str, schema: pa.Schema, where: Path) -> None:
    for col, kind in SCHEMAS[name].items():
        idx = schema.get_field_index(col)
        if idx < 0:
            raise SnapshotError(gettext("{path} lacks the column '{column}'").format(path=where, column=col))
        if not _CHECK[kind](schema.field(idx).type):
            raise SnapshotError(
                gettext("{path}: column '{column}' is {type}, expected {expected}").format(
                    path=where, column=col, type=schema.field(idx).type, expected=kind
                )
            )


def _to_frame(table: pa.Table) -> pd.DataFrame:
    frame: pd.DataFrame = table.to_pandas()
    for col in frame.columns:
        dtype = frame[col].dtype
        if isinstance(dtype, pd.CategoricalDtype):  # dictionary-encoded on disk, plain str in memory
            cat = frame[col].cat
            frame[col] = np.asarray(cat.categories, dtype=object)[cat.codes]
        elif pd.api.types.is_integer_dtype(dtype) and dtype != np.int64:
            frame[col] = frame[col].astype(np.int64)
    return frame


_EMPTY_DTYPES = {"str": object, "int": np.int64, "float": np.float64, "bool": bool}


def _empty(name: str) -> pd.DataFrame:
    return pd.DataFrame({col: pd.Series(dtype=_EMPTY_DTYPES[kind]) for col, kind in SCHEMAS[name].items()})


def _read_dir(
    directory: Path, names: Sequence[str] | None = None, *, required: bool
) -> tuple[JSONDict, dict[str, pd.DataFrame]]:
    manifest = _read_manifest(directory)
    frames: dict[str, pd.DataFrame] = {}
    for name in names or (*DATASETS, *OPTIONAL_DATASETS):
        entry = manifest["datasets"].get(name)
        if entry is None:
            if required and (names or name not in OPTIONAL_DATASETS):
                raise SnapshotError(
                    gettext("{path} does not list the data set '{name}'").format(path=directory / MANIFEST, name=name)
                )
            continue
        path = directory / entry.get("file", f"{name}.parquet")
        try:
            table = pq.read_table(path)
        except FileNotFoundError:
            raise SnapshotError(gettext("{path} is missing").format(path=path)) from None
        except (OSError, pa.ArrowException) as exc:
            raise SnapshotError(
                gettext("{path} is not a readable parquet file ({error})").format(path=path, error=exc)
            ) from None
        _check_schema(name, table.schema, path)
        if "rows" in entry and table.num_rows != int(entry["rows"]):
            raise SnapshotError(
                gettext("{path} has {rows} rows, the manifest says {expected}").format(
                    path=path, rows=format_number(table.num_rows), expected=format_number(int(entry["rows"]))
                )
            )
        frames[name] = _to_frame(table)
    return manifest, frames


def _load(directory: Path | None) -> Snapshot:
    bundled = BUNDLED_DIR
    if directory is not None:
        directory = Path(directory)
        try:
            manifest, frames = _read_dir(directory, required=True)
        except SnapshotError as exc:
            raise SnapshotError(
                gettext("The snapshot in {dir} is unusable: {problem}.").format(dir=directory, problem=exc)
                + " "
                + (_fix_bundled() if directory == bundled else _fix_local(directory))
            ) from None
        return Snapshot("bundled" if directory == bundled else "local", directory, manifest, frames)

    try:
        manifest, frames = _read_dir(bundled, required=True)
    except SnapshotError as exc:
        raise SnapshotError(
            gettext("The bundled data snapshot is unusable: {problem}.").format(problem=exc) + " " + _fix_bundled()
        ) from None
    local = local_dir()
    if local.exists() and not local.is_dir():
        warnings.warn(
            gettext(
                "The local snapshot directory {dir} (${variable}) is not a directory; using the bundled data. Point "
                "${variable} at a directory, or unset it."
            ).format(dir=local, variable=ENV_DIR),
            RuntimeWarning,
            stacklevel=3,
        )
        return Snapshot("bundled", bundled, manifest, frames)
    try:
        has_manifest = (local / MANIFEST).is_file()
        has_files = not has_manifest and local.is_dir() and any(local.iterdir())
    except OSError as exc:  # unreadable directory
        warnings.warn(
            gettext("The local snapshot directory {dir} cannot be read ({problem}); using the bundled data.").format(
                dir=local, problem=exc
            ),
            RuntimeWarning,
            stacklevel=3,
        )
        return Snapshot("bundled", bundled, manifest, frames)
    if not has_manifest:
        if has_files:
            warnings.warn(
                gettext("The local snapshot {dir} has no {manifest}; using the bundled data.").format(
                    dir=local, manifest=MANIFEST
                )
                + " "
                + _fix_local(local),
                RuntimeWarning,
                stacklevel=3,
            )
        return Snapshot("bundled", bundled, manifest, frames)
    try:
        local_manifest, local_frames = _read_dir(local, required=False)
    except SnapshotError as exc:
        warnings.warn(
            gettext("The local snapshot is corrupt ({problem}); using the bundled data instead.").format(problem=exc)
            + " "
            + _fix_local(local),
            RuntimeWarning,
            stacklevel=3,
        )
        return Snapshot("bundled", bundled, manifest, frames)
    merged = dict(local_manifest)
    merged["datasets"] = {
        **{k: {**v, "origin": "bundled"} for k, v in manifest["datasets"].items()},
        **{k: {**v, "origin": "local"} for k, v in local_manifest["datasets"].items()},
    }
    merged["bundled_version"] = manifest.get("version")
    return Snapshot("local", local, merged, {**frames, **local_frames})


@functools.lru_cache(maxsize=4)
def _cached(directory: str | None) -> Snapshot:
    return _load(Path(directory) if directory else None)


def load_snapshot(directory: Path | str | None = None) -> Snapshot:
    """The data snapshot, cached per process.

    Without ``directory``: the local snapshot (``$BLILYST_DATA_DIR``) over the bundled one, falling
    back to the bundled one with a warning if the local one is corrupt. With ``directory``: exactly
    that snapshot. Raises :class:`SnapshotError` (naming the file and the fix) if it is unusable.
    """
    key = str(Path(directory).resolve()) if directory else None
    if key is not None:
        return _cached(key)
    local = local_dir()
    snap = _cached_default(str(local), local_version(local))
    global _current_default
    if snap is not _current_default:
        # a refresh (by this process or another) or another data folder: results computed from the old
        # snapshot are dropped, so every process serves the new figures without a restart
        if _current_default is not None:
            for cache in _PER_SNAPSHOT:
                cache.cache_clear()
        _current_default = snap
    return snap


def local_version(local: Path | None = None) -> tuple[int, int, int] | None:
    """The identity of the local snapshot on disk (inode, size and modification time of its manifest), or
    ``None`` without one. A refresh writes a new folder and renames it into place, so the identity changes;
    checking it costs one ``stat``, cheap enough for every request."""
    try:
        st = ((local or local_dir()) / MANIFEST).stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


# keyed on the local dir (so tests can point elsewhere) and its version (so a refresh is seen); two entries,
# so a replaced snapshot is not kept in memory for long
@functools.lru_cache(maxsize=2)
def _cached_default(local: str, version: tuple[int, int, int] | None) -> Snapshot:
    return _load(None)


_current_default: Snapshot | None = None
_PER_SNAPSHOT: list[Any] = []  # the functools caches registered with per_snapshot


def per_snapshot(maxsize: int | None = 128) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``functools.lru_cache`` for results computed from the default snapshot: emptied when
    :func:`load_snapshot` finds a different snapshot (after ``blilyst data refresh``, in any process)."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        cached = functools.lru_cache(maxsize=maxsize)(fn)
        _PER_SNAPSHOT.append(cached)
        return cast("Callable[P, R]", cached)

    return decorate


def clear_cache() -> None:
    """Forget loaded snapshots (after ``write_snapshot`` or when ``$BLILYST_DATA_DIR`` changes)."""
    _cached.cache_clear()
    _cached_default.cache_clear()


load_snapshot.cache_clear = clear_cache  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_bool_dtype(s):
            continue
        if pd.api.types.is_integer_dtype(s):
            lo, hi = (int(s.min()), int(s.max())) if len(s) else (0, 0)
            for t in (np.int8, np.int16, np.int32, np.int64):
                if np.iinfo(t).min <= lo and hi <= np.iinfo(t).max:
                    out[col] = s.astype(t)
                    break
        elif (
            pd.api.types.is_object_dtype(s)
            or pd.api.types.is_string_dtype(s)
            or isinstance(s.dtype, pd.CategoricalDtype)
        ):
            if len(s) and s.nunique() * 4 < len(s):
                out[col] = s.astype(str).astype("category")
            else:
                out[col] = s.astype(str)
    return out


def write_snapshot(datasets: dict[str, pd.DataFrame], manifest: JSONDict, dest: Path) -> Path:
    """Write a snapshot directory atomically: to a temporary directory beside ``dest``, then rename.

    Expectations (``blilyst data refresh`` writes the local snapshot with this):

    * ``datasets`` maps data-set names from :data:`SCHEMAS` to frames with at least the columns listed
      there (extra columns are kept). It may be a subset: when loading, data sets missing from a local
      snapshot are taken from the bundled one. An empty frame is stored with the schema's column
      types. Municipality codes must be four-digit 2024 codes as strings; ``population`` must be complete (every year x municipality x sex x age 0..105) and is
      stored sorted by year, municipality, sex (male, female), age.
    * ``manifest`` has ``version`` (str) and ``datasets``: per data set a dict with ``description``,
      ``ssb_table``, ``source_file`` (or the API URL), ``date`` (the table's updated stamp),
      ``licence`` and ``credit`` ("Kilde: Statistisk sentralbyrå"). ``built`` defaults to today.
      ``file``, ``rows`` and ``columns`` are filled in here.
    * Nothing at ``dest`` is touched unless everything was written: a failure leaves the previous
      snapshot as it was and raises :class:`SnapshotError`. Loaded snapshots are forgotten
      (:func:`clear_cache`) so the next :func:`load_snapshot` sees the new data.
    """
    import datetime as _dt

    dest = Path(dest)
    datasets = _checked_datasets(datasets, manifest)
    entries = manifest["datasets"]
    out_manifest = {**manifest, "built": manifest.get("built") or _dt.date.today().isoformat(), "datasets": {}}
    tmp = make_temp_beside(dest)
    try:
        for name, frame in datasets.items():
            out_manifest["datasets"][name] = {**entries[name], **_write_dataset(tmp, name, frame)}
        (tmp / MANIFEST).write_text(json.dumps(out_manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        _read_dir(tmp, list(datasets), required=True)  # what we wrote must read back
        _swap_into_place(tmp, dest)
    except Exception as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, SnapshotError):
            raise
        raise SnapshotError(
            gettext("Could not write the snapshot to {dest} ({problem}); the previous data are kept.").format(
                dest=dest, problem=exc
            )
        ) from exc
    clear_cache()
    return dest


def _checked_datasets(datasets: dict[str, pd.DataFrame], manifest: JSONDict) -> dict[str, pd.DataFrame]:
    """``datasets`` after checking names, manifest entries, columns and municipality codes (population sorted)."""
    unknown = sorted(set(datasets) - set(SCHEMAS))
    if unknown:
        raise SnapshotError(
            gettext("Unknown data set(s) {names}; known: {known}").format(
                names=", ".join(map(str, unknown)), known=", ".join(DATASETS)
            )
        )
    entries = manifest.get("datasets", {})
    missing_meta = [n for n in datasets if n not in entries]
    if missing_meta or not manifest.get("version"):
        raise SnapshotError(
            gettext("The manifest needs a 'version' and an entry per data set (missing for {names})").format(
                names=", ".join(missing_meta) or "version"
            )
        )
    for name, frame in datasets.items():
        lacking = [c for c in SCHEMAS[name] if c not in frame.columns]
        if lacking:
            raise SnapshotError(
                gettext("Data set '{name}' lacks the column(s) {columns}").format(name=name, columns=", ".join(lacking))
            )
        for col in ("municipality", "origin", "destination", "current_code"):
            if col in SCHEMAS[name] and len(frame):
                bad = ~frame[col].astype(str).str.fullmatch(r"\d{4}")
                if bad.any():
                    raise SnapshotError(
                        gettext(
                            "Data set '{name}': column '{column}' must hold four-digit municipality codes as strings, "
                            "got {values}"
                        ).format(
                            name=name, column=col, values=", ".join(sorted(set(frame.loc[bad, col].astype(str)))[:5])
                        )
                    )
    if "population" in datasets:
        datasets = {**datasets, "population": _ordered_population(datasets["population"])}
    return datasets


def _write_dataset(folder: Path, name: str, frame: pd.DataFrame) -> JSONDict:
    """One data set as zstd parquet in ``folder``; returns its manifest fields (file, rows, columns)."""
    file = f"{name}.parquet"
    table = pa.Table.from_pandas(_compact(frame.reset_index(drop=True)), preserve_index=False)
    table = _fill_null_types(name, table)
    _check_schema(name, table.schema, folder / file)
    pq.write_table(table, folder / file, compression="zstd", compression_level=19)
    return {"file": file, "rows": table.num_rows, "columns": list(frame.columns)}


def _swap_into_place(tmp: Path, dest: Path) -> None:
    """Rename ``tmp`` onto ``dest``, keeping the old ``dest`` until the new one is in place."""
    old = None
    if dest.exists():
        old = dest.parent / f".{dest.name}.old-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old)
        dest.rename(old)
    try:
        tmp.rename(dest)
    except OSError:
        if old is not None:
            old.rename(dest)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def make_temp_beside(dest: Path) -> Path:
    """A new empty directory beside ``dest`` (same file system, so it can be renamed onto ``dest``).

    Raises :class:`SnapshotError` naming ``dest`` when it cannot be written there (no permission,
    a file in the way, read-only file system). ``blilyst data refresh`` calls this before it fetches
    anything, so a bad destination fails at once and not after minutes of downloading.
    """
    dest = Path(dest)
    try:
        if dest.exists() and not dest.is_dir():
            raise NotADirectoryError(f"{dest} is a file")
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
        tmp.chmod(0o755)
    except OSError as exc:
        raise SnapshotError(
            gettext(
                "Cannot write a snapshot to {dest} ({problem}). Give a directory you may write to (--dest or "
                "${variable}); the previous data are kept."
            ).format(dest=dest, problem=exc, variable=ENV_DIR)
        ) from None
    return tmp


_ARROW_TYPES = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}


def _fill_null_types(name: str, table: pa.Table) -> pa.Table:
    """An empty data set or an all-missing column has no real type in pandas; give it the schema's."""
    for col, kind in SCHEMAS[name].items():
        idx = table.schema.get_field_index(col)
        if idx >= 0 and (pa.types.is_null(table.schema.field(idx).type) or table.num_rows == 0):
            table = table.set_column(idx, col, table.column(idx).cast(_ARROW_TYPES[kind]))
    return table


def _ordered_population(pop: pd.DataFrame) -> pd.DataFrame:
    sex = pd.Categorical(pop.sex.astype(str), categories=list(SEXES))
    if sex.isna().any():
        raise SnapshotError(gettext("population: sex must be 'male' or 'female'"))
    muni = pd.Categorical(pop.municipality.astype(str))  # categories are sorted: codes sort like the strings
    order = np.lexsort((pop.age.to_numpy(), sex.codes, muni.codes, pop.year.to_numpy()))
    out = pop.iloc[order].reset_index(drop=True)
    n_years, n_codes = out.year.nunique(), out.municipality.nunique()
    if len(out) != n_years * n_codes * len(SEXES) * N_AGES or out.age.min() < 0 or out.age.max() >= N_AGES:
        raise SnapshotError(
            gettext(
                "population must be complete: every year x municipality x sex x age 0..{oldest} "
                "({rows} rows for {years} years and {codes} municipalities)"
            ).format(oldest=N_AGES - 1, rows=format_number(len(out)), years=n_years, codes=n_codes)
        )
    return out
