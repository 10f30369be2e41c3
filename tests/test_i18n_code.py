"""One text system: no inline language dictionaries and no language conditionals in src/.

A text written as ``{"nb": "…", "en": "…"}`` or chosen with ``… if nb else …`` / ``lang == "nb"`` never reaches
the catalogs, so it has no nynorsk and no plural forms. Texts go through gettext (``blilyst.i18n`` in the core,
``django.utils.translation`` in the web app); formats through ``blilyst.i18n.format_*`` or Django's localisation.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
LANGUAGE_CODES = {"nb", "nn", "en"}
LANGUAGE_FLAGS = {"nb", "nn", "en", "norwegian", "english", "is_nb", "is_en"}

# Where a language code is data rather than a text choice: the i18n module itself (its fallbacks and CLDR
# locales) and the words a CSV import accepts for a language (the resource and welcome-list imports).
PERMANENT = {
    "blilyst/i18n.py",
    "blilyst/web/resources/matchinputs.py",
    "blilyst/web/outreach/welcomelist.py",
}


def _is_code(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in LANGUAGE_CODES


def _is_flag(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id in LANGUAGE_FLAGS


def _language_suffixed(node: ast.AST) -> bool:
    name = (
        node.arg
        if isinstance(node, ast.arg | ast.keyword)
        else node.attr
        if isinstance(node, ast.Attribute)
        else node.id
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
        else None
    )
    return name is not None and name.endswith(("_nb", "_nn", "_en"))


def findings(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, what) for each inline language dictionary and language conditional in ``tree``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and sum(1 for k in node.keys if k is not None and _is_code(k)) >= 2:
            found.append((node.lineno, "inline language dictionary"))
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            tuples = [e for s in sides if isinstance(s, ast.Tuple | ast.List | ast.Set) for e in s.elts]
            if any(_is_code(s) for s in sides) or any(_is_code(e) for e in tuples):
                found.append((node.lineno, "comparison with a language code"))
        elif isinstance(node, ast.IfExp | ast.If) and _is_flag(node.test):
            found.append((node.lineno, "conditional on a language flag"))
        elif isinstance(node, ast.Subscript) and _is_code(node.slice):
            found.append((node.lineno, "text picked by language code"))
        elif _language_suffixed(node):
            found.append((node.lineno, "a name per language (text_nb, title_en)"))
    return found


def _scan() -> dict[str, list[tuple[int, str]]]:
    result = {}
    for path in sorted((SRC / "blilyst").rglob("*.py")):
        rel = str(path.relative_to(SRC))
        if rel in PERMANENT or "/migrations/" in rel:
            continue
        found = findings(ast.parse(path.read_text(encoding="utf-8"), filename=rel))
        if found:
            result[rel] = found
    return result


def test_no_inline_language_texts():
    """Every file in src/ is converted (issue 12): none may have an inline language text again."""
    problems = []
    for rel, found in _scan().items():
        lines = ", ".join(f"line {line}: {what}" for line, what in found[:8])
        problems.append(f"{rel} has {len(found)}: {lines}")
    assert not problems, "use gettext (blilyst.i18n / django.utils.translation), not inline languages:\n" + "\n".join(
        problems
    )


def test_the_scanner_finds_each_kind():
    code = """
title = {"nb": "Tittel", "en": "Title"}[lang]
word = "hei" if nb else "hi"
fact = Fact(text_nb="Hei", text_en="Hi")
if lang == "nb":
    pass
if lang not in ("nb", "en"):
    pass
