"""The one JSON-stat 2 reader in blilyst: a dataset becomes a tidy pandas frame.

SSB's PxWebApi (v2 and the older v0) answer in JSON-stat 2 (https://json-stat.org/format/).
A dataset is a dense cube: ``id`` names the dimensions, ``size`` their lengths, and ``value``
holds the cells flat in row-major order (the last dimension varies fastest). ``status`` marks
cells with a symbol; SSB uses them for values that are missing for a reason:

====== ==========================================================================
symbol meaning (SSB's standard symbols)
====== ==========================================================================
``.``  not possible to give a figure (the category does not exist that year)
``..`` data not available
``...``figure not yet available
``:``  suppressed for confidentiality
``-``  nil (the value, if any, is zero and is kept as it is)
====== ==========================================================================

A missing value (``null`` or absent from a sparse ``value`` object) stays missing (``NaN``) in
the frame, with its symbol in the ``status`` column; it never becomes zero.

Example
-------
>>> from blilyst.stats.jsonstat import read_jsonstat
>>> frame = read_jsonstat(json_text)                          # doctest: +SKIP
>>> frame.columns.tolist()                                    # doctest: +SKIP
['Region', 'Region_label', 'ContentsCode', 'ContentsCode_label', 'Tid', 'Tid_label', 'value', 'status']
>>> frame.attrs["jsonstat"]["table_id"]                       # doctest: +SKIP
'07459'
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from blilyst.errors import SsbResponseError
from blilyst.i18n import format_list, ngettext
from blilyst.i18n import gettext as _

#: SSB's status symbols and what they mean (shown in docs and messages).
STATUS_MEANINGS: dict[str, str] = {
    ".": "not possible to give a figure",
    "..": "data not available",
    "...": "figure not yet available",
    ":": "suppressed for confidentiality",
    "-": "nil",
}

LABEL_SUFFIX = "_label"


@dataclass(frozen=True)
class Dimension:
    """One dimension of a dataset: its id, label, category codes (in cube order) and labels."""

    id: str
    label: str
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    units: Mapping[str, Any] = field(default_factory=dict)
    extension: Mapping[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.codes)

    def label_of(self, code: str) -> str:
        return self.labels[self.codes.index(code)]


@dataclass
class JsonStatDataset:
    """A parsed JSON-stat 2 dataset (or the metadata of one, then ``values`` is ``None``)."""

    label: str
    source: str | None
    updated: str | None
    table_id: str | None
    dimensions: list[Dimension]
    values: np.ndarray | None  # float64, flat, NaN where missing; None for metadata-only answers
    status: dict[int, str]
    notes: list[str] = field(default_factory=list)
    mandatory_notes: list[str] = field(default_factory=list)
    roles: dict[str, list[str]] = field(default_factory=dict)
    extension: dict[str, Any] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.dimensions]

    @property
    def sizes(self) -> list[int]:
        return [len(d) for d in self.dimensions]

    @property
    def n_cells(self) -> int:
        return int(math.prod(self.sizes))

    def dimension(self, dim_id: str) -> Dimension:
        for dim in self.dimensions:
            if dim.id == dim_id:
                return dim
        raise KeyError(
            _("SSB's dataset has no dimension '{dimension}'; it has {dimensions}").format(
                dimension=dim_id, dimensions=format_list(self.ids)
            )
        )

    @property
    def meta(self) -> dict[str, Any]:
        """Plain metadata, also stored in ``frame.attrs['jsonstat']``."""
        return {
            "label": self.label,
            "source": self.source,
            "updated": self.updated,
            "table_id": self.table_id,
            "notes": list(self.notes),
            "mandatory_notes": list(self.mandatory_notes),
            "dimensions": {d.id: d.label for d in self.dimensions},
            "roles": {k: list(v) for k, v in self.roles.items()},
        }

    def to_frame(self) -> pd.DataFrame:
        """Tidy frame: ``<dim>`` (code) and ``<dim>_label`` per dimension, then ``value`` and ``status``.

        Rows follow the cube order (last dimension fastest). Missing cells are ``NaN`` with their
        status symbol in ``status`` (``None`` where the cell has no status).
        """
        if self.values is None:
            raise ValueError(_("this dataset holds metadata only (no values); fetch data to get a frame"))
        sizes = self.sizes
        n = self.n_cells
        columns: dict[str, Any] = {}
        # Index of every row along every dimension, without building an n-by-d Python list.
        for axis, dim in enumerate(self.dimensions):
            reps_inner = int(math.prod(sizes[axis + 1 :]))
            reps_outer = int(math.prod(sizes[:axis]))
            idx = np.tile(np.repeat(np.arange(len(dim)), reps_inner), reps_outer)
            codes = np.asarray(dim.codes, dtype=object)
            labels = np.asarray(dim.labels, dtype=object)
            columns[dim.id] = codes[idx] if n else np.asarray([], dtype=object)
            columns[dim.id + LABEL_SUFFIX] = labels[idx] if n else np.asarray([], dtype=object)
        columns["value"] = self.values.astype("float64", copy=False)
        status = np.full(n, None, dtype=object)
        for i, symbol in self.status.items():
            status[i] = symbol
        columns["status"] = status
        frame = pd.DataFrame(columns)
        frame.attrs["jsonstat"] = self.meta
        return frame

    def to_dict(self) -> dict[str, Any]:
        """The dataset as a JSON-stat 2 object (what :func:`parse_jsonstat` reads back)."""
        dims: dict[str, Any] = {}
        for d in self.dimensions:
            cat: dict[str, Any] = {
                "index": {c: i for i, c in enumerate(d.codes)},
                "label": dict(zip(d.codes, d.labels, strict=True)),
            }
            if d.units:
                cat["unit"] = dict(d.units)
            dims[d.id] = {"label": d.label, "category": cat}
            if d.extension:
                dims[d.id]["extension"] = dict(d.extension)
        out: dict[str, Any] = {
            "version": "2.0",
            "class": "dataset",
            "label": self.label,
            "source": self.source,
            "updated": self.updated,
            "id": self.ids,
            "size": self.sizes,
            "dimension": dims,
        }
        if self.notes:
            out["note"] = list(self.notes)
        if self.roles:
            out["role"] = {k: list(v) for k, v in self.roles.items()}
        ext = dict(self.extension)
        if self.table_id is not None:
            ext.setdefault("px", {})
            ext["px"] = {**ext["px"], "tableid": self.table_id}
        if ext:
            out["extension"] = ext
        if self.values is not None:
            out["value"] = [None if math.isnan(v) else _plain_number(v) for v in self.values.tolist()]
        if self.status:
            out["status"] = {str(i): s for i, s in sorted(self.status.items())}
        return out


def _plain_number(v: float) -> int | float:
    return int(v) if float(v).is_integer() and abs(v) < 2**53 else v


def _fail(problem: str, url: str | None) -> SsbResponseError:
    """The error for an answer that is not a dataset blilyst can read; ``problem`` is already translated."""
    if url:
        message = _(
            "SSB's answer from {url} is not a readable JSON-stat 2 dataset: {problem}. "
            "Try again later; if it persists, the table or query may have changed."
        ).format(url=url, problem=problem)
    else:
        message = _(
            "SSB's answer is not a readable JSON-stat 2 dataset: {problem}. "
            "Try again later; if it persists, the table or query may have changed."
        ).format(problem=problem)
    return SsbResponseError(message, url=url)


def _load(data: Any, url: str | None) -> dict[str, Any]:
    if isinstance(data, (bytes, bytearray)):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _fail(
                _("the bytes are not UTF-8 ({reason} at byte {position})").format(
                    reason=exc.reason, position=exc.start
                ),
                url,
            ) from None
    if isinstance(data, str):
        if not data.strip():
            raise _fail(_("the answer is empty"), url)
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise _fail(
                _("invalid JSON ({error} at line {line} column {column}; the answer may be truncated)").format(
                    error=exc.msg, line=exc.lineno, column=exc.colno
                ),
                url,
            ) from None
    if not isinstance(data, dict):
        raise _fail(_("expected a JSON object, got {kind}").format(kind=type(data).__name__), url)
    return data


def _category(dim_id: str, raw: Any, url: str | None) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, Any]]:
    if not isinstance(raw, dict) or not isinstance(raw.get("category"), dict):
        raise _fail(_("dimension '{dimension}' has no category").format(dimension=dim_id), url)
    cat = raw["category"]
    index = cat.get("index")
    labels = cat.get("label") or {}
    if not isinstance(labels, dict):
        raise _fail(
            _("dimension '{dimension}' has a category label that is not an object").format(dimension=dim_id), url
        )
    if index is None:
        # JSON-stat allows omitting the index for a dimension with a single category.
        if len(labels) != 1:
            raise _fail(_("dimension '{dimension}' has no category index").format(dimension=dim_id), url)
        codes = [next(iter(labels))]
    elif isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        try:
            positions = sorted((int(p), str(c)) for c, p in index.items())
        except (TypeError, ValueError):
            raise _fail(
                _("dimension '{dimension}' has a non-integer category index").format(dimension=dim_id), url
            ) from None
        if [p for p, _ in positions] != list(range(len(positions))):
            raise _fail(
                _("dimension '{dimension}' has category positions that are not 0..n-1").format(dimension=dim_id), url
            )
        codes = [c for _, c in positions]
    else:
        raise _fail(_("dimension '{dimension}' has a category index of the wrong type").format(dimension=dim_id), url)
    if len(set(codes)) != len(codes):
        raise _fail(_("dimension '{dimension}' repeats a category code").format(dimension=dim_id), url)
    out_labels = tuple(str(labels.get(c, c)) for c in codes)
    return tuple(codes), out_labels, cat.get("unit") or {}


def _values(raw: Any, n: int, url: str | None) -> np.ndarray:
    if isinstance(raw, list):
        if len(raw) != n:
            raise _fail(
                ngettext(
                    "{values} values for {cells} cell ('size' says {cells}; the answer may be truncated)",
                    "{values} values for {cells} cells ('size' says {cells}; the answer may be truncated)",
                    n,
                ).format(values=len(raw), cells=n),
                url,
            )
        if set(map(type, raw)) <= {int, float, type(None)}:  # the usual case: one fast conversion
            return np.array(raw, dtype="float64")  # None becomes NaN
        items: Iterable[tuple[int, Any]] = enumerate(raw)
    elif isinstance(raw, dict):
        try:
            items = [(int(k), v) for k, v in raw.items()]
        except ValueError:
            raise _fail(_("the value object has a key that is not a cell number"), url) from None
    else:
        raise _fail(_("'value' is neither a list nor an object"), url)
    out = np.full(n, np.nan, dtype="float64")
    for i, v in items:
        if not 0 <= i < n:
            raise _fail(
                ngettext(
                    "value index {index} is outside the {cells} cell",
                    "value index {index} is outside the {cells} cells",
                    n,
                ).format(index=i, cells=n),
                url,
            )
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise _fail(_("cell {index} holds {value}, not a number").format(index=i, value=repr(v)), url)
        out[i] = float(v)
    return out


def _status(raw: Any, n: int, url: str | None) -> dict[int, str]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        return dict.fromkeys(range(n), raw)
    if isinstance(raw, list):
        if len(raw) == 1 and n != 1:
            return {i: str(raw[0]) for i in range(n)} if raw[0] is not None else {}
        if len(raw) != n:
            raise _fail(
                ngettext(
                    "{entries} status entries for {cells} cell",
                    "{entries} status entries for {cells} cells",
                    n,
                ).format(entries=len(raw), cells=n),
                url,
            )
        return {i: str(s) for i, s in enumerate(raw) if s is not None}
    if isinstance(raw, dict):
        out: dict[int, str] = {}
        for k, s in raw.items():
            try:
                i = int(k)
            except ValueError:
                raise _fail(_("status key {key} is not a cell number").format(key=repr(k)), url) from None
            if not 0 <= i < n:
                raise _fail(
                    ngettext(
                        "status index {index} is outside the {cells} cell",
                        "status index {index} is outside the {cells} cells",
                        n,
                    ).format(index=i, cells=n),
                    url,
                )
            if s is not None:
                out[i] = str(s)
        return out
    raise _fail(_("'status' is neither a string, a list nor an object"), url)


def parse_jsonstat(data: Any, *, url: str | None = None, require_values: bool = True) -> JsonStatDataset:
    """Parse a JSON-stat 2 dataset given as ``bytes``, ``str`` or an already-decoded ``dict``.

    ``require_values=False`` accepts metadata answers (PxWebApi v2 ``/tables/{id}/metadata``), whose
    ``value`` is absent, null or empty. ``url`` only goes into error messages.

    Raises :class:`~blilyst.errors.SsbResponseError` naming what is wrong: invalid or truncated JSON,
    not a dataset, ``id``/``size``/``dimension`` disagreeing, too few or too many values, a value that is
    not a number.
    """
    obj = _load(data, url)
    klass = obj.get("class")
    if klass != "dataset":
        if "error" in obj or "title" in obj:
            detail = obj.get("error") or obj.get("detail") or obj.get("title")
            raise _fail(_("SSB reported an error instead of data: {detail}").format(detail=detail), url)
        raise _fail(_("'class' is {value}, expected 'dataset'").format(value=repr(klass)), url)
    ids, sizes, dims_raw = obj.get("id"), obj.get("size"), obj.get("dimension")
    if not isinstance(ids, list) or not isinstance(sizes, list) or not isinstance(dims_raw, dict):
        raise _fail(_("'id', 'size' or 'dimension' is missing"), url)
    if len(ids) != len(sizes):
        raise _fail(
            ngettext(
                "'id' names {dimensions} dimension but 'size' gives {sizes}",
                "'id' names {dimensions} dimensions but 'size' gives {sizes}",
                len(ids),
            ).format(dimensions=len(ids), sizes=len(sizes)),
            url,
        )
    if any(isinstance(s, bool) or not isinstance(s, int) or s < 0 for s in sizes):
        raise _fail(_("'size' must hold non-negative integers"), url)
    dimensions: list[Dimension] = []
    for dim_id, size in zip(ids, sizes, strict=True):
        if dim_id not in dims_raw:
            raise _fail(_("dimension '{dimension}' is named in 'id' but not described").format(dimension=dim_id), url)
        codes, labels, units = _category(dim_id, dims_raw[dim_id], url)
        if len(codes) != size:
            raise _fail(
                ngettext(
                    "dimension '{dimension}' has {categories} category but 'size' says {size}",
                    "dimension '{dimension}' has {categories} categories but 'size' says {size}",
                    len(codes),
                ).format(dimension=dim_id, categories=len(codes), size=size),
                url,
            )
        raw = dims_raw[dim_id]
        dimensions.append(
            Dimension(
                id=str(dim_id),
                label=str(raw.get("label", dim_id)),
                codes=codes,
                labels=labels,
                units=units,
                extension=raw.get("extension") or {},
            )
        )
    n = int(math.prod(sizes))
    raw_values = obj.get("value")
    if raw_values is None or (raw_values == [] and n):
        if require_values:
            raise _fail(_("there is no 'value' (did the request ask for metadata only?)"), url)
        values = None
    else:
        values = _values(raw_values, n, url)
    ext = obj.get("extension") or {}
    px = ext.get("px") or {} if isinstance(ext, dict) else {}
    notes = [str(x) for x in obj.get("note") or []]
    mandatory = ext.get("noteMandatory") if isinstance(ext, dict) else None
    mandatory_notes = []
    if isinstance(mandatory, dict):
        for k, flag in mandatory.items():
            if flag and str(k).isdigit() and int(k) < len(notes):
                mandatory_notes.append(notes[int(k)])
    table_id = px.get("tableid") if isinstance(px, dict) else None
    return JsonStatDataset(
        label=str(obj.get("label") or ""),
        source=obj.get("source"),
        updated=obj.get("updated"),
        table_id=str(table_id) if table_id is not None else None,
        dimensions=dimensions,
        values=values,
        status=_status(obj.get("status"), n, url) if values is not None else {},
        notes=notes,
        mandatory_notes=mandatory_notes,
        roles={k: list(v) for k, v in (obj.get("role") or {}).items()},
        extension=dict(ext) if isinstance(ext, dict) else {},
    )


def read_jsonstat(data: Any, *, url: str | None = None) -> pd.DataFrame:
    """Parse a JSON-stat 2 dataset straight into a tidy frame (see :meth:`JsonStatDataset.to_frame`)."""
    return parse_jsonstat(data, url=url).to_frame()
