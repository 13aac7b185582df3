"""Officialese as lexicons with plain alternatives: every entry's examples are tests (as in
LanguageTool), the matcher's edges, the loader's messages, and the bars on real sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError
from bot.review.lexicon import load_lexicon
from bot.review.rules import load_rules
from bot.review.text import fold
from scripts.bench_officialese import MAX_FALSE_ALARMS, MIN_RECALL, measure
from tests.conftest import ROOT

LEXICONS = {r.id: r for r in load_rules(ROOT / "guidelines/rules") if r.lexicon is not None}
ENTRIES = [(rule, entry) for rule in LEXICONS.values() for entry in rule.lexicon.entries]
FLAGGED = [pytest.param(r, e, text, id=f"{e.formal}-{i}") for r, e in ENTRIES for i, text in enumerate(e.examples)]
SILENT = [pytest.param(r, e, text, id=f"{e.formal}-{i}") for r, e in ENTRIES for i, text in enumerate(e.silent)]


def bureaucratic(review, text: str):
    return [f for f in review(text).findings if f.category == "bureaucratic"]


def test_the_dutch_lexicon_is_large_enough():
    dutch = [e for r, e in ENTRIES if "nl" in r.languages]
    assert len(dutch) >= 200


@pytest.mark.parametrize(("rule", "entry", "text"), FLAGGED)
def test_example_is_flagged_with_its_alternative(review, rule, entry, text):
    hits = [f for f in bureaucratic(review, text) if f.rule == rule.id]
    assert any(f"'{entry.formal}' → '{entry.plain}'" in f.suggestion for f in hits), [
        (f.excerpt, f.suggestion) for f in hits
    ]


@pytest.mark.parametrize(("rule", "entry", "text"), SILENT)
def test_silent_example_stays_silent(review, rule, entry, text):
    assert not [f.excerpt for f in bureaucratic(review, text)]


def test_finding_names_the_word_and_its_alternative(review):
    (finding,) = bureaucratic(review, "Hoi Sanne, we trachten het pakket morgen te bezorgen. ^Tom")
    assert finding.excerpt == "trachten"
    assert finding.message.startswith("Ambtelijke taal: 'trachten'")
    assert finding.suggestion.startswith("'trachten' → 'proberen'")


def test_an_inflected_form_is_named_by_its_entry(review):
    (finding,) = bureaucratic(review, "Hoi Sanne, we hebben getracht je te bellen. ^Tom")
    assert finding.excerpt == "getracht" and "'trachten' → 'proberen'" in finding.suggestion


def test_the_customers_own_word_is_not_officialese(review):
    """Answering "mijn restitutie" with "je restitutie" mirrors the customer; a word the customer
    did not use, or only inside a longer word, is still flagged."""
    draft = "Sorry! Ik heb je restitutie vandaag verwerkt. ^Tom"
    said = [f for f in review(draft, customer="Waar blijft mijn restitutie?").findings if f.category == "bureaucratic"]
    assert said == []
    for customer in ("Waar blijft mijn geld?", "Waar blijft het restitutieformulier?"):
        findings = review(draft, customer=customer).findings
        assert [f.excerpt for f in findings if f.category == "bureaucratic"] == ["restitutie"]


def test_a_quoted_name_is_not_officialese(review):
    """The name of a screen or button, quoted as it reads in the app, is no word of the agent's."""
    quoted = review("Je kunt het terugvragen via Mijn OV onder 'Restitutie'. ^Tim").findings
    assert [f for f in quoted if f.category == "bureaucratic"] == []
    said = review("Je kunt het terugvragen via Mijn OV onder Restitutie. ^Tim").findings
    assert [f.excerpt for f in said if f.category == "bureaucratic"] == ["Restitutie"]


def test_one_finding_per_excerpt_and_the_longest_phrase_wins(review):
    findings = bureaucratic(review, "Wij sturen het zo spoedig mogelijk, alsmede de factuur. Reeds betaald? Top.")
    assert [f.excerpt for f in findings] == ["zo spoedig mogelijk", "alsmede", "Reeds"]


