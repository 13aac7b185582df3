"""The store's contract, one suite on both backends: a SQLite file and a real PostgreSQL server
(a throwaway cluster, see conftest.py). Several stores on one database are several `serve`
replicas: each claim goes to one of them, a lapsed lease is taken over, a replica that dies
holds nothing."""

from __future__ import annotations

import contextlib
import inspect
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.store import MIGRATIONS, OutboxRow, PromiseRow, ReviewRow, SQLiteStore, SQLStore, Store, open_store
from bot.store.postgres import PostgresStore

NOW = 1_000_000.0


def request(key: str = "slack:T1:C1:1.1", received: float = 1000.0) -> OutboxRow:
    return OutboxRow(key=key, platform="slack", workspace="T1", channel="C1", thread="1.1", message="1.1",
                     agent="U1", request='{"text": "x"}', address="", review_id="r" + key[-3:], received=received,
                     give_up_at=received + 3600)


def promise_of(review_id: str, due: float = 5000.0) -> PromiseRow:
    return PromiseRow(id=f"{review_id}00", platform="slack", workspace="T1", channel="C1", thread="1.1",
                      review_id=review_id, agent="U1", text="ik bel je", kind="callback", due=due,
                      due_iso="…", explicit=1, next_at=due)


def add_promise(store: SQLStore, due: float = NOW) -> str:
    return store.add_promise(platform="slack", workspace="T1", channel="C1", thread="1.1", review_id="r1",
                             agent="U1", customer="", text="ik bel je morgen", kind="callback", due=due,
                             due_iso="…", explicit=True, next_at=due)


@pytest.fixture
def replicas(database: Path | str):
    """Opens stores on the test's database, one per replica; closes them after the test."""
    opened: list[SQLStore] = []

    def replica() -> SQLStore:
        opened.append(open_store(database))
        return opened[-1]

    yield replica
    for store in opened:
        store.close()


@pytest.fixture
def store(replicas: Callable[[], SQLStore]) -> SQLStore:
    return replicas()


def in_threads(count: int, work: Callable[[int], object]) -> list[object]:
    """Run work(0) … work(count - 1) at once, each in its own thread; their results."""
    results: list[object] = [None] * count
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work(index)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def test_each_backend_implements_every_method_of_the_store_protocol():
    methods = [name for name, member in vars(Store).items() if inspect.isfunction(member) and not name.startswith("_")]
    assert len(methods) > 20
    for backend in (SQLiteStore, PostgresStore):
        for name in methods:
            wanted = inspect.signature(getattr(Store, name)).parameters
            assert list(inspect.signature(getattr(backend, name)).parameters) == list(wanted), (backend, name)


# -- migrations --------------------------------------------------------------------------------


def test_replicas_starting_at_once_migrate_once(database, replicas):
    stores = in_threads(4, lambda _: replicas())
    assert [s.schema_version() for s in stores] == [len(MIGRATIONS)] * 4 == [7] * 4
    assert replicas().schema_version() == 7  # opening again migrates nothing twice
    assert stores[0].enqueue(request()) and stores[1].outbox_counts() == {"pending": 1}


# -- the outbox ----------------------------------------------------------------------------------


def test_one_request_per_message_across_replicas(replicas):
    stores = [replicas() for _ in range(4)]
    results = in_threads(8, lambda index: stores[index % 4].enqueue(request()))
    assert sorted(results) == [False] * 7 + [True]
    assert stores[0].outbox_counts() == {"pending": 1}


def test_promises_are_tracked_only_when_the_review_is_posted(store):
    store.enqueue(request())
    [claim] = store.claim_outbox(1000.0, "w1", 60, limit=10)
    assert not claim.resumed and store.claim_outbox(1000.0, "w2", 60, limit=10) == []  # leased
    assert store.next_outbox_at() == 1060.0
    assert store.mark_sending(claim, "w1")
    assert store.promises() == []
    review = ReviewRow(claim.row.review_id, "slack", "T1", "C1", "1.1", "2.2", "U1", "revise", [("r", "c")])
    assert store.record_posted(claim, "w1", "2.2", review, [promise_of(claim.row.review_id)])
    assert [p.id for p in store.promises(open_only=True)] == [f"{claim.row.review_id}00"]
    posted = store.outbox(claim.row.key)
    assert (posted.state, posted.posted_message, posted.request) == ("posted", "2.2", "")  # the text is wiped
    assert store.review_of_message("slack", "C1", "2.2").findings == [("r", "c")]
    assert store.review(claim.row.review_id).verdict == "revise" and store.next_outbox_at() is None


