"""A tidy review (issue 12, point 3): one line per category and words, by severity then position,
short excerpts on word boundaries, the real length; the same in the terminal, Slack and Teams.
The snapshot of 20 drafts in the README's terminal output: `UPDATE_SNAPSHOTS=1 pytest
tests/test_tidy.py` writes it anew after a deliberate change, to be read before committing."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime

import pytest

from bot import terminal
from bot.config import load_config
from bot.review.engine import Reviewer
from bot.review.model import SEVERITY_ORDER, Draft
from bot.review.tidy import EXCERPT_CHARS, listed, short_excerpt
from bot.slack.blocks import review_blocks
from bot.teams.cards import review_card
from tests.conftest import AMSTERDAM, ROOT
from tests.reviews import finding, make_review

SNAPSHOTS = ROOT / "tests/data/snapshots"
REVIEWER = Reviewer.from_config(load_config(ROOT / "app.yaml"))
AT = datetime(2026, 12, 2, 10, 0, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("excerpt", "shown"),
    [
        ("we gaan ernaar kijken", "we gaan ernaar kijken"),
        ("Dit  is\nop twee regels", "Dit is op twee regels"),
        ("woord " * 30, "woord " * 12 + "woord…"),
        ("Sorry voor het lange wachten, " * 5, "Sorry voor het lange wachten, Sorry voor het lange wachten, Sorry voor het…"),
        ("x" * 200, "x" * 79 + "…"),
    ],
)
def test_short_excerpt_cuts_at_a_word_boundary(excerpt, shown):
    assert short_excerpt(excerpt) == shown
    assert len(short_excerpt(excerpt)) <= EXCERPT_CHARS


def test_one_line_per_category_and_words_by_severity_then_position():
    review = make_review([
        finding("bureaucratic", "warning", "middels", start=40),
        finding("impersonal", "suggestion", "Beste klant", start=0),
        finding("bureaucratic", "warning", "Middels", start=5),
        finding("empty_promise", "error", "we kijken ernaar", start=60),
        finding("bureaucratic", "warning", "reeds", start=20),
        finding("missing_apology", "warning", "", start=0),
        finding("bureaucratic", "warning", "middels", start=90),
        finding("empty_promise", "warning", "middels", start=95),  # another category: its own line
    ])
    lines = listed(review)
    assert [(item.finding.category, item.excerpt, item.count) for item in lines] == [
        ("empty_promise", "we kijken ernaar", 1),
        ("missing_apology", "", 1),
        ("bureaucratic", "Middels", 3),
        ("bureaucratic", "reeds", 1),
        ("empty_promise", "middels", 1),
        ("impersonal", "Beste klant", 1),
    ]
    # feedback refers to the finding's place in the review
    assert [item.index for item in lines] == [3, 5, 2, 4, 7, 1]


def test_the_header_gives_the_real_length_and_the_excerpt_stays_short():
    text = "Hoi Marco, sorry voor het wachten. " + "Je pakket komt morgen tussen negen en twaalf. " * 230
    review = REVIEWER.review(Draft(text, None, "facebook", AT))
    assert review.truncated_at == 10_000 and review.length == len(text) > 10_000
    too_long = [item for item in listed(review) if item.finding.category == "too_long"]
    assert len(too_long[0].finding.excerpt) > 1_000 and len(too_long[0].excerpt) <= EXCERPT_CHARS
    assert too_long[0].excerpt.endswith("…") and not too_long[0].excerpt[:-1].endswith(" ")
    shown = terminal.render_review(review, text, "nl")
    assert f"lengte {len(text)}/8000" in shown and f"“{too_long[0].excerpt}”" in shown
    # a DM may hold 10,000 characters, as many as are reviewed: the whole draft's length decides
    dm = REVIEWER.review(Draft(text, None, "dm", AT))
    assert dm.length == len(text) and [f for f in dm.findings if f.category == "too_long"]


def test_slack_teams_and_terminal_list_the_same_lines():
    long = "Wij hebben uw bericht in goede orde ontvangen en zullen het zo spoedig mogelijk in behandeling nemen."
    review = make_review([
        finding("bureaucratic", "warning", "middels", start=5),
        finding("bureaucratic", "warning", "middels", start=50),
        finding("bureaucratic", "warning", long, start=60),
        finding("empty_promise", "error", "we kijken ernaar", start=80),
    ])
    shown = short_excerpt(long)
    assert shown != long
    blocks = json.dumps(review_blocks(review, language="nl", review_id="r1"), ensure_ascii=False)
    card = json.dumps(review_card(review, language="nl", review_id="r1", promise_ids=[]), ensure_ascii=False)
    text = terminal.render_review(review, "", "nl")
    for rendered in (blocks, card, text):
        assert rendered.count("middels") == 1 and "(2×)" in rendered
        assert shown in rendered and long not in rendered
        assert rendered.index("we kijken ernaar") < rendered.index("middels") < rendered.index(shown)


# --- the snapshot: 20 varied drafts as the README's terminal output ---------------------------

# English that must not appear in a Dutch review outside the quoted draft: words, weekdays and ids.
_ENGLISH = re.compile(
    r"\b(the|and|you|your|with|error|warning|suggestion|whole|draft|due|findings|precision|"
    r"Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"
    r"|\b[a-z]+_[a-z_]+\b"
)
_QUOTED = re.compile(r"“[^”]*”|'[^']*'")  # the draft's words and suggested wording
_RULE_ID = re.compile(r"\b(?:nl|en|any)\.[a-z_]+\.[a-z_]+$")  # an identifier, as in app.yaml


def _drafts() -> list[dict]:
    return [json.loads(line) for line in (SNAPSHOTS / "drafts.jsonl").read_text(encoding="utf-8").splitlines()]


def _render_all(monkeypatch) -> str:
    monkeypatch.setenv("NO_COLOR", "1")
    parts = []
    for item in _drafts():
        review = REVIEWER.review(Draft(item["draft"], item["customer"], item["channel"], AT))
        parts.append(f"## {item['id']}\n{terminal.render_review(review, item['draft'], 'nl')}\n")
    return "\n".join(parts)


def test_twenty_drafts_read_in_one_language_ordered_and_without_repeats(monkeypatch):
    rendered = _render_all(monkeypatch)
    path = SNAPSHOTS / "terminal_nl.txt"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(rendered, encoding="utf-8")
    assert len(_drafts()) == 20
    for line in rendered.splitlines():
        plain = _RULE_ID.sub("", _QUOTED.sub("", line))
        assert not _ENGLISH.search(plain), f"English in a Dutch review: {line!r}"
    severities = {"fout": "error", "waarschuwing": "warning", "suggestie": "suggestion"}
    for block in rendered.split("## ")[1:]:
        heads = [line.split(" ", 3) for line in block.splitlines() if line.startswith("  ") and not line.startswith("    ")
                 and line.split(" ", 3)[2] in severities]
        order = [SEVERITY_ORDER[severities[head[2]]] for head in heads]
        assert order == sorted(order), block
        lines = [line for line in block.splitlines() if line.startswith("  ") and line.split(" ", 3)[2] in severities]
        assert len(lines) == len(set(lines)), block  # no category on the same words twice
    assert rendered == path.read_text(encoding="utf-8"), "the review output changed: see the module docstring"
