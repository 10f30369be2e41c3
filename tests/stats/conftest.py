"""A real local HTTP server that plays SSB for the client tests (nothing in the client is patched).

``ssb_server`` is an ``http.server`` in a thread on 127.0.0.1 (a free port). Tests route paths to
recorded answers (``ssb_server.route(path, Reply(...), Reply(...))``: each request takes the next
reply, the last one repeats) or to a function of the request. ``fake_pxweb`` adds a small PxWebApi
v2 on top: tables given as full JSON-stat 2 cubes are cut to the requested selection (GET or POST),
the way SSB does, so that splitting, caching and ``blilyst data refresh`` can be tested end to end.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SSB_FIXTURES = FIXTURES / "ssb_api_fixtures"
SCB_FIXTURES = FIXTURES / "pxwebpy_v2_fixtures_scb"
V2 = "/api/pxwebapi/v2"
V0 = "/api/v0"


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict | list | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_length: int | None = None  # lie about the length to cut the body off

    def payload(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    body: bytes
    url_length: int

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class LocalSsb:
    def __init__(self) -> None:
        self.routes: dict[tuple[str | None, str], list[Reply] | Callable[[Request], Reply]] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def _handle(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                req = Request(
                    self.command,
                    unquote(parts.path),
                    parse_qs(parts.query),
                    body,
                    len(f"http://{self.headers.get('Host')}{self.path}"),
                )
                reply = server._reply(req)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.payload()
                try:
                    self.send_response(reply.status)
                    headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(reply.content_length or len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    if reply.content_length:
                        self.close_connection = True
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.v2 = self.url + V2
        self.v0 = self.url + V0
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def route(self, path: str, *replies: Reply | Callable[[Request], Reply], method: str | None = None) -> None:
        if len(replies) == 1 and callable(replies[0]) and not isinstance(replies[0], Reply):
            self.routes[(method, path)] = replies[0]
        else:
            self.routes[(method, path)] = list(replies)

    def _reply(self, req: Request) -> Reply:
        with self._lock:
            self.requests.append(req)
            target = self.routes.get((req.method, req.path)) or self.routes.get((None, req.path))
            if target is None:
                return Reply(
                    404, {"type": "NotFound", "title": "Not found", "status": 404, "detail": f"No route {req.path}"}
                )
            if callable(target):
                return target(req)
            return target.pop(0) if len(target) > 1 else target[0]

    def hits(self, path: str, method: str | None = None) -> list[Request]:
        return [r for r in self.requests if r.path == path and (method is None or r.method == method)]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def ssb_server():
    server = LocalSsb()
    yield server
    server.close()


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    path = tmp_path / "cache"
    monkeypatch.setenv("BLILYST_CACHE_DIR", str(path))
    return path


class Sleeps(list):
    """An injectable ``sleep`` that records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps():
    return Sleeps()


# --- a small PxWebApi v2 built from full JSON-stat cubes -------------------------------------------


def _select(values: list[str], codes: list[str], is_time: bool) -> list[int]:
    out: list[int] = []
    for v in values:
        if v == "*":
            out += range(len(codes))
        elif v.startswith("top("):
            n = int(v[4:-1])
            out += range(len(codes) - n, len(codes)) if is_time else range(n)
        elif v.startswith("from("):
            out += range(codes.index(v[5:-1]), len(codes))
        elif v in codes:
            out.append(codes.index(v))
        else:
            raise KeyError(v)
    return out


