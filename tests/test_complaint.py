"""Complaint context (categories.md): the examples in guidelines/complaint.yaml test its signals
and the whole judgement; the contract's clauses are tested table by table."""

from __future__ import annotations

import pytest

from bot.config import load_config
from bot.review.complaint import load_complaint_signals
from tests.conftest import ROOT

SIGNALS = load_complaint_signals(load_config(ROOT / "app.yaml").guidelines_dir / "complaint.yaml")
NEUTRAL_DRAFT = "Hoi, dank voor je bericht. ^Tom"

MESSAGES = [
    pytest.param(kind, text, id=f"{kind}-{i}") for kind, texts in SIGNALS.examples.items() for i, text in enumerate(texts)
]
SIGNAL_EXAMPLES = [
    pytest.param(signal, text, id=f"{signal.id}-{i}")
    for signal in SIGNALS.customer + SIGNALS.draft
    for i, text in enumerate(signal.examples)
]


@pytest.mark.parametrize(("kind", "customer"), MESSAGES)
def test_each_example_message_gets_its_context(kind, customer):
    assert SIGNALS.judge(customer, NEUTRAL_DRAFT).kind == kind


@pytest.mark.parametrize(("signal", "text"), SIGNAL_EXAMPLES)
def test_each_signal_finds_its_examples(signal, text):
    found = SIGNALS.judge(text, text).signals
    assert signal.id in {e.signal for e in found}, [e.signal for e in found]


# The contract's clauses on complaint context, one row each.
CLAUSES = [
    ("praise or thanks", "Dank jullie wel voor de snelle hulp gisteren!", "praise"),
    ("teasing praise meant kindly", "Wat een snelle bezorging, jullie worden nog eens beroemd", "praise"),
    ("teasing praise, English", "Your driver was so fast I thought he was a ghost 😂 Thanks!", "praise"),
    ("a plain question", "Wanneer gaat de winkel open?", "question"),
    ("a worried question", "Ik kreeg een mail over een openstaande factuur, kan ik die vertrouwen?", "question"),
    ("a worried question, English", "I got an email about an unpaid bill, can I trust it?", "question"),
    ("a tip", "Tip: zet de openingstijden ook in de app.", "tip"),
    ("a complaint wrapped in a question", "Waarom is mijn pakket nog steeds niet hier??", "complaint"),
    ("a complaint wrapped in a question, English", "Why has nobody called me back yet? Third time I ask.", "complaint"),
    ("a complaint", "Mijn pakket is beschadigd aangekomen.", "complaint"),
    ("sarcastic praise", "Top service weer, pakket bij de buren in de container 🙄", "complaint"),
    ("thanks, but still broken", "Thanks for the quick reply, but my internet still isn't working.", "complaint"),
    ("teasing praise, reworded", "Loodgieter stond er binnen het uur, jullie worden nog beroemd zo", "praise"),
    ("praise with an emoji only", "Weer op tijd vanochtend, chapeau ☕", "praise"),
    ("an intensifier of praise is no anger", "Belachelijk snel geholpen door jullie chat, chapeau", "praise"),
    ("anger is still anger", "Belachelijk, weer twee uur in de wacht gestaan.", "complaint"),
    ("a bare statement, no complaint signal", "Ik ben gisteren overgestapt naar jullie energiecontract.", "question"),
    ("damage said in other words", "Bank vorige week geleverd, er zit nu al een scheur en vlekken in de stof.", "complaint"),
    ("a warning light, English", "The rental car you gave me has a warning light on.", "complaint"),
    ("nobody came, English", "Your plumber was booked for 9. It's 11 now and nobody's here.", "complaint"),
    ("dirty facilities", "De wc's in het station waren weer smerig vandaag.", "complaint"),
    ("asking us to repair one's own broken thing", "Hi, do you also repair handbags? The strap of mine broke.", "question"),
    ("not ready when needed", "Mijn jurk voor morgen is nog niet klaar en jullie sluiten zo. Help!", "complaint"),
    ("an injury of one's own", "I broke my wrist. Can I freeze my membership?", "question"),
    ("a curt verdict closing a question", "Why do I need an account just to return something? Stupid.", "complaint"),
]


@pytest.mark.parametrize(("clause", "customer", "kind"), CLAUSES, ids=[c[0] for c in CLAUSES])
def test_contract_clauses(clause, customer, kind):
    assert SIGNALS.judge(customer, NEUTRAL_DRAFT).kind == kind