def test_a_lapsed_claim_resumes_on_another_replica_and_the_first_cannot_record(replicas):
    first_replica, second_replica = replicas(), replicas()
    first_replica.enqueue(request())
    [first] = first_replica.claim_outbox(1000.0, "w1", 60, limit=10)
    first_replica.mark_sending(first, "w1")
    first_replica.close()  # … and the replica dies
    assert second_replica.claim_outbox(1059.0, "w2", 60, limit=10) == []
    [second] = second_replica.claim_outbox(1061.0, "w2", 60, limit=10)
    assert second.resumed and second.row.attempts == 1  # it may have posted: look first
    assert not second_replica.record_posted(first, "w1", "2.2", None, [promise_of(first.row.review_id)])
    assert not second_replica.mark_sending(first, "w1")
    assert second_replica.record_posted(second, "w2", "2.2", None, [])
    assert second_replica.promises() == [] and second_replica.outbox_counts() == {"posted": 1}


def test_a_failed_attempt_waits_and_giving_up_tracks_nothing(store):
    store.enqueue(request())
    [claim] = store.claim_outbox(1000.0, "w1", 60, limit=10)
    store.record_outbox_failure(claim, "w1", "ratelimited, call 06-12345678", retry_at=1002.0, maybe_sent=True)
    assert store.next_outbox_at() == 1002.0 and store.claim_outbox(1001.0, "w1", 60, limit=10) == []
    [again] = store.claim_outbox(1002.0, "w2", 60, limit=10)
    assert again.resumed and again.row.error.startswith("ratelimited") and "12345678" not in again.row.error
    store.give_up(again, "w2", "HTTP 500")
    gone = store.outbox(again.row.key)
    assert (gone.state, gone.request, gone.error) == ("gave_up", "", "HTTP 500") and store.promises() == []
    assert store.next_outbox_at() is None


def test_the_language_model_update_is_leased_then_finished(store):
    store.enqueue(request())
    [claim] = store.claim_outbox(1000.0, "w1", 60, limit=10)
    assert store.record_posted(claim, "w1", "2.2", None, [], update_until=1030.0)
    assert store.outbox(claim.row.key).state == "updating" and store.next_outbox_at() == 1030.0
    assert store.claim_outbox(1029.0, "w2", 60, limit=10) == []
    [resumed] = store.claim_outbox(1031.0, "w2", 60, limit=10)  # the first worker died while updating
    store.finish_update(claim, "w1")  # the lost claim changes nothing
    assert store.outbox(claim.row.key).state == "updating"
    store.finish_update(resumed, "w2")
    done = store.outbox(claim.row.key)
    assert (done.state, done.request, done.posted_message) == ("posted", "", "2.2")


def test_replicas_claiming_at_once_share_the_outbox_and_claim_each_row_once(replicas):
    stores = [replicas() for _ in range(6)]
    for index in range(120):
        stores[0].enqueue(request(f"slack:T1:C1:{index}.1", received=1000.0 + index / 100))

    def drain(index: int) -> list[str]:
        keys: list[str] = []
        while claims := stores[index].claim_outbox(2000.0, f"w{index}", 60, limit=3):
            keys += [claim.row.key for claim in claims]
        return keys

    claimed = in_threads(6, drain)
    counts = Counter(key for keys in claimed for key in keys)
    assert len(counts) == 120 and set(counts.values()) == {1}
    if stores[0].SKIP_LOCKED:  # PostgreSQL: replicas claim side by side (SQLite: one writer at a time)
        assert sum(bool(keys) for keys in claimed) >= 2


def test_a_replica_that_dies_inside_a_transaction_holds_nothing(replicas):
    dying, living = replicas(), replicas()
    dying.enqueue(request())
    with contextlib.suppress(Exception):
        with dying._transaction():
            dying._execute("UPDATE outbox SET attempts = attempts WHERE key = ?", ["slack:T1:C1:1.1"])
            dying.close()  # its connection goes, mid-transaction
    deadline = time.monotonic() + 5  # the server notices the closed connection within moments
    while not (claims := living.claim_outbox(1000.0, "w2", 60, limit=10)) and time.monotonic() < deadline:
        time.sleep(0.05)
    [claim] = claims
    assert claim.row.attempts == 0 and not claim.resumed


# -- reminders -------------------------------------------------------------------------------


def test_a_reminder_is_claimed_once_and_taken_over_after_the_lease(replicas):
    a, b = replicas(), replicas()
    promise_id = add_promise(a)
    [claim] = a.claim_due(NOW, "a", 60, max_reminders=3, escalate=True)
    assert (claim.attempt, claim.kind, claim.resumed) == (1, "reminder", False)
    assert b.claim_due(NOW + 59, "b", 60, 3, True) == [] and b.next_reminder_at() == NOW + 60
    a.close()  # a dies between claim and record
    [taken] = b.claim_due(NOW + 60, "b", 60, 3, True)
    assert (taken.attempt, taken.resumed) == (1, True)  # it may have been sent: look first
    assert not b.record_sent(claim, "a", NOW + 61, "m-a", NOW + 3600)
    assert b.record_sent(taken, "b", NOW + 61, "m-b", NOW + 3600)
    [sent] = b.sends(promise_id)
    assert (sent["state"], sent["owner"], sent["message"]) == ("sent", "b", "m-b")
    assert b.promise(promise_id).reminders == 1 and b.next_reminder_at() == NOW + 3600


