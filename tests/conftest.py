"""Keep the test session away from the user's own blilyst folders.

A developer who has run ``blilyst data refresh`` has a local snapshot that would take precedence
over the bundled one, and the plan pages and SSB client cache results under ~/.cache/blilyst.
Tests must see the bundled data and start from an empty cache, so both point into a fresh
temporary folder for the session (tests that need their own folder still set it themselves).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest


def pytest_configure(config) -> None:
    session_dir = tempfile.mkdtemp(prefix="blilyst-test-")
    os.environ["BLILYST_CACHE_DIR"] = os.path.join(session_dir, "cache")
    os.environ["BLILYST_DATA_DIR"] = os.path.join(session_dir, "local-snapshot")


@pytest.fixture(autouse=True)
def _core_cache_store(request):
    """Tests outside tests/web see the core's own folder store, as the CLI does, even when tests/web's
    conftest has set up Django for the session (the web app then installs Django's cache as the store)."""
    if "web" in request.path.relative_to(Path(__file__).parent).parts[:1]:
        yield
        return
    from blilyst import cachestore

    saved = cachestore.installed()
    cachestore.install(None)
    yield
    cachestore.install(saved)
