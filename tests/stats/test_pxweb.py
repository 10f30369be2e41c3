"""The PxWebApi client against a real local HTTP server serving SSB's and SCB's recorded answers."""

from __future__ import annotations

import itertools
import json
import math
import socket
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.stats.conftest import SCB_FIXTURES, SSB_FIXTURES, V0, V2, Reply

from blilyst.errors import SsbResponseError, SsbUnavailable, UnknownTable
from blilyst.i18n import gettext, override
from blilyst.stats.cache import CorruptCacheWarning, ResponseCache
from blilyst.stats.pxweb import (
    OFFLINE_MESSAGE,
    PxWebClient,
    Query,
    StaleCacheWarning,
    resolve_values,
    split_selection,
)

RECORDED_07459 = SSB_FIXTURES / "download-07459_20220914-092711.json"
ALL_REGIONS = json.loads((SSB_FIXTURES / "query-body.json").read_text(encoding="utf-8"))["queryObj"]["query"][0][
    "selection"
]["values"]
SELECTION = {"Region": ["K-0301", "K-3001", "K-3817"], "ContentsCode": ["Personer1"], "Tid": ["2022"]}
CODELISTS = {"Region": "agg_KommSummer"}


@pytest.fixture(autouse=True, scope="module")
def _english_messages():
    """These tests read the English wording of the client's errors and warnings; the last test reads them in
    nynorsk (they are written in the active language, issue 12)."""
    with override("en"):
        yield


def cube_07459() -> dict:
    return json.loads(RECORDED_07459.read_text(encoding="utf-8"))


def client_for(server, tmp_path, sleeps, **kwargs) -> PxWebClient:
    kwargs.setdefault("cache", ResponseCache(tmp_path / "cache"))
    kwargs.setdefault("v0_url", server.v0)
    return PxWebClient(server.v2, sleep=sleeps, timeout=kwargs.pop("timeout", 5.0), **kwargs)


@pytest.fixture
def ssb(fake_pxweb):
    fake_pxweb.add(cube_07459())
    return fake_pxweb


# --- catalogue ---------------------------------------------------------------------------------


def test_config_and_cell_limit_come_from_the_api(ssb_server, tmp_path, sleeps):
    ssb_server.route(V2 + "/config", Reply(200, (SCB_FIXTURES / "config.json").read_bytes()))
    client = client_for(ssb_server, tmp_path, sleeps)
    assert client.config()["apiVersion"] == "2.2.0"
    assert client.max_cells() == 150_000
    ssb_server.route(V2 + "/config", Reply(200, {"apiVersion": "2.0", "maxDataCells": 0}))
    assert client_for(ssb_server, tmp_path, sleeps).max_cells() == 800_000  # SSB's /config may read 0


def test_table_list_is_walked_page_by_page(ssb_server, tmp_path, sleeps):
    page1 = json.loads((SCB_FIXTURES / "tables.json").read_text(encoding="utf-8"))
    page2 = json.loads((SCB_FIXTURES / "search.json").read_text(encoding="utf-8"))
    page2["page"] = {"pageNumber": 2, "pageSize": 20, "totalPages": 2}
    page1["page"]["totalPages"] = 2
    ssb_server.route(V2 + "/tables", lambda req: Reply(200, page1 if req.query["pageNumber"] == ["1"] else page2))
    tables = client_for(ssb_server, tmp_path, sleeps).tables()
    assert len(tables) == 30
    assert tables[0]["id"] == "TAB4707" and tables[20]["id"] == "TAB4552"
    assert [r.query["pageNumber"] for r in ssb_server.hits(V2 + "/tables")] == [["1"], ["2"]]