class FakePxWeb:
    """Serves tables (full JSON-stat 2 cubes) through the v2 endpoints, cutting them like SSB does.

    A table may have one cube per ``Region`` codelist (``add(cube, codelist="agg_KommSummer")``); the
    request's ``codelist[Region]`` picks it. Other codelists are accepted and ignored."""

    def __init__(self, server: LocalSsb, config: dict | None = None):
        self.server = server
        self.tables: dict[str, dict[str | None, dict]] = {}
        self.fail: dict[str, Callable[[Request], Reply | None]] = {}
        self.config = config or json.loads((SCB_FIXTURES / "config.json").read_text(encoding="utf-8"))
        server.route(V2 + "/config", Reply(200, self.config))

    def add(self, cube: dict, codelist: str | None = None) -> None:
        table_id = cube["extension"]["px"]["tableid"]
        cubes = self.tables.setdefault(table_id, {})
        cubes[codelist] = cube
        info = {
            "id": table_id,
            "label": cube["label"],
            "updated": cube["updated"],
            "firstPeriod": next(iter(cube["dimension"]["Tid"]["category"]["index"])),
            "variableNames": [cube["dimension"][d]["label"] for d in cube["id"]],
        }
        self.server.route(f"{V2}/tables/{table_id}", Reply(200, info))
        self.server.route(f"{V2}/tables/{table_id}/metadata", lambda req, t=table_id: self._metadata(t, req))
        self.server.route(f"{V2}/tables/{table_id}/data", lambda req, t=table_id: self._data(t, req))

    def _cube(self, table_id: str, codelist: str | None) -> dict:
        cubes = self.tables[table_id]
        return cubes.get(codelist) or cubes.get(None) or next(iter(cubes.values()))

    def _metadata(self, table_id: str, req: Request) -> Reply:
        cube = self._cube(table_id, (req.query.get("codelist[Region]") or [None])[0])
        meta = {k: v for k, v in cube.items() if k not in ("value", "status")}
        meta["value"] = []
        return Reply(200, meta)

    def _data(self, table_id: str, req: Request) -> Reply:
        if table_id in self.fail:
            reply = self.fail[table_id](req)
            if reply is not None:
                return reply
        if req.method == "POST":
            items = req.json()["selection"]
            selection = {s["variableCode"]: s["valueCodes"] for s in items}
            codelist = next((s.get("codelist") for s in items if s["variableCode"] == "Region"), None)
        else:
            selection = {
                k[len("valueCodes[") : -1]: v[0].split(",") for k, v in req.query.items() if k.startswith("valueCodes[")
            }
            codelist = (req.query.get("codelist[Region]") or [None])[0]
        cube = self._cube(table_id, codelist)
        unknown = sorted(set(selection) - set(cube["id"]))
        # The status and title "Non-existent variable" are from PXWEBAPI.md (09588 asked for Alder). No 400 body
        # was recorded, so its layout here (title, status, detail) is an assumption; the client reads only the
        # status and shows whichever of title, detail, error or message is there. The value case below is assumed alike.
        if unknown:
            return Reply(400, {"title": "Non-existent variable", "status": 400, "detail": f"Variable {unknown[0]}"})
        try:
            return Reply(200, cut(cube, selection))
        except KeyError as exc:  # a value code the variable lacks
            return Reply(400, {"title": "Non-existent value", "status": 400, "detail": f"Value {exc.args[0]}"})


def cut(cube: dict, selection: dict[str, list[str]]) -> dict:
    """The sub-cube of ``cube`` for ``selection`` (unselected variables keep all their values)."""
    ids, sizes = cube["id"], cube["size"]
    index_lists = []
    dims = {}
    for dim_id in ids:
        cat = cube["dimension"][dim_id]["category"]
        codes = sorted(cat["index"], key=cat["index"].get)
        idx = _select(selection.get(dim_id, ["*"]), codes, dim_id == "Tid")
        index_lists.append(idx)
        chosen = [codes[i] for i in idx]
        dims[dim_id] = {
            **cube["dimension"][dim_id],
            "category": {
                **cat,
                "index": {c: i for i, c in enumerate(chosen)},
                "label": {c: cat["label"][c] for c in chosen},
            },
        }
    values = np.array([np.nan if v is None else v for v in cube["value"]], dtype=float).reshape(sizes)
    sub = values[np.ix_(*index_lists)].ravel()
    return {
        **{k: v for k, v in cube.items() if k != "status"},
        "size": [len(i) for i in index_lists],
        "dimension": dims,
        "value": [None if math.isnan(v) else int(v) for v in sub],
    }


@pytest.fixture
def fake_pxweb(ssb_server):
    return FakePxWeb(ssb_server)