"""
    kinds = Counter(what for _line, what in findings(ast.parse(code)))
    assert kinds == Counter(
        {
            "inline language dictionary": 1,
            "conditional on a language flag": 1,
            "comparison with a language code": 2,
            "a name per language (text_nb, title_en)": 2,
        }
    )


_NEW_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _binds_gettext(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any((a.asname or a.name) == "_" for a in node.names):
            return True
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_" for t in node.targets):
            return True
    return False


def underscore_shadowing(source: str) -> list[int]:
    """Lines where a function of a module whose ``_`` is gettext binds ``_`` itself (``x, _ = …``): Python then
    takes ``_`` as local in the whole function, and every ``_("…")`` in it fails or calls the wrong thing."""
    tree = ast.parse(source)
    if not _binds_gettext(tree):
        return []
    lines = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        stack = list(ast.iter_child_nodes(function))
        while stack:
            node = stack.pop()
            if isinstance(node, _NEW_SCOPES + _COMPREHENSIONS):
                continue  # their own scope (a comprehension's `for _ in` does not leak)
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                lines.append(node.lineno)
            stack.extend(ast.iter_child_nodes(node))
    return sorted(set(lines))


def test_the_guard_catches_a_function_that_shadows_gettext():
    source = 'from blilyst.i18n import gettext as _\ndef f(x):\n    a, _ = x\n    return _("Hei")\n'
    assert underscore_shadowing(source) == [3]
    assert underscore_shadowing("def f(x):\n    a, _ = x\n") == []  # no gettext in the module
    assert underscore_shadowing('from blilyst.i18n import gettext as _\nf = [_ for _ in "ab"]\n') == []


def test_no_function_shadows_the_modules_gettext():
    """`blilyst attractiveness` once failed in its table: `_, frame, … = …` and then `_("* = estimated.")`."""
    found = [
        f"{path.relative_to(SRC)}:{line}"
        for path in sorted(SRC.rglob("*.py"))
        for line in underscore_shadowing(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "name the unused value (e.g. _births), not `_`, where `_` is gettext: " + ", ".join(found)


# --- Error messages in the core ---------------------------------------------------------------------------------
# An error a person can read (a BlilystError, a ValueError a caller shows) is worded through gettext when it is
# raised, like every other text: `raise InputError("year", _("… {year} …").format(year=year))`. Errors that only a
# programmer can meet (a broken invariant, a key the code itself built) may stay English; they are counted here
# per file, and a count may only go down.
_TRANSLATORS = {"_", "gettext", "ngettext", "pgettext", "npgettext"}
_PROGRAMMER_ERRORS = {"AssertionError", "NotImplementedError", "TypeError", "RuntimeError", "NotADirectoryError"}
ENGLISH_ERRORS_LEFT = {
    "blilyst/cachestore.py": 1,  # a cache key the code built itself
    "blilyst/demography/projection.py": 1,  # NegativePopulation: scenarios.py says it again, in words, per region
    "blilyst/matchwords.py": 2,  # a part or gap code the matcher itself made
    "blilyst/plan/needs.py": 1,  # run_scenario always sets the target-seeking migrants
}


def english_error_messages(source: str) -> list[int]:
    """Lines of ``raise SomeError("English text …")`` whose text is not passed through gettext."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        func = node.exc.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in _PROGRAMMER_ERRORS:
            continue
        keywords = {id(n) for k in node.exc.keywords for n in ast.walk(k.value)}  # url=…, status=…
        for text in ast.walk(node.exc):
            if id(text) in keywords or isinstance(parents.get(text), ast.JoinedStr):
                continue
            if not _has_words(text):
                continue
            parent = parents.get(text)
            translated = False
            while parent is not None and parent is not node:
                if isinstance(parent, ast.Call):
                    f = parent.func
                    called = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                    if called in _TRANSLATORS:
                        translated = True
                        break
                parent = parents.get(parent)
            if not translated:
                lines.append(node.lineno)
                break
    return lines


def _has_words(node: ast.AST) -> bool:
    """A string or f-string with English words of its own (``"unknown kind"``), not a field name (``"x, y"``)
    or only placeholders (``f"{source}: {field}"``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        literal = node.value
    elif isinstance(node, ast.JoinedStr):
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    else:
        return False
    return re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", literal) is not None


def test_the_error_guard_sees_an_english_message_and_passes_a_translated_one():
    source = (
        "from blilyst.i18n import gettext as _\n"
        "def f(x):\n"
        "    if x:\n"
        "        raise ValueError(f'unknown kind {x!r}')\n"
        "    raise InputError('kind', _('unknown kind {kind}').format(kind=x))\n"
        "def g(x):\n"
        "    raise AssertionError('unreachable')\n"
    )
    assert english_error_messages(source) == [4]


def test_core_errors_are_worded_through_gettext():
    counts = {}
    for path in sorted((SRC / "blilyst").rglob("*.py")):
        rel = str(path.relative_to(SRC))
        if rel.startswith("blilyst/web/"):
            continue  # the web app's errors go through Django's gettext and forms
        found = english_error_messages(path.read_text(encoding="utf-8"))
        if found:
            counts[rel] = len(found)
    grown = {rel: n for rel, n in counts.items() if n > ENGLISH_ERRORS_LEFT.get(rel, 0)}
    assert not grown, f"word these errors through gettext (blilyst.i18n): {grown}"
    shrunk = {rel: n for rel, n in ENGLISH_ERRORS_LEFT.items() if counts.get(rel, 0) < n}
    assert not shrunk, f"fewer English errors than listed: lower ENGLISH_ERRORS_LEFT to {shrunk}"
