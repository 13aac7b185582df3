"""Findings judged on the whole draft (categories.md): what counts as a next step, negation,
and one finding per category and excerpt. One row per clause of the contract, both languages."""

from __future__ import annotations

import pytest

COMPLAINT_NL = "Mijn nieuwe bankpas is al twee weken niet aangekomen. Belachelijk!"
COMPLAINT_EN = "My new card still hasn't arrived after two weeks. Ridiculous."

NEXT_STEPS = [
    ("solution carried out", "Sorry, balen dat je zo lang moet wachten! Je nieuwe pas is vandaag verstuurd. ^Lot", COMPLAINT_NL),
    ("solution carried out, ik-form", "Sorry, balen! Ik heb net een nieuwe pas voor je aangevraagd. ^Lot", COMPLAINT_NL),
    ("instruction that solves it", "Sorry, vervelend! Blokkeer je oude pas in de app en vraag daar direct een nieuwe aan. ^Lot", COMPLAINT_NL),
    ("instruction, update", "Sorry, balen! Update de app naar versie 5.1, dan staat je digitale pas er meteen in. ^Lot", COMPLAINT_NL),
    ("concrete alternative", "Sorry, balen! In de tussentijd kun je gewoon pinnen met je digitale pas in de app. ^Lot", COMPLAINT_NL),
    ("question that moves it forward", "Sorry, wat vervelend! Klopt het adres nog dat in de app staat? ^Lot", COMPLAINT_NL),
    ("DM request", "Sorry, balen! Stuur je ons even een DM met je klantnummer. ^Lot", COMPLAINT_NL),
    ("conditional commitment", "Sorry, balen! Als je je klantnummer hieronder zet, zoek ik je pas meteen voor je op. ^Lot", COMPLAINT_NL),
    ("promise", "Sorry, balen! Ik bel je morgen voor 12:00 met de nieuwe verzenddatum. ^Lot", COMPLAINT_NL),
    ("follow-up by someone for us", "Sorry, balen! Binnen twee werkdagen belt een collega je om het adres te controleren. ^Lot", COMPLAINT_NL),
    ("solution carried out, English", "Sorry, that's frustrating. Your new card was dispatched this morning. ^Amy", COMPLAINT_EN),
    ("instruction, English", "Sorry, that's frustrating. Freeze the old card in the app and order a new one there. ^Amy", COMPLAINT_EN),
    ("alternative, English", "Sorry, that's frustrating. In the meantime you can pay with the virtual card in the app. ^Amy", COMPLAINT_EN),
    ("follow-up, English", "Sorry, that's frustrating. One of our advisers will call you back about it. ^Amy", COMPLAINT_EN),
    ("when it arrives, on the carrier's word",
     "Sorry, balen! Ik heb het nagevraagd: volgens de vervoerder komt je pas vandaag tussen 14:00 en 16:00. ^Lot", COMPLAINT_NL),
]
NO_NEXT_STEP = [
    ("only sympathy", "Sorry, wat vervelend dat je nog steeds geen pas hebt. ^Lot", COMPLAINT_NL),
    ("only information", "Sorry, balen! Passen worden normaal binnen vijf werkdagen bezorgd. ^Lot", COMPLAINT_NL),
    ("negated plan", "Sorry, balen! We kunnen je vandaag helaas niet meer bellen. ^Lot", COMPLAINT_NL),
    ("should have been", "Sorry, balen! Je pas had vorige week al verstuurd moeten zijn. ^Lot", COMPLAINT_NL),
    ("only sympathy, English", "So sorry, that's really frustrating after two weeks. ^Amy", COMPLAINT_EN),
    ("a hope", "Sorry, balen! Hopelijk is het snel opgelost. ^Lot", COMPLAINT_NL),
    ("a hope, English", "So sorry, that's frustrating. Hopefully it's resolved soon. ^Amy", COMPLAINT_EN),
]


@pytest.mark.parametrize(("clause", "draft", "customer"), NEXT_STEPS, ids=[c[0] for c in NEXT_STEPS])
def test_counts_as_a_next_step(review, clause, draft, customer):
    result = review(draft, customer=customer)
    assert result.complaint
    assert "missing_next_step" not in {f.category for f in result.findings}


@pytest.mark.parametrize(("clause", "draft", "customer"), NO_NEXT_STEP, ids=[c[0] for c in NO_NEXT_STEP])
def test_no_next_step(review, clause, draft, customer):
    assert "missing_next_step" in {f.category for f in review(draft, customer=customer).findings}


def test_one_finding_per_category_and_excerpt(review):
    draft = "Haha 😂😂 sorry, balen! Ik stuur je vandaag een nieuwe. Haha. ^Lot"
    findings = [f for f in review(draft, customer=COMPLAINT_NL).findings if f.category == "humor_in_complaint"]
    spans = [(f.start, f.end) for f in findings]
    assert len(spans) == len(set(spans)) >= 3
    assert all(a[1] <= b[0] for a, b in zip(sorted(spans), sorted(spans)[1:])), "overlapping excerpts"


def test_a_whole_draft_finding_is_reported_once(review):
    findings = review("Sorry.", customer=COMPLAINT_NL).findings
    assert [f.category for f in findings].count("missing_empathy") == 1


def test_findings_of_one_category_are_capped(review):
    from bot.review.checks import MAX_PER_CATEGORY

    findings = review("Hoi, " + "dat kan NIET, " * 60 + "^Lot").findings
    assert [f.category for f in findings].count("shouting") == MAX_PER_CATEGORY