def test_search_sends_the_query_and_stops_after_the_last_page(ssb_server, tmp_path, sleeps):
    ssb_server.route(V2 + "/tables", Reply(200, (SCB_FIXTURES / "search.json").read_bytes()))
    found = client_for(ssb_server, tmp_path, sleeps).tables("befolkning", past_days=30)
    assert len(found) == 10
    assert all("updated" in t for t in found)
    (req,) = ssb_server.hits(V2 + "/tables")
    assert req.query["query"] == ["befolkning"] and req.query["pastDays"] == ["30"]


def test_metadata_and_codelists(ssb_server, tmp_path, sleeps):
    ssb_server.route(V2 + "/tables/TAB6471", Reply(200, {"id": "TAB6471", "updated": "2026-06-08T06:00:00Z"}))
    ssb_server.route(V2 + "/tables/TAB6471/metadata", Reply(200, (SCB_FIXTURES / "TAB6471_metadata.json").read_bytes()))
    ssb_server.route(V2 + "/codelists/agg_Ålder10årJ", Reply(200, (SCB_FIXTURES / "agg_Ålder10årJ.json").read_bytes()))
    client = client_for(ssb_server, tmp_path, sleeps)
    meta = client.metadata("TAB6471", codelists={"Region": "vs_CKM03Kommun"})
    assert meta.sizes == [312, 134, 3, 1, 16]
    assert meta.dimension("Kon").labels == ("totalt, samtliga män och kvinnor", "män", "kvinnor")
    assert ssb_server.hits(V2 + "/tables/TAB6471/metadata")[0].query["codelist[Region]"] == ["vs_CKM03Kommun"]
    codelist = client.codelist("agg_Ålder10årJ")
    first = codelist["values"][0]
    assert first["code"] == "-9" and sorted(first["valueMap"], key=int) == [str(i) for i in range(10)]


# --- data --------------------------------------------------------------------------------------


def test_data_by_get_gives_real_populations(ssb, ssb_server, tmp_path, sleeps):
    frame = client_for(ssb_server, tmp_path, sleeps).data("07459", SELECTION, codelists=CODELISTS)
    assert dict(zip(frame["Region"], frame["value"], strict=False)) == {
        "K-0301": 699_827,
        "K-3001": 31_444,
        "K-3817": 10_539,
    }
    assert frame.attrs["jsonstat"]["updated"] == "2022-02-24T07:00:00Z"
    (req,) = ssb_server.hits(V2 + "/tables/07459/data")
    assert req.method == "GET"
    assert req.query["valueCodes[Region]"] == ["K-0301,K-3001,K-3817"]
    assert req.query["codelist[Region]"] == ["agg_KommSummer"]
    assert req.query["outputFormat"] == ["json-stat2"]


def test_a_long_selection_goes_by_post(ssb, ssb_server, tmp_path, sleeps):
    assert len(ALL_REGIONS) == 359
    selection = {**SELECTION, "Region": ALL_REGIONS}
    frame = client_for(ssb_server, tmp_path, sleeps).data("07459", selection, codelists=CODELISTS)
    assert len(frame) == 359
    assert frame["value"].sum() == 5_425_270
    (req,) = ssb_server.hits(V2 + "/tables/07459/data")
    assert req.method == "POST"
    region = req.json()["selection"][0]
    assert region["variableCode"] == "Region" and region["codelist"] == "agg_KommSummer"
    assert len(region["valueCodes"]) == 359


def test_a_query_above_the_cell_limit_is_split_and_concatenated(ssb, ssb_server, tmp_path, sleeps):
    client = client_for(ssb_server, tmp_path, sleeps, max_cells=100)
    parts = []
    frame = client.data(
        "07459",
        {"Region": ["*"], "ContentsCode": ["Personer1"], "Tid": ["top(1)"]},
        codelists=CODELISTS,
        on_part=lambda done, total: parts.append((done, total)),
    )
    assert parts == [(1, 4), (2, 4), (3, 4), (4, 4)]
    hits = ssb_server.hits(V2 + "/tables/07459/data")
    assert len(hits) == 4
    assert len(frame) == 359 and frame["Region"].is_unique
    assert frame["value"].sum() == 5_425_270
    assert frame.set_index("Region").loc["K-0301", "value"] == 699_827


