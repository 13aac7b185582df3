"""bot/logs.py: library lines cut to their leading phrase, exceptions without their message, and
equal lines throttled."""

from __future__ import annotations

import io
import logging

import pytest

from bot import logs

MARKER = "Grutto"  # stands for what a customer wrote


@pytest.fixture
def handler():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.ContentFreeFormatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(logs.LibraryLineFilter())
    handler.addFilter(logs.Throttle(per_minute=3))
    handler.stream_text = stream.getvalue  # type: ignore[attr-defined]
    return handler


def record(message: str, *args, library: bool = True, exc_info=None, **extra) -> logging.LogRecord:
    path = "/venv/site-packages/slack_bolt/request/verification.py" if library else logs.__file__
    made = logging.LogRecord("webcare.slack.bolt", logging.WARNING, path, 1, message, args, exc_info)
    made.__dict__.update(extra)
    return made


@pytest.mark.parametrize(("message", "args", "shown"), [
    (f"Invalid request signature detected (body: {{\"text\": \"{MARKER}\"}})", (), "Invalid request signature detected"),
    ("Sending a request - url: %s, body: %s", ("https://slack.com/api/chat.postMessage", MARKER), "Sending a request - url"),
    ("on_message invoked: (message: %s)", (MARKER,), "on_message invoked"),
    (f'{{"text": "{MARKER}"}}', (), "(a line with data only)"),
])
def test_library_lines_keep_their_leading_phrase(handler, message, args, shown):
    handler.handle(record(message, *args))
    assert handler.stream_text() == f"WARNING webcare.slack.bolt: {shown}\n"


def test_the_coachs_own_lines_are_kept_whole(handler):
    handler.handle(record("review posted channel=%s chars=%d", "C1", 120, library=False))
    assert "review posted channel=C1 chars=120" in handler.stream_text()


def test_exceptions_are_logged_without_their_message(handler):
    try:
        raise ValueError(f"The server responded with: {{'text': '{MARKER}'}}")
    except ValueError as exc:
        handler.handle(record("turn failed", library=False, exc_info=(type(exc), exc, exc.__traceback__)))
    text = handler.stream_text()
    assert MARKER not in text and "builtins.ValueError" in text and "test_logs.py" in text


def test_equal_library_and_rejection_lines_are_throttled(handler):
    for _ in range(50):
        handler.handle(record("Invalid request signature detected (body: %s)", "x" * 10_000))
        handler.handle(record("slack request refused: %s", "bad signature", library=False, rejected=True))
        handler.handle(record("review posted", library=False))
    lines = handler.stream_text().splitlines()
    assert sum("Invalid request signature" in line for line in lines) == 3
    assert sum("refused" in line for line in lines) == 3
    assert sum("review posted" in line for line in lines) == 50  # the coach's own lines are not throttled


def test_throttle_says_how_many_lines_it_left_out(monkeypatch, handler):
    clock = [1000.0]
    monkeypatch.setattr(logs.time, "monotonic", lambda: clock[0])
    for _ in range(10):
        handler.handle(record("Invalid request signature detected"))
    clock[0] += 61
    handler.handle(record("Invalid request signature detected"))
    assert handler.stream_text().splitlines()[-1].endswith("(7 more like this in the last minute left out)")
