"""Suggestions built from the case: slots filled from the draft and the customer's message, never
a word of another case (issue 12, point 1)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

import pytest

from bot.config import ConfigError, load_config
from bot.review.engine import Reviewer
from bot.review.model import Draft
from bot.review.rules import load_rules
from bot.review.text import fold
from tests.conftest import ROOT

REVIEWER = Reviewer.from_config(load_config(ROOT / "app.yaml"))
AT = datetime(2026, 12, 2, 10, 0)
_WORD = re.compile(r"[a-z]{4,}")

# The coach's own advice vocabulary: function words and webcare words that describe no case.
# Everything else in an example (a modem, a courier, seats, a bus) is that example's domain.
GENERIC = frozenset("""
    about alles balen balie before beste binnen belt check could daar deze doet easy echt eens eerst ermee find geef
    geen gedoe gewoon groet help helaas helemaal here hoort into kunt kwestie klacht klant laat laten look lopen
    maken melding message miss moeten morgen myself name naam niet nodig over overal overkwam regel snap sort sorry
    staat stap stuur that this tijd today tomorrow trouble understand update vandaag vervelend voor vraag wanneer
    went weten what with within works working wrong your zelf zijn zoals zoek zonder collega mevrouw neem
    werkt werkdagen days noon heeft hebben zeggen aanbod oplossing
