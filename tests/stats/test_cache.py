"""The on-disk cache of SSB answers: keys, atomic writes, corrupt files."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blilyst.cachestore import FolderStore
from blilyst.stats.cache import CorruptCacheWarning, ResponseCache, default_cache_dir, query_hash


def _path(tmp_path: Path, key: str) -> Path:
    return FolderStore(tmp_path).path(key)


RECORDED = json.loads(
    (
        Path(__file__).resolve().parents[1] / "fixtures" / "ssb_api_fixtures" / "download-07459_20220914-092711.json"
    ).read_text(encoding="utf-8")
)
QUERY = {"table": "07459", "selection": {"Region": ["*"], "Tid": ["2022"]}}
STAMP = "2022-02-24T07:00:00Z"


def test_put_then_get_returns_the_same_answer(tmp_path):
    cache = ResponseCache(tmp_path)
    path = _path(tmp_path, cache.put("data", "07459", QUERY, STAMP, RECORDED))
    assert path.is_file() and path.is_relative_to(tmp_path / "ssb" / "data" / "07459")
    body = cache.get("data", "07459", QUERY, STAMP)
    assert body["value"][51] == 699_827  # Oslo 2022
    assert body == RECORDED
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, "latest"])  # no temporary file


def test_key_depends_on_query_and_updated_stamp_not_on_key_order(tmp_path):
    cache = ResponseCache(tmp_path)
    cache.put("data", "07459", QUERY, STAMP, RECORDED)
    reordered = {"selection": {"Tid": ["2022"], "Region": ["*"]}, "table": "07459"}
    assert query_hash(reordered) == query_hash(QUERY)
    assert cache.get("data", "07459", reordered, STAMP) is not None
    assert cache.get("data", "07459", QUERY, "2023-02-22T07:00:00Z") is None
    assert cache.get("data", "07459", {**QUERY, "lang": "en"}, STAMP) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated
        lambda text: text.replace("699827", "699828"),  # checksum no longer matches
        lambda text: "",  # empty
        lambda text: "\udcff not json",
    ],
)
def test_a_corrupt_file_is_discarded_with_a_warning(tmp_path, damage):
    cache = ResponseCache(tmp_path)
    path = _path(tmp_path, cache.put("data", "07459", QUERY, STAMP, RECORDED))
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8", errors="surrogateescape")
    with pytest.warns(CorruptCacheWarning, match="er slettet og hentes på nytt"):  # in the active language
        assert cache.get("data", "07459", QUERY, STAMP) is None
    assert not path.exists()


def test_a_failed_write_leaves_the_previous_entry_intact(tmp_path):
    cache = ResponseCache(tmp_path)
    path = _path(tmp_path, cache.put("data", "07459", QUERY, STAMP, RECORDED))
    before = path.read_bytes()
    with pytest.raises(TypeError):
        cache.put("data", "07459", QUERY, STAMP, {"value": object()})  # not JSON-serialisable
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, "latest"])


def test_latest_and_fresh_entries(tmp_path, monkeypatch):
    import time

    cache = ResponseCache(tmp_path)
    monkeypatch.setattr(time, "time", lambda: 1_600_000_000.0)
    cache.put("data", "07459", QUERY, "2021-02-24T07:00:00Z", {"v": 1})
    monkeypatch.undo()
    assert cache.get_fresh("data", "07459", QUERY, max_age_s=3600) is None  # stored years ago
    cache.put("data", "07459", QUERY, STAMP, {"v": 2})
    latest = cache.latest("data", "07459", QUERY)
    assert latest.body == {"v": 2} and latest.updated == STAMP
    assert cache.get_fresh("data", "07459", QUERY, max_age_s=3600) == {"v": 2}
    assert cache.get_fresh("data", "07459", QUERY, max_age_s=0) is None
    assert cache.latest("data", "07459", {"other": 1}) is None
    assert cache.get("data", "07459", QUERY, "2021-02-24T07:00:00Z") == {"v": 1}  # the older stamp is still there


def test_a_damaged_latest_pointer_is_as_if_there_were_none(tmp_path):
    cache = ResponseCache(tmp_path)
    key = cache.put("data", "07459", QUERY, STAMP, {"v": 2})
    pointer = _path(tmp_path, key).parent / "latest"
    pointer.write_bytes(b"../../../etc/passwd")
    assert cache.latest("data", "07459", QUERY) is None
    pointer.write_bytes(b"\xff\xfe")
    assert cache.latest("data", "07459", QUERY) is None


def test_an_entry_of_the_older_format_is_fetched_again_without_a_warning(tmp_path):
    cache = ResponseCache(tmp_path)
    path = _path(tmp_path, cache.put("data", "07459", QUERY, STAMP, {"v": 2}))
    path.write_text(json.dumps({"format": 1, "body": {"v": 1}}), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cache.get("data", "07459", QUERY, STAMP) is None
    assert not path.exists()


def test_default_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("BLILYST_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    assert ResponseCache().store.root == tmp_path / "c"  # the process's folder store, read at each use
    monkeypatch.delenv("BLILYST_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / ".cache" / "blilyst"


# --- property tests ---------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values)
def test_any_json_body_round_trips(tmp_path, body):
    cache = ResponseCache(tmp_path)
    cache.put("data", "07459", QUERY, STAMP, body)
    assert cache.get("data", "07459", QUERY, STAMP) == body


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_damaged_file_never_yields_a_different_answer(tmp_path, monkeypatch, data):
    import time

    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.25)  # the same entry, byte for byte, in every example
    cache = ResponseCache(tmp_path)
    path = _path(
        tmp_path, cache.put("data", "07459", QUERY, STAMP, {"value": [699_827, 31_444, None], "updated": STAMP})
    )
    raw = bytearray(path.read_bytes())
    pos = data.draw(st.integers(0, len(raw) - 1))
    raw[pos] = data.draw(st.integers(0, 255).filter(lambda b: b != raw[pos]))
    path.write_bytes(bytes(raw))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorruptCacheWarning)
        got = cache.get("data", "07459", QUERY, STAMP)
    assert got is None or got == {"value": [699_827, 31_444, None], "updated": STAMP}
