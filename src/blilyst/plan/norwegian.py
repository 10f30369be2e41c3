"""Reading Norwegian text: sentences, clauses, words, lemmas and compounds, for bokmål and nynorsk.

The honesty check (:mod:`blilyst.plan.claims`) needs to recognise "barnehageplassar", "utleigebustadene" and
"lærerstillinger" as the words it knows (kindergarten + place, rental + home, teacher + position). Three
steps get it there, all offline:

* **Lemmas** from simplemma (Barbaresi, *Simplemma*, 2023; its nb and nn dictionaries ship inside the
  wheel), asked in the text's own variety first, then the other one.
* **Stems**: simplemma does not know every inflected compound, so common Norwegian endings (``-ene``,
  ``-ane``, ``-er``, ``-ar``, ``-en``, ``-a``, ``-et``, ``-e``) are also stripped.
* **Compounds** are split from the right against a vocabulary the caller gives: the longest known head,
  then the rest as known words with an optional linking ``s`` or ``e`` ("arbeid·s·plass",
  "bygg·e·bransje"). Norwegian compounds put the meaning in the head, the kind in the modifiers.

Which variety a text is in is decided by counting marker words that differ between the two written
standards (``ikkje``/``ikke``, ``heile``/``hele``, ``frå``/``fra`` …).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import simplemma

VARIETIES = ("nb", "nn")

# Words that only one written standard uses (common in recruitment texts).
_NYNORSK_MARKERS = frozenset(
    [
        "ikkje",
        "eg",
        "dei",
        "kva",
        "korleis",
        "kvar",
        "heile",
        "frå",
        "berre",
        "mykje",
        "noko",
        "òg",
        "ein",
        "eit",
        "eitt",
        "vere",
        "vore",
        "skule",
        "skulen",
        "skular",
        "born",
        "hjå",
        "finst",
        "fleire",
        "sjukeheim",
        "bustad",
        "bustader",
        "bustaden",
        "sjølv",
        "sjå",
        "nokre",
        "desse",
        "vert",
        "vart",
        "gong",
        "dykk",
        "oss-og",
        "ynskjer",
        "ønskjer",
        "sal",
        "sals",
        "leige",
        "leilegheit",
        "arbeide",
        "no",
        "tek",
        "køyre",
        "plassar",
        "stillingar",
        "jobbar",
    ]
)
_BOKMAAL_MARKERS = frozenset(
    [
        "ikke",
        "jeg",
        "de",
        "hva",
        "hvordan",
        "hvor",
        "hele",
        "fra",
        "bare",
        "mye",
        "noe",
        "også",
        "en",
        "et",
        "være",
        "vært",
        "skole",
        "skolen",
        "skoler",
        "barn",
        "hos",
        "finnes",
        "flere",
        "sykehjem",
        "bolig",
        "boliger",
        "boligen",
        "selv",
        "se",
        "noen",
        "disse",
        "blir",
        "ble",
        "gang",
        "dere",
        "ønsker",
        "salgs",
        "leie",
        "leilighet",
        "nå",
        "tar",
        "kjøre",
        "plasser",
        "stillinger",
        "jobber",
    ]
)

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)
_WORD = re.compile(r"\d+(?:[ \u00a0.]\d{3})*(?:,\d+)?|[^\W\d_]+(?:-[^\W\d_]+)*")
# Clause boundaries: punctuation inside a sentence, and the conjunctions that turn the argument.
# "… og ingen utleieboliger" starts a clause of its own, so its negation does not reach back.
_CLAUSE_BREAK = re.compile(
    r"\s*[,;:–—]\s*|\s+(?:men|mens|samtidig som)\s+|\s+og\s+(?=(?:ingen|inga|ikke|ikkje)\b)", re.IGNORECASE
)
_ENDINGS = ("ane", "ene", "ar", "er", "en", "et", "ne", "a", "e")


@dataclass(frozen=True)
class Word:
    """A word as written, where it stands, its possible base forms and its compound parts."""

    text: str
    start: int
    end: int
    forms: tuple[str, ...]
    parts: tuple[str, ...] = ()

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def head(self) -> str:
        """The compound's head (the last part), or the first base form for a simple word."""
        return self.parts[-1] if self.parts else self.forms[0]

    def has(self, words: Iterable[str] | frozenset[str]) -> bool:
        """Whether any base form or compound part is one of ``words``."""
        pool = words if isinstance(words, (set, frozenset)) else frozenset(words)
        return any(f in pool for f in self.forms) or any(p in pool for p in self.parts)

    def is_(self, words: frozenset[str]) -> bool:
        """Whether a base form (not a compound part) is one of ``words``."""
        return any(f in words for f in self.forms)


@dataclass(frozen=True)
class Span:
    """A stretch of the text (a sentence or a clause) and its words."""

    text: str
    start: int
    end: int
    words: tuple[Word, ...]


