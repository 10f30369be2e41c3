"""A client for Statistics Norway's PxWebApi v2, with the older v0 POST API as a fallback.

What it does (see ``docs/ssb-client.md``):

* ``config()``, ``tables()`` (paged list and search), ``table(id)``, ``metadata(id)``, ``codelist(id)``
  and ``data(id, selection)``: the last returns a tidy pandas frame (see :mod:`blilyst.stats.jsonstat`).
* Data by GET; by POST when the GET URL would pass ``max_url_length`` (2 100 characters: SSB answers 404
  to longer URLs).
* A query bigger than the cell limit (``/config`` ``maxDataCells`` when it is above 0, else 800 000)
  is split into several requests along its largest dimension, and the answers are concatenated.
* Rate limits: SSB sends ``x-ratelimit-limit: 40``, ``x-ratelimit-policy: 40;w=60s`` and
  ``x-ratelimit-remaining`` but **no reset header** (PXWEBAPI.md): at ``remaining: 0`` the client waits
  out the policy's whole window (60 s; an ``x-ratelimit-reset``, where a server sends one, wins), and a
  client-side sliding window keeps below ``calls_per_minute`` (SSB's guide: 30 a minute per address).
* 5xx answers are retried with exponential backoff, and 429 after the whole rate-limit window
  (``Retry-After`` wins when it is given);
  timeouts are retried too; a refused connection or a DNS failure is reported at once.
* When v2 keeps failing with a server error or cannot be reached, data requests go to the v0 API
  (``POST {v0}/{lang}/table/{id}/``).
* Answers are cached on disk (:mod:`blilyst.stats.cache`) keyed by the query and the table's
  ``updated`` stamp; a second run is served from disk without touching the network. When SSB cannot
  be reached, the newest cached answer of the same query is used with a warning.

Errors: :class:`~blilyst.errors.UnknownTable` (404 for a table id),
:class:`~blilyst.errors.SsbResponseError` (any other bad answer: status, URL and what to do),
:class:`~blilyst.errors.SsbUnavailable` (no network, timeouts).

Sources: PxWebApi 2 user guide (SSB/SCB), SSB's notes on API limits; ``data/raw/PXWEBAPI.md``.
"""

from __future__ import annotations

import collections
import email.utils
import logging
import math
import os
import re
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import httpx
import numpy as np
import pandas as pd
import tenacity

from blilyst import __version__ as _version
from blilyst.errors import SsbError, SsbResponseError, SsbUnavailable, UnknownTable
from blilyst.i18n import N_, ngettext
from blilyst.i18n import gettext as _
from blilyst.stats.cache import ResponseCache
from blilyst.stats.jsonstat import JsonStatDataset, parse_jsonstat

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://data.ssb.no/api/pxwebapi/v2"
DEFAULT_V0_URL = "https://data.ssb.no/api/v0"
DEFAULT_MAX_CELLS = 800_000
DEFAULT_MAX_URL_LENGTH = 2_100
DEFAULT_CALLS_PER_MINUTE = 30
DEFAULT_TABLE_INFO_TTL_S = 6 * 3600
MAX_WAIT_S = 120.0
BREAKER_S = 60.0  # an API that failed for good is not asked again for this long

# Marked for translation; the errors say it in the active language (gettext(OFFLINE_MESSAGE)).
OFFLINE_MESSAGE = N_("You are offline or SSB is not answering; blilyst keeps working on the bundled data")


class StaleCacheWarning(UserWarning):
    """SSB could not be reached, so an older cached answer was used."""