def test_the_cell_limit_is_read_from_config(ssb_server, tmp_path, sleeps):
    from tests.stats.conftest import FakePxWeb

    fake = FakePxWeb(ssb_server, config={"apiVersion": "2.0", "maxDataCells": 120})
    fake.add(cube_07459())
    frame = client_for(ssb_server, tmp_path, sleeps).data(
        "07459", {"Region": ["*"], "ContentsCode": ["*"], "Tid": ["*"]}, codelists=CODELISTS
    )
    assert len(ssb_server.hits(V2 + "/tables/07459/data")) == 3
    assert len(frame) == 359


def test_unknown_table_is_unknown_table(ssb_server, tmp_path, sleeps):
    client = client_for(ssb_server, tmp_path, sleeps)
    with pytest.raises(UnknownTable, match="no table '99999'") as info:
        client.data("99999", SELECTION)
    assert info.value.status == 404 and "/tables/99999" in info.value.url


def test_429_with_retry_after_then_success(ssb, ssb_server, tmp_path, sleeps):
    ssb.fail["07459"] = _replies(Reply(429, {"title": "Too many requests"}, headers={"Retry-After": "7"}))
    frame = client_for(ssb_server, tmp_path, sleeps).data("07459", SELECTION, codelists=CODELISTS)
    assert frame["value"].sum() == 699_827 + 31_444 + 10_539
    assert sleeps == [7.0]
    assert len(ssb_server.hits(V2 + "/tables/07459/data")) == 2


def test_500_then_success_backs_off_exponentially(ssb, ssb_server, tmp_path, sleeps):
    ssb.fail["07459"] = _replies(Reply(500), Reply(502), Reply(503))
    frame = client_for(ssb_server, tmp_path, sleeps, backoff=0.5).data("07459", SELECTION, codelists=CODELISTS)
    assert len(frame) == 3
    assert sleeps == [0.5, 1.0, 2.0]


def test_permanent_500_without_fallback_names_status_url_and_advice(ssb, ssb_server, tmp_path, sleeps):
    ssb.fail["07459"] = lambda req: Reply(500, {"title": "Internal Server Error"})
    client = client_for(ssb_server, tmp_path, sleeps, v0_url=None, retries=2)
    with pytest.raises(SsbResponseError, match=r"500 Internal Server Error .* after 3 tries.*try again later") as info:
        client.data("07459", SELECTION, codelists=CODELISTS)
    assert info.value.status == 500
    assert "/tables/07459/data" in info.value.url
    assert len(ssb_server.hits(V2 + "/tables/07459/data")) == 3


def test_permanent_500_falls_back_to_the_v0_api(ssb, ssb_server, tmp_path, sleeps):
    ssb.fail["07459"] = lambda req: Reply(503)
    ssb_server.route(V0 + "/no/table/07459/", Reply(200, RECORDED_07459.read_bytes()), method="POST")
    frame = client_for(ssb_server, tmp_path, sleeps, retries=1).data(
        "07459", {"Region": ["*"], "ContentsCode": ["Personer1"], "Tid": ["2022"]}, codelists=CODELISTS
    )
    assert frame.set_index("Region").loc["K-3001", "value"] == 31_444
    (req,) = ssb_server.hits(V0 + "/no/table/07459/")
    body = req.json()
    assert body["response"] == {"format": "json-stat2"}
    # '*' is expanded from the metadata: the same Region selection as the recorded real v0 query
    recorded = json.loads((SSB_FIXTURES / "query-body.json").read_text(encoding="utf-8"))["queryObj"]["query"]
    assert body["query"][0] == recorded[0]
    assert body["query"][2] == recorded[2] == {"code": "Tid", "selection": {"filter": "item", "values": ["2022"]}}


