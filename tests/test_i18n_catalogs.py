"""Every gettext catalog (the core's and each Django app's) is complete in bokmål, nynorsk and English.

A message that is extracted but not translated shows up as English on a Norwegian page; a fuzzy entry is
msgmerge's guess from a similar message and is often wrong. Both fail here, naming the catalog and the
message, so whoever adds a text also translates it (``make messages``, edit the .po, ``make compile-messages``).
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po

SRC = Path(__file__).resolve().parents[1] / "src" / "blilyst"
LANGUAGES = ("nb", "nn", "en")
CATALOGS = sorted(SRC.glob("**/locale/*/LC_MESSAGES/*.po"))


def _id(path: Path) -> str:
    return str(path.relative_to(SRC))


def _language(path: Path) -> str:
    return path.parent.parent.name


def _area(path: Path) -> str:
    return str(path.parent.parent.parent.relative_to(SRC))


def _messages(path: Path) -> list[Message]:
    with path.open("rb") as f:
        return [m for m in read_po(f, abort_invalid=True) if m.id]


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(s.strip() for s in strings)


def _placeholders(text: str) -> set[str]:
    """Named and positional placeholders, in Python %-style (``%(n)s``, ``%s``) and str.format style (``{n}``)."""
    percent = re.findall(r"%\((\w+)\)[sdfr]|%[sdfr]", text)
    braces = re.findall(r"\{(\w*)(?:[:!][^{}]*)?\}", text)
    return {f"%{p}" for p in percent} | {f"{{{b}}}" for b in braces}


def test_every_language_has_a_catalog_in_every_area():
    areas = {_area(p) for p in CATALOGS}
    missing = [
        f"{area}/{lang}"
        for area in sorted(areas)
        for lang in LANGUAGES
        if not any(_area(p) == area and _language(p) == lang for p in CATALOGS)
    ]
    assert areas and not missing, f"missing catalogs (run make messages): {missing}"


@pytest.mark.parametrize("path", CATALOGS, ids=_id)
def test_catalog_declares_utf8_and_its_plural_forms(path: Path):
    """Without a charset a catalog with æ, ø, å or Sámi letters cannot be read back; without plural forms every
    ngettext falls back to the English rule."""
    with path.open("rb") as f:
        catalog = read_po(f)
    header = dict(catalog.mime_headers)
    assert "charset=utf-8" in header.get("Content-Type", "").lower(), f"{_id(path)} lacks a UTF-8 charset header"
    assert header.get("Plural-Forms", "").startswith("nplurals="), f"{_id(path)} lacks Plural-Forms"


@pytest.mark.parametrize("path", CATALOGS, ids=_id)
def test_catalog_has_no_untranslated_or_fuzzy_entry(path: Path):
    messages = _messages(path)
    untranslated = [m.id for m in messages if not _translated(m)]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, f"{_id(path)}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{_id(path)}: {len(fuzzy)} fuzzy (check and remove the flag), e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("path", CATALOGS, ids=_id)
def test_translations_keep_the_placeholders_of_their_message(path: Path):
    wrong = []
    for m in _messages(path):
        if not _translated(m):
            continue
        if isinstance(m.id, tuple):  # plural: a form may say "one" instead of the count, but invents nothing
            wanted = _placeholders(m.id[0]) | _placeholders(m.id[1])
            wrong += [(m.id[0], s) for s in m.string if not _placeholders(s) <= wanted]
        elif _placeholders(m.string) != _placeholders(m.id):
            wrong.append((m.id, m.string))
    assert not wrong, f"{_id(path)}: placeholders differ from the message: {wrong[:5]}"


@pytest.mark.parametrize("path", CATALOGS, ids=_id)
def test_compiled_catalog_is_up_to_date(path: Path):
    """The committed .mo holds exactly the .po's translations (``make compile-messages`` was run)."""
    mo = path.with_suffix(".mo")
    assert mo.is_file(), f"{_id(path)} has no compiled .mo; run make compile-messages"
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for m in _messages(path):
        if not _translated(m) or m.fuzzy:
            continue
        key = m.id[0] if isinstance(m.id, tuple) else m.id
        if m.context:
            key = f"{m.context}\x04{key}"
        first = m.string[0] if isinstance(m.string, tuple) else m.string
        entry = compiled._catalog.get((key, 0) if isinstance(m.id, tuple) else key)  # type: ignore[attr-defined]
        if entry != first:
            stale.append(key)
    assert not stale, f"{_id(path)}: .mo differs from .po for {stale[:5]}; run make compile-messages"


# The glossary's one word for a household (docs/glossary.md): husstand in bokmål, hushald in nynorsk.
WRONG_HOUSEHOLD_WORD = {"nb": re.compile(r"\bhusholdning", re.I), "nn": re.compile(r"\bhus(?:stand|holdning)", re.I)}


@pytest.mark.parametrize("path", [p for p in CATALOGS if _language(p) in WRONG_HOUSEHOLD_WORD], ids=_id)
def test_household_is_the_glossary_word(path):
    wrong = WRONG_HOUSEHOLD_WORD[_language(path)]
    found = []
    for message in _messages(path):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found += [s for s in strings if wrong.search(s)]
    assert not found, f"{_id(path)} does not use the glossary's word for household: {found[:5]}"


@pytest.mark.parametrize("path", CATALOGS, ids=_id)
def test_the_catalog_compiles_without_babels_errors(path: Path):
    """What `pybabel compile` (make compile-messages) refuses: e.g. a literal "% e" read as a %-format."""
    with path.open("rb") as f:
        catalog = read_po(f)
    errors = [(message.id, [str(e) for e in errs]) for message, errs in catalog.check()]
    assert not errors, f"{_id(path)}: {errors[:5]}"


# The keywords the Makefile's extraction uses (Babel's defaults plus the deferred plural marker); a message marked
# with any of them in the code must be in the catalog, or it reaches a Norwegian reader in English.
_EXTRACT_KEYWORDS = {"ngettext_noop": (1, 2)}


def _marked_in(paths: list[Path]) -> set[str | tuple[str, ...]]:
    from babel.messages.extract import DEFAULT_KEYWORDS, extract

    keywords = {**DEFAULT_KEYWORDS, **_EXTRACT_KEYWORDS}
    found: set[str | tuple[str, ...]] = set()
    for path in paths:
        with path.open("rb") as f:
            for _line, message, _comments, context in extract("python", f, keywords=keywords):
                key = message[0] if isinstance(message, tuple) else message
                if key:
                    found.add((context, key) if context else key)
    return found


def _catalog_keys(path: Path) -> set[str | tuple[str, ...]]:
    keys: set[str | tuple[str, ...]] = set()
    for message in _messages(path):
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        keys.add((message.context, key) if message.context else key)
    return keys


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_the_core_marks_is_in_its_catalog(lang: str):
    """An extraction run by hand with other settings than ``make messages`` (without ``-k ngettext_noop:1,2``, or
    with a module left out of ``CORE_SOURCES``) drops entries with ``--ignore-obsolete``; the catalog tests above
    cannot see a message that is not there at all. This one extracts the core's Python as the Makefile does
    (every module outside the web app) and names each message the catalog lacks."""
    sources = [p for p in SRC.rglob("*.py") if "web" not in p.relative_to(SRC).parts]
    missing = _marked_in(sources) - _catalog_keys(SRC / "locale" / lang / "LC_MESSAGES" / "blilyst.po")
    assert not missing, f"{len(missing)} core messages are not in the {lang} catalog (run make messages): " + "; ".join(
        map(str, sorted(missing, key=str)[:10])
    )
