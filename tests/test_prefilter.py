"""The prefilter and the anchored matching are an optimisation only: on any text they must give
exactly the matches of running every pattern with re.finditer."""

from __future__ import annotations

import json
import random
import re

import pytest

from bot.review.engine import Reviewer
from bot.review.model import Draft
from bot.review.prefilter import Matcher, Prefilter, Scan, _alternatives, analyse
from bot.review.text import fold
from tests.conftest import ROOT, SHARED


def all_matchers(reviewer) -> list[Matcher]:
    rules = [m for r in reviewer.rules for m in (*r.patterns, *r.versus, *r.unless)]
    return rules + list(reviewer.analyser.matchers) + list(reviewer.complaint.matchers)


def texts() -> list[str]:
    """Real drafts and customer messages, and random recombinations of their pieces."""
    found = []
    for path in (SHARED / "eval/dev.jsonl", ROOT / "tests/data/holdout.jsonl"):
        if path.exists():
            for line in path.open(encoding="utf-8"):
                item = json.loads(line)
                found += [item["draft"], item.get("customer") or ""]
    for rule_file in (ROOT / "guidelines/rules").glob("*.yaml"):
        found += re.findall(r'text: "([^"]+)"', rule_file.read_text(encoding="utf-8"))
    pieces = [p for text in found for p in re.split(r"(?<=[ ,.!?])", text) if p]
    rng = random.Random(4)
    found += ["".join(rng.choice(pieces) for _ in range(rng.randint(2, 40))) for _ in range(1500)]
    return found


@pytest.fixture(scope="module")
def matchers(reviewer) -> list[Matcher]:
    return all_matchers(reviewer)


def test_prefilter_and_anchoring_never_change_the_matches(matchers):
    prefilter = Prefilter(matchers)
    for text in texts():
        scan = Scan(fold(text))
        live = prefilter.live(scan)
        for matcher in matchers:
            expected = [m.span() for m in matcher.regex.finditer(scan.folded)]
            got = [m.span() for m in matcher.finditer(scan)] if matcher in live else []
            assert got == expected, (matcher.regex.pattern, text)


def test_dispatch_by_first_character_never_changes_a_match(matchers):
    """Matcher.match (the analysis tries patterns at word starts) gives regex.match's match."""
    dispatched = [m for m in matchers if m.by_first is not None]
    assert len(dispatched) >= 20  # the big word-list alternations
    for text in texts()[::3]:
        folded = fold(text)
        for position in [m.start() for m in re.finditer(r"\b\w", folded)]:
            for matcher in dispatched:
                expected = matcher.regex.match(folded, position)
                got = matcher.match(folded, position, len(folded))
                assert (got and got.span()) == (expected and expected.span()), (matcher.regex.pattern, text)


@pytest.mark.parametrize(
    ("pattern", "alternatives"),
    [
        ("a|b", ["a", "b"]),
        (r"\b(?:a|b(c|d))x", [r"\b(?:a)x", r"\b(?:b(c|d))x"]),
        (r"\b(a|b)+x", [r"\b(a|b)+x"]),  # a repeated group stays whole
        ("(?P<flag>a|b)c", ["(?P<flag>a|b)c"]),  # so does a named one
        ("[(|]a|b", ["[(|]a", "b"]),  # a class is no group
        (r"\(a|b\)", [r"\(a", r"b\)"]),
    ],
)
def test_alternatives_keep_their_order(pattern, alternatives):
    assert _alternatives(pattern) == alternatives


def test_most_patterns_are_filtered_and_anchored(matchers):
    assert sum(m.needs is not None for m in matchers) / len(matchers) > 0.9
    assert sum(m.prefix is not None for m in matchers) / len(matchers) > 0.8


def test_every_big_rule_pattern_is_anchored(reviewer):
    """A long pattern (a word list's alternation) without the literals its matches start with runs
    at every position of nearly every draft: one word-list term opening with "^" made a review four
    times slower. Open every alternative with a word instead."""
    unanchored = [(r.id, m.pattern[:80]) for r in reviewer.rules for m in r.patterns
                  if (m.needs is None or m.prefix is None) and len(m.pattern) > 2000]
    assert unanchored == []


@pytest.mark.parametrize(
    ("pattern", "words", "substrings"),
    [
        (r"\b(we|wij|ik)\s+(gaan|ga)\s+er\s*naar\s+kijken\b", {"kijken"}, set()),
        (r"\bverontschuldig\w*", set(), {"verontschuldig"}),
        (r"https?://|www\.", set(), {"http://", "https://", "www."}),
        (r"(?<!\S);-?\)", set(), {";)", ";-)"}),
    ],
)
def test_required_literals(pattern, words, substrings):
    needs, _ = analyse(pattern)
    assert needs.words == words and needs.substrings == substrings


def test_a_pattern_that_can_match_anything_always_runs():
    assert analyse(r"\w+")[0] is None
    matcher = Matcher.compile(r"\w+")
    assert matcher in Prefilter([matcher]).live(Scan("hoi"))


@pytest.mark.parametrize("pattern", [r"(?<=a+)b", r"x(?:(?<!ab?)c|d)", r"(", r"a{2,1}"])
def test_a_broken_pattern_is_refused_when_loaded_though_compiled_only_when_used(pattern):
    with pytest.raises(re.error):
        Matcher.compile(pattern)


def test_a_pattern_is_compiled_when_first_used():
    matcher = Matcher.compile(r"\bhoi\b")
    assert "regex" not in vars(matcher)
    assert [m.span() for m in matcher.finditer(Scan("ja hoi"))] == [(3, 6)]
    assert "regex" in vars(matcher)


def test_after_compile_all_no_review_compiles_a_pattern(config, monkeypatch):
    """What `serve` does at start: its first reviews then cost no more than later ones."""
    reviewer = Reviewer.from_config(config)
    reviewer.compile_all()

    def refuse(pattern, flags=0):
        raise AssertionError(f"compiled while reviewing: {pattern[:60]!r}")

    monkeypatch.setattr(re, "compile", refuse)
    for text in texts()[::5]:
        if text.strip():
            reviewer.review(Draft(text, "Mijn pakket is kapot en niemand reageert!", "twitter", None))
