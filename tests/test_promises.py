"""Promises in whole drafts: what is and is not a commitment, and its due moment.

(Every row of the deadline table is tested on its own in test_timeexpr.py.)
"""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import AMSTERDAM

AT = datetime(2026, 11, 25, 14, 0, tzinfo=AMSTERDAM)  # a Wednesday


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("Ik bel je morgen om 10 uur.", [("2026-11-26T10:00:00+01:00", True, "callback")]),
        ("Morgen om 10 uur bellen we je.", [("2026-11-26T10:00:00+01:00", True, "callback")]),
        ("We storten het vandaag terug en een collega belt je nog.",
         [("2026-11-25T17:00:00+01:00", True, "refund"), ("2026-11-26T14:00:00+01:00", False, "callback")]),
        ("Ik bel je morgen om 10 uur, komt dat uit?", [("2026-11-26T10:00:00+01:00", True, "callback")]),
        ("Stuur je ons een DM? Dan pas ik het vrijdag voor je aan.", [("2026-11-27T17:00:00+01:00", True, "followup")]),
        ("Je nieuwe pas ligt binnen 3 werkdagen in je brievenbus.", [("2026-11-30T14:00:00+01:00", True, "followup")]),
        ("Het bedrag wordt binnen 5 werkdagen teruggestort.", [("2026-12-02T14:00:00+01:00", True, "refund")]),
        ("Een collega neemt zo snel mogelijk contact met je op.", [("2026-11-26T14:00:00+01:00", False, "callback")]),
        ("We'll call you back within 2 hours.", [("2026-11-25T16:00:00+01:00", True, "callback")]),
        ("The engineer will come on Friday.", [("2026-11-27T17:00:00+01:00", True, "visit")]),
        ("You'll hear from us soon.", [("2026-11-26T14:00:00+01:00", False, "followup")]),
        ("U krijgt het bedrag zo snel mogelijk terugbetaald.", [("2026-11-26T14:00:00+01:00", False, "refund")]),
        ("Je krijgt het geld terug, dat staat er vandaag nog op.", [("2026-11-25T17:00:00+01:00", True, "refund")]),
        ("Our billing team will get back to you.", [("2026-11-26T14:00:00+01:00", False, "followup")]),
    ],
)
def test_promises(review, draft, expected):
    promises = review(draft, at=AT).promises
    assert [(p.due.isoformat(), p.explicit, p.kind) for p in promises] == expected
    assert all(draft[p.start : p.end] == p.text for p in promises)


@pytest.mark.parametrize(
    "draft",
    [
        "Stuur je ons een DM met je ordernummer?",
        "Bel ons gerust als je vragen hebt.",
        "Je kunt morgen in elke winkel terecht.",
        "Onze winkels zijn zondag gesloten.",
        "De actie loopt tot 1 maart.",
        "Je kunt tot 17:00 bellen.",
        "Ik snap dat je nerveus bent voor vandaag.",
        "Sinds maandag is de storing opgelost.",
        "Op Black Friday worden sommige bestellingen geannuleerd.",
        "Could you DM us your order number?",
        "You can pick it up tomorrow at any store.",
        "We gaan ernaar kijken.",
        "Ik zet het door naar de afdeling.",
        "Je hebt er vaak voor moeten bellen, dat spijt me.",
    ],
)
def test_not_promises(review, draft):
    assert review(draft, at=AT).promises == []


def test_a_promise_without_time_gets_the_default_window_and_a_finding(review):
    result = review("Sorry! We bellen je terug.", customer="Pakket kapot", at=datetime(2026, 11, 27, 18, 0, tzinfo=AMSTERDAM))
    assert result.promises[0].due.isoformat() == "2026-12-01T09:00:00+01:00"  # Friday evening: Monday 09:00 + 1
    assert [f.excerpt for f in result.findings if f.category == "no_deadline"] == ["We bellen je terug"]


def test_the_earliest_time_of_one_promise_counts(review):
    promises = review("Ik bel je vandaag of uiterlijk morgen.", at=AT).promises
    assert [p.due.isoformat() for p in promises] == ["2026-11-25T17:00:00+01:00"]
