"""The plan document written in bokmål or nynorsk has no English words, code keys or English number formats
(the same search as tests/web/test_i18n_leaks.py, on the Word file ``blilyst plan`` writes)."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest
from tests.web.test_i18n_leaks import CODE_KEY, ENGLISH

from blilyst.cli import main

ENGLISH_THOUSANDS = re.compile(r"\b\d{1,3},\d{3}\b")  # 2,463: an English number in a Norwegian text


def document_text(path: Path) -> str:
    with zipfile.ZipFile(path) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    return html.unescape(re.sub(r"<[^>]+>", " ", xml.replace("</w:p>", "\n")))


def leaks(text: str) -> list[str]:
    found = {m.group(0) for pattern in (ENGLISH, CODE_KEY, ENGLISH_THOUSANDS) for m in pattern.finditer(text)}
    return sorted(found)


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_norwegian_plan_has_no_english(tmp_path, lang):
    target = tmp_path / f"plan-{lang}.docx"
    assert main(["--lang", lang, "plan", "4028", "--output", str(target)]) == 0
    assert leaks(document_text(target)) == []
