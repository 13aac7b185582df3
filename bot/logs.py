"""Logging for `serve` and the CLI: ids and sizes, never what a customer or an agent wrote.

The coach's own log lines hold ids and sizes by convention. The libraries' lines do not: bolt's
"Invalid request signature detected" line carries the whole request body, slack_sdk logs request
and response bodies at DEBUG, and exception messages quote bodies too (a Slack API error quotes
the response, which holds the review). So the one handler `install()` puts on the root logger

- reduces every line a library wrote to its leading phrase ("Invalid request signature
  detected"), up to the first character that usually introduces data (":", "(", "{", "=", …);
- prints an exception as its type and stack, never its message;
- lets at most a few equal library or rejection lines through per minute and then says how many
  were left out, so unauthenticated traffic cannot grow the log without bound.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
import traceback
from pathlib import Path
from types import TracebackType

_OWN_CODE = str(Path(__file__).resolve().parent)
_DATA_STARTS = re.compile(r"[:({\[=<\"'\n]")
_MAX_PHRASE = 120
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def install(level: int | str | None = None) -> None:
    """Route every logger through one content-free handler on stderr (WEBCARE_LOG_LEVEL, else INFO)."""
    level = level or os.environ.get("WEBCARE_LOG_LEVEL", "").upper() or logging.INFO
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "webcare", False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.webcare = True  # type: ignore[attr-defined]
    handler.setFormatter(ContentFreeFormatter(_FORMAT))
    handler.addFilter(LibraryLineFilter())
    handler.addFilter(Throttle())
    root.addHandler(handler)
    root.setLevel(level)


def is_own(record: logging.LogRecord) -> bool:
    """Whether the coach's own code wrote the line (bolt logs under the name the coach gives it)."""
    return record.pathname.startswith(_OWN_CODE)


class LibraryLineFilter(logging.Filter):
    """A library's line keeps only its leading phrase; its arguments are dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not is_own(record):
            message = record.msg if isinstance(record.msg, str) else type(record.msg).__name__
            phrase = _DATA_STARTS.split(message, maxsplit=1)[0].strip()[:_MAX_PHRASE]
            record.msg, record.args = phrase or "(a line with data only)", None
        return True


class Throttle(logging.Filter):
    """At most `per_minute` equal library lines (or lines logged with extra={"rejected": True})."""

    def __init__(self, per_minute: int = 10):
        super().__init__()
        self.per_minute = per_minute
        self._windows: dict[tuple[str, str], list[float | int]] = {}  # key -> [window start, passed, left out]

    def filter(self, record: logging.LogRecord) -> bool:
        if is_own(record) and not getattr(record, "rejected", False):
            return True
        key = (record.name, str(record.msg))
        now = time.monotonic()
        window = self._windows.get(key)
        if window is None or now - window[0] >= 60:
            left_out = int(window[2]) if window else 0
            if len(self._windows) > 1000:
                self._windows.clear()
            self._windows[key] = [now, 1, 0]
            if left_out:
                record.msg = f"{record.msg} ({left_out} more like this in the last minute left out)"
            return True
        if window[1] < self.per_minute:
            window[1] += 1
            return True
        window[2] += 1
        return False


class ContentFreeFormatter(logging.Formatter):
    """Exceptions as type and stack only: their messages may quote request or response bodies."""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = None  # another handler may have cached the exception with its message
        return super().format(record)

    def formatException(self, ei: tuple[type[BaseException], BaseException, TracebackType | None]) -> str:  # noqa: N802
        kind, _, tb = ei
        stack = "".join(traceback.format_list(traceback.extract_tb(tb)))
        return f"Traceback (exception message left out):\n{stack}{kind.__module__}.{kind.__qualname__}"
