"""Block Kit rendering: content, wording per language, and Slack's limits."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.corpus import Corpus
from bot.review.model import LLMStatus, Promise, Review
from bot.slack.blocks import guideline_blocks, howto_blocks, no_text_blocks, review_blocks, review_text
from tests.reviews import AMSTERDAM, finding, make_review, sample_review

ROOT = Path(__file__).resolve().parents[1]
KNOWN_BLOCKS = {"header", "section", "context", "actions", "divider", "rich_text"}


def check_mrkdwn(text: dict[str, Any]) -> None:
    """Escaped mrkdwn: no raw "<" (links and mentions are never made), ">" only as a quote marker."""
    if text["type"] == "mrkdwn":
        assert "<" not in text["text"]
        assert all(">" not in line[1:] for line in text["text"].splitlines()), text["text"]


def validate(blocks: list[dict[str, Any]]) -> None:
    """The Block Kit limits Slack enforces on a message (and that JSON can carry it)."""
    json.dumps(blocks)
    assert 0 < len(blocks) <= 50
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
    assert all(len(i) <= 255 for i in block_ids)
    for block in blocks:
        kind = block["type"]
        assert kind in KNOWN_BLOCKS, kind
        if kind == "header":
            assert block["text"]["type"] == "plain_text" and 0 < len(block["text"]["text"]) <= 150
        elif kind == "section":
            assert block["text"]["type"] in ("mrkdwn", "plain_text")
            assert 0 < len(block["text"]["text"]) <= 3000
            check_mrkdwn(block["text"])
        elif kind == "context":
            assert 0 < len(block["elements"]) <= 10
            assert all(0 < len(e["text"]) <= 3000 for e in block["elements"])
            for element in block["elements"]:
                check_mrkdwn(element)
        elif kind == "actions":
            assert 0 < len(block["elements"]) <= 25
            for button in block["elements"]:
                assert button["type"] == "button"
                assert 0 < len(button["text"]["text"]) <= 75
                assert len(button["value"]) <= 2000
                assert 0 < len(button["action_id"]) <= 255
        elif kind == "rich_text":
            for element in block["elements"]:
                assert element["type"] in ("rich_text_section", "rich_text_preformatted", "rich_text_quote")
                assert all(e["type"] == "text" and 0 < len(e["text"]) <= 3000 for e in element["elements"])


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    """Every text of the blocks, in order."""
    found = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"]["text"])
        for element in block.get("elements", []):
            if "text" in element:
                found.append(element["text"] if isinstance(element["text"], str) else element["text"]["text"])
            found += [e["text"] for e in element.get("elements", []) if "text" in e]
    return found


def alltext(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(texts(blocks))


@pytest.fixture
def dutch_review() -> Review:
    return sample_review()


def test_verdict_and_context_line(dutch_review: Review) -> None:
    blocks = review_blocks(dutch_review, language="nl", review_id="r1")
    validate(blocks)
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["text"] == "⚠️ Aanpassen voor je post"
    assert texts(blocks)[1] == "x · nl · klacht · lengte 120/280"
    ok = make_review([finding("impersonal", "suggestion", "Beste klant")], complaint=False, truncated_at=4000)
    blocks = review_blocks(ok, language="en", review_id="r2")
    validate(blocks)
    assert blocks[0]["text"]["text"] == "✅ Ready to post"
    assert "question" in texts(blocks)[1] and "only the first 4000 characters were reviewed" in texts(blocks)[1]
    dutch = review_blocks(make_review(truncated_at=4000), language="nl", review_id="r3")
    validate(dutch)
    assert "alleen het begin (4000 tekens) is beoordeeld" in texts(dutch)[1]


def test_summary_is_one_line(dutch_review: Review) -> None:
    blocks = review_blocks(dutch_review, language="nl", review_id="r1")
    assert "*Kern:* Loze belofte en geen volgende stap." in texts(blocks)


def test_excerpt_quoted_and_escaped() -> None:
    review = make_review([finding("shouting", "warning", "<b>& NIET")])
    blocks = review_blocks(review, language="nl", review_id="r1")
    validate(blocks)
    text = alltext(blocks)
    assert "> &lt;b&gt;&amp; NIET" in text
    assert "<b>" not in text


def test_finding_wording_model_and_whole_draft(dutch_review: Review) -> None:
    sections = [t for t in texts(review_blocks(dutch_review, language="nl", review_id="r1")) if "Uitleg bij" in t]
    empty_promise = next(s for s in sections if "empty_promise" in s)
    assert "> we gaan ernaar kijken" in empty_promise
    assert "*Beter:* Schrijf het beter (empty_promise)." in empty_promise
    assert "`beloftes-nakomen`" in empty_promise and "taalmodel" not in empty_promise
    next_step = next(s for s in sections if "missing_next_step" in s)
    assert "hele concept" in next_step and "(taalmodel)" in next_step and "`durf-af-te-sluiten`" in next_step


def test_feedback_buttons(dutch_review: Review) -> None:
    blocks = review_blocks(dutch_review, language="nl", review_id="rev-42")
    actions = [b for b in blocks if b["type"] == "actions"]
    assert len(actions) == len(dutch_review.findings)
    for block in actions:
        helpful, wrong = block["elements"]
        assert (helpful["action_id"], wrong["action_id"]) == ("feedback_helpful", "feedback_wrong")
        assert helpful["text"]["text"] == "👍 Klopt" and wrong["text"]["text"] == "👎 Klopt niet"
        value = json.loads(helpful["value"])
        assert value == json.loads(wrong["value"])
        assert value["review"] == "rev-42"
        assert value["rule"] == dutch_review.findings[value["finding"]].rule
        assert " " not in helpful["value"]
    indexes = [json.loads(b["elements"][0]["value"])["finding"] for b in actions]
    assert sorted(indexes) == [0, 1, 2, 3]
    english = review_blocks(dutch_review, language="en", review_id="rev-42")
    assert [e["text"]["text"] for e in next(b for b in english if b["type"] == "actions")["elements"]] == [
        "👍 Right", "👎 Not right",
    ]


def test_grouped_by_severity(dutch_review: Review) -> None:
    order = [t for t in texts(review_blocks(dutch_review, language="nl", review_id="r1"))
             if t in ("*Fouten*", "*Waarschuwingen*", "*Suggesties*") or "Uitleg bij" in t]
    assert order[0] == "*Fouten*" and "empty_promise" in order[1]
    assert order[2] == "*Waarschuwingen*"
    # by position: the finding on the whole draft (at 0) before the one at 30
    assert "missing_next_step" in order[3] and "inconsistent_address" in order[4]
    assert order[5] == "*Suggesties*" and "impersonal" in order[6]
    english = texts(review_blocks(dutch_review, language="en", review_id="r1"))
    assert english.index("*Errors*") < english.index("*Warnings*") < english.index("*Suggestions*")


def test_promises_with_due_moment(dutch_review: Review) -> None:
    text = next(t for t in texts(review_blocks(dutch_review, language="nl", review_id="r1")) if t.startswith("*Beloftes*"))
    assert "“ik bel je morgen” → uiterlijk vr 27 nov 17:00" in text
    assert "“je hoort van ons” → uiterlijk ma 30 nov 09:30 (geen tijd genoemd)" in text
    english = next(t for t in texts(review_blocks(dutch_review, language="en", review_id="r1")) if t.startswith("*Promises*"))
    assert "Fri 27 Nov 17:00" in english and "Mon 30 Nov 09:30 (no time given)" in english


def test_rewrite_is_a_code_block(dutch_review: Review) -> None:
    blocks = review_blocks(dutch_review, language="nl", review_id="r1")
    rich = next(b for b in blocks if b["type"] == "rich_text")
    title, code = rich["elements"]
    assert title["elements"][0]["text"] == "Voorstel"
    assert code["type"] == "rich_text_preformatted"
    assert code["elements"][0]["text"] == dutch_review.rewrite
    english = review_blocks(dutch_review, language="en", review_id="r1")
    assert next(b for b in english if b["type"] == "rich_text")["elements"][0]["elements"][0]["text"] == "Suggested reply"
    assert not any(b["type"] == "rich_text" for b in review_blocks(make_review(), language="nl", review_id="r1"))


@pytest.mark.parametrize(
    ("llm", "pending", "nl", "en"),
    [
        (LLMStatus(), True, "Taalmodel denkt nog mee…", "The language model is still thinking…"),
        (LLMStatus(used=True, model="gpt-4o-mini"), False, "Met taalmodel (gpt-4o-mini)", "With language model (gpt-4o-mini)"),
        (LLMStatus(error="no answer within 20 s"), False,
         "Alleen regels: het taalmodel gaf geen bruikbaar antwoord",
         "Rules only: the language model gave no usable answer"),
        (LLMStatus(), False, "Alleen regels", "Rules only"),
    ],
)
def test_footer(llm: LLMStatus, pending: bool, nl: str, en: str) -> None:
    review = make_review(llm=llm)
    for language, expected in (("nl", nl), ("en", en)):
        blocks = review_blocks(review, language=language, review_id="r1", llm_pending=pending)
        validate(blocks)
        assert blocks[-1] == {"type": "context", "elements": [{"type": "mrkdwn", "text": expected}]}


def test_at_most_50_blocks_with_60_findings() -> None:
    severities = ("error", "warning", "suggestion")
    findings = [finding("bureaucratic", severities[i % 3], f"middels {i}", start=i) for i in range(60)]
    review = make_review(
        findings, summary="Veel te verbeteren.", rewrite="Hoi Sanne, …",
        promises=[Promise("ik bel je morgen", "callback", datetime(2026, 11, 26, 17, 0, tzinfo=AMSTERDAM), True, 0, 16)],
    )
    blocks = review_blocks(review, language="nl", review_id="r1")
    validate(blocks)
    # 6 blocks around the findings leave 43 for them and the "and N more" line: a heading and
    # the 20 errors (2 blocks each) fit, a warning with its heading would not
    assert sum(b["type"] == "actions" for b in blocks) == 20
    assert [t for t in texts(blocks) if t.startswith("en nog ")] == ["en nog 40 bevindingen"]
    assert "*Fouten*" in texts(blocks) and "*Waarschuwingen*" not in texts(blocks)
    assert blocks[-1]["type"] == "context" and any(b["type"] == "rich_text" for b in blocks)


def test_long_texts_stay_within_limits() -> None:
    long_excerpt = "&" * 5000
    review = make_review(
        [finding("too_long", "warning", long_excerpt)], summary="x" * 5000, rewrite="Hoi Sanne, " + "a" * 10_000,
        llm=LLMStatus(error="e" * 5000),
    )
    blocks = review_blocks(review, language="nl", review_id="r1")
    validate(blocks)
    code = next(b for b in blocks if b["type"] == "rich_text")["elements"]
    assert code[1]["elements"][0]["text"].startswith("Hoi Sanne, aaa") and code[1]["elements"][0]["text"].endswith("…")
    assert code[0]["elements"][1]["text"] == " (ingekort)"
    excerpt = next(t for t in texts(blocks) if "&amp;" in t)
    assert "&amp;…" in excerpt and "&amp&" not in excerpt  # cut between escapes, never inside one


def test_review_text() -> None:
    review = make_review([
        finding("missing_apology", "warning", ""), finding("empty_promise", "error", "we kijken ernaar"),
        finding("empty_promise", "error", "we nemen het mee", start=30),
    ])
    assert review_text(review, language="nl") == "⚠️ Aanpassen voor je post: loze belofte, geen excuses"
    assert review_text(review, language="en") == "⚠️ Revise before you post: empty promise, no apology"
    assert review_text(make_review(), language="nl") == "✅ Klaar om te posten"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.load(ROOT / "guidelines" / "corpus")


def test_guidelines_for_a_query(corpus: Corpus) -> None:
    found = corpus.search("beloftes")
    blocks = guideline_blocks(found, "beloftes", language="nl")
    validate(blocks)
    text = alltext(blocks)
    assert "Gezocht: beloftes" in text
    best = found[0]
    assert f"*{best.title}*" in text and best.principle.split("\n")[0][:40] in text
    assert "*Wel:*\n> " in text and "*Niet:*\n> " in text
    assert f"`{best.id}` · {best.source.replace('&', '&amp;')}" in text
    english = alltext(guideline_blocks(found, "promises", language="en"))
    assert best.summary in english and "*Do:*" in english and "*Don't:*" in english
    many = guideline_blocks(list(corpus.guidelines.values()), "x", language="nl")
    assert sum(b["type"] == "context" and "`" in texts([b])[0] for b in many) == 3


def test_guidelines_list_all(corpus: Corpus) -> None:
    guidelines = list(corpus.guidelines.values())
    blocks = guideline_blocks(guidelines, "  ", language="nl")
    validate(blocks)
    text = alltext(blocks)
    assert f"Alle richtlijnen ({len(guidelines)})" in text
    assert all(f"`{g.id}` — {g.title}" in text for g in guidelines)
    assert all(t.count("\n") < 10 for t in texts(blocks))
    assert "/richtlijn" in text
    assert "/guideline" in alltext(guideline_blocks(guidelines, "", language="en"))


def test_guidelines_nothing_found(corpus: Corpus) -> None:
    assert corpus.search("zzqxv") == []
    blocks = guideline_blocks([], "zzqxv <x>", language="nl")
    validate(blocks)
    text = alltext(blocks)
    assert "Niets gevonden" in text and "zzqxv &lt;x&gt;" in text
    assert all(word in text for word in ("beloftes", "excuses", "grapjes", "DM", "empathie"))
    english = alltext(guideline_blocks([], "zzqxv", language="en"))
    assert all(word in english for word in ("promises", "apology", "jokes", "DM", "empathy"))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_howto_and_no_text(language: str) -> None:
    howto = howto_blocks(language=language)
    validate(howto)
    text = alltext(howto)
    assert "@Webcare Coach x Hi" in text or "@Webcare Coach x Hoi" in text
    assert "`&gt; `" in text and "👀" in text and "<" not in text
    assert all(f"`{word}`" in text for word in ("x", "fb", "insta", "dm", "whatsapp", "mail", "chat"))
    assert ("/richtlijn &lt;zoekterm&gt;" if language == "nl" else "/guideline &lt;search term&gt;") in text
    no_text = no_text_blocks(language=language)
    validate(no_text)
    assert "@Webcare Coach" in alltext(no_text)
    assert ("alleen tekst" if language == "nl" else "only review text") in alltext(no_text)


def test_english_team_gets_english_wording(dutch_review: Review) -> None:
    text = alltext(review_blocks(dutch_review, language="en", review_id="r1"))
    assert "*Better:*" in text and "(language model)" in text and "Guideline `beloftes-nakomen`" in text
    assert "Beter" not in text and "taalmodel" not in text