def test_when_v2_is_down_the_v0_fallback_answers_without_waiting_through_every_retry(ssb_server, tmp_path, sleeps):
    for path in ("/tables/07459", "/tables/07459/metadata", "/tables/07459/data"):
        ssb_server.route(V2 + path, Reply(503, {"title": "Service Unavailable"}))
    ssb_server.route(V0 + "/no/table/07459/", Reply(200, RECORDED_07459.read_bytes()), method="POST")
    frame = client_for(ssb_server, tmp_path, sleeps, retries=2).data("07459", SELECTION, codelists=CODELISTS)
    assert frame.set_index("Region").loc["K-0301", "value"] == 699_827
    v2_hits = [r for r in ssb_server.requests if r.path.startswith(V2)]
    assert [r.path for r in v2_hits] == [V2 + "/tables/07459"] * 3  # one call and its two retries, then v0
    assert sleeps == [1.0, 2.0]


def test_v0_failing_too_reports_both(ssb, ssb_server, tmp_path, sleeps):
    ssb.fail["07459"] = lambda req: Reply(500)
    ssb_server.route(V0 + "/no/table/07459/", Reply(500))
    with pytest.raises(SsbResponseError, match="v0 API failed too") as info:
        client_for(ssb_server, tmp_path, sleeps, retries=0).data("07459", SELECTION, codelists=CODELISTS)
    assert info.value.status == 500


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, b'{"class":"dataset","label":"07459: Befolkning", "id": [}'),
        Reply(200, RECORDED_07459.read_bytes()[:9000]),
        Reply(200, b"<html>Service Unavailable</html>"),
    ],
)
def test_malformed_and_truncated_answers_raise_ssb_response_error(ssb, ssb_server, tmp_path, sleeps, reply):
    ssb.fail["07459"] = lambda req: reply
    with pytest.raises(SsbResponseError, match="truncated|not valid JSON|not a readable"):
        client_for(ssb_server, tmp_path, sleeps).data("07459", SELECTION, codelists=CODELISTS)


def test_a_body_cut_off_by_the_connection_is_retried_then_reported(ssb, ssb_server, tmp_path, sleeps):
    body = RECORDED_07459.read_bytes()
    ssb.fail["07459"] = lambda req: Reply(200, body[:5000], content_length=len(body))
    with pytest.raises(SsbResponseError, match="cut off"):
        client_for(ssb_server, tmp_path, sleeps, retries=1, v0_url=None).data("07459", SELECTION, codelists=CODELISTS)
    assert len(ssb_server.hits(V2 + "/tables/07459/data")) == 2


def test_a_slow_answer_times_out_as_unavailable(ssb, ssb_server, tmp_path, sleeps):
    ssb.fail["07459"] = lambda req: Reply(200, RECORDED_07459.read_bytes(), delay=1.0)
    client = client_for(ssb_server, tmp_path, sleeps, timeout=0.2, retries=1, v0_url=None)
    with pytest.raises(SsbUnavailable, match="within 0.2 s"):
        client.data("07459", SELECTION, codelists=CODELISTS)
    assert sleeps == [1.0]  # one backoff between the two tries


def test_connection_refused_is_unavailable_with_the_offline_message(tmp_path, sleeps):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = PxWebClient(
        f"http://127.0.0.1:{port}/api/pxwebapi/v2",
        v0_url=f"http://127.0.0.1:{port}/api/v0",
        cache=ResponseCache(tmp_path),
        sleep=sleeps,
    )
    with pytest.raises(SsbUnavailable) as info:
        client.data("07459", SELECTION)
    assert str(info.value).startswith(OFFLINE_MESSAGE)
    assert sleeps == []  # a refused connection is not retried


