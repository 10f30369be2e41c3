"""A logging handler that writes to whatever ``sys.stderr`` is when a record is emitted.

``logging.StreamHandler`` keeps the stream it was given at configuration time. When Django is set
up inside a process whose stderr is later replaced (a test's captured output, a daemon that
re-opens its streams), that stream may be closed, and every log record then ends in a
"--- Logging error ---" traceback instead of a line.
"""

from __future__ import annotations

import logging
import sys


class CurrentStderrHandler(logging.StreamHandler):
    def __init__(self, level: int = logging.NOTSET):
        logging.Handler.__init__(self, level)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:  # StreamHandler.setStream assigns it; the current stderr wins
        pass
