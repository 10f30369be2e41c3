"""Fill English gettext catalogs: every message is its own translation (the message ids are English).

``make messages`` runs this on each ``locale/en/LC_MESSAGES/*.po`` after extraction. An entry that is empty or
fuzzy (msgmerge's guess from a similar message, wrong for English) gets its message id as translation; the
header keeps a UTF-8 charset. Bokmål and nynorsk are translated by hand and are never touched here.

Usage: python tools/english_catalogs.py PO_FILE...
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def fill(path: Path) -> int:
    """Fill ``path`` in place; the number of entries changed."""
    with path.open("rb") as f:
        catalog = read_po(f, locale="en")
    changed = 0
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            message.string = message.id
            message.flags.discard("fuzzy")
            changed += 1
    catalog.fuzzy = False
    catalog.charset = "utf-8"
    with path.open("wb") as f:
        write_po(f, catalog, width=0, include_previous=False)
    return changed


if __name__ == "__main__":
    for name in sys.argv[1:]:
        fill(Path(name))