def test_v2_unreachable_falls_back_to_v0(ssb_server, tmp_path, sleeps):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    ssb_server.route(V0 + "/en/table/07459/", Reply(200, RECORDED_07459.read_bytes()), method="POST")
    client = PxWebClient(
        f"http://127.0.0.1:{port}/api/pxwebapi/v2",
        v0_url=ssb_server.v0,
        lang="en",
        cache=ResponseCache(tmp_path),
        sleep=sleeps,
    )
    frame = client.data("07459", SELECTION, codelists=CODELISTS)
    assert frame.set_index("Region").loc["K-3817", "value"] == 10_539
    assert len(ssb_server.requests) == 1 and sleeps == []


# SSB's rate-limit headers as PXWEBAPI.md (corrected 2026-12-06) records them from SSB's answers:
# x-ratelimit-limit, x-ratelimit-policy "40;w=60s", x-ratelimit-remaining, x-ratelimit-resource, and no reset.
SSB_RATE_HEADERS = {
    "x-ratelimit-limit": "40",
    "x-ratelimit-policy": "40;w=60s",
    "x-ratelimit-resource": "data",
}


def test_ssb_rate_limit_without_a_reset_header_waits_out_the_window(ssb, ssb_server, tmp_path, sleeps):
    ssb_server.route(
        V2 + "/tables/07459",
        Reply(
            200,
            {"id": "07459", "updated": "2022-02-24T07:00:00Z"},
            headers={**SSB_RATE_HEADERS, "x-ratelimit-remaining": "0"},
        ),
    )
    client = client_for(ssb_server, tmp_path, sleeps, cache=False)
    client.data("07459", SELECTION, codelists=CODELISTS)
    assert len(sleeps) == 1 and 59.0 < sleeps[0] <= 60.0


def test_429_without_retry_after_waits_the_whole_window_then_succeeds(ssb, ssb_server, tmp_path, sleeps):
    ssb.fail["07459"] = _replies(
        Reply(429, {"title": "Too many requests"}, headers={**SSB_RATE_HEADERS, "x-ratelimit-remaining": "0"})
    )
    client = client_for(ssb_server, tmp_path, sleeps, cache=False)
    frame = client.data("07459", SELECTION, codelists=CODELISTS)
    assert frame.set_index("Region").loc["K-3817", "value"] == 10_539
    # the remaining-0 header and the 429 each ask for the 60-second window; nothing shorter is tried
    assert sleeps and all(59.0 < s <= 60.0 for s in sleeps)


def test_rate_limit_headers_make_the_next_call_wait(ssb, ssb_server, tmp_path, sleeps):
    ssb_server.route(
        V2 + "/tables/07459",
        Reply(
            200,
            {"id": "07459", "updated": "2022-02-24T07:00:00Z"},
            headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "12"},
        ),
    )
    client = client_for(ssb_server, tmp_path, sleeps, cache=False)
    client.data("07459", SELECTION, codelists=CODELISTS)
    assert len(sleeps) == 1 and 11.0 < sleeps[0] <= 12.0


def test_calls_per_minute_are_kept_below_the_limit(ssb, ssb_server, tmp_path, sleeps):
    now = [100.0]

    def sleep(seconds):
        sleeps.append(seconds)
        now[0] += seconds

    client = client_for(ssb_server, tmp_path, sleep, cache=False, calls_per_minute=2, clock=lambda: now[0])
    client.data("07459", SELECTION, codelists=CODELISTS)  # table info, config, metadata, data
    assert sleeps == [60.0]  # the third call waits for the window; the fourth is inside the new one
    assert len(ssb_server.requests) == 4


# --- cache -------------------------------------------------------------------------------------


def test_a_second_run_is_served_from_disk_without_network(ssb, ssb_server, tmp_path, sleeps):
    first = client_for(ssb_server, tmp_path, sleeps).data("07459", SELECTION, codelists=CODELISTS)
    n = len(ssb_server.requests)
    second_client = client_for(ssb_server, tmp_path, sleeps)
    second = second_client.data("07459", SELECTION, codelists=CODELISTS)
    assert len(ssb_server.requests) == n and second_client.requests_made == 0
    assert second.equals(first)


