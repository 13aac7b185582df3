"""Personal data: found on the labelled span set, replaced consistently, restored, never stored raw."""

from __future__ import annotations

import pytest

from bot.privacy import Redactor, find_spans, redact
from bot.privacy.detect import first_names, not_names, surnames
from bot.privacy.evaluate import load_samples, score
from bot.store import OutboxRow, open_store
from tests.conftest import ROOT

SAMPLES = load_samples(ROOT / "tests" / "data" / "pii_spans.jsonl")


def detected(text: str) -> list[tuple[str, int, int]]:
    return [(kind, start, end) for start, end, kind in Redactor().spans(text)]


def test_the_labelled_set_is_big_enough_and_consistent():
    spans = [(s, kind, start, end) for s in SAMPLES for kind, start, end in s.spans]
    assert len(spans) >= 200 and {s.split for s in SAMPLES} == {"dev", "test"}
    assert {kind for _, kind, _, _ in spans} == {"phone", "email", "iban", "address", "bsn", "number", "birthdate",
                                                "handle", "name"}
    assert all(0 <= start < end <= len(s.text) for s, _, start, end in spans)


@pytest.mark.parametrize("split", ["dev", "test"])
def test_recall_and_precision_on_the_labelled_set(split):
    result = score(detected, [s for s in SAMPLES if s.split == split])
    assert result.recall() >= 0.97, result.misses
    assert result.precision() >= 0.97, result.false_alarms
    for kind in result.labelled:
        assert result.recall(kind) >= 0.9, (kind, result.misses)


@pytest.mark.parametrize(
    "text",
    [
        "Goedemorgen! Sorry voor het ongemak. Bol stuurt je bestelling vandaag nog na. Fijne dag!",
        "Albert Heijn Utrecht Centraal is vandaag tot 22:00 open.",
        "Hoi allemaal, de storing bij Ziggo in Amsterdam is opgelost. Excuses!",
        "Mark het bericht als gelezen. Max 3 werkdagen, dan staat het geld terug.",
        "Bel ons gratis op 0800-1234. We komen op 12-03-2026 om 14:30 langs. Je krijgt € 1.234,56 terug.",
        "Beste klant, dank voor je geduld. ^Webcare",
        "Ik ben boos. Niemand helpt me.",
        "Het pakket is onderweg en komt morgen tussen 9:00 en 12:00.",
        "Bakker om de hoek heeft het ook niet. Visser vangt vis.",
    ],
)
def test_ordinary_words_brands_places_and_appointments_stay(text):
    """Also "Bakker" or "Visser" starting a sentence: surnames that are words count mid-sentence only."""
    assert detected(text) == []


def test_a_name_learnt_from_the_customers_signature_is_replaced_in_the_draft_and_everywhere():
    redactor = Redactor()
    customer = "Waar blijft mijn pakket?\nGroeten,\nMarieke Verhoeven"
    draft = "Goedemorgen mevrouw Verhoeven, excuses! Marieke, ik bel je morgen. ^Tom"
    redactor.learn(draft, customer)
    sent = redactor.redact(draft) + redactor.redact(customer) + redactor.redact("verhoeven en MARIEKE")
    assert all(value not in sent.lower() for value in ("marieke", "verhoeven", "tom"))
    assert redactor.redact(draft) == redactor.redact(draft)  # the same value, the same placeholder
    assert redactor.restore(redactor.redact(draft)) == draft


def test_overlapping_detections_are_replaced_as_a_whole():
    text = "Terugbetalen op NL91ABNA0417164300, adres Kerkstraat 21, 3581 KD Utrecht."
    assert redact(text) == "Terugbetalen op [IBAN_1], adres [ADRES_1]."


def test_dates_of_birth_but_not_appointments():
    text = "Geboren op 12-03-1985; de monteur komt op 12-03-2026. Born March 3, 1988."
    assert [(s.kind, text[s.start:s.end]) for s in find_spans(text)] == [
        ("birthdate", "12-03-1985"), ("birthdate", "March 3, 1988")]


def test_the_word_lists_are_clean():
    names, ambiguous = first_names()
    assert len(names) > 300 and ambiguous <= names and {"mark", "roos", "bas"} <= ambiguous
    assert not (names - ambiguous) & not_names()  # a listed name is never also listed as no name
    family, words = surnames()
    assert len(family) > 200 and words <= family and {"de vries", "bakker", "yilmaz", "yılmaz"} <= family
    assert not family & not_names()


def test_promise_text_and_errors_are_stored_redacted(tmp_path):
    store = open_store(tmp_path / "db")
    promise_id = store.add_promise(
        platform="slack", workspace="T1", channel="C1", thread="1.1", review_id="r1", agent="U1",
        customer="@sannedv", text="Ik bel je morgen op 06-12345678 of mail sanne@example.nl", kind="callback",
        due=0.0, due_iso="2026-12-07T10:00:00+01:00", explicit=True, next_at=0.0,
    )
    row = store.promise(promise_id)
    assert row.text == "Ik bel je morgen op [TELEFOON_1] of mail [EMAIL_1]" and row.customer == "[HANDLE_1]"
    error = "send failed for 06-12345678"
    [claim] = store.claim_due(1.0, "o", 60, max_reminders=2, escalate=False)
    store.record_failure(claim, "o", error, retry_at=2.0)
    store.enqueue(OutboxRow(key="slack:T1:C1:1.1", platform="slack", workspace="T1", channel="C1", thread="1.1",
                            message="1.1", agent="U1", request="{}", address="", review_id="r1", received=0.0,
                            give_up_at=60.0))
    [outbox] = store.claim_outbox(1.0, "o", 60, 1)
    store.record_outbox_failure(outbox, "o", error, retry_at=2.0, maybe_sent=False)
    digest = store.claim_digest("2026-W49", "slack", "o", 1.0, 60)
    store.digest_failed(digest, "o", error, retry_at=2.0)
    errors = [row["error"] for row in store.sends(promise_id)] + [store.outbox("slack:T1:C1:1.1").error]
    errors += [row["error"] for row in store.digest_sends()]
    assert errors == ["send failed for [TELEFOON_1]"] * 3


def test_a_brand_stays_even_when_its_first_name_is_a_person_elsewhere():
    text = "Albert belt je vandaag over je bestelling bij Albert Heijn."
    assert redact(text) == "[NAAM_1] belt je vandaag over je bestelling bij Albert Heijn."
