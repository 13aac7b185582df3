"""Adaptive Cards for Teams: structure, wording per language, buttons, Markdown safety and size."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from botbuilder.core import CardFactory
from botbuilder.schema import Attachment

from bot.corpus import Corpus
from bot.review.model import LLMStatus, Promise, Review
from bot.teams.cards import (
    guideline_card,
    guideline_preview,
    howto_card,
    reminder_card,
    review_attachment,
    review_card,
    text_summary,
)
from tests.reviews import AMSTERDAM, finding, make_review, sample_review

ROOT = Path(__file__).resolve().parents[1]
KNOWN_TYPES = {
    "TextBlock", "Container", "ColumnSet", "Column", "FactSet", "ActionSet", "Action.Execute", "Action.Submit",
    "Action.OpenUrl", "RichTextBlock", "TextRun",
}
# What Teams would read as Markdown (or try as HTML) in a TextBlock
MARKDOWN = re.compile(r"[*_\[\]<>`\\]|^\s*(?:[-+]|\d+\.)\s", re.MULTILINE)


def elements(node: Any) -> Iterator[dict[str, Any]]:
    """Every typed element of a card, depth first, the card itself excluded."""
    if isinstance(node, dict):
        if "type" in node and node["type"] != "AdaptiveCard":
            yield node
        for value in node.values():
            yield from elements(value)
    elif isinstance(node, list):
        for value in node:
            yield from elements(value)


def validate(card: dict[str, Any]) -> None:
    """A card Teams can render: known elements, actions with verb and data, Markdown-free
    TextBlocks, within the message size; and one the Bot Framework attaches."""
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert isinstance(card["body"], list) and card["body"]
    for element in elements(card["body"]):
        kind = element["type"]
        assert kind in KNOWN_TYPES, kind
        if kind == "Action.Execute":
            assert element["verb"] and isinstance(element["data"], dict) and element["title"]
        elif kind == "TextBlock":
            assert element["text"] and element["wrap"] is True
            assert not MARKDOWN.search(element["text"]), element["text"]
        elif kind == "RichTextBlock":
            assert element["inlines"] and all(run["type"] == "TextRun" and run["text"] for run in element["inlines"])
        elif kind in ("Container", "ActionSet"):
            assert element["items" if kind == "Container" else "actions"]
    assert len(json.dumps(card)) < 28_000
    assert len(json.dumps(card, ensure_ascii=False).encode()) < 28_000
    attachment = CardFactory.adaptive_card(card)
    assert isinstance(attachment, Attachment)
    assert attachment.content_type == "application/vnd.microsoft.card.adaptive" and attachment.content is card


def text_of(element: dict[str, Any]) -> str:
    if element["type"] == "TextBlock":
        return element["text"]
    if element["type"] == "RichTextBlock":
        return "".join(run["text"] for run in element["inlines"])
    return ""


def texts(card: dict[str, Any]) -> list[str]:
    """The texts of all TextBlocks and RichTextBlocks, in order."""
    return [text for element in elements(card["body"]) if (text := text_of(element))]


def alltext(card: dict[str, Any]) -> str:
    return "\n".join(texts(card))


def runs(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in elements(card["body"]) if e["type"] == "TextRun"]


def actions(card: dict[str, Any], verb: str | None = None) -> list[dict[str, Any]]:
    return [e for e in elements(card["body"]) if e["type"] == "Action.Execute" and verb in (None, e["verb"])]


def card(review: Review, language: str = "nl", promise_ids: list[str] | None = None, **options: Any) -> dict[str, Any]:
    built = review_card(review, language=language, review_id="rev-42", promise_ids=promise_ids or [], **options)
    validate(built)
    return built


@pytest.fixture
def dutch_review() -> Review:
    return sample_review("Loze belofte  en geen\nvolgende stap.")


def test_structure_verdict_and_context(dutch_review: Review) -> None:
    built = card(dutch_review)
    assert built["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    verdict, context = built["body"][:2]
    assert verdict == {
        "type": "TextBlock", "text": "⚠️ Aanpassen voor je post", "wrap": True, "size": "Medium",
        "weight": "Bolder", "color": "Attention",
    }
    assert text_of(context) == "x · nl · klacht · lengte 120/280"
    ok = card(make_review([finding("impersonal", "suggestion", "Beste klant")], complaint=False, truncated_at=4000,
                          limit=None), "en")
    assert ok["body"][0]["text"] == "✅ Ready to post" and ok["body"][0]["color"] == "Good"
    assert text_of(ok["body"][1]) == "x · nl · question · length 120 · only the first 4000 characters were reviewed"
    dutch = card(make_review(truncated_at=4000))
    assert "alleen het begin (4000 tekens) is beoordeeld" in text_of(dutch["body"][1])


def test_summary_is_one_line(dutch_review: Review) -> None:
    assert "Kern: Loze belofte en geen volgende stap." in texts(card(dutch_review))
    assert "In short: Loze belofte en geen volgende stap." in texts(card(dutch_review, "en"))
    assert not any(t.startswith("Kern") for t in texts(card(make_review())))


def containers_of_findings(built: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in built["body"] if e["type"] == "Container" and actions({"body": [e]}, "feedback")]


def test_finding_content(dutch_review: Review) -> None:
    built = card(dutch_review)
    by_text = {alltext({"body": [c]}): c for c in containers_of_findings(built)}
    empty_promise = next(c for t, c in by_text.items() if "empty_promise" in t)
    lines = texts({"body": [empty_promise]})
    assert lines[:4] == [
        "Loze belofte", "we gaan ernaar kijken", "Uitleg bij empty_promise.",
        "Beter: Schrijf het beter (empty_promise).",
    ]
    assert lines[4] == "Richtlijn beloftes-nakomen"
    quote = empty_promise["items"][1]
    assert quote["type"] == "Container" and quote["style"] == "emphasis"
    assert quote["items"][0]["inlines"] == [{"type": "TextRun", "text": "we gaan ernaar kijken", "italic": True}]
    next_step = next(t for t in by_text if "missing_next_step" in t)
    assert "hele concept" in next_step and "Richtlijn durf-af-te-sluiten (taalmodel)" in next_step
    english = alltext(card(dutch_review, "en"))
    assert "Better: Schrijf" in english and "Guideline durf-af-te-sluiten (language model)" in english
    assert "whole draft" in english and "Empty promise" in english
    assert "Beter" not in english and "taalmodel" not in english


def test_grouped_by_severity(dutch_review: Review) -> None:
    headings = ("Fouten", "Waarschuwingen", "Suggesties")
    order = [t for t in texts(card(dutch_review)) if t in headings or t.startswith("Uitleg bij")]
    assert order == [
        "Fouten", "Uitleg bij empty_promise.",
        "Waarschuwingen", "Uitleg bij missing_next_step.", "Uitleg bij inconsistent_address.",  # by position
        "Suggesties", "Uitleg bij impersonal.",
    ]
    english = texts(card(dutch_review, "en"))
    assert english.index("Errors") < english.index("Warnings") < english.index("Suggestions")


def test_feedback_buttons(dutch_review: Review) -> None:
    built = card(dutch_review)
    containers = containers_of_findings(built)
    assert len(containers) == len(dutch_review.findings)
    indexes = []
    for container in containers:
        helpful, wrong = actions({"body": [container]})
        assert (helpful["title"], wrong["title"]) == ("👍 Klopt", "👎 Klopt niet")
        assert helpful["verb"] == wrong["verb"] == "feedback"
        index = helpful["data"]["finding"]
        rule = dutch_review.findings[index].rule
        assert helpful["data"] == {"review": "rev-42", "finding": index, "rule": rule, "verdict": "helpful"}
        assert wrong["data"] == {"review": "rev-42", "finding": index, "rule": rule, "verdict": "wrong"}
        assert f"Uitleg bij {dutch_review.findings[index].category}." in texts({"body": [container]})
        indexes.append(index)
    assert indexes == [1, 3, 0, 2]  # errors first, then the warnings (by position) and suggestions
    assert [a["title"] for a in actions(card(dutch_review, "en"), "feedback")[:2]] == ["👍 Right", "👎 Not right"]


def test_promises_with_due_moment_and_buttons(dutch_review: Review) -> None:
    built = card(dutch_review, promise_ids=["p1", "p2"])
    body = built["body"]
    start = next(i for i, e in enumerate(body) if text_of(e) == "Beloftes")
    first, buttons1, second, buttons2 = body[start + 1 : start + 5]
    assert text_of(first) == "“ik bel je morgen” → uiterlijk vr 27 nov 17:00"
    assert text_of(second) == "“je hoort van ons” → uiterlijk ma 30 nov 09:30 (geen tijd genoemd)"
    for block, promise_id in ((buttons1, "p1"), (buttons2, "p2")):
        done, cancel = block["actions"]
        assert block["type"] == "ActionSet"
        data = {"promise": promise_id}
        assert (done["title"], done["verb"], done["data"]) == ("✅ Callback gedaan", "callback_done", data)
        assert (cancel["title"], cancel["verb"], cancel["data"]) == ("Geen belofte", "promise_cancel", data)
    english = card(dutch_review, "en", promise_ids=["p1", "p2"])
    assert "“ik bel je morgen” → by Fri 27 Nov 17:00" in texts(english)
    assert "“je hoort van ons” → by Mon 30 Nov 09:30 (no time given)" in texts(english)
    assert [a["title"] for a in actions(english, "callback_done") + actions(english, "promise_cancel")] == [
        "✅ Callback done", "✅ Callback done", "Not a promise", "Not a promise",
    ]
    untracked = card(dutch_review)
    assert "Beloftes" in texts(untracked) and not actions(untracked, "callback_done")
    assert "Beloftes" not in texts(card(make_review()))


def test_rewrite_is_monospace_and_copyable(dutch_review: Review) -> None:
    body = card(dutch_review)["body"]
    index = next(i for i, e in enumerate(body) if text_of(e) == "Voorstel")
    assert body[index]["type"] == "TextBlock" and body[index]["weight"] == "Bolder"
    box = body[index + 1]
    assert box["type"] == "Container" and box["style"] == "emphasis"
    assert box["items"][0]["inlines"] == [{"type": "TextRun", "text": dutch_review.rewrite, "fontType": "Monospace"}]
    assert "Suggested reply" in texts(card(dutch_review, "en"))
    assert "Voorstel" not in texts(card(make_review()))


@pytest.mark.parametrize(
    ("llm", "pending", "nl", "en"),
    [
        (LLMStatus(), True, "Taalmodel denkt nog mee…", "The language model is still thinking…"),
        (LLMStatus(used=True, model="gpt-4o-mini"), False,
         "Met taalmodel (gpt-4o-mini)", "With language model (gpt-4o-mini)"),
        (LLMStatus(error="no answer within 20 s"), False,
         "Alleen regels: het taalmodel gaf geen bruikbaar antwoord",
         "Rules only: the language model gave no usable answer"),
        (LLMStatus(), False, "Alleen regels", "Rules only"),
    ],
)
def test_footer(llm: LLMStatus, pending: bool, nl: str, en: str) -> None:
    review = make_review([finding("impersonal", "suggestion", "Beste klant")], llm=llm)
    for language, expected in (("nl", nl), ("en", en)):
        footer = card(review, language, llm_pending=pending)["body"][-1]
        assert footer["type"] == "RichTextBlock" and footer["separator"] is True
        assert footer["inlines"] == [{"type": "TextRun", "text": expected, "isSubtle": True, "size": "Small"}]


def test_twenty_findings_then_a_count() -> None:
    severities = ("error", "warning", "suggestion")
    findings = [finding("bureaucratic", severities[i % 3], f"middels {i}", start=i) for i in range(30)]
    built = card(make_review(findings, rewrite="Hoi Sanne, …", summary="Veel te verbeteren."))
    assert len(actions(built, "feedback")) == 2 * 20
    assert [t for t in texts(built) if t.startswith("en nog ")] == ["en nog 10 bevindingen"]
    assert "Suggesties" not in texts(built)  # the 10 errors and 10 warnings come first


@pytest.mark.parametrize("filler", ["Lorem ipsum dolor sit amet. ", "😀 é "])
def test_huge_review_stays_under_28_kb(filler: str) -> None:
    severities = ("error", "warning", "suggestion")
    findings = [
        finding("bureaucratic", severities[i % 3], f"{i} " + filler * 40, start=i, message=filler * 80,
                rule=f"nl.rule.{i}")
        for i in range(200)
    ]
    promises = [
        Promise(filler * 30, "callback", datetime(2026, 11, 27, 17, 0, tzinfo=AMSTERDAM), True, 0, 1) for _ in range(15)
    ]
    review = make_review(
        findings, promises=promises, summary=filler * 200, rewrite=("Hoi Sanne, " + filler * 2000)[:20_000],
        llm=LLMStatus(error=filler * 200),
    )
    built = card(review, promise_ids=[f"p{i}" for i in range(15)])  # validate() asserts < 28,000 bytes
    shown = len(actions(built, "feedback")) // 2
    assert 0 < shown <= 20
    assert f"en nog {200 - shown} bevindingen" in texts(built)
    assert len(actions(built, "callback_done")) == 10
    body = built["body"]
    index = next(i for i, e in enumerate(body) if text_of(e) == "Voorstel (ingekort)")
    rewrite = text_of(body[index + 1]["items"][0])
    assert rewrite.startswith("Hoi Sanne, ") and rewrite.endswith("…") and len(json.dumps(rewrite)) <= 4002
    assert review.rewrite.startswith(rewrite[:-1])


def test_markdown_in_drafts_is_shown_as_typed() -> None:
    """Outside text only ever goes into TextRuns, which Adaptive Cards never read as Markdown:
    nothing is escaped, and no TextBlock holds it (validate() checks TextBlocks are Markdown-free)."""
    tricky = "*sorry* [klik](http://x)"
    review = make_review(
        [finding("shouting", "warning", tricky, message="- _let op_\n1. **echt**")],
        summary="**Kort**: <b>vet</b>", rewrite=f"Hoi Sanne,\n- {tricky}\n\\*niet\\*",
        llm=LLMStatus(error="`timeout` <html>"),
    )
    built = card(review)
    run_texts = [run["text"] for run in runs(built)]
    assert tricky in run_texts
    assert "- _let op_\n1. **echt**" in run_texts
    assert "**Kort**: <b>vet</b>" in run_texts
    assert review.rewrite in run_texts
    assert "Alleen regels: het taalmodel gaf geen bruikbaar antwoord" in run_texts  # the error is in the log
    blocks = [e["text"] for e in elements(built["body"]) if e["type"] == "TextBlock"]
    assert not any("sorry" in text or "klik" in text for text in blocks)


def test_review_attachment_and_text_summary(dutch_review: Review) -> None:
    attachment = review_attachment(dutch_review, language="nl", review_id="rev-42", promise_ids=["p1"],
                                   llm_pending=True)
    assert attachment.content_type == "application/vnd.microsoft.card.adaptive"
    assert attachment.content == review_card(dutch_review, language="nl", review_id="rev-42", promise_ids=["p1"],
                                             llm_pending=True)
    assert text_summary(dutch_review, language="nl") == (
        "⚠️ Aanpassen voor je post: loze belofte, geen vervolgstap, u en je door elkaar, onpersoonlijk"
    )
    assert text_summary(dutch_review, language="en").startswith("⚠️ Revise before you post: empty promise, ")
    assert text_summary(make_review(), language="nl") == "✅ Klaar om te posten"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.load(ROOT / "guidelines" / "corpus")


def test_guidelines_for_a_query(corpus: Corpus) -> None:
    found = corpus.search("beloftes")
    built = guideline_card(found, " beloftes ", language="nl")
    validate(built)
    text = alltext(built)
    assert texts(built)[0] == "Gezocht: beloftes"
    best = found[0]
    assert best.title in texts(built) and best.principle in texts(built)
    assert "Wel:" in texts(built) and "Niet:" in texts(built)
    assert best.do in texts(built) and best.dont in texts(built)
    assert f"{best.id} · {best.source}" in text
    quotes = [e for e in elements(built["body"]) if e["type"] == "Container" and e.get("style") == "emphasis"]
    assert text_of(quotes[0]["items"][0]) == best.do and quotes[0]["items"][0]["inlines"][0]["italic"] is True
    english = guideline_card(found, "promises", language="en")
    validate(english)
    assert best.summary in texts(english) and "Do:" in texts(english) and "Don't:" in texts(english)
    many = guideline_card(list(corpus.guidelines.values()), "x", language="nl")
    validate(many)
    assert sum(e["type"] == "Container" and e.get("separator") for e in many["body"]) == 3


def test_guidelines_list_all(corpus: Corpus) -> None:
    guidelines = list(corpus.guidelines.values())
    built = guideline_card(guidelines, "  ", language="nl")
    validate(built)
    text = alltext(built)
    assert texts(built)[0] == f"Alle richtlijnen ({len(guidelines)})"
    assert all(f"{g.id} — {g.title}" in texts(built) for g in guidelines)
    assert "@Webcare Coach richtlijn <zoekterm>" in text and "zoekextensie" in text
    english = guideline_card(guidelines, "", language="en")
    validate(english)
    assert "@Webcare Coach guideline <search term>" in alltext(english)


def test_guidelines_nothing_found(corpus: Corpus) -> None:
    assert corpus.search("zzqxv") == []
    built = guideline_card([], "zzqxv *x*", language="nl")
    validate(built)
    text = alltext(built)
    assert "Niets gevonden voor ‘zzqxv *x*’" in text
    assert all(word in text for word in ("beloftes", "excuses", "grapjes", "DM", "empathie"))
    assert "@Webcare Coach richtlijn zonder zoekterm" in text
    english = alltext(guideline_card([], "zzqxv", language="en"))
    assert all(word in english for word in ("Nothing found", "promises", "apology", "jokes", "DM", "empathy"))


def test_guideline_preview(corpus: Corpus) -> None:
    guideline = corpus["geen-loze-beloftes"]
    dutch = guideline_preview(guideline, language="nl")
    validate(dutch)
    assert texts(dutch) == [guideline.title, guideline.principle, guideline.id]
    english = guideline_preview(guideline, language="en")
    validate(english)
    assert texts(english)[1] == guideline.summary


@pytest.mark.parametrize("language", ["nl", "en"])
def test_howto(language: str) -> None:
    built = howto_card(language=language)
    validate(built)
    text = alltext(built)
    assert "@Webcare Coach x Hoi" in text if language == "nl" else "@Webcare Coach x Hi" in text
    monospace = {run["text"] for run in runs(built) if run.get("fontType") == "Monospace"}
    assert "> " in monospace
    assert {"x", "fb", "insta", "dm", "whatsapp", "mail", "chat"} <= monospace
    if language == "nl":
        assert "@Webcare Coach richtlijn <zoekterm>" in monospace and "zoekextensie" in text
        assert texts(built)[0] == "Zo werkt de Webcare Coach" and "👍" in text
    else:
        assert "@Webcare Coach guideline <search term>" in monospace and "search extension" in text
        assert texts(built)[0] == "How Webcare Coach works"


PROMISE = {"id": "a1b2c3d4e5", "text": "ik bel je *morgen*", "due": 1795795200.0, "agent": "29:a", "channel": "19:c"}


def test_reminder_card() -> None:
    built = reminder_card(PROMISE["id"], PROMISE["text"], language="nl", kind="reminder", attempt=1, due_label="vr 27 nov 17:00",
                          agent_name="Wendy", escalate_to=None)
    validate(built)
    assert texts(built) == [
        "⏰ Herinnering", "Wendy, je beloofde “ik bel je *morgen*”, uiterlijk vr 27 nov 17:00. Is het gelukt?",
    ]
    done, cancel = actions(built)
    data = {"promise": "a1b2c3d4e5"}
    assert (done["verb"], done["data"], done["title"]) == ("callback_done", data, "✅ Callback gedaan")
    assert (cancel["verb"], cancel["data"], cancel["title"]) == ("promise_cancel", data, "Geen belofte")
    english = reminder_card(PROMISE["id"], PROMISE["text"], language="en", kind="reminder", attempt=2, due_label="Fri 27 Nov 17:00",
                            agent_name="Wendy", escalate_to="Team lead")
    validate(english)
    assert texts(english)[1] == "Wendy, you promised “ik bel je *morgen*”, by Fri 27 Nov 17:00. Done?"
    assert [a["title"] for a in actions(english)] == ["✅ Callback done", "Not a promise"]


def test_escalation_card() -> None:
    built = reminder_card(PROMISE["id"], PROMISE["text"], language="nl", kind="escalation", attempt=4, due_label="vr 27 nov 17:00",
                          agent_name="Wendy", escalate_to="Teamleider Webcare")
    validate(built)
    assert built["body"][0]["text"] == "🚨 Escalatie" and built["body"][0]["color"] == "Attention"
    assert texts(built)[1:] == [
        "Voor Teamleider Webcare",
        ("De belofte “ik bel je *morgen*” van Wendy (uiterlijk vr 27 nov 17:00) "
         "is na 3 herinneringen nog niet gedaan."),
    ]
    assert [a["data"] for a in actions(built)] == [{"promise": "a1b2c3d4e5"}] * 2
    english = reminder_card(PROMISE["id"], PROMISE["text"], language="en", kind="escalation", attempt=3, due_label="Fri 27 Nov 17:00",
                            agent_name="Wendy", escalate_to=None)
    validate(english)
    assert texts(english) == [
        "🚨 Escalation",
        "The promise “ik bel je *morgen*” by Wendy (by Fri 27 Nov 17:00) is still not done after 2 reminders.",
    ]
