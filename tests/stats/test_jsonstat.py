"""The JSON-stat 2 reader against SSB's and SCB's recorded answers, and property tests."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blilyst.errors import SsbResponseError
from blilyst.i18n import override
from blilyst.stats.jsonstat import parse_jsonstat, read_jsonstat

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SSB_07459 = FIXTURES / "ssb_api_fixtures" / "download-07459_20220914-092711.json"
SCB_DATA = FIXTURES / "pxwebpy_v2_fixtures_scb" / "TAB6471_data.json"
SCB_META = FIXTURES / "pxwebpy_v2_fixtures_scb" / "TAB6471_metadata.json"


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read the English wording of the reader's errors; the bokmål and nynorsk ones are read by
    test_malformed_answers_are_worded_in_the_active_language (issue 12)."""
    with override("en"):
        yield


def test_ssb_07459_becomes_a_tidy_frame_with_real_populations():
    frame = read_jsonstat(SSB_07459.read_bytes())
    assert list(frame.columns) == [
        "Region",
        "Region_label",
        "ContentsCode",
        "ContentsCode_label",
        "Tid",
        "Tid_label",
        "value",
        "status",
    ]
    assert len(frame) == 359
    by_code = frame.set_index("Region")
    assert by_code.loc["K-0301", "value"] == 699_827  # Oslo, 1 January 2022
    assert by_code.loc["K-0301", "Region_label"] == "Oslo"
    assert by_code.loc["K-3001", "value"] == 31_444  # Halden
    assert by_code.loc["K-3817", "Region_label"] == "Midt-Telemark"
    assert by_code.loc["K-3817", "value"] == 10_539
    assert set(frame["Tid"]) == {"2022"}
    assert frame["status"].isna().all()
    meta = frame.attrs["jsonstat"]
    assert meta["table_id"] == "07459"
    assert meta["updated"] == "2022-02-24T07:00:00Z"
    assert meta["source"] == "Statistisk sentralbyrå"
    assert meta["roles"]["geo"] == ["Region"]


def test_the_356_municipalities_of_2022_sum_to_the_national_total():
    frame = read_jsonstat(SSB_07459.read_text(encoding="utf-8"))
    municipal = frame[frame["Region"].str.fullmatch(r"K-\d{4}")]
    assert len(municipal) == 356
    # SSB's national population 1 January 2022 was 5 425 270; the three special regions make up the rest.
    assert int(frame["value"].sum()) == 5_425_270


def test_scb_v2_data_answer_keeps_last_dimension_fastest():
    ds = parse_jsonstat(json.loads(SCB_DATA.read_text(encoding="utf-8")))
    assert ds.ids == ["Region", "Alder", "Kon", "ContentsCode", "Tid"]
    assert ds.sizes == [21, 11, 3, 1, 4]
    assert ds.table_id == "TAB6471"
    assert len(ds.mandatory_notes) == 4
    frame = ds.to_frame()
    first = frame.iloc[:4]
    assert first["Region_label"].unique().tolist() == ["Stockholms län"]
    assert first["Tid"].tolist() == ["2026M01", "2026M02", "2026M03", "2026M04"]
    assert first["value"].tolist() == [245_284, 247_245, 249_358, 251_635]
    # Men and women of one age group add up to the total (SCB's noise may make this off by a few).
    sthlm = frame[(frame.Region == "01") & (frame.Tid == "2026M01") & (frame.Alder == "0-9")]
    tot = sthlm.set_index("Kon")["value"]
    assert abs(tot["TotSa"] - tot["1"] - tot["2"]) <= 5


def test_metadata_answer_without_values_is_read_when_asked():
    ds = parse_jsonstat(SCB_META.read_bytes(), require_values=False)
    assert ds.values is None
    assert ds.sizes == [312, 134, 3, 1, 16]
    codelists = [c["id"] for c in ds.dimension("Region").extension["codelists"]]
    assert "vs_CKM03Kommun" in codelists
    with pytest.raises(SsbResponseError, match="no 'value'"):
        parse_jsonstat(SCB_META.read_bytes())


def test_missing_values_stay_missing_with_their_status_symbol():
    raw = json.loads(SSB_07459.read_text(encoding="utf-8"))
    raw["value"][0] = None
    raw["value"][1] = None
    raw["status"] = {"0": "..", "1": ":"}
    frame = read_jsonstat(raw)
    assert math.isnan(frame.loc[0, "value"]) and frame.loc[0, "status"] == ".."
    assert math.isnan(frame.loc[1, "value"]) and frame.loc[1, "status"] == ":"
    assert frame.loc[2, "value"] == 58_182 and frame.loc[2, "status"] is None
    assert frame["value"].sum() == 5_425_270 - 31_444 - 50_290  # never counted as zero in a sum


def test_sparse_value_object_and_status_string():
    ds = parse_jsonstat(
        {
            "class": "dataset",
            "id": ["a", "b"],
            "size": [2, 2],
            "dimension": {
                "a": {"category": {"index": ["x", "y"]}},
                "b": {"category": {"label": {"p": "P", "q": "Q"}, "index": {"q": 1, "p": 0}}},
            },
            "value": {"0": 1, "3": 4.5},
            "status": "..",
        }
    )
    frame = ds.to_frame()
    assert frame["b"].tolist() == ["p", "q", "p", "q"]
    assert frame["b_label"].tolist() == ["P", "Q", "P", "Q"]
    assert frame["value"].tolist()[0] == 1 and frame["value"].tolist()[3] == 4.5
    assert frame["value"].isna().tolist() == [False, True, True, False]
    assert (frame["status"] == "..").all()