# --- queries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """One data request: value codes (or v2 expressions such as ``*``, ``top(5)``, ``from(2006)``) per
    variable, with optional codelists (``{"Region": "agg_KommSummer"}``) and output values."""

    table_id: str
    selection: Mapping[str, tuple[str, ...]]
    codelists: Mapping[str, str] = field(default_factory=dict)
    output_values: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        table_id: str,
        selection: Mapping[str, str | Sequence[str]],
        codelists: Mapping[str, str] | None = None,
        output_values: Mapping[str, str] | None = None,
    ) -> Query:
        sel = {}
        for var, values in selection.items():
            if isinstance(values, str):
                values = [values]
            sel[str(var)] = tuple(str(v) for v in values)
            if not sel[str(var)]:
                raise ValueError(_("selection of '{variable}' is empty; give value codes or '*'").format(variable=var))
        return cls(str(table_id), sel, dict(codelists or {}), dict(output_values or {}))

    def key(self, lang: str) -> dict[str, Any]:
        return {
            "table": self.table_id,
            "lang": lang,
            "selection": {k: list(v) for k, v in self.selection.items()},
            "codelists": dict(self.codelists),
            "outputValues": dict(self.output_values),
        }

    def params(self, lang: str) -> list[tuple[str, str]]:
        """v2 GET parameters."""
        out = [("lang", lang), ("outputFormat", "json-stat2")]
        for var, values in self.selection.items():
            out.append((f"valueCodes[{var}]", ",".join(values)))
        for var, cl in self.codelists.items():
            out.append((f"codelist[{var}]", cl))
        for var, ov in self.output_values.items():
            out.append((f"outputValues[{var}]", ov))
        return out

    def body(self) -> dict[str, Any]:
        """v2 POST body."""
        selection = []
        for var, values in self.selection.items():
            item: dict[str, Any] = {"variableCode": var, "valueCodes": list(values)}
            if var in self.codelists:
                item["codelist"] = self.codelists[var]
            if var in self.output_values:
                item["outputValues"] = self.output_values[var]
            selection.append(item)
        return {"selection": selection}

    def v0_body(self) -> dict[str, Any]:
        """The same query for the v0 POST API (``agg_X`` codelists become ``agg:X`` filters)."""
        query = []
        for var, values in self.selection.items():
            cl = self.codelists.get(var)
            filt = "item"
            if cl:
                prefix, _sep, name = cl.partition("_")
                filt = f"{prefix}:{name}" if prefix in ("agg", "vs") and name else cl
            vals = list(values)
            if vals == ["*"]:
                filt, vals = ("all", ["*"]) if not cl else (filt, ["*"])
            elif len(vals) == 1 and (m := re.fullmatch(r"top\((\d+)\)", vals[0])):
                filt, vals = "top", [m.group(1)]
            query.append({"code": var, "selection": {"filter": filt, "values": vals}})
        return {"query": query, "response": {"format": "json-stat2"}}

    def with_selection(self, selection: Mapping[str, Sequence[str]]) -> Query:
        return replace(self, selection={k: tuple(v) for k, v in selection.items()})


_EXPR = re.compile(r"(top|bottom|from|to|range)\((.*)\)", re.IGNORECASE)


def resolve_values(values: Sequence[str], codes: Sequence[str], *, is_time: bool = False) -> list[str]:
    """Expand v2 selection expressions against a dimension's codes (in metadata order).

    ``*`` (all), wildcards (``K-30*``, ``?`` for one character), ``top(n)`` (the n latest periods of a
    time variable, the first n otherwise), ``bottom(n)``, ``from(x)``, ``to(x)``, ``range(a,b)`` and plain
    codes. Raises ``ValueError`` for an expression or code it does not know.
    """
    codes = list(codes)
    chosen: list[str] = []
    for value in values:
        m = _EXPR.fullmatch(value.strip())
        if m:
            kind, arg = m.group(1).lower(), m.group(2)
            if kind in ("top", "bottom"):
                n = int(arg.split(",")[0])
                first, last = codes[:n], codes[-n:] if n else []
                chosen += (last if is_time else first) if kind == "top" else (first if is_time else last)
            elif kind == "from":
                chosen += codes[codes.index(arg) :]
            elif kind == "to":
                chosen += codes[: codes.index(arg) + 1]
            else:
                a, b = (s.strip() for s in arg.split(","))
                chosen += codes[codes.index(a) : codes.index(b) + 1]
        elif "*" in value or "?" in value:
            pattern = re.compile("".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in value))
            chosen += [c for c in codes if pattern.fullmatch(c)]
        elif value in codes:
            chosen.append(value)
        else:
            raise ValueError(_("'{value}' is not a code of this variable").format(value=value))
    return list(dict.fromkeys(chosen))  # first occurrence of each code, in order


def split_selection(resolved: Mapping[str, Sequence[str]], max_cells: int) -> list[dict[str, list[str]]]:
    """Split explicit code lists into parts of at most ``max_cells`` cells each, cutting the largest
    variable first (recursively, so any limit >= 1 can be met)."""
    lists = {k: list(v) for k, v in resolved.items()}
    cells = math.prod(len(v) for v in lists.values())
    if cells <= max_cells:
        return [lists]
    var = max(lists, key=lambda k: len(lists[k]))
    codes = lists[var]
    others = cells // len(codes)
    per_part = max(1, max_cells // others)
    parts: list[dict[str, list[str]]] = []
    for i in range(0, len(codes), per_part):
        parts += split_selection({**lists, var: codes[i : i + per_part]}, max_cells)
    return parts


# --- the client -------------------------------------------------------------------------------


def _env_url(name: str, default: str) -> str:
    return (os.environ.get(name) or default).rstrip("/")


class PxWebClient:
    """SSB PxWebApi v2 client. All network waits go through ``sleep`` (inject one in tests).

    >>> client = PxWebClient()                                                    # doctest: +SKIP
    >>> client.data("07459", {"Region": ["K-4036"], "ContentsCode": ["Personer1"],
    ...                       "Tid": ["top(3)"]}, codelists={"Region": "agg_KommSummer"})  # doctest: +SKIP

    ``base_url`` defaults to ``$BLILYST_SSB_URL`` or :data:`DEFAULT_BASE_URL`; ``v0_url`` to
    ``$BLILYST_SSB_V0_URL`` or :data:`DEFAULT_V0_URL` (``None``/``""`` switches the fallback off).
    ``cache`` is a :class:`ResponseCache` (default: ``$BLILYST_CACHE_DIR``), or ``False`` for none.
    ``table_info_ttl``: how long a table's ``updated`` stamp is trusted before it is asked again.
    ``offline_cache``: when SSB cannot be reached, serve the newest cached answer (with a warning).
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        v0_url: str | bool | None = True,
        lang: str = "no",
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 1.0,
        max_wait: float = MAX_WAIT_S,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        cache: ResponseCache | bool | None = None,
        max_cells: int | None = None,
        max_url_length: int = DEFAULT_MAX_URL_LENGTH,
        calls_per_minute: int | None = DEFAULT_CALLS_PER_MINUTE,
        table_info_ttl: float = DEFAULT_TABLE_INFO_TTL_S,
        offline_cache: bool = True,
        http: httpx.Client | None = None,
    ):
        self.base_url = (base_url or _env_url("BLILYST_SSB_URL", DEFAULT_BASE_URL)).rstrip("/")
        if v0_url is True:
            v0_url = _env_url("BLILYST_SSB_V0_URL", DEFAULT_V0_URL)
        self.v0_url = v0_url.rstrip("/") if v0_url else None
        self.lang = lang
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self._sleep = sleep
        self._clock = clock
        if cache is None or cache is True:
            cache = ResponseCache()
        self.cache: ResponseCache | None = cache or None
        self._max_cells = max_cells
        self.max_url_length = max_url_length
        self.calls_per_minute = calls_per_minute
        self.table_info_ttl = table_info_ttl
        self.offline_cache = offline_cache
        self._own_http = http is None
        self._http = http or httpx.Client(
            headers={"User-Agent": f"blilyst/{_version} (+https://github.com/blilyst)", "Accept": "application/json"},
            follow_redirects=True,
        )
        self._calls: collections.deque[float] = collections.deque()
        self._blocked_until = 0.0
        self._down: dict[str, tuple[SsbError, float]] = {}
        self._config: dict[str, Any] | None = None
        self._tables: dict[str, dict[str, Any]] = {}
        self.requests_made = 0

    # -- lifecycle
    def close(self) -> None:
        if self._own_http:
            self._http.close()

    def __enter__(self) -> PxWebClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- HTTP with limits, retries and clear errors --------------------------------------------
    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self._sleep(min(seconds, self.max_wait))

    def _throttle(self) -> None:
        now = self._clock()
        if self._blocked_until > now:
            self._wait(self._blocked_until - now)
            self._blocked_until = 0.0
        if self.calls_per_minute:
            now = self._clock()
            while self._calls and now - self._calls[0] >= 60.0:
                self._calls.popleft()
            if len(self._calls) >= self.calls_per_minute:
                self._wait(60.0 - (now - self._calls[0]))
                self._calls.popleft()
        self._calls.append(self._clock())

    def _note_rate_limit(self, resp: httpx.Response) -> None:
        remaining = resp.headers.get("x-ratelimit-remaining")
        if remaining is None:
            return
        reset = resp.headers.get("x-ratelimit-reset")
        try:
            if int(float(remaining)) > 0:
                return
            # SSB sends no reset header: the window the policy names (40;w=60s) is waited out whole
            wait = _seconds_until(reset) if reset is not None else _policy_window(resp)
        except ValueError:
            return
        log.info("SSB rate limit reached; waiting %.1f s before the next call", wait)
        self._blocked_until = max(self._blocked_until, self._clock() + wait)

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff * 2.0**attempt, self.max_wait)

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request with retries. Once an API (v2 or v0) has failed for good (no connection, or a
        server error after all retries), further calls to it fail at once for ``BREAKER_S`` seconds
        instead of waiting through the retries again; the v0 fallback then answers sooner."""
        base = self.base_url if url.startswith(self.base_url) else (self.v0_url or "")
        down = self._down.get(base)
        if down is not None and self._clock() - down[1] < BREAKER_S:
            raise down[0]
        try:
            resp = self._send(method, url, **kwargs)
        except SsbUnavailable as exc:
            self._down[base] = (exc, self._clock())
            raise
        except SsbResponseError as exc:
            if exc.status is not None and exc.status >= 500:
                self._down[base] = (exc, self._clock())
            raise
        self._down.pop(base, None)
        return resp

    def _send(
        self,
        method: str,
        url: str,
        *,
        params: Any = None,
        body: Any = None,
        what: str = "answer",
        table_id: str | None = None,
    ) -> httpx.Response:
        """The request, repeated (tenacity) while SSB times out, cuts an answer off, answers 429 or a
        server error: ``retries`` more tries, waiting as SSB asks (Retry-After, the rate-limit window)
        or backing off exponentially; all waits go through the injected ``sleep``."""
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.retries + 1),
            wait=self._retry_wait,
            sleep=self._wait,
            retry=tenacity.retry_if_exception_type(_Retry),
            before_sleep=lambda state: log.info("SSB: %s; retrying", _outcome(state)),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return self._try_once(method, url, params, body, what, table_id, attempt.retry_state.attempt_number)
        except _Retry as exc:
            raise exc.final from None
        raise AssertionError("unreachable: tenacity re-raises the last failure")  # pragma: no cover

    def _retry_wait(self, state: tenacity.RetryCallState) -> float:
        failure = _outcome(state)
        if isinstance(failure, _Retry) and failure.wait is not None:
            return max(failure.wait, 0.0)
        return self._backoff(state.attempt_number - 1)

    def _try_once(
        self, method: str, url: str, params: Any, body: Any, what: str, table_id: str | None, tries: int
    ) -> httpx.Response:
        """One try. A failure worth repeating is a :class:`_Retry` carrying the error to raise if it is
        the last try (its message counts the tries) and how long SSB asked us to wait."""
        self._throttle()
        self.requests_made += 1
        try:
            resp = self._http.request(method, url, params=params, json=body, timeout=self.timeout)
        except httpx.TimeoutException:
            raise _Retry(
                SsbUnavailable(
                    ngettext(
                        "{offline}. (No answer from {url} within {seconds} s, {tries} try.)",
                        "{offline}. (No answer from {url} within {seconds} s, {tries} tries.)",
                        tries,
                    ).format(offline=_(OFFLINE_MESSAGE), url=url, seconds=f"{self.timeout:g}", tries=tries)
                )
            ) from None
        except httpx.RemoteProtocolError as exc:
            raise _Retry(
                SsbResponseError(
                    ngettext(
                        "SSB's answer from {url} was cut off ({error}) after {tries} try. Try again later.",
                        "SSB's answer from {url} was cut off ({error}) after {tries} tries. Try again later.",
                        tries,
                    ).format(url=url, error=exc, tries=tries),
                    url=url,
                )
            ) from None
        except httpx.TransportError as exc:
            raise SsbUnavailable(
                _("{offline}. (Could not reach {url}: {error}.)").format(offline=_(OFFLINE_MESSAGE), url=url, error=exc)
            ) from None
        self._note_rate_limit(resp)
        status = resp.status_code
        if status == 429 or status >= 500:
            retry_after = _retry_after(resp)
            if retry_after is None and status == 429:  # no Retry-After, no reset: the window must pass
                retry_after = _policy_window(resp)
            advice = (
                _("SSB's rate limit was hit repeatedly; wait a minute and try again")
                if status == 429
                else _("SSB has a problem at the moment; try again later")
            )
            final = SsbResponseError(
                ngettext(
                    "SSB answered {status} {reason} for {url} after {tries} try{detail}. {advice}.",
                    "SSB answered {status} {reason} for {url} after {tries} tries{detail}. {advice}.",
                    tries,
                ).format(
                    status=status,
                    reason=resp.reason_phrase,
                    url=resp.request.url,
                    tries=tries,
                    detail=_detail(resp),
                    advice=advice,
                ),
                status=status,
                url=str(resp.request.url),
            )
            raise _Retry(final, retry_after)
        if status == 404 and table_id is not None:
            raise UnknownTable(
                _(
                    "SSB has no table '{table}' ({url} answered 404). Check the table number "
                    "at https://www.ssb.no/statbank or search with PxWebClient().tables(query=...)."
                ).format(table=table_id, url=resp.request.url),
                status=404,
                url=str(resp.request.url),
            )
        if status >= 400:
            raise SsbResponseError(
                _(
                    "SSB answered {status} {reason} for {what} at {url}{detail}. "
                    "Check the request (table, variable and value codes)."
                ).format(
                    status=status, reason=resp.reason_phrase, what=what, url=resp.request.url, detail=_detail(resp)
                ),
                status=status,
                url=str(resp.request.url),
            )
        return resp

    def _json(self, resp: httpx.Response) -> Any:
        try:
            return resp.json()
        except (ValueError, UnicodeDecodeError) as exc:
            raise SsbResponseError(
                _("SSB's answer from {url} is not valid JSON ({error}; it may be truncated). Try again later.").format(
                    url=resp.request.url, error=exc
                ),
                status=resp.status_code,
                url=str(resp.request.url),
            ) from None

    def _get_json(self, path: str, params: Any = None, *, what: str, table_id: str | None = None) -> dict[str, Any]:
        resp = self._request("GET", f"{self.base_url}{path}", params=params, what=what, table_id=table_id)
        data = self._json(resp)
        if not isinstance(data, dict):
            raise SsbResponseError(
                _("SSB's {what} from {url} is not a JSON object. Try again later.").format(
                    what=what, url=resp.request.url
                ),
                status=resp.status_code,
                url=str(resp.request.url),
            )
        return data

    # -- catalogue ------------------------------------------------------------------------------
    def config(self) -> dict[str, Any]:
        """``GET /config``: API version, languages, limits, formats."""
        if self._config is None:
            self._config = self._get_json("/config", what=_("API configuration"))
        return self._config

    def max_cells(self) -> int:
        """Cells allowed per request: the constructor's value, else ``/config`` ``maxDataCells`` when it
        is above 0, else 800 000."""
        if self._max_cells:
            return self._max_cells
        try:
            n = int(self.config().get("maxDataCells") or 0)
        except (SsbError, ValueError, TypeError) as exc:
            log.info("SSB's /config gives no cell limit (%s); requests are split at %d cells", exc, DEFAULT_MAX_CELLS)
            n = 0
        return n if n > 0 else DEFAULT_MAX_CELLS

    def iter_tables(
        self,
        query: str | None = None,
        *,
        past_days: int | None = None,
        include_discontinued: bool = False,
        page_size: int = 100,
        max_pages: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Walk the paged ``GET /tables`` list (optionally a search), yielding one table dict at a time."""
        page = 1
        while True:
            params: list[tuple[str, Any]] = [("lang", self.lang), ("pageSize", page_size), ("pageNumber", page)]
            if query:
                params.append(("query", query))
            if past_days is not None:
                params.append(("pastDays", past_days))
            if include_discontinued:
                params.append(("includeDiscontinued", "true"))
            data = self._get_json("/tables", params, what=_("table list"))
            tables = data.get("tables")
            if not isinstance(tables, list):
                raise SsbResponseError(
                    _("SSB's table list (page {page}) has no 'tables'. Try again later.").format(page=page),
                    url=f"{self.base_url}/tables",
                )
            yield from tables
            info = data.get("page") or {}
            total = int(info.get("totalPages") or page)
            if page >= total or not tables or (max_pages is not None and page >= max_pages):
                return
            page += 1

    def tables(self, query: str | None = None, **kwargs: Any) -> list[dict[str, Any]]:
        """All tables (or those matching ``query``): dicts with id, label, updated, firstPeriod, ..."""
        return list(self.iter_tables(query, **kwargs))

    def table(self, table_id: str, *, refresh: bool = False) -> dict[str, Any]:
        """``GET /tables/{id}``: label, ``updated``, periods, variables. Kept in memory and on disk for
        ``table_info_ttl`` seconds (the stamp decides whether cached data are current)."""
        table_id = str(table_id)
        if not refresh and table_id in self._tables:
            return self._tables[table_id]
        key = {"table": table_id, "lang": self.lang}
        info = None
        if self.cache is not None and not refresh:
            info = self.cache.get_fresh("table", table_id, key, self.table_info_ttl)
        if info is None:
            info = self._get_json(
                f"/tables/{table_id}", [("lang", self.lang)], what=_("table information"), table_id=table_id
            )
            if self.cache is not None:
                self.cache.put("table", table_id, key, None, info)
        self._tables[table_id] = info
        return info

    def updated(self, table_id: str) -> str | None:
        """The table's ``updated`` stamp (when SSB last published into it)."""
        return self.table(table_id).get("updated")

    def metadata(self, table_id: str, codelists: Mapping[str, str] | None = None) -> JsonStatDataset:
        """``GET /tables/{id}/metadata`` as a values-less :class:`JsonStatDataset` (dimensions, codes,
        labels, notes, codelists in each dimension's ``extension``)."""
        table_id = str(table_id)
        params = [("lang", self.lang), ("outputFormat", "json-stat2")]
        params += [(f"codelist[{k}]", v) for k, v in (codelists or {}).items()]
        key = {"table": table_id, "params": params}
        updated = self._updated_or_none(table_id)
        body = self.cache.get("metadata", table_id, key, updated) if (self.cache and updated) else None
        if body is None:
            url = f"{self.base_url}/tables/{table_id}/metadata"
            body = self._json(self._request("GET", url, params=params, what=_("table metadata"), table_id=table_id))
            ds = parse_jsonstat(body, url=url, require_values=False)
            if self.cache is not None:
                self.cache.put("metadata", table_id, key, updated or ds.updated, body)
            return ds
        return parse_jsonstat(body, require_values=False)

    def codelist(self, codelist_id: str) -> dict[str, Any]:
        """``GET /codelists/{id}``: ``values`` of ``{code, label, valueMap}``."""
        data = self._get_json(
            f"/codelists/{codelist_id}",
            [("lang", self.lang)],
            what=_("codelist '{codelist}'").format(codelist=codelist_id),
        )
        if not isinstance(data.get("values"), list):
            raise SsbResponseError(
                _("SSB's codelist '{codelist}' has no 'values'. Check the codelist id.").format(codelist=codelist_id),
                url=f"{self.base_url}/codelists/{codelist_id}",
            )
        return data

    def _updated_or_none(self, table_id: str) -> str | None:
        try:
            return self.updated(table_id)
        except UnknownTable:
            raise
        except SsbError as exc:
            log.info("table information for %s unavailable: %s", table_id, exc)
            return None

    # -- data -----------------------------------------------------------------------------------
    def data(
        self,
        table_id: str,
        selection: Mapping[str, str | Sequence[str]],
        *,
        codelists: Mapping[str, str] | None = None,
        output_values: Mapping[str, str] | None = None,
        on_part: Callable[[int, int], None] | None = None,
    ) -> pd.DataFrame:
        """Fetch data as a tidy frame (``<var>``, ``<var>_label`` per variable, ``value``, ``status``).

        ``selection`` maps each variable to value codes or expressions (``ContentsCode`` and ``Tid`` must
        be selected). ``on_part(done, total)`` is called after each request of a split query.
        ``frame.attrs['jsonstat']`` holds label, source, ``updated``, table id and notes.
        """
        datasets = self.datasets(Query.build(table_id, selection, codelists, output_values), on_part=on_part)
        frames = [ds.to_frame() for ds in datasets]
        if len(frames) > 1:  # column by column: pd.concat is slow on all-None object columns
            frame = pd.DataFrame({c: np.concatenate([f[c].to_numpy() for f in frames]) for c in frames[0].columns})
        else:
            frame = frames[0]
        frame.attrs["jsonstat"] = {**datasets[0].meta, "parts": len(datasets)}
        return frame

    def datasets(self, query: Query, *, on_part: Callable[[int, int], None] | None = None) -> list[JsonStatDataset]:
        """The parsed answer(s) to ``query``: one dataset per request the cell limit made necessary."""
        key = query.key(self.lang)
        table_id = query.table_id
        try:
            updated = self.updated(table_id)
        except UnknownTable:
            raise
        except SsbError as exc:  # v2 is failing or unreachable; the v0 fallback may still answer
            log.info("table information for %s unavailable: %s", table_id, exc)
            updated = None
        if self.cache is not None and updated:
            bodies = self.cache.get("data", table_id, key, updated)
            if bodies is not None:
                if on_part:
                    on_part(1, 1)
                return [parse_jsonstat(b) for b in bodies]
        parts = self.plan(query) if updated else [query]
        bodies = []
        try:
            for i, part in enumerate(parts, 1):
                bodies.append(self._fetch(part))
                if on_part:
                    on_part(i, len(parts))
        except SsbUnavailable:
            stale = self.cache.latest("data", table_id, key) if (self.cache and self.offline_cache) else None
            if stale is None:
                raise
            msg = _(
                "SSB could not be reached; using the cached answer for table {table} "
                "stored {stored} (SSB stamp {updated})."
            ).format(table=table_id, stored=stale.stored, updated=stale.updated)
            warnings.warn(msg, StaleCacheWarning, stacklevel=2)
            return [parse_jsonstat(b) for b in stale.body]
        datasets = [parse_jsonstat(b) for b in bodies]
        if self.cache is not None:
            self.cache.put("data", table_id, key, updated or datasets[0].updated, bodies)
        return datasets

    def plan(self, query: Query) -> list[Query]:
        """The requests needed for ``query``: itself, or parts of at most :meth:`max_cells` cells each
        (expressions are resolved against the table's metadata to count the cells)."""
        limit = self.max_cells()
        resolved = self.resolve(query)
        if resolved is None:
            return [query]
        cells = math.prod(len(v) for v in resolved.values())
        if cells <= limit:
            return [query]
        parts = split_selection(resolved, limit)
        log.info("query on %s has %d cells (limit %d): %d requests", query.table_id, cells, limit, len(parts))
        return [query.with_selection(p) for p in parts]

    def resolve(self, query: Query) -> dict[str, list[str]] | None:
        """The query's selection as explicit codes (expressions expanded against the table's metadata),
        or ``None`` when the metadata cannot be had or an expression is unknown."""
        try:
            meta = self.metadata(query.table_id, query.codelists)
        except UnknownTable:
            raise
        except SsbError as exc:
            log.info("no metadata for %s (%s); the selection stays as given", query.table_id, exc)
            return None
        time_dims = set(meta.roles.get("time", [])) | {"Tid"}
        try:
            return {
                var: resolve_values(values, meta.dimension(var).codes, is_time=var in time_dims)
                for var, values in query.selection.items()
            }
        except (KeyError, ValueError, IndexError) as exc:
            log.info("cannot resolve the selection of %s (%s); it stays as given", query.table_id, exc)
            return None

    def _fetch(self, query: Query) -> dict[str, Any]:
        """One data request to v2 (GET, or POST for long URLs), falling back to v0 on server errors."""
        url = f"{self.base_url}/tables/{query.table_id}/data"
        params = query.params(self.lang)
        try:
            if len(str(httpx.URL(url, params=params))) <= self.max_url_length:
                resp = self._request("GET", url, params=params, what=_("data"), table_id=query.table_id)
            else:
                resp = self._request(
                    "POST",
                    url,
                    params=[("lang", self.lang), ("outputFormat", "json-stat2")],
                    body=query.body(),
                    what=_("data"),
                    table_id=query.table_id,
                )
        except UnknownTable:
            raise
        except (SsbUnavailable, SsbResponseError) as exc:
            status = getattr(exc, "status", None)
            if self.v0_url is None or not (isinstance(exc, SsbUnavailable) or (status and status >= 500)):
                raise
            log.warning("PxWebApi v2 failed for table %s (%s); trying the v0 API", query.table_id, exc)
            return self._fetch_v0(query, exc)
        body: dict[str, Any] = self._json(resp)
        parse_jsonstat(body, url=str(resp.request.url))  # validate before it is cached
        return body

    def _fetch_v0(self, query: Query, v2_error: SsbError) -> dict[str, Any]:
        url = f"{self.v0_url}/{self.lang}/table/{query.table_id}/"
        try:  # v0 knows fewer expressions: send explicit codes when the metadata can give them
            resolved = self.resolve(query)
        except SsbError:
            resolved = None
        if resolved is not None:
            query = query.with_selection(resolved)
        try:
            resp = self._request("POST", url, body=query.v0_body(), what=_("data (v0 API)"), table_id=query.table_id)
        except SsbUnavailable:
            if isinstance(v2_error, SsbUnavailable):
                raise
            raise v2_error from None
        except SsbResponseError as exc:  # a 404 here does not make the table unknown: v2 knew it
            raise SsbResponseError(
                _("{v2_error} The older v0 API failed too: {error}").format(v2_error=v2_error, error=exc),
                status=getattr(v2_error, "status", None) or exc.status,
                url=getattr(v2_error, "url", None) or exc.url,
            ) from None
        body: dict[str, Any] = self._json(resp)
        parse_jsonstat(body, url=url)
        return body


