"""Nynorsk is nynorsk and bokmål is bokmål: no word of the one written standard leaks into the other's catalogs.

A nynorsk translation made by editing the bokmål one keeps a stray *ikke*, *hvis* or *boliger*; a bokmål text
pasted from a nynorsk page keeps *ikkje* or *berre*. Most marker words below are forms of one standard that the other
does not have (*ikke*/*ikkje*), so a hit is a real leak, not a false alarm; a few are nynorsk
alternatives the glossary rules out so that every text uses the same form (*gi/gir/oppgi* → *gje/gjev/oppgje*,
*også* → *òg*, *verte/vorte* → *bli/blitt*, *serveren* → *tenaren*, *berekna* → *utrekna*). Words both standards
share (mellom, etter, skal, vil, kunne, dette, denne, hos, blir, vart) are not markers. The glossary's terms
(docs/glossary.md) are checked the same way: the nynorsk catalogs use hushald, tilflyttar, bustad …, the bokmål
ones husstand, tilflytter, bolig ….
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

SRC = Path(__file__).resolve().parents[1] / "src" / "blilyst"


def _catalogs(language: str) -> list[Path]:
    return sorted(SRC.glob(f"**/locale/{language}/LC_MESSAGES/*.po"))


def _id(path: Path) -> str:
    return str(path.relative_to(SRC))


# Words (whole, any case) a nynorsk text here never uses: bokmål-only, or ruled out by the glossary; the nynorsk word
# in the comment.
BOKMAL_ONLY = (
    "ikke",  # ikkje
    "hva",  # kva
    "hvordan",  # korleis
    "hvorfor",  # kvifor
    "hvis",  # viss, om, dersom
    "hver",  # kvar
    "hvert",  # kvart
    "hvem",  # kven
    "hvilke",  # kva for
    "hvilken",
    "hvilket",
    "noen",  # nokon, nokre
    "noe",  # noko
    "flere",  # fleire
    "bare",  # berre
    "fra",  # frå
    "jeg",  # eg
    "mye",  # mykje
    "uten",  # utan
    "siden",  # sidan
    "ble",  # vart
    "også",  # òg (the glossary's choice)
    "gi",  # gje (the glossary's choice)
    "gir",  # gjev
    "oppgi",  # oppgje
    "oppgitt",  # oppgjeve
    "vorte",  # blitt (the glossary's choice: bli, not verte)
    "verte",
    "enkelte",  # einskilde
    "hjem",  # heim
    "hjemme",  # heime
    "navn",  # namn
    "antall",  # talet på
    "sammen",  # saman
    "samme",  # same
    "skole",  # skule
    "mulig",  # mogleg
    "vanlig",  # vanleg
    "tidligere",  # tidlegare
    "egen",  # eigen
    "egne",  # eigne
    "deres",  # deira
    "hverandre",  # kvarandre
    "gjøre",  # gjere
    "voksne",  # vaksne
    "brukere",  # brukarar
    "lagret",  # lagra
    "endret",  # endra
    "slettet",  # sletta
    "sted",  # stad
    "steder",  # stader
    "måneder",  # månader
    "dager",  # dagar
    "uker",  # veker
    "ganger",  # gonger
    "innbyggere",  # innbyggjarar
    "boliger",  # bustader
    "husholdning",  # hushald
    "husholdninger",
    "vedkommende",  # vedkomande
    "vedkommande",
    "serveren",  # tenaren
    "berekna",  # utrekna (the glossary's word for estimated)
)

# Nynorsk-only words that a bokmål text never uses; the bokmål word in the comment.
NYNORSK_ONLY = (
    "ikkje",  # ikke
    "kva",  # hva
    "korleis",  # hvordan
    "kvifor",  # hvorfor
    "berre",  # bare
    "eit",  # et
    "ein",  # en
    "nokon",  # noen
    "noko",  # noe
    "nokre",  # noen
    "fleire",  # flere
    "frå",  # fra
    "òg",  # også
    "mykje",  # mye
    "kven",  # hvem
    "medan",  # mens
    "heim",  # hjem
    "vere",  # være
    "utan",  # uten
    "sidan",  # siden
    "namn",  # navn
    "kommunar",  # kommuner
)

# Fixed texts quoted as they are written: a publication's title keeps its own standard.
QUOTED = ("Drømmen om å bli flere",)


def _words(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, words)) + r")(?![\w-])", re.IGNORECASE)


def _prose(text: str) -> str:
    """The text a reader sees: placeholders, command-line options, file paths and quoted titles removed."""
    for quoted in QUOTED:
        text = text.replace(quoted, " ")
    text = re.sub(r"%\(\w+\)[sdfr]|%[sdfr]|\{[^{}]*\}|\$\{\w+\}", " ", text)
    return re.sub(r"--[\w-]+|\S+/\S+", " ", text)


def _strings(path: Path) -> list[tuple[str, str]]:
    """(message id, translation) for every translated form in the catalog."""
    with path.open("rb") as f:
        catalog = read_po(f)
    found: list[tuple[str, str]] = []
    for message in catalog:
        if not message.id:
            continue
        msgid = str(message.id[0] if isinstance(message.id, (tuple, list)) else message.id)
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        found += [(msgid, str(s)) for s in strings if s]
    return found


def _leaks(path: Path, markers: re.Pattern[str]) -> list[str]:
    leaks = []
    for msgid, text in _strings(path):
        words = sorted({m.group(0).lower() for m in markers.finditer(_prose(text))})
        if words:
            leaks.append(f"{words} in {text!r} (msgid {msgid!r})")
    return leaks


@pytest.mark.parametrize("path", _catalogs("nn"), ids=_id)
def test_nynorsk_catalog_has_no_bokmal_words(path: Path):
    leaks = _leaks(path, _words(BOKMAL_ONLY))
    assert not leaks, f"{_id(path)}: {len(leaks)} nynorsk texts with bokmål words:\n" + "\n".join(leaks[:10])


@pytest.mark.parametrize("path", _catalogs("nb"), ids=_id)
def test_bokmal_catalog_has_no_nynorsk_words(path: Path):
    leaks = _leaks(path, _words(NYNORSK_ONLY))
    assert not leaks, f"{_id(path)}: {len(leaks)} bokmål texts with nynorsk words:\n" + "\n".join(leaks[:10])


# docs/glossary.md: one word per thing and standard. A term is matched at the start of a word and with any ending
# (husstand, husstanden, husstander; tilflyttartenesta), so compounds count too.
GLOSSARY = (
    # (bokmål, nynorsk)
    ("husstand", "hushald"),
    ("tilflytter", "tilflyttar"),
    ("innflytter", "innflyttar"),
    ("utflytter", "utflyttar"),
    ("bolig", "bustad"),
    ("henvendelse", "førespurnad"),
    ("personopplysninger", "personopplysningar"),
    ("tilbakeflyttere", "tilbakeflyttarar"),
    ("arbeidsinnvandrere", "arbeidsinnvandrarar"),
    ("jobbsøkende", "jobbsøkjande"),
)
# At the start of a word only (kilde is inside the nynorsk einskilde), with any ending.
GLOSSARY_PREFIXES = (("kilde", "kjelde"),)
# Whole words only: folketal is a prefix of the bokmål folketall.
GLOSSARY_WORDS = (("folketall", "folketal"), ("folketallet", "folketalet"), ("beregnet", "utrekna"))


def _terms(stems: list[str], prefixes: list[str], words: list[str]) -> re.Pattern[str]:
    stem_part = r"\w*(?:" + "|".join(map(re.escape, stems)) + r")\w*"
    prefix_part = r"(?<!\w)(?:" + "|".join(map(re.escape, prefixes)) + r")\w*"
    word_part = r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)"
    return re.compile(f"{stem_part}|{prefix_part}|{word_part}", re.IGNORECASE)


def _standard(pairs: tuple[tuple[str, str], ...], index: int) -> list[str]:
    return [pair[index] for pair in pairs]


OTHER_STANDARDS_TERMS = {  # what a catalog in the key's language must not contain
    "nn": _terms(
        [*_standard(GLOSSARY, 0), "husholdning"], _standard(GLOSSARY_PREFIXES, 0), _standard(GLOSSARY_WORDS, 0)
    ),
    "nb": _terms(_standard(GLOSSARY, 1), _standard(GLOSSARY_PREFIXES, 1), _standard(GLOSSARY_WORDS, 1)),
}


@pytest.mark.parametrize("path", _catalogs("nn") + _catalogs("nb"), ids=_id)
def test_catalog_uses_the_glossarys_terms(path: Path):
    language = path.parent.parent.name
    wrong = OTHER_STANDARDS_TERMS[language]
    leaks = []
    for msgid, text in _strings(path):
        terms = sorted({m.group(0).lower() for m in wrong.finditer(_prose(text))})
        if terms:
            leaks.append(f"{terms} in {text!r} (msgid {msgid!r})")
    assert not leaks, f"{_id(path)} uses the other standard's glossary term:\n" + "\n".join(leaks[:10])


def test_the_markers_find_a_leak():
    """The checks are not vacuous: a bokmål sentence is caught in nynorsk, a nynorsk one in bokmål."""
    assert _words(BOKMAL_ONLY).search(_prose("Fann ikke %(name)s; oppgi kommunen"))
    assert not _words(BOKMAL_ONLY).search(_prose("Fann ikkje %(name)s; oppgje kommunen (--bare-files)"))
    assert _words(NYNORSK_ONLY).search(_prose("Det er berre ein kommune"))
    assert not _words(NYNORSK_ONLY).search(_prose("Det er bare en kommune"))
    assert OTHER_STANDARDS_TERMS["nn"].search("Tilflyttertjenesten og husstanden")
    assert OTHER_STANDARDS_TERMS["nb"].search("Folketalet og bustadene")
    assert not OTHER_STANDARDS_TERMS["nb"].search("Folketallet og boligene")
    assert OTHER_STANDARDS_TERMS["nn"].search("Kildene") and not OTHER_STANDARDS_TERMS["nn"].search("einskilde")
    assert _markup("Sjå <a href='/x'>lista</a>&nbsp;no, 2 < 3") == ["&nbsp;", "</a>", "<a href='/x'>"]


def _markup(text: str) -> list[str]:
    return sorted(re.findall(r"</?[a-zA-Z][^<>]*>|&#?\w+;", text))


@pytest.mark.parametrize("path", sorted(SRC.glob("**/locale/*/LC_MESSAGES/*.po")), ids=_id)
def test_translations_keep_the_markup_of_their_message(path: Path):
    """A tag or entity in a message (<strong>, &nbsp;) is in its translation too, unchanged; none are invented."""
    with path.open("rb") as f:
        catalog = read_po(f)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        wanted = _markup(str(ids[0]))
        wrong += [(str(ids[0]), str(s)) for s in strings if s and _markup(str(s)) != wanted]
    assert not wrong, f"{_id(path)}: markup differs from the message: {wrong[:5]}"
