"""Log records go to the stderr of the moment, even after the one seen at set-up was closed."""

from __future__ import annotations

import io
import logging
import sys

from blilyst.web.lib.logstream import CurrentStderrHandler


def test_a_record_goes_to_the_current_stderr_after_the_first_one_is_closed(monkeypatch):
    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    handler = CurrentStderrHandler()
    logger = logging.getLogger("blilyst.test.logstream")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        logger.warning("one")
        monkeypatch.setattr(sys, "stderr", second)
        first.close()
        logger.warning("two")
    finally:
        logger.removeHandler(handler)
    assert second.getvalue() == "two\n"
    assert "Logging error" not in second.getvalue()


def test_django_logs_through_it():
    from django.conf import settings

    assert settings.LOGGING["handlers"]["console"]["class"] == "blilyst.web.lib.logstream.CurrentStderrHandler"