def test_a_failed_send_is_retried_as_a_resumed_claim(store):
    promise_id = add_promise(store)
    [claim] = store.claim_due(NOW, "a", 60, 3, True)
    store.record_failure(claim, "a", "ConnectionError: 06-12345678 unreachable", retry_at=NOW + 120)
    assert store.claim_due(NOW + 119, "a", 60, 3, True) == [] and store.next_reminder_at() == NOW + 120
    [again] = store.claim_due(NOW + 120, "a", 60, 3, True)
    assert again.resumed and again.attempt == 1
    [send] = store.sends(promise_id)
    assert send["error"] is None  # a new claim starts clean; the redacted error was kept until then


def test_failure_errors_are_redacted(store):
    promise_id = add_promise(store)
    [claim] = store.claim_due(NOW, "a", 60, 3, True)
    store.record_failure(claim, "a", "ConnectionError: 06-12345678 unreachable", retry_at=NOW + 120)
    [send] = store.sends(promise_id)
    assert send["error"].startswith("ConnectionError") and "12345678" not in send["error"]


def test_rounds_end_in_one_escalation_or_none(store):
    promise_id = add_promise(store)
    [first] = store.claim_due(NOW, "a", 60, max_reminders=1, escalate=True)
    assert store.record_sent(first, "a", NOW, "m1", next_at=NOW + 3600)
    [escalation] = store.claim_due(NOW + 3600, "a", 60, max_reminders=1, escalate=True)
    assert (escalation.attempt, escalation.kind) == (2, "escalation")
    assert store.record_sent(escalation, "a", NOW + 3600, "m2", next_at=None)
    assert store.claim_due(NOW + 9999, "a", 60, 1, True) == [] and store.next_reminder_at() is None

    assert store.set_due(promise_id, NOW + 10_000, "…", NOW + 10_000)  # a new due moment: a new round
    [again] = store.claim_due(NOW + 10_000, "a", 60, max_reminders=1, escalate=False)
    assert (again.attempt, again.kind) == (3, "reminder")
    assert store.record_sent(again, "a", NOW + 10_000, "m3", next_at=NOW + 13_600)
    assert store.claim_due(NOW + 13_600, "a", 60, max_reminders=1, escalate=False) == []  # no escalation: done
    assert store.promise(promise_id).next_at is None


def test_a_closed_promise_gets_no_reminder(store):
    promise_id = add_promise(store)
    assert store.set_status(promise_id, "done", at=NOW - 5) and not store.set_status(promise_id, "done")
    assert store.claim_due(NOW, "a", 60, 3, True) == [] and store.next_reminder_at() is None
    closed = store.promise(promise_id)
    assert (closed.status, closed.closed_at) == ("done", NOW - 5)
    assert store.promises(open_only=True) == [] and [p.id for p in store.promises(agent="U1")] == [promise_id]


def test_replicas_claiming_at_once_send_each_reminder_once(replicas):
    stores = [replicas() for _ in range(6)]
    ids = {add_promise(stores[0], due=NOW + index) for index in range(120)}

    def work(index: int) -> list[tuple[str, int]]:
        sent = []
        while claims := stores[index].claim_due(NOW + 500, f"w{index}", 60, 3, True, limit=2):
            for claim in claims:
                assert stores[index].record_sent(claim, f"w{index}", NOW + 500, "m", next_at=NOW + 9000)
                sent.append((claim.promise.id, claim.attempt))
        return sent

    done = in_threads(6, work)
    counts = Counter(key for sent in done for key in sent)
    assert set(counts) == {(promise_id, 1) for promise_id in ids} and set(counts.values()) == {1}
    if stores[0].SKIP_LOCKED:
        assert sum(bool(sent) for sent in done) >= 2


# -- the weekly digest --------------------------------------------------------------------------