@pytest.mark.parametrize("cut", [1, 100, 5000, 14_000])
def test_truncated_ssb_answer_raises_a_clear_error(cut):
    body = SSB_07459.read_bytes()[:cut]
    with pytest.raises(SsbResponseError, match="truncated"):
        parse_jsonstat(body, url="https://data.ssb.no/api/v0/no/table/07459/")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update({"class": "collection"}), "expected 'dataset'"),
        (lambda d: d.update({"size": [359, 1]}), "'size' gives 2"),
        (lambda d: d.update({"size": [358, 1, 1]}), "has 359 categories but 'size' says 358"),
        (lambda d: d["value"].pop(), "358 values for 359 cells"),
        (lambda d: d["value"].__setitem__(3, "12"), "not a number"),
        (lambda d: d["dimension"].pop("Tid"), "not described"),
        (lambda d: d.update({"status": {"9999": ".."}}), "outside"),
    ],
)
def test_malformed_datasets_name_the_problem(mutate, message):
    raw = json.loads(SSB_07459.read_text(encoding="utf-8"))
    mutate(raw)
    with pytest.raises(SsbResponseError, match=message):
        parse_jsonstat(raw)


def test_error_objects_and_empty_bodies():
    with pytest.raises(SsbResponseError, match="error instead of data: Too many cells"):
        parse_jsonstat({"title": "Bad request", "detail": "Too many cells", "status": 400})
    with pytest.raises(SsbResponseError, match="empty"):
        parse_jsonstat(b"   ")
    with pytest.raises(SsbResponseError, match="not UTF-8"):
        parse_jsonstat(b"\xff\xfe\x00{")
    with pytest.raises(SsbResponseError, match="expected a JSON object"):
        parse_jsonstat("[1, 2]")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "nb",
            "Svaret fra SSB på https://data.ssb.no/x er ikke et lesbart JSON-stat 2-datasett: 358 verdier for 359 celler",
        ),
        (
            "nn",
            "Svaret frå SSB på https://data.ssb.no/x er ikkje eit lesbart JSON-stat 2-datasett: 358 verdiar for 359 celler",
        ),
    ],
)
def test_malformed_answers_are_worded_in_the_active_language(lang, expected):
    raw = json.loads(SSB_07459.read_text(encoding="utf-8"))
    raw["value"].pop()
    with override(lang), pytest.raises(SsbResponseError) as info:
        parse_jsonstat(raw, url="https://data.ssb.no/x")
    assert str(info.value).startswith(expected)
    with override(lang), pytest.raises(SsbResponseError) as info:
        parse_jsonstat(b"   ")
    assert "svaret er tomt" in str(info.value)
    assert "answer" not in str(info.value)


# --- property tests ---------------------------------------------------------------------------

codes = st.text(alphabet="ABCK-0123456789", min_size=1, max_size=5)


@st.composite
def datasets(draw):
    n_dims = draw(st.integers(1, 4))
    dims = {}
    ids = []
    for k in range(n_dims):
        cats = draw(st.lists(codes, min_size=1, max_size=4, unique=True))
        dim_id = f"D{k}"
        ids.append(dim_id)
        dims[dim_id] = {
            "label": f"dim {k}",
            "category": {"index": {c: i for i, c in enumerate(cats)}, "label": {c: f"label of {c}" for c in cats}},
        }
    sizes = [len(dims[i]["category"]["index"]) for i in ids]
    n = math.prod(sizes)
    values = draw(
        st.lists(
            st.one_of(
                st.none(), st.integers(-(10**9), 10**9), st.floats(allow_nan=False, allow_infinity=False, width=32)
            ),
            min_size=n,
            max_size=n,
        )
    )
    status = {str(i): draw(st.sampled_from([".", "..", ":", "..."])) for i, v in enumerate(values) if v is None}
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "random",
        "id": ids,
        "size": sizes,
        "dimension": dims,
        "value": values,
        "status": status,
        "extension": {"px": {"tableid": "99999"}},
    }


@settings(max_examples=60, deadline=None)
@given(datasets())
def test_every_cell_lands_on_its_categories(raw):
    frame = read_jsonstat(json.dumps(raw))
    sizes = raw["size"]
    assert len(frame) == math.prod(sizes)
    for dim_id, size in zip(raw["id"], sizes, strict=False):
        assert frame[dim_id].nunique() == size
        assert (frame[dim_id + "_label"] == "label of " + frame[dim_id]).all()
    # Row r has multi-index np.unravel_index(r, sizes): check a few rows cell by cell.
    for r in range(0, len(frame), max(1, len(frame) // 7)):
        pos = np.unravel_index(r, sizes)
        for dim_id, p in zip(raw["id"], pos, strict=False):
            assert raw["dimension"][dim_id]["category"]["index"][frame.loc[r, dim_id]] == p
        v = raw["value"][r]
        if v is None:
            assert math.isnan(frame.loc[r, "value"])
            assert frame.loc[r, "status"] == raw["status"][str(r)]
        else:
            assert frame.loc[r, "value"] == pytest.approx(v)
            assert frame.loc[r, "status"] is None


@settings(max_examples=60, deadline=None)
@given(datasets())
def test_round_trip_through_to_dict(raw):
    first = parse_jsonstat(raw)
    second = parse_jsonstat(json.loads(json.dumps(first.to_dict())))
    assert second.ids == first.ids and second.sizes == first.sizes
    assert second.table_id == "99999"
    np.testing.assert_array_equal(second.values, first.values)
    assert second.status == first.status
    assert second.to_frame().equals(first.to_frame())


@settings(max_examples=60, deadline=None)
@given(datasets(), st.data())
def test_any_truncation_of_the_json_raises_ssb_response_error(raw, data):
    text = json.dumps(raw)
    cut = data.draw(st.integers(0, len(text) - 1))
    with pytest.raises(SsbResponseError):
        parse_jsonstat(text[:cut])