def test_a_new_updated_stamp_misses_the_cache(ssb, ssb_server, tmp_path, sleeps):
    client_for(ssb_server, tmp_path, sleeps).data("07459", SELECTION, codelists=CODELISTS)
    newer = cube_07459()
    newer["updated"] = "2023-02-22T07:00:00Z"
    newer["value"][51] = 709_037  # Oslo 1 January 2023
    ssb.add(newer)
    frame = client_for(ssb_server, tmp_path, sleeps, table_info_ttl=0).data("07459", SELECTION, codelists=CODELISTS)
    assert frame.set_index("Region").loc["K-0301", "value"] == 709_037
    assert len(ssb_server.hits(V2 + "/tables/07459/data")) == 2


def test_a_corrupt_cache_file_is_discarded_and_fetched_again(ssb, ssb_server, tmp_path, sleeps):
    client_for(ssb_server, tmp_path, sleeps).data("07459", SELECTION, codelists=CODELISTS)
    data_files = list((tmp_path / "cache" / "ssb" / "data").rglob("*.json"))
    assert len(data_files) == 1
    data_files[0].write_text(data_files[0].read_text(encoding="utf-8")[:300], encoding="utf-8")
    with pytest.warns(CorruptCacheWarning, match="corrupt"):
        frame = client_for(ssb_server, tmp_path, sleeps).data("07459", SELECTION, codelists=CODELISTS)
    assert frame["value"].sum() == 699_827 + 31_444 + 10_539
    assert len(ssb_server.hits(V2 + "/tables/07459/data")) == 2
    key = data_files[0].relative_to(tmp_path / "cache").as_posix()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ResponseCache(tmp_path / "cache")._read(key) is not None  # rewritten whole: reads without a warning


def test_offline_with_a_cached_answer_uses_it_with_a_warning(ssb, ssb_server, tmp_path, sleeps):
    client_for(ssb_server, tmp_path, sleeps).data("07459", SELECTION, codelists=CODELISTS)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    offline = PxWebClient(
        f"http://127.0.0.1:{port}", v0_url=None, cache=ResponseCache(tmp_path / "cache"), sleep=sleeps, table_info_ttl=0
    )
    with pytest.warns(StaleCacheWarning, match="could not be reached"):
        frame = offline.data("07459", SELECTION, codelists=CODELISTS)
    assert frame.set_index("Region").loc["K-3817", "value"] == 10_539


def test_the_cache_dir_comes_from_the_environment(cache_dir):
    assert PxWebClient(cache=None).cache.store.root == cache_dir


# --- selection arithmetic ----------------------------------------------------------------------


def test_expressions_resolve_like_pxwebapi():
    years = [str(y) for y in range(2000, 2027)]
    assert resolve_values(["top(3)"], years, is_time=True) == ["2024", "2025", "2026"]
    assert resolve_values(["from(2024)"], years) == ["2024", "2025", "2026"]
    assert resolve_values(["range(2001,2003)"], years) == ["2001", "2002", "2003"]
    assert resolve_values(["to(2001)", "2026"], years) == ["2000", "2001", "2026"]
    assert resolve_values(["K-30*"], ALL_REGIONS)[:3] == ["K-3001", "K-3002", "K-3003"]
    assert len(resolve_values(["K-30??"], ALL_REGIONS)) == 51  # Viken 2020-2023
    assert resolve_values(["*"], years) == years
    with pytest.raises(ValueError, match="not a code"):
        resolve_values(["1999"], years)


