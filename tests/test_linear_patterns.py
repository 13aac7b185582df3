"""Patterns must run in linear time on any text: no unbounded repeat inside another unbounded
repeat ("(a+)+", "(\\w+\\s?)*"), the shape that backtracks exponentially. Checked on the parsed
patterns of every rule, the complaint signals and the word lists; scripts/bench_crafted.py times
crafted 10,000-character texts."""

from __future__ import annotations

import re
from re import _constants as c
from re import _parser as parser

import pytest

from tests.conftest import ROOT

from bot.config import load_config
from bot.review.complaint import load_complaint_signals
from bot.review.engine import Reviewer

_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None))


def _starts_with_letter(items) -> bool:
    """Every match of `items` starts with a fixed letter, so a repeat of it cannot re-split the
    same characters ("(ook\\s+|zeker\\s+)*" is safe: each round starts with its own word)."""
    if not items:
        return False
    op, arg = items[0]
    if op is c.LITERAL:
        return chr(arg).isalpha()
    if op is c.SUBPATTERN:
        return _starts_with_letter(arg[-1])
    if op is c.BRANCH:
        return all(_starts_with_letter(b) for b in arg[1])
    return False


def _nested_unbounded(items, inside: bool = False) -> bool:
    for op, arg in items:
        if op in _REPEATS and op is not None:
            low, high, body = arg
            unbounded = high == c.MAXREPEAT
            if unbounded and inside:
                return True
            if _nested_unbounded(body, (inside or unbounded) and not _starts_with_letter(body)):
                return True
        elif op is c.SUBPATTERN and _nested_unbounded(arg[-1], inside):
            return True
        elif op is c.BRANCH and any(_nested_unbounded(b, inside) for b in arg[1]):
            return True
        elif op in (c.ASSERT, c.ASSERT_NOT) and _nested_unbounded(arg[1], inside):
            return True
    return False


def patterns() -> list[str]:
    config = load_config(ROOT / "app.yaml")
    reviewer = Reviewer.from_config(config)
    found = [m.regex.pattern for r in reviewer.rules for m in (*r.patterns, *r.versus, *r.unless)]
    signals = load_complaint_signals(config.guidelines_dir / "complaint.yaml")
    return found + [m.regex.pattern for m in signals.matchers]


@pytest.mark.parametrize("pattern", patterns())
def test_no_nested_unbounded_repeats(pattern):
    assert not _nested_unbounded(parser.parse(pattern, re.IGNORECASE)), pattern


@pytest.mark.parametrize("pattern", [r"(a+)+b", r"(\w+\s?)*$", r"(?:x|(y*))+"])
def test_the_check_finds_the_classic_shapes(pattern):
    assert _nested_unbounded(parser.parse(pattern))