def test_the_judgement_names_its_signals():
    judgement = SIGNALS.judge("Al drie weken wacht ik op mijn geld. Belachelijk!", NEUTRAL_DRAFT)
    assert judgement.complaint and judgement.reason
    assert {"persistence", "anger"} <= {e.signal for e in judgement.signals}
    assert "belachelijk" in [e.excerpt.lower() for e in judgement.signals]


def test_without_a_customer_message_the_draft_decides(review):
    assert review("Sorry dat je pakket zoek is! Ik stuur vandaag een nieuwe.").complaint
    assert review("Wat vervelend dat je modem het niet doet. Ik stuur vandaag een nieuwe.").complaint
    assert not review("Ja hoor, dat kan! Je vindt het in de app.").complaint
    assert not review("Sorry voor de late reactie! Ja hoor, dat kan: je vindt het in de app.").complaint
    assert not review("Sorry for the slow reply! Yes, you can change it in the app.").complaint


def test_the_customer_message_decides_over_the_drafts_sympathy(review):
    result = review("Wat vervelend, sorry! Ik stuur je een nieuwe.", customer="Hoe laat gaat de winkel open?")
    assert not result.complaint and result.context == "question"


# The categories judged only in complaint context (categories.md).
COMPLAINT_ONLY = {"missing_apology", "missing_empathy", "missing_next_step", "humor_in_complaint"}


def test_no_complaint_rules_on_praise(review):
    result = review(
        "Haha, wat leuk om te lezen, dankjewel! Onze bezorger had die ochtend extra koffie op 😄 ^Kim",
        customer="Compliment! Bezorger stond om 7:58 al voor de deur, wat een service 😂",
    )
    assert result.context == "praise"
    assert not {f.category for f in result.findings} & COMPLAINT_ONLY


# The draft tells what the agent read: thanks for a compliment is praise, sympathy a complaint;
# a bare statement with neither is not assumed a complaint (precision first).
DRAFT_DECIDES = [
    ("thanks for the compliment", "Ben met de trein naar Parijs geweest, alles liep op rolletjes.",
     "Haha, bedankt voor het compliment! Ik geef het door aan de collega's ^Kim", "praise"),
    ("good to hear", "Vandaag voor het eerst met de nieuwe app betaald.", "Wat leuk om te horen, veel plezier ermee! ^Kim", "praise"),
    ("glad to hear, English", "Used the self-scan for the first time today.", "Glad to hear it, thanks for the kind words! ^Amy", "praise"),
    ("the draft sympathises", "Ik sta al een uur bij het loket.", "Wat vervelend, sorry! Ik stuur een collega. ^Kim", "complaint"),
    ("the draft understands", "The heating in coach 4 is off.", "I understand the frustration in this weather. I've told the crew. ^Amy", "complaint"),
    ("understanding a wish is no sympathy", "Ik wil weten wanneer mijn contract afloopt.",
     "Ik snap dat je dat wilt weten! Het loopt af op 1 maart. ^Kim", "question"),
    ("neither", "Ik ben verhuisd naar Utrecht.", "Hoi, dank je! Je nieuwe adres staat erin. ^Kim", "question"),
    ("praise with a but aimed at us, and the draft apologises", "De workshop was leuk, maar jullie hadden 16 mensen in een ruimte voor 10.",
     "Sorry dat het zo krap was! Volgende keer houden we het op 10. ^Tom", "complaint"),
    ("praise with a but aimed at us, the draft thanks", "De workshop was leuk, maar jullie mogen wel wat vaker pauze nemen.",
     "Dank je voor de tip, leuk dat je er was! ^Tom", "praise"),
]


@pytest.mark.parametrize(("case", "customer", "draft", "kind"), DRAFT_DECIDES, ids=[c[0] for c in DRAFT_DECIDES])
def test_the_draft_decides_a_bare_statement(case, customer, draft, kind):
    assert SIGNALS.judge(customer, draft).kind == kind


def test_teasing_praise_answered_with_a_joke_gets_no_complaint_findings(review):
    result = review(
        "Haha, dankjewel! Leuk om te horen, we laten het hem weten 😄 ^Kim",
        customer="Monteur stond er binnen een uur, jullie gaan nog eens beroemd worden",
    )
    assert result.context == "praise"
    assert not {f.category for f in result.findings} & COMPLAINT_ONLY


def test_a_huge_customer_message_is_capped(review, config):
    result = review("Sorry, balen! Ik stuur je vandaag een nieuwe. ^Tom", customer="kapot " * 100_000)
    assert result.complaint
    assert result.to_dict()["context"] == "complaint"