def test_the_digest_is_claimed_by_one_replica_and_resumed_after_its_lease(replicas):
    stores = [replicas() for _ in range(6)]
    claims = in_threads(6, lambda index: stores[index].claim_digest("2026-W49", "slack", f"o{index}", NOW, 60))
    [(winner, claim)] = [(index, c) for index, c in enumerate(claims) if c is not None]
    assert not claim.resumed and claim.message is None
    stores[winner].digest_posted(claim, f"o{winner}", "1.1")
    assert stores[0].claim_digest("2026-W49", "slack", "late", NOW + 59, 60) is None
    resumed = stores[0].claim_digest("2026-W49", "slack", "late", NOW + 61, 60)
    assert resumed.resumed and resumed.message == "1.1"  # part of it went out: the text is not sent again
    assert not stores[winner].digest_sent(claim, f"o{winner}", NOW + 62, "1.1", "")
    assert stores[0].digest_sent(resumed, "late", NOW + 62, "1.1", "chart")
    assert stores[1].claim_digest("2026-W49", "slack", "next", NOW + 9999, 60) is None
    assert [(row["state"], row["owner"]) for row in stores[1].digest_sends()] == [("sent", "late")]


# -- feedback, insights, cache, retention ---------------------------------------------------------


def test_feedback_counts_outlive_the_purge(store):
    store.save_review(ReviewRow("r1", "slack", "T1", "C1", "1.1", "1.2", "U1", "revise", [("nl.a", "empathy")],
                                created=NOW))
    store.record_feedback("r1", 0, "nl.a", "empathy", "wrong", "U2")
    store.record_feedback("r1", 0, "nl.a", "empathy", "helpful", "U2")  # a second click replaces the first
    store.record_feedback("r1", 0, "nl.a", "empathy", "helpful", "U3")
    store.record_feedback("r1", 1, "nl.b", "blame", "wrong", "U2")
    expected = [{"rule": "nl.a", "category": "empathy", "helpful": 2, "wrong": 0, "precision": 1.0},
                {"rule": "nl.b", "category": "blame", "helpful": 0, "wrong": 1, "precision": 0.0}]
    assert store.rule_stats() == expected
    assert store.purge("feedback", 9e9, dry_run=True) == 3 and store.purge("feedback", 9e9) == 3
    assert store.rule_stats() == expected
    store.record_feedback("r1", 0, "nl.a", "empathy", "wrong", "U4")
    store.purge("feedback", 9e9)
    assert store.rule_stats()[0] == {"rule": "nl.a", "category": "empathy", "helpful": 2, "wrong": 1,
                                     "precision": 0.667}


def test_retention_keeps_what_an_open_promise_needs(store):
    for review_id in ("r-open", "r-old"):
        store.save_review(ReviewRow(review_id, "slack", "T1", "C1", "1.1", review_id, "U1", "ok", [], created=NOW))
    store.add_promise(platform="slack", workspace="T1", channel="C1", thread="1.1", review_id="r-open", agent="U1",
                      customer="", text="ik bel je", kind="callback", due=NOW, due_iso="…", explicit=True, next_at=NOW)
    store.cache_answer("k", "model", {"verdict": "ok"})
    counts = {kind: store.purge(kind, 9e12, dry_run=True) for kind in ("reviews", "promises", "model_cache")}
    assert counts == {"reviews": 1, "promises": 0, "model_cache": 1}
    assert store.purge("reviews", 9e12) == 1 and store.review("r-open") and store.review("r-old") is None


def test_the_model_cache_answers_until_it_is_too_old(store):
    assert store.cached_answer("k", 1) is None
    store.cache_answer("k", "m", {"verdict": "ok", "findings": []})
    store.cache_answer("k", "m", {"verdict": "revise", "findings": []})
    assert store.cached_answer("k", 1) == {"verdict": "revise", "findings": []}
    assert store.cached_answer("k", 0) is None


def test_insight_rows_hold_no_one(store):
    store.save_review(ReviewRow("r1", "slack", "T1", "C1", "1.1", "1.2", "U1", "revise", [("nl.a", "empathy")],
                                created=NOW))
    promise_id = add_promise(store, due=NOW + 10)
    store.set_status(promise_id, "done", at=NOW + 5)
    rows = store.insight_rows(0, 9e12)
    assert rows["reviews"] == [(NOW, "revise", [("nl.a", "empathy")])]
    [(created, due, status, closed_at)] = rows["promises"]
    assert (due, status, closed_at) == (NOW + 10, "done", NOW + 5) and rows["feedback"] == []
    assert store.insight_rows(0, 1) == {"reviews": [], "promises": [], "feedback": []}


def test_replicas_purging_at_once_count_each_vote_once(replicas):
    stores = [replicas() for _ in range(4)]
    for round_number in range(1, 4):
        for user in range(50):
            stores[0].record_feedback(f"r{round_number}", 0, "nl.a", "empathy", "helpful", f"U{user}")
        removed = in_threads(4, lambda index: stores[index].purge("feedback", 9e12))
        assert sorted(removed) == [0, 0, 0, 50]
        assert stores[1].rule_stats() == [{"rule": "nl.a", "category": "empathy", "helpful": 50 * round_number,
                                           "wrong": 0, "precision": 1.0}]