""".split())


def words(text: str | None) -> set[str]:
    return set(_WORD.findall(fold(text or "")))


def review(text: str, customer: str | None = None, channel: str | None = None, reviewer: Reviewer = REVIEWER):
    return reviewer.review(Draft(text, customer, channel, AT))


CASES = {
    (rule.id, kind, i): words(example.text) | words(example.customer)
    for rule in REVIEWER.rules
    for kind, examples in (("bad", rule.bad), ("good", rule.good))
    for i, example in enumerate(examples)
}
BAD = [pytest.param(rule, i, example, id=f"{rule.id}-bad{i}")
       for rule in REVIEWER.rules for i, example in enumerate(rule.bad)]


@pytest.mark.parametrize(("rule", "index", "example"), BAD)
def test_suggestion_holds_no_word_of_another_case(rule, index, example):
    """For every rule, a bad example's suggestion holds no word of another example's domain: the
    advice is about this case, not the modem, the seats or the bus of another."""
    own = CASES[rule.id, "bad", index]
    others = set().union(*(case for key, case in CASES.items() if key != (rule.id, "bad", index)))
    findings = [f for f in review(example.text, example.customer, example.channel).findings if f.rule == rule.id]
    assert findings
    for finding in findings:
        foreign = words(finding.suggestion) - own - GENERIC
        assert not foreign & others, f"{finding.suggestion!r} speaks of {sorted(foreign & others)}"


def suggestion(category: str, text: str, customer: str | None = None, channel: str | None = None) -> str:
    found = [f for f in review(text, customer, channel).findings if f.category == category]
    assert found, f"no {category} finding"
    return found[0].suggestion


def test_apology_names_the_customer_and_their_thing_addressed_to_them():
    assert "'Sorry, Pim, voor het gedoe met je modem.'" in suggestion(
        "missing_apology", "Hoi Pim, ik stuur je vandaag een nieuw exemplaar. ^Lot", "Mijn modem doet het alweer niet!")
    # the draft says "u": the customer's "mijn" becomes "uw"
    assert "'Sorry, mevrouw Jansen, voor het gedoe met uw bestelling.'" in suggestion(
        "missing_apology", "Beste mevrouw Jansen, wij sturen u vandaag een nieuwe.", "Mijn bestelling is kapot aangekomen!")
    assert "'I'm sorry about the trouble with your seats, Ava.'" in suggestion(
        "missing_apology", "Hi Ava, could you DM us your booking reference?", "Your app moved our seats apart, ridiculous!")
    # an adjective before the thing is not the thing ("my only phone", "mijn vaste lijn")
    assert "'I'm sorry about the trouble with your only phone, Margaret.'" in suggestion(
        "missing_apology", "Hi Margaret, repairs take up to 5 working days. ^Tom",
        "No landline for 5 days. I'm 82 and this is my only phone.")
    assert "'Sorry, Kees, voor het gedoe met je vaste lijn.'" in suggestion(
        "missing_apology", "Hoi Kees, de monteur komt morgen. ^Lot", "Mijn vaste lijn doet het alweer niet!")


def test_without_name_or_thing_the_suggestion_invents_neither():
    text = suggestion("missing_apology", "Ik stuur je vandaag een nieuwe. ^Lot", "Dit is echt belachelijk!!")
    assert text.endswith("'Sorry dat het zo gelopen is.'")
    bus = suggestion("missing_apology", "Hoi Kees, de volgende rit is om 8:42. ^Lot", "De bus is alweer niet gekomen!")
    assert "'Sorry, Kees, voor het gedoe met de bus.'" in bus


def test_our_thing_in_the_customer_words_takes_the_right_possessive():
    customer = "Jullie retourbeleid is belachelijk, en jullie bezorger was onbeschoft."
    assert "over ons retourbeleid?" in suggestion("missing_next_step", "Hoi Sophie, wat balen, sorry! ^Isa", customer)
    assert "over onze bezorger?" in suggestion("missing_next_step", "Hoi Sophie, wat balen, sorry! ^Isa",
                                               "Jullie bezorger was onbeschoft.")


def test_next_step_follows_the_channel():
    public = suggestion("missing_next_step", "Hoi Mees, wat vervelend, sorry! ^Isa", "Mijn lamp kwam in scherven aan", "x")
    private = suggestion("missing_next_step", "Hoi Mees, wat vervelend, sorry! ^Isa", "Mijn lamp kwam in scherven aan", "email")
    assert "DM over je lamp" in public and "DM" not in private and "je lamp" in private


def test_empathy_message_quotes_the_apology_only_when_there_is_one():
    with_apology = review("Hoi Saar, excuses hiervoor. Stuur je ons een DM? ^Wim", "Al drie dagen geen internet, klaar mee")
    without = review("Hoi Saar, stuur je ons een DM? ^Wim", "Al drie dagen geen internet, klaar mee")
    quoted, plain = ([f.message for f in r.findings if f.category == "missing_empathy"][0] for r in (with_apology, without))
    assert "Alleen 'excuses' zeggen is nog geen empathie." in quoted
    assert "excuses" not in plain and "sorry" not in plain.lower()


def test_blame_suggestion_names_the_party_of_the_draft():
    text = suggestion("blame_shifting", "Sorry Eline, de vertraging ligt bij de pakketdienst.")
    assert "'Ik ga het zelf na bij de pakketdienst" in text
    assert "bij de vervoerder" in suggestion("blame_shifting", "De vervoerder is hiervoor verantwoordelijk.")
    assert "zelf voor je uit" in suggestion("blame_shifting", "Sorry, daar kunnen wij helaas niets aan doen.")


def test_officialese_names_the_plain_word_for_each_word_found():
    found = review("Indien u vragen heeft, kunt u middels de app reeds een afspraak maken.").findings
    plain = {f.excerpt: f.suggestion for f in found if f.category == "bureaucratic"}
    assert plain["Indien"].startswith("'indien' → 'als'")
    assert plain["middels"].startswith("'middels' → 'met / via'")
    assert plain["reeds"].startswith("'reeds' → 'al'")


def test_every_lexicon_example_gets_its_own_plain_alternative():
    for rule in REVIEWER.rules:
        if rule.lexicon is None:
            continue
        for entry in rule.lexicon.entries:
            for example in entry.examples:
                hits = [f for f in review(example).findings if f.rule == rule.id]
                assert any(f"'{entry.plain}'" in f.suggestion for f in hits), (entry.formal, example)


def test_shouting_names_the_word_in_lower_case():
    assert suggestion("shouting", "Je hoeft NIETS te doen, wij regelen het.").startswith("Schrijf 'NIETS' gewoon als 'niets'")


def test_too_long_names_the_channel_and_its_limit():
    found = [f for f in review("Hoi Marco, " + "sorry voor het wachten, " * 20, channel="x").findings
             if f.category == "too_long"]
    assert found[0].message.startswith("Te lang voor X: het bericht past niet in één post van 280 tekens.")


def test_english_team_gets_english_advice():
    english = Reviewer.from_config(replace(load_config(ROOT / "app.yaml"), language="en"))
    found = review("Hoi Pim, ik stuur je vandaag een nieuwe. ^Lot", "Mijn modem doet het alweer niet!", reviewer=english)
    text = [f.suggestion for f in found.findings if f.category == "missing_apology"][0]
    assert text.startswith("Add a short, sincere apology") and "'Sorry, Pim, voor het gedoe met je modem.'" in text


RULE = """
rules:
  - id: nl.x
    category: shouting
    languages: [nl]
    patterns: ['!!']
    message: {{nl: "m", en: "m"}}
    suggestion: {suggestion}
    guideline: respectvol-blijven
    examples:
      bad: [{{text: "Hoi!!", flag: "!!"}}]
      good: ["Hoi!"]
"""


@pytest.mark.parametrize(
    ("suggestion", "problem"),
    [
        ('[{nl: "Sorry {name}", en: "Sorry {name}"}]', "the last template must fit every case"),
        ('[{nl: "a", en: "a"}, {public: true, nl: "b", en: "b"}]', "the last template must fit every case"),
        ('[{nl: "{klant}", en: "x"}, {nl: "a", en: "a"}]', "not ['klant']"),
        ('[{nl: "{name", en: "x"}, {nl: "a", en: "a"}]', "bad template"),
        ('[{nl: "a", en: "a", public: ja}]', "public: expected true or false"),
        ('[{nl: "a"}]', "expected a text per language"),
        ('[{nl: "a", en: "a", when: x}]', "unknown keys ['when']"),
    ],
)
def test_bad_templates_are_refused(tmp_path, suggestion, problem):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules/x.yaml").write_text(RULE.format(suggestion=suggestion), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_rules(tmp_path / "rules")
    assert problem in str(error.value) and "field 'suggestion'" in str(error.value)