DUTCH = next(r.lexicon for r in LEXICONS.values() if "nl" in r.languages)


@pytest.mark.parametrize(
    ("text", "excerpts"),
    [
        ("Onze medewerker helpt je, en je dochter ook.", []),  # "mede", "doch" inside other words
        ("Je pakket is REEDS onderweg.", ["REEDS"]),
        ("We hebben u geïnformeerd, vertrouwende u hiermee voldoende te hebben geïnformeerd.",
         ["vertrouwende u hiermee voldoende te hebben geïnformeerd"]),
        ("U dient het formulier in te vullen.", ["dient het formulier in te"]),
        ("U dient een klacht. Te laat is het niet.", []),  # the parts of a form stay in one sentence
        ("Hij dient al twintig jaar bij de marine.", []),
        ("Je betaalt d.m.v. een machtiging.", ["d.m.v."]),
        ("Met betrekking tot je vraag: ja.", ["Met betrekking tot"]),
    ],
)
def test_matcher_edges(text, excerpts):
    assert [text[h.start : h.end] for h in DUTCH.find(fold(text))] == excerpts


def test_english_officialese(review):
    (finding,) = bureaucratic(review, "Hi Liam, please find attached your new invoice. Thanks!")
    assert finding.excerpt == "please find attached" and "'here is'" in finding.suggestion


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "test.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entries: []", "expected a top-level 'entries:' list"),
        ("entries:\n  - {formal: reeds, plain: al}", "entry 'reeds': field 'examples': every entry needs"),
        ("entries:\n  - {formal: reeds, plain: al, examples: [x], colour: red}", "field 'colour': unknown field"),
        ("entries:\n  - {formal: reeds, examples: [x]}", "entry 'reeds': field 'plain': expected a non-empty text"),
        ("entries:\n  - {formal: reeds, plain: al, examples: [x], unless: ['al']}", "field 'silent': an entry with"),
        ("entries:\n  - {formal: reeds, plain: al, examples: [x], unless: ['(']}", "bad regular expression"),
        ("entries:\n  - {formal: x, plain: y, forms: ['dient …'], examples: [x]}", "words on both sides"),
        (
            "entries:\n  - {formal: reeds, plain: al, examples: [x]}\n  - {formal: al, plain: al, forms: [Reeds], examples: [x]}",
            "form 'reeds' is also a form of 'reeds'",
        ),
    ],
)
def test_bad_lexicon_is_refused_with_a_clear_message(tmp_path, text, message):
    with pytest.raises(ConfigError) as error:
        load_lexicon(write(tmp_path, text))
    assert message in str(error.value)


RULE = """rules:
  - id: nl.x
    category: bureaucratic
    languages: [nl]
    check: {check}
    lexicon: {lexicon}
    patterns: ['x']
    message: {{nl: "{message}", en: "x"}}
    suggestion: {{nl: "x", en: "x"}}
    guideline: g
    examples: {{bad: ["x"], good: ["y"]}}
"""


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"check": "existence", "lexicon": "officialese.nl", "message": "x"}, "only a rule with check: lexicon"),
        ({"check": "lexicon", "lexicon": "../secret", "message": "x"}, "expected the name of a file"),
        ({"check": "lexicon", "lexicon": "missing", "message": "x"}, "missing.yaml: missing"),
        ({"check": "lexicon", "lexicon": "officialese.nl", "message": "{word}"}, "not ['word']"),
    ],
)
def test_bad_lexicon_rule_is_refused(tmp_path, fields, message):
    (tmp_path / "rules").mkdir()
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "lexicons/officialese.nl.yaml").write_text(
        (ROOT / "guidelines/lexicons/officialese.nl.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "rules/x.yaml").write_text(RULE.format(**fields), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_rules(tmp_path / "rules")
    assert message in str(error.value)


def test_recall_and_false_alarms_meet_the_bar(reviewer):
    """Real sentences (LanguageTool's examples) and ordinary ones: see scripts/bench_officialese.py."""
    result = measure(reviewer)
    assert result.recall >= MIN_RECALL, result.missed
    assert result.false_alarm_rate <= MAX_FALSE_ALARMS, result.false_alarms
