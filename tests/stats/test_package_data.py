"""Every file the installed package reads at run time is named in pyproject's package-data.

A non-editable install (``pip install .``) copies only ``.py`` files and what
``[tool.setuptools.package-data]`` names; the snapshot, the register, templates, static files and
the compiled translations of every Django app must be in it. The globs are expanded here the way
setuptools expands them (``glob`` with ``recursive=True`` relative to the package directory).
"""

import glob
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "blilyst"


def _package_data_globs() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-data"]["blilyst"]


def _shipped() -> set[str]:
    out: set[str] = set()
    for pattern in _package_data_globs():
        out |= {p for p in glob.glob(pattern, root_dir=PACKAGE, recursive=True) if (PACKAGE / p).is_file()}
    return out


def _data_files() -> set[str]:
    return {
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }


def test_every_non_python_file_of_the_package_is_package_data():
    missing = sorted(_data_files() - _shipped())
    assert missing == [], f"not in pyproject's package-data, so missing from a wheel: {missing[:10]}"


def test_the_snapshot_register_and_every_apps_translations_are_shipped():
    shipped = _shipped()
    assert "data/register.json" in shipped and "data/snapshot/manifest.json" in shipped
    assert "data/snapshot/population.parquet" in shipped
    mo = {p for p in shipped if p.endswith("django.mo")}
    # the project's own catalogue and the per-app ones (web/<app>/locale/...)
    assert "web/locale/nb/LC_MESSAGES/django.mo" in mo
    assert any(p.count("/") > 4 for p in mo), mo