def test_v0_body_translates_codelists_and_expressions():
    q = Query.build(
        "07459",
        {"Region": "*", "Tid": "top(5)", "Alder": ["000", "001"]},
        codelists={"Region": "agg_KommSummer", "Alder": "vs_AlleAldre00B"},
    )
    assert q.v0_body()["query"] == [
        {"code": "Region", "selection": {"filter": "agg:KommSummer", "values": ["*"]}},
        {"code": "Tid", "selection": {"filter": "top", "values": ["5"]}},
        {"code": "Alder", "selection": {"filter": "vs:AlleAldre00B", "values": ["000", "001"]}},
    ]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(1, 12), min_size=1, max_size=4), st.integers(1, 500))
def test_split_parts_respect_the_limit_and_cover_every_cell_once(sizes, limit):
    resolved = {f"v{i}": [f"c{j}" for j in range(n)] for i, n in enumerate(sizes)}
    parts = split_selection(resolved, limit)
    cells = set()
    for part in parts:
        n = math.prod(len(v) for v in part.values())
        assert n <= limit
        combos = set(itertools.product(*[part[k] for k in resolved]))
        assert not combos & cells
        cells |= combos
    assert len(cells) == math.prod(sizes)


def _replies(*first: Reply):
    """A fail hook: the given replies once each, then the real answer (None)."""
    queue = list(first)
    return lambda req: queue.pop(0) if queue else None


def test_output_values_and_codelists_go_into_get_and_post(ssb, ssb_server, tmp_path, sleeps):
    client = client_for(ssb_server, tmp_path, sleeps, cache=False)
    client.data("07459", SELECTION, codelists=CODELISTS, output_values={"Region": "single"})
    get = ssb_server.hits(V2 + "/tables/07459/data")[-1]
    assert get.method == "GET" and get.query["outputValues[Region]"] == ["single"]
    client.max_url_length = 10  # force POST
    client.data("07459", SELECTION, codelists=CODELISTS, output_values={"Region": "single"})
    post = ssb_server.hits(V2 + "/tables/07459/data")[-1]
    assert post.method == "POST"
    assert post.json()["selection"][0] == {
        "variableCode": "Region",
        "valueCodes": ["K-0301", "K-3001", "K-3817"],
        "codelist": "agg_KommSummer",
        "outputValues": "single",
    }
    assert post.query["outputFormat"] == ["json-stat2"] and post.query["lang"] == ["no"]


def test_max_pages_stops_the_walk(ssb_server, tmp_path, sleeps):
    ssb_server.route(V2 + "/tables", Reply(200, (SCB_FIXTURES / "tables.json").read_bytes()))
    tables = client_for(ssb_server, tmp_path, sleeps).tables(max_pages=2, page_size=20)
    assert len(tables) == 40  # the recorded page says 213 pages; two were asked for
    assert [r.query["pageSize"] for r in ssb_server.hits(V2 + "/tables")] == [["20"], ["20"]]


def test_wait_times_from_headers():
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    from blilyst.stats.pxweb import _seconds_until

    assert _seconds_until("7") == 7.0
    assert _seconds_until(" 2.5 ") == 2.5
    now = datetime.now(UTC)
    assert 28 < _seconds_until(str((now + timedelta(seconds=30)).timestamp())) <= 30  # epoch seconds
    assert 25 < _seconds_until(format_datetime(now + timedelta(seconds=30), usegmt=True)) <= 30  # HTTP date
    assert _seconds_until(format_datetime(now - timedelta(seconds=30), usegmt=True)) == 0.0


def test_the_offline_error_is_written_in_the_active_language(tmp_path, sleeps):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = PxWebClient(
        f"http://127.0.0.1:{port}/api/pxwebapi/v2",
        v0_url=f"http://127.0.0.1:{port}/api/v0",
        cache=ResponseCache(tmp_path),
        sleep=sleeps,
    )
    with override("nn"), pytest.raises(SsbUnavailable) as info:
        client.data("07459", SELECTION)
    with override("nn"):
        offline = gettext(OFFLINE_MESSAGE)
    assert offline.startswith("Du er utan nett") and str(info.value).startswith(offline + ". (Fekk ikkje kontakt med")
