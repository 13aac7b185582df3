"""Complaint context: the examples in guidelines/complaint.yaml test its signals."""

from __future__ import annotations

import pytest

from bot.config import load_config
from bot.review.complaint import load_complaint_signals
from tests.conftest import ROOT

SIGNALS = load_complaint_signals(load_config(ROOT / "app.yaml").guidelines_dir / "complaint.yaml")
NEUTRAL_DRAFT = "Hoi, dank voor je bericht. ^Tom"


@pytest.mark.parametrize("customer", SIGNALS.complaint_examples)
def test_complaints(review, customer):
    assert review(NEUTRAL_DRAFT, customer=customer).complaint


@pytest.mark.parametrize("customer", SIGNALS.question_examples)
def test_not_complaints(review, customer):
    assert not review(NEUTRAL_DRAFT, customer=customer).complaint


def test_without_a_customer_message_the_draft_decides(review):
    assert review("Sorry dat je pakket zoek is! Ik stuur vandaag een nieuwe.").complaint
    assert not review("Ja hoor, dat kan! Je vindt het in de app.").complaint


def test_the_drafts_sympathy_marks_a_complaint_the_signals_missed(review):
    assert review("Wat vervelend, sorry! Ik stuur je een nieuwe.", customer="Hoe zit het met mijn pakket?").complaint
