"""Word lists (guidelines/wordlists/*.yaml): each list's examples run as tests, and every list a
rule pattern names exists (the loader refuses unknown names)."""

from __future__ import annotations

import re

import pytest

from bot.config import ConfigError, load_config
from bot.review.rules import load_rules, load_wordlists
from bot.review.text import fold
from tests.conftest import ROOT

FOLDER = load_config(ROOT / "app.yaml").guidelines_dir / "wordlists"
LISTS = load_wordlists(FOLDER)
CASES = [
    pytest.param(wl, text, expected, id=f"{wl.name}-{'match' if expected else 'counter'}{i}")
    for wl in LISTS.values()
    for expected, texts in ((True, wl.examples), (False, wl.counter))
    for i, text in enumerate(texts)
]


@pytest.mark.parametrize(("wordlist", "text", "expected"), CASES)
def test_word_list_examples(wordlist, text, expected):
    found = re.search(rf"\b{wordlist.pattern}\b", fold(text))
    assert bool(found) == expected, found and found.group()


def test_an_unknown_word_list_is_a_clear_error(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "x.yaml").write_text(
        "rules:\n  - id: x\n    category: blame_shifting\n    languages: [nl]\n    patterns: ['{nope}']\n"
        "    message: {nl: a, en: a}\n    suggestion: {nl: a, en: a}\n    guideline: g\n"
        "    examples: {bad: ['a'], good: ['b']}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="no word list 'nope'"):
        load_rules(rules)