def _seconds_until(value: str) -> float:
    """``x-ratelimit-reset``/``Retry-After`` as seconds to wait: seconds, an epoch time or an HTTP date."""
    value = value.strip()
    try:
        n = float(value)
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        if when is None:
            raise ValueError(value) from None
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    if n > 1e9:  # an epoch timestamp
        return max(0.0, n - time.time())
    return max(0.0, n)


RATE_WINDOW_S = 60.0  # SSB's x-ratelimit-policy "40;w=60s"
_POLICY_WINDOW = re.compile(r"w=(\d+(?:\.\d+)?)s?")


def _policy_window(resp: httpx.Response) -> float:
    """Seconds of the rate-limit window from ``x-ratelimit-policy`` (``40;w=60s`` → 60), else 60."""
    match = _POLICY_WINDOW.search(resp.headers.get("x-ratelimit-policy", ""))
    return float(match.group(1)) if match else RATE_WINDOW_S


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("retry-after")
    if value is None:
        return None
    try:
        return _seconds_until(value)
    except (ValueError, TypeError):
        return None


def _detail(resp: httpx.Response) -> str:
    """SSB's own explanation from an error body, if any, as ' (…)'."""
    try:
        data = resp.json()
    except (ValueError, UnicodeDecodeError):
        text = resp.text.strip()[:200]
        return f" ({text})" if text and "<" not in text[:1] else ""
    if isinstance(data, dict):
        parts = [str(data[k]) for k in ("title", "detail", "error", "message") if data.get(k)]
        if parts:
            return " (" + ": ".join(parts)[:300] + ")"
    return ""


__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_CELLS",
    "DEFAULT_V0_URL",
    "OFFLINE_MESSAGE",
    "PxWebClient",
    "Query",
    "StaleCacheWarning",
    "resolve_values",
    "split_selection",
]


class _Retry(Exception):
    """A failed try worth repeating: ``final`` is raised when no tries are left; ``wait`` is the pause SSB
    asked for (None: the client's exponential backoff)."""

    def __init__(self, final: SsbError, wait: float | None = None):
        super().__init__(str(final))
        self.final = final
        self.wait = wait


def _outcome(state: tenacity.RetryCallState) -> BaseException | None:
    return state.outcome.exception() if state.outcome is not None else None
