"""Every example of every rule is a test (as in LanguageTool): bad ones are flagged with
exactly their excerpt, good ones leave the rule silent."""

from __future__ import annotations

import pytest

from bot.config import load_config
from bot.review.engine import Reviewer
from tests.conftest import ROOT

RULES = Reviewer.from_config(load_config(ROOT / "app.yaml")).rules
BAD = [pytest.param(rule, ex, id=f"{rule.id}-bad{i}") for rule in RULES for i, ex in enumerate(rule.bad)]
GOOD = [pytest.param(rule, ex, id=f"{rule.id}-good{i}") for rule in RULES for i, ex in enumerate(rule.good)]


@pytest.mark.parametrize(("rule", "example"), BAD)
def test_bad_example_is_flagged(review, rule, example):
    result = review(example.text, customer=example.customer, channel=example.channel)
    hits = [f for f in result.findings if f.rule == rule.id]
    assert hits, f"{rule.id} did not flag: {example.text!r}"
    if example.flag is not None:
        assert example.flag in [f.excerpt for f in hits], f"{rule.id} flagged {[f.excerpt for f in hits]}"


@pytest.mark.parametrize(("rule", "example"), GOOD)
def test_good_example_stays_silent(review, rule, example):
    result = review(example.text, customer=example.customer, channel=example.channel)
    assert not [f.excerpt for f in result.findings if f.rule == rule.id]


def test_every_category_has_dutch_and_english_rules():
    from bot.review.rules import CATEGORIES

    for category in CATEGORIES:
        languages = set().union(*(r.languages for r in RULES if r.category == category))
        assert {"nl", "en"} <= languages, category
