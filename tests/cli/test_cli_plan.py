"""`blilyst plan` writes the plan document with the municipality's real figures."""

from __future__ import annotations

import re

import docx

from blilyst.cli import main


def _docx_text(path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_it_writes_a_word_plan_with_kviteseids_population(tmp_path, capsys):
    out = tmp_path / "kviteseid.docx"
    assert main(["plan", "kviteseid", "--output", str(out)]) == 0
    text = _docx_text(out)
    assert "Kviteseid" in text
    # 1 January 2026 population of 4028 Kviteseid in the bundled SSB data (07459).
    assert re.search(r"\b2[\s\u00a0\u202f,.]?463\b", text)
    assert "Statistisk sentralbyrå" in text
    assert "4028 Kviteseid" in capsys.readouterr().out


def test_an_unknown_municipality_is_one_line_and_a_non_zero_exit(tmp_path, capsys):
    assert main(["plan", "atlantis", "--output", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("Feil: Ingen kommune passer til «atlantis».")  # bokmål by default
    assert "\n" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_a_wrong_suffix_is_refused_before_any_work(tmp_path, capsys):
    assert main(["plan", "4028", "--output", str(tmp_path / "plan.txt")]) == 1
    assert "--output" in capsys.readouterr().err


def test_a_saved_plan_that_is_not_json_says_where(tmp_path, capsys):
    bad = tmp_path / "plan.json"
    bad.write_text('{"format": "blilyst-plan/1",\n "municipality": }', encoding="utf-8")
    assert main(["plan", "4028", "--saved", str(bad), "--output", str(tmp_path / "x.docx")]) == 1
    err = capsys.readouterr().err
    assert "Feil: --saved: «plan.json» er ikke JSON (linje 2, kolonne" in err
    assert not (tmp_path / "x.docx").exists()


def test_a_saved_plan_from_the_file_fills_the_target_group_and_chain(tmp_path):
    from blilyst.plan.saved import SavedPlan

    saved = SavedPlan(
        municipality="4028",
        chosen_groups=("labour_immigrants",),
        goal="20 flere i arbeidsalder innen 2030",
        measures=({"name": "Prøveboliger for arbeidsinnvandrere", "bottleneck": "housing"},),
    )
    path = tmp_path / "plan.json"
    path.write_text(saved.dumps(), encoding="utf-8")
    assert SavedPlan.load(path) == saved
    out = tmp_path / "kviteseid.docx"
    assert main(["plan", "4028", "--saved", str(path), "--output", str(out)]) == 0
    text = _docx_text(out)
    assert "20 flere i arbeidsalder innen 2030" in text
    assert "Prøveboliger for arbeidsinnvandrere" in text
