"""The snapshot's data sets in the reader's language (blilyst.stats.sources, issue 12)."""

from __future__ import annotations

from blilyst.i18n import override
from blilyst.stats.snapshot import SCHEMAS, load_snapshot
from blilyst.stats.sources import DATASET_WORDS, manifest_words, sources_in_words


def test_every_data_set_a_snapshot_can_hold_has_a_name_and_a_description():
    assert set(SCHEMAS) <= set(DATASET_WORDS)
    assert set(load_snapshot().manifest["datasets"]) <= set(DATASET_WORDS)


def test_sources_are_named_and_worded_in_nynorsk():
    with override("nn"):
        frame = sources_in_words(load_snapshot()).set_index("ssb_table", drop=False)
    first = frame.iloc[0]
    assert (first["dataset"], first["ssb_table"]) == ("Folketal", "07459")
    assert first["licence"] == "CC BY 4.0 (SSB; eldre materiale NLOD 2.0)"
    assert first["credit"] == "Kilde: Statistisk sentralbyrå"  # SSB's credit line, as published
    assert not frame["dataset"].str.contains("_").any()
    assert "IMDi (ikkje SSB)" in frame["ssb_table"].tolist()


def test_manifest_words_translate_the_parts_blilyst_wrote_and_keep_table_numbers():
    with override("nb"):
        assert manifest_words("KMD/NIBR distriktsindeks base data; 13470") == (
            "grunnlagsdata for distriktsindeksen til KMD/NIBR; 13470"
        )
        assert manifest_words("07459") == "07459"
        assert manifest_words("CC BY 4.0") == "CC BY 4.0"
    with override("en"):
        assert manifest_words("09588-type") == "09588-type"


def test_the_credit_line_words_the_licence():
    with override("nb"):
        assert load_snapshot().credit("population").endswith("lisens CC BY 4.0 (SSB; eldre materiale NLOD 2.0)")
