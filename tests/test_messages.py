"""One message catalogue in two languages (bot/messages): every message renders in both, every
key the code asks for exists, and what the coach says to a Dutch team holds no English (no
English weekday, no raw category id, no "precision"), nor the other way round.

Which language a word is in comes from wordfreq's word frequencies: a word is foreign when it is
common in the other language and at least ten times rarer in this one. A few loanwords agents use
in Dutch ("review", "callback") are allowed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from wordfreq import zipf_frequency

from bot import messages, terminal
from bot.coach import Coach
from bot.config import Config, load_config
from bot.corpus import Corpus
from bot.insights.digest import compose
from bot.insights.figures import from_store
from bot.insights.report import render
from bot.messages import LANGUAGES, MessageError, catalogue, category_name, moment, number, slots_of, t, week_label
from bot.review.model import Draft, Review
from bot.review.rules import CATEGORIES
from bot.slack.blocks import howto_blocks, no_text_blocks, review_blocks
from bot.teams.cards import howto_card, reminder_card, review_card
from tests.conftest import AMSTERDAM, ROOT
from tests.insights_seed import END, NOW, seed

LOANWORDS = {"review", "reviews", "callback", "coach", "webcare", "chat", "context", "trend", "ok", "dm", "emoji",
             "agent", "agents", "slack"}
# The same in both languages, on purpose: formats, and words Dutch shares with English.
SAME = {"chart.item", "chart.reviews", "chart.reviews_title", "date.day", "date.day_time", "date.moment", "date.week", "review.tip",
        "date.week_across", "digest.rule", "explain.context", "report.cell", "report.reviews_row", "report.trend",
        "terminal.open"}
_ENGLISH_DATES = re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Mar|May|Oct)\b")
_DUTCH_DATES = re.compile(r"\b(?:ma|di|wo|do|vr|za|zo) \d|\d (?:mrt|mei|okt)\b")
_CODE = re.compile(r"`[^`]*`")
_GUIDELINES = re.compile(r"\b(?:%s)\b" % "|".join(
    Corpus.load(load_config(ROOT / "app.yaml").guidelines_dir / "corpus").guidelines))
# rule ids, guideline ids, a complaint signal's id before its excerpt, the draft's language code
_IDS = re.compile(r"\b(?:nl|en|any|llm)\.[\w.]+|\b[a-z]+(?:-[a-z]+)+\b|\b\w+ (?=“)|· (?:nl|en) ·")


def foreign(text: str, language: str) -> list[str]:
    """The words of `text` that belong to the other language. Commands in backticks and ids are
    no words, except a category id (missing_empathy): agents see its name, never the id."""
    other = "en" if language == "nl" else "nl"
    text = _GUIDELINES.sub(" ", _IDS.sub(" ", _CODE.sub(" ", text)))
    found = (_ENGLISH_DATES if language == "nl" else _DUTCH_DATES).findall(text)
    found += [c for c in CATEGORIES if "_" in c and c in text]
    dates = {w.lower() for key in ("date.weekdays", "date.months") for w in messages.words(language, key)}
    for word in set(re.findall(r"[^\W\d_]{2,}", re.sub(r"\w*_\w*", " ", text))):
        lower = word.lower()
        if lower in LOANWORDS or lower in dates:
            continue
        theirs, ours = zipf_frequency(lower, other), zipf_frequency(lower, language)
        if theirs >= 3.0 and theirs - ours >= 1.0:
            found.append(word)
    return sorted(found)


def test_the_detector_sees_both_languages() -> None:
    assert foreign("AANPASSEN: geen empathie, precision 0.5, uiterlijk Mon 07-12 12:00", "nl") == ["Mon", "precision"]
    assert foreign("loze belofte (missing_empathy (hele concept))", "nl") == ["missing_empathy"]
    assert foreign("Revise: no apology, due ma 7 dec, geen tijd", "en") == ["geen", "ma 7", "tijd"]
    assert foreign("Gebruik `/callback done <id>`: je open beloftes en reviews", "nl") == []


def _filled(language: str, key: str) -> str:
    return t(language, key, **{slot: "7" for slot in slots_of(str(catalogue()[language][key]))})


def _messages() -> list[tuple[str, str]]:
    return [(lang, key) for lang in LANGUAGES for key, text in catalogue()[lang].items() if isinstance(text, str)]


@pytest.mark.parametrize(("language", "key"), _messages())
def test_every_message_renders_in_its_own_language(language: str, key: str) -> None:
    text = _filled(language, key)
    assert text.strip() and "{" not in text
    assert not foreign(text, language), text


def test_both_languages_have_every_message_with_the_same_slots() -> None:
    nl, en = catalogue()["nl"], catalogue()["en"]
    assert nl.keys() == en.keys()
    for key, text in nl.items():
        if isinstance(text, str):
            assert slots_of(text) == slots_of(str(en[key])), key
        else:
            assert len(text) == len(en[key]), key


def test_every_message_is_translated() -> None:
    nl, en = catalogue()["nl"], catalogue()["en"]
    untranslated = sorted(k for k in nl if nl[k] == en[k] and isinstance(nl[k], str))
    assert set(untranslated) == SAME


def test_every_category_has_a_name_in_both_languages() -> None:
    for category in (*CATEGORIES, "other"):
        for language in LANGUAGES:
            name = category_name(category, language)
            assert "_" not in name and name.strip()
        assert category_name(category, "nl") != category


def test_dates_and_numbers_in_the_team_language() -> None:
    due = datetime(2026, 12, 7, 17, 0, tzinfo=AMSTERDAM)
    assert moment(due, "nl") == "ma 7 dec 17:00" and moment(due, "en") == "Mon 7 Dec 17:00"
    for days in range(7):
        assert not foreign(moment(due + timedelta(days=days), "nl"), "nl")
        assert not foreign(moment(due + timedelta(days=days), "en"), "en")
    months = [datetime(2026, month, 1, 9, 5) for month in range(1, 13)]
    assert [moment(m, "nl").split()[2] for m in months] == list(messages.words("nl", "date.months"))
    assert all(not foreign(moment(m, "nl"), "nl") and not foreign(moment(m, "en"), "en") for m in months)
    assert week_label(datetime(2026, 11, 23), datetime(2026, 11, 30), "nl") == "23–29 nov"
    assert week_label(datetime(2026, 2, 27), datetime(2026, 3, 6), "nl") == "27 feb – 5 mrt"
    assert week_label(datetime(2026, 2, 27), datetime(2026, 3, 6), "en") == "27 Feb – 5 Mar"
    assert number(2.5, "nl") == "2,5" and number(2.5, "en") == "2.5" and number(3.0, "nl") == "3"


def test_a_missing_key_or_slot_fails_loudly() -> None:
    with pytest.raises(MessageError, match="no message 'chat.nope'"):
        t("nl", "chat.nope")
    with pytest.raises(MessageError, match="needs the slots id"):
        t("nl", "chat.done")
    with pytest.raises(MessageError, match="needs the slots id"):
        t("en", "chat.done", ids="p1")  # a misspelt slot
    assert t("nl", "chat.done", id="p1", agent="unused") == t("nl", "chat.done", id="p1")


def test_languages_that_differ_fail_when_the_catalogue_loads(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "nl.yaml").write_text("chat:\n  done: Klaar ({id})\n  none: Niets\n", encoding="utf-8")
    (tmp_path / "en.yaml").write_text("chat:\n  done: Done ({ids})\n  none: Nothing\n", encoding="utf-8")
    monkeypatch.setattr(messages, "_FOLDER", tmp_path)
    catalogue.cache_clear()
    try:
        with pytest.raises(MessageError, match="chat.done: not the same slots"):
            catalogue()
        (tmp_path / "en.yaml").write_text("chat:\n  done: Done ({id})\n", encoding="utf-8")
        with pytest.raises(MessageError, match="differ in keys: chat.none"):
            catalogue()
    finally:
        catalogue.cache_clear()


# -- the code asks only for messages that exist, and every message is asked for ----------------


def _lookups() -> tuple[list[tuple[str, str, set[str] | None]], set[str]]:
    """(file, key, slots given or None with **values) of every literal lookup in bot/, and the
    prefixes of lookups built with an f-string ("review." for f"review.{verdict}")."""
    literal: list[tuple[str, str, set[str] | None]] = []
    prefixes: set[str] = set()
    for path in sorted((ROOT / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "t" and len(node.args) >= 2:
                key_node, prefix = node.args[1], ""
            elif name == "say" and len(node.args) == 1:  # ChatFlow.say: the chat.* messages
                key_node, prefix = node.args[0], "chat."
            else:
                continue
            given = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords if k.arg}
            keys = [key_node.value] if isinstance(key_node, ast.Constant) else []
            if isinstance(key_node, ast.IfExp):
                keys = [n.value for n in (key_node.body, key_node.orelse) if isinstance(n, ast.Constant)]
            if isinstance(key_node, ast.JoinedStr) and isinstance(key_node.values[0], ast.Constant):
                prefixes.add(prefix + key_node.values[0].value)
            elif isinstance(key_node, ast.BinOp) and isinstance(key_node.left, ast.Constant):
                prefixes.add(prefix + key_node.left.value)
            literal += [(path.name, prefix + key, given) for key in keys if isinstance(key, str)]
    return literal, prefixes


def _constants() -> set[str]:
    """Every string constant in bot/: keys named in tables, such as the sections of the how-to."""
    return {node.value for path in (ROOT / "bot").rglob("*.py")
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_every_message_the_code_asks_for_exists_with_its_slots() -> None:
    literal, prefixes = _lookups()
    nl = catalogue()["nl"]
    assert len(literal) > 150
    for file, key, given in literal:
        assert key in nl, f"{file}: no message {key}"
        if given is not None:
            assert slots_of(str(nl[key])) <= given, f"{file}: {key} without {slots_of(str(nl[key])) - given}"
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in nl), prefix


def test_every_message_is_used() -> None:
    literal, prefixes = _lookups()
    used = {key for _, key, _ in literal} | _constants()
    unused = [k for k in catalogue()["nl"] if k not in used and not k.startswith(tuple(prefixes))
              and not k.startswith("date.")]  # the date formats are read by bot/messages itself
    assert not unused


# -- whole answers: what a team sees, in one language --------------------------------------------

DRAFTS = {
    "nl": [
        ("Beste klant, we gaan ernaar kijken. Excuses voor het ongemak!", "Mijn pakket is al een week onderweg!!"),
        ("Hoi Sanne, ik bel je morgen om 10 uur. U hoort van ons. HAHA wat een gedoe", "Waar blijft mijn monteur?"),
        ("Graag uw klantnummer en adres per mail naar info@voorbeeld.nl, dan wordt uw verzoek in behandeling genomen.",
         None),
    ],
    "en": [
        ("Dear customer, we'll look into it. Sorry for any inconvenience!", "My parcel has been on its way for a week!!"),
        ("Hi Sam, I'll call you tomorrow at 10. You'll hear from us. LOL what a mess", "Where is my engineer?"),
        ("Please send your account number and address to info@example.com and your request will be processed.", None),
    ],
}


def _texts(value: Any) -> list[str]:
    """Every text a person sees in a Block Kit message or an Adaptive Card."""
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k in ("text", "title", "altText") and isinstance(v, str)]
        return found + [t for k, v in value.items() if k != "url" for t in _texts(v)]
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    return []


def _reviews(config: Config, language: str) -> list[Review]:
    coach = Coach(replace(config, language=language))
    at = datetime(2026, 11, 25, 14, 0, tzinfo=AMSTERDAM)
    return [coach.review_rules(Draft(text, customer, "x", at)) for text, customer in DRAFTS[language]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_whole_review_reads_in_one_language(config: Config, language: str) -> None:
    reviews = _reviews(config, language)
    assert {r.language for r in reviews} == {language} and all(r.findings for r in reviews)
    assert any(r.promises for r in reviews)
    for review in reviews:
        text, _ = DRAFTS[language][reviews.index(review)]
        shown = [terminal.render_review(review, text, language)]
        shown += _texts(review_blocks(review, language=language, review_id="r1"))
        shown += _texts(review_blocks(review, language=language, review_id="r1", llm_pending=True))
        shown += _texts(review_card(review, language=language, review_id="r1", promise_ids=["p1"]))
        for item in shown:
            assert not foreign(item, language), item
        if review.promises:
            due = moment(review.promises[0].due, language)
            assert re.fullmatch(r"\w\w\w? \d\d? \w{3} \d\d:\d\d", due)
            assert t(language, "review.due", due=due) in shown[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_explanations_promises_and_rules_read_in_one_language(config: Config, language: str) -> None:
    coach = Coach(replace(config, language=language))
    text, customer = DRAFTS[language][1]
    _, explanation = coach.reviewer.review_explained(Draft(text, customer, "x", datetime(2026, 11, 25, 14, 0,
                                                                                         tzinfo=AMSTERDAM)))
    shown = terminal.render_explanation(explanation.to_dict(language), language)
    rows = [{"id": "p1", "platform": "slack", "channel": "C1", "due": "2026-12-07T17:00:00+01:00", "overdue": late,
             "status": status, "text": "Alex", "reminders": 2} for late, status in ((True, "open"), (False, "done"))]
    shown += "\n" + terminal.render_promises(rows, language)
    shown += "\n" + terminal.render_rules([{"rule": "nl.empty_promise.x", "category": "empty_promise",
                                            "severity": "error", "helpful": 3, "wrong": 1, "precision": 0.75}],
                                          stats=True, language=language)
    shown += "\n" + terminal.render_rules([{"rule": "nl.empty_promise.x", "category": "empty_promise",
                                            "severity": "error"}], stats=False, language=language)
    for line in shown.splitlines():
        assert not foreign(line, language), line
    assert "75%" in shown
    assert ("precision" in shown) == (language == "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_chat_help_and_reminders_read_in_one_language(language: str) -> None:
    shown = _texts(howto_blocks(language=language)) + _texts(no_text_blocks(language=language))
    shown += _texts(howto_card(language=language))
    for kind in ("reminder", "escalation"):
        shown += _texts(reminder_card("p1", "Alex", language=language, kind=kind, attempt=3,
                                      due_label=moment(datetime(2026, 12, 7, 17, 0), language), agent_name="Wendy",
                                      escalate_to="Team"))
    for item in shown:
        assert not foreign(item, language), item


@pytest.mark.parametrize("language", LANGUAGES)
def test_digest_and_report_read_in_one_language(config: Config, tmp_path: Path, language: str) -> None:
    team = replace(config, language=language)
    insights = from_store(seed(tmp_path / "webcare.db"), team, end=END, weeks=4, now=NOW)
    digest = compose(insights, team, "2026-W49")
    for line in [*digest.text.splitlines(), digest.chart.alt]:  # guideline titles “…” are the team's corpus
        assert not foreign(re.sub(r"“[^”]*”", " ", line), language), line
    page = render(insights, team, made=END)
    visible = re.sub(r"<style>.*?</style>|<[^>]+>", " ", page, flags=re.S)
    # guideline titles and texts are the team's own corpus (Dutch), like rule messages
    ours = re.sub(r'<section id="g-.*?</section>|<td class="text">.*?</td>', " ", page, flags=re.S)
    ours = re.sub(r"<style>.*?</style>|<[^>]+>|\(\w+(?:-\w+)+\)|“[^”]*”", " ", ours, flags=re.S)
    for line in ours.splitlines():
        assert not foreign(line, language), line
    assert visible
