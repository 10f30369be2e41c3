"""The municipality register: the 357 municipalities of the 2024 structure and how old codes map to them.

One register for the whole of blilyst. It holds for each municipality its name (SSB's official form,
e.g. "Guovdageaidnu - Kautokeino"), county, labour-market (BA) region and SSB's centrality class and
index (Klass 128), and the history of municipality codes (mergers, splits and renumbering) so that an
old code resolves to today's municipality with a note of what happened.

The data are read from the bundled ``blilyst/data/register.json``, built from ``data/raw`` by
:mod:`blilyst.stats.build_snapshot` (sources: csdata/SSB Klass 131 and its redistricting table,
SSB Klass 128, SSB's BA-regions 2024, Telemark fylkeskommune's Klass 131 crosswalk 2023-2024).

Look-up (:meth:`Register.resolve`, :meth:`Register.find`) is tolerant of case, accents, the Norwegian
letters written as ``aa``/``oe``/``ae`` or plain ``a``/``o``, small typos, and either part of a name
that has Sami or Kven forms ("Kautokeino" and "Guovdageaidnu" both find 5612).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from rapidfuzz import fuzz

from blilyst.errors import SnapshotError, UnknownMunicipality
from blilyst.i18n import format_percent, gettext, in_every_language, in_language

REGISTER_FILE = Path(__file__).resolve().parents[1] / "data" / "register.json"

_FRAME_COLUMNS = [
    "code",
    "name",
    "county_code",
    "county_name",
    "ba_region_code",
    "ba_region_name",
    "centrality_class",
    "centrality_index",
]


@dataclass(frozen=True)
class Municipality:
    """A municipality of the 2024 structure."""

    code: str
    name: str
    county_code: str
    county_name: str
    ba_region_code: str
    ba_region_name: str
    centrality_class: int
    centrality_index: int

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@dataclass(frozen=True)
class CodeChange:
    """What happened to an old municipality code.

    ``kind`` is "merged" (with other municipalities into one), "split" (into several, with
    population ``weights`` from the redistricting table), or "renumbered" (same area, new number).
    ``year`` is the first year of the new code(s); ``targets`` lists (2024 code, weight). ``notes`` says what
    happened in each language (``in_every_language``: the register is built once and read in any language);
    ``note`` is it in the active language.
    """

    code: str
    name: str
    year_from: int
    year_to: int
    year: int
    kind: str
    targets: tuple[tuple[str, float], ...]
    via: str | None
    notes: Mapping[str, str]

    @property
    def note(self) -> str:
        return in_language(self.notes)


@dataclass(frozen=True)
class Match:
    """One result of :meth:`Register.find`: the municipality, a score 0-100, and a note
    (empty, or what happened to an old code or name that was matched)."""

    municipality: Municipality
    score: float
    note: str = ""


_FOLD = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "å": "a",
        "đ": "d",
        "ŋ": "n",
        "ŧ": "t",
        "š": "s",
        "č": "c",
        "ž": "z",
        "ʒ": "z",
        "ǥ": "g",
        "ǩ": "k",
    }
)
_FOLD_OLD = str.maketrans({"ø": "oe", "æ": "ae", "å": "aa"})


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _keys(text: str) -> set[str]:
    """Normalised forms of a name: lower case, no accents, å/ø/æ as both a/o/ae and aa/oe/ae."""
    low = " ".join(text.lower().replace("-", " ").split())
    keys = {_strip_accents(low.translate(_FOLD)), _strip_accents(low.translate(_FOLD_OLD))}
    return {re.sub(r"[^a-z0-9 ()]", "", k).strip() for k in keys}


_NOISE = {"kommune", "kommun", "kommuna", "municipality", "herad"}


def _query_key(text: str) -> str:
    low = " ".join(w for w in text.lower().replace("-", " ").split() if w not in _NOISE)
    return re.sub(r"[^a-z0-9 ()]", "", _strip_accents(low.translate(_FOLD))).strip()


def _name_parts(name: str) -> list[str]:
    """'Guovdageaidnu - Kautokeino' -> the whole name and each language form;
    'Herøy (Nordland)' -> also 'Herøy'."""
    parts = [name]
    bare = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
    if bare != name:
        parts.append(bare)
    for sep in (" - ",):
        if sep in bare:
            parts.extend(p.strip() for p in bare.split(sep) if p.strip())
    return parts


_CODE = re.compile(r"^(?:k\s*-?\s*)?(\d{3,4})$", re.IGNORECASE)


class Register:
    """The municipality register. Use :func:`get_register` to get the cached instance."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self._munis: dict[str, Municipality] = {}
        self._old_names: dict[str, str] = dict(payload.get("old_names", {}))
        aliases: list[tuple[str, str, str]] = []  # (key, code, note)
        for m in payload["municipalities"]:
            muni = Municipality(**{k: m[k] for k in _FRAME_COLUMNS})
            self._munis[muni.code] = muni
            names = _name_parts(muni.name)
            if m.get("csdata_name"):
                names += [m["csdata_name"], *m["csdata_name"].split("-")]
            for n in names:
                for key in _keys(n):
                    aliases.append((key, muni.code, ""))
        self._codes = sorted(self._munis)

        self._history: dict[str, list[CodeChange]] = {}
        self._notes: dict[str, CodeChange] = {}
        rows = payload["history"]
        by_target_year: dict[tuple[str, int], set[str]] = {}
        for r in rows:
            for c, _w in r["targets"]:
                for y in (r["year_to"],):
                    by_target_year.setdefault((c, y), set()).add(r["code"])
        for r in rows:
            targets = tuple((c, float(w)) for c, w in r["targets"])
            change = self._make_change(r, targets, by_target_year)
            self._history.setdefault(r["code"], []).append(change)
            note_id = f"{change.code}:{change.year_from}"  # an alias carries this id; find() words the note
            self._notes[note_id] = change
            if r["name"]:
                for n in _name_parts(r["name"]):
                    for key in _keys(n):
                        aliases.append((key, self._best_target(change), note_id))
        for changes in self._history.values():
            changes.sort(key=lambda c: c.year_from)
        # current names first, so that they win over historical names with the same key
        self._aliases = sorted(set(aliases), key=lambda a: (a[2] != "", a[0], a[1]))
        self._exact: dict[str, list[tuple[str, str]]] = {}
        for key, code, note in self._aliases:
            self._exact.setdefault(key, []).append((code, note))

    # ------------------------------------------------------------------ construction helpers
    def _make_change(
        self,
        r: dict[str, Any],
        targets: tuple[tuple[str, float], ...],
        by_target_year: dict[tuple[str, int], set[str]],
    ) -> CodeChange:
        code, name = r["code"], r["name"]
        label = f"{code} {name}".strip()
        year = r["year_to"] + 1
        tnames = [f"{c} {self._munis[c].name}" for c, _ in targets]
        if len(targets) > 1:
            kind = "split"
        else:
            partners = by_target_year.get((targets[0][0], r["year_to"]), set()) - {code}
            kind = "merged" if partners else "renumbered"
        via = f"{r['via']} {self._old_name_for(r['via'])}".strip() if r.get("via") and r["via"] != code else ""

        def note() -> str:
            """What happened to the old code, in the active language."""
            if r["year_from"] < 1990:
                until = gettext("until {year}").format(year=r["year_to"])
            else:
                until = f"{r['year_from']}–{r['year_to']}"
            if kind == "split":
                shares = ", ".join(f"{t} ({format_percent(w)})" for t, (_c, w) in zip(tnames, targets, strict=False))
                return gettext(
                    "{label} ({until}) is today split between {shares}; figures for it are apportioned by these "
                    "population weights"
                ).format(label=label, until=until, shares=shares)
            if via and kind == "merged":
                return gettext("{label} ({until}) was merged into {via} in {year}, which is today {today}").format(
                    label=label, until=until, via=via, year=year, today=tnames[0]
                )
            if via:
                return gettext("{label} ({until}) became {via} in {year}, which is today {today}").format(
                    label=label, until=until, via=via, year=year, today=tnames[0]
                )
            if kind == "merged":
                return gettext("{label} ({until}) was merged into {today} in {year}").format(
                    label=label, until=until, today=tnames[0], year=year
                )
            return gettext("{label} ({until}) is today {today} (new number from {year})").format(
                label=label, until=until, today=tnames[0], year=year
            )

        return CodeChange(
            code=code,
            name=name,
            year_from=r["year_from"],
            year_to=r["year_to"],
            year=year,
            kind=kind,
            targets=targets,
            via=r.get("via"),
            notes=in_every_language(note),
        )

    def _old_name_for(self, code: str) -> str:
        for change in self._history.get(code, []):
            if change.name:
                return change.name
        return self._old_names.get(code, "")

    def _best_target(self, change: CodeChange) -> str:
        """The one municipality an old code stands for: the target with the same name, else the largest."""
        if len(change.targets) == 1:
            return change.targets[0][0]
        old = _query_key(change.name) if change.name else None
        for c, _ in change.targets:
            if old and old in _keys(self._munis[c].name):
                return c
        return max(change.targets, key=lambda t: t[1])[0]

    # ------------------------------------------------------------------ the contract
    def all(self) -> list[Municipality]:
        """All 357 municipalities, sorted by code."""
        return [self._munis[c] for c in self._codes]

    def codes(self) -> list[str]:
        """The four-digit codes of the 2024 structure, sorted."""
        return list(self._codes)

    def __len__(self) -> int:
        return len(self._codes)

    def __contains__(self, code: object) -> bool:
        return code in self._munis

    def get(self, code: str) -> Municipality:
        """The municipality with this exact current code; raises :class:`UnknownMunicipality`."""
        try:
            return self._munis[str(code)]
        except KeyError:
            raise UnknownMunicipality(str(code), self._suggest(str(code))) from None

    def frame(self) -> pd.DataFrame:
        """One row per municipality with the columns of :class:`Municipality`."""
        frame = pd.DataFrame([m.__dict__ for m in self.all()], columns=_FRAME_COLUMNS)
        return frame.astype({"centrality_class": "int64", "centrality_index": "int64"})

    def old_codes(self) -> list[str]:
        """Every historical code the register knows (codes no longer in use), sorted."""
        return sorted(c for c in self._history if c not in self._munis)

    def history(self, code: str) -> list[CodeChange]:
        """What happened to ``code`` (oldest first); empty for a current code that never changed."""
        code = self._normal_code(code) or str(code)
        if code not in self._history and code not in self._munis:
            raise UnknownMunicipality(code, self._suggest(code))
        return list(self._history.get(code, []))

    def current_codes_for(self, old_code: str, year: int | None = None) -> list[tuple[str, float]]:
        """The 2024 code(s) an old code maps to, with weights that sum to 1.

        A current code maps to itself. With ``year``, the mapping valid in that year is used (a code
        that was not in use that year raises :class:`UnknownMunicipality`); without it, the latest.
        Weights below 1 mean the old municipality is split between today's, and figures for it must
        be apportioned (the weights are csdata's, from SSB's change tables).
        """
        code = self._normal_code(old_code)
        if code is None:
            raise UnknownMunicipality(str(old_code), reason="unknown")
        changes = self._history.get(code, [])
        if year is not None:
            for change in changes:
                if change.year_from <= year <= change.year_to:
                    return list(change.targets)
            if code in self._munis:
                return [(code, 1.0)]
            raise UnknownMunicipality(
                f"{old_code} in {year}",
                [
                    gettext("{code} was in use {first}–{last}").format(code=c.code, first=c.year_from, last=c.year_to)
                    for c in changes
                ],
                reason="unknown",
            )
        if code in self._munis:
            return [(code, 1.0)]
        if changes:
            return list(changes[-1].targets)
        raise UnknownMunicipality(str(old_code), self._suggest(code))

    def resolve(self, text: str) -> Municipality:
        """One municipality for a code (current or historical) or a name.

        Raises :class:`UnknownMunicipality` with the closest suggestions ("Name (code)") if nothing
        matches well, or with ``reason="ambiguous"`` if several municipalities match equally well
        (e.g. "Herøy", which is both 1515 and 1818).
        """
        matches = self._lookup(str(text))
        if not matches:
            raise UnknownMunicipality(str(text), self._suggest(str(text)))
        best = matches[0]
        if best.score >= 100:
            same = [m for m in matches if m.score >= 100 and not m.note]
            if len(same) > 1:
                raise UnknownMunicipality(str(text), [_label(m.municipality) for m in same], reason="ambiguous")
            return best.municipality
        if best.score >= 85:
            close = [m for m in matches if m.score >= best.score - 3]
            if len(close) > 1:
                raise UnknownMunicipality(str(text), [_label(m.municipality) for m in close[:5]], reason="ambiguous")
            return best.municipality
        raise UnknownMunicipality(str(text), [_label(m.municipality) for m in matches[:5] if m.score >= 60])

    def find(self, text: str, limit: int = 5) -> list[Match]:
        """Candidates for ``text`` (a code or a name), best first, at most ``limit``."""
        return self._lookup(str(text))[:limit]

    # ------------------------------------------------------------------ look-up internals
    def _normal_code(self, text: str) -> str | None:
        m = _CODE.match(str(text).strip())
        return m.group(1).zfill(4) if m else None

    def _lookup(self, text: str) -> list[Match]:
        text = text.strip()
        if not text:
            return []
        code = self._normal_code(text)
        if code is not None:
            if code in self._munis:
                return [Match(self._munis[code], 100.0, "")]
            if code in self._history:
                change = self._history[code][-1]
                out = [Match(self._munis[self._best_target(change)], 100.0, change.note)]
                out += [
                    Match(self._munis[c], 100.0 * w, change.note)
                    for c, w in change.targets
                    if c != out[0].municipality.code
                ]
                return out
            return []
        query = _query_key(text)
        if not query:
            return []
        best: dict[str, Match] = {}

        def offer(code: str, score: float, note: str) -> None:
            have = best.get(code)
            if have is None or score > have.score or (score == have.score and have.note and not note):
                best[code] = Match(self._munis[code], round(score, 1), self._notes[note].note if note else "")

        for code, note in self._exact.get(query, []):
            offer(code, 100.0 if not note else 99.0, note)
        for key, code, note in self._aliases:
            score = max(fuzz.ratio(query, key), fuzz.token_sort_ratio(query, key))
            if len(query) >= 4 and key.startswith(query):
                # "evje" for "evje og hornnes": a whole first word counts for more than a part of one
                whole_word = key[len(query) : len(query) + 1] in ("", " ")
                score = max(score, (88.0 if whole_word else 80.0) + 10.0 * len(query) / len(key))
            if note:
                score -= 2.0
            if score >= 50:
                offer(code, min(score, 98.0), note)
        return sorted(best.values(), key=lambda m: (-m.score, m.municipality.code))

    def _suggest(self, text: str) -> list[str]:
        code = self._normal_code(text)
        if code is not None:
            near = [c for c in self._codes if c[:2] == code[:2]]
            return [_label(self._munis[c]) for c in near[:5]]
        return [_label(m.municipality) for m in self._lookup(text)[:5] if m.score >= 60]


def _label(m: Municipality) -> str:
    return f"{m.name} ({m.code})"


@functools.cache
def get_register(path: Path | None = None) -> Register:
    """The register from the bundled ``register.json`` (cached)."""
    path = Path(path) if path else REGISTER_FILE
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        return Register(payload)
    except FileNotFoundError:
        raise SnapshotError(
            gettext(
                "The municipality register {path} is missing. Reinstall blilyst, or in a source checkout "
                "run 'blilyst data build-snapshot'."
            ).format(path=path)
        ) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise SnapshotError(
            gettext(
                "The municipality register {path} is corrupt ({error}). Reinstall blilyst, or in a source "
                "checkout run 'blilyst data build-snapshot'."
            ).format(path=path, error=exc)
        ) from None