def variety(text: str) -> str:
    """``"nn"`` when nynorsk marker words outnumber bokmål ones, else ``"nb"``."""
    words = [w.lower() for w in _WORD.findall(text)]
    nynorsk_votes = sum(w in _NYNORSK_MARKERS for w in words)
    bokmaal_votes = sum(w in _BOKMAAL_MARKERS for w in words)
    bokmaal, nynorsk = VARIETIES
    return nynorsk if nynorsk_votes > bokmaal_votes else bokmaal


def other_variety(lang: str) -> str:
    """The other written standard (the lemmatiser is asked in the text's own first, then this one)."""
    return VARIETIES[1 - VARIETIES.index(lang)]


@lru_cache(maxsize=65536)
def base_forms(word: str, lang: str = VARIETIES[0]) -> tuple[str, ...]:
    """The word in lower case, its lemmas (``lang`` first, then the other variety) and its stems."""
    lower = word.lower()
    other = other_variety(lang)
    forms = [lower]
    for langs in ((lang, other), (other, lang)):
        forms.append(simplemma.lemmatize(lower, lang=langs).lower())
    for ending in _ENDINGS:
        if lower.endswith(ending) and len(lower) - len(ending) >= 3:
            forms.append(lower[: -len(ending)])
    return tuple(dict.fromkeys(forms))


def split_compound(
    word: str, heads: frozenset[str], modifiers: frozenset[str], lang: str = VARIETIES[0]
) -> tuple[str, ...]:
    """``word`` as its known parts, head last (``("barnehage", "plass")``); ``()`` when it is no known compound.

    ``heads`` are the words that may end a compound; ``modifiers`` (and any word simplemma knows) may come
    before, each with an optional linking ``s`` or ``e``.
    """
    if "-" in word:
        pieces = [p for p in word.lower().split("-") if p]
        parts: list[str] = []
        for piece in pieces:
            found = split_compound(piece, heads, modifiers, lang)
            parts.extend(found or (base_forms(piece, lang)[0],))
        return tuple(parts)
    for form in base_forms(word, lang):
        found = _split(form, heads, modifiers, lang)
        if found and len(found) > 1:
            return found
    return ()


@lru_cache(maxsize=65536)
def _split(form: str, heads: frozenset[str], modifiers: frozenset[str], lang: str) -> tuple[str, ...]:
    for cut in range(3, len(form) - 2):
        head = form[cut:]
        if head not in heads:
            continue
        left = _modifier_parts(form[:cut], heads, modifiers, lang)
        if left:
            return (*left, head)
    return ()


def _modifier_parts(text: str, heads: frozenset[str], modifiers: frozenset[str], lang: str) -> tuple[str, ...]:
    candidates = [text]
    if len(text) > 3 and text[-1] in "se":
        candidates.append(text[:-1])
    for candidate in candidates:
        if candidate in modifiers or candidate in heads or _known(candidate, lang):
            return (candidate,)
    for candidate in candidates:  # a modifier that is itself a compound ("barne·hage")
        inner = _split(candidate, heads | modifiers, modifiers, lang)
        if inner:
            return inner
    return ()


@lru_cache(maxsize=65536)
def _known(word: str, lang: str) -> bool:
    return len(word) >= 3 and (simplemma.is_known(word, lang=lang) or simplemma.is_known(word, lang=VARIETIES[0]))


def sentences(text: str) -> list[tuple[str, int, int]]:
    """Sentences as ``(text, start, end)``; a line break also ends one (headings, list items)."""
    out = []
    for m in _SENTENCE.finditer(text):
        chunk = m.group(0)
        stripped = chunk.strip()
        if not stripped:
            continue
        start = m.start() + (len(chunk) - len(chunk.lstrip()))
        out.append((stripped, start, start + len(stripped)))
    return out


def clauses(sentence: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """A sentence cut at commas, colons, dashes and turning conjunctions ("men", "mens")."""
    out, pos = [], 0
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.start() > pos:
            out.append((sentence[pos : m.start()], offset + pos, offset + m.start()))
        pos = m.end()
    if pos < len(sentence):
        out.append((sentence[pos:], offset + pos, offset + len(sentence)))
    return out


def words(
    text: str, offset: int, heads: frozenset[str], modifiers: frozenset[str], lang: str = VARIETIES[0]
) -> tuple[Word, ...]:
    """The words of ``text`` (offsets shifted by ``offset``), each with base forms and compound parts."""
    out = []
    for m in _WORD.finditer(text):
        token = m.group(0)
        forms = base_forms(token, lang)
        # A word the lexicon knows whole ("barnehageplass", "sykehjem") is not split into smaller known words.
        known = any(f in heads or f in modifiers for f in forms)
        parts = () if known else split_compound(token, heads, modifiers, lang)
        out.append(Word(token, offset + m.start(), offset + m.end(), forms, parts))
    return tuple(out)
