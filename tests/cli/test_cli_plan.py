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
    assert main(["plan", "kviteseid", "--output", str(out), "--no-outlook"]) == 0
    text = _docx_text(out)
    assert "Kviteseid" in text
    # 1 January 2026 population of 4028 Kviteseid in the bundled SSB data (07459).
    assert re.search(r"\b2[\s\u00a0\u202f,.]?463\b", text)
    assert "Statistisk sentralbyrå" in text
    assert "4028 Kviteseid" in capsys.readouterr().out


def test_an_unknown_municipality_is_one_line_and_a_non_zero_exit(tmp_path, capsys):
    assert main(["plan", "atlantis", "--output", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("Error: No municipality matches 'atlantis'")
    assert "\n" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_a_wrong_suffix_is_refused_before_any_work(tmp_path, capsys):
    assert main(["plan", "4028", "--output", str(tmp_path / "plan.txt")]) == 1
    assert "--output" in capsys.readouterr().err
