"""The nginx settings in docs/production.md let the largest accepted import through."""

from __future__ import annotations

import re
from pathlib import Path

from blilyst.web.resources import csvimport

DOC = Path(__file__).resolve().parents[2] / "docs" / "production.md"
UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def test_nginx_allows_the_largest_accepted_upload_with_room_for_the_form():
    sizes = re.findall(r"client_max_body_size\s+(\d+)([kKmMgG]?);", DOC.read_text(encoding="utf-8"))
    assert sizes, "docs/production.md must set client_max_body_size (nginx refuses bodies over 1 MB by default)"
    for number, unit in sizes:
        assert int(number) * UNITS[unit.lower()] >= csvimport.MAX_BYTES + 64 * 1024
