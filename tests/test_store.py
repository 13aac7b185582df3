"""The database: migrations keep existing data; the outbox keeps one request per message, claims
it with a lease, and tracks a review's promises only once it is posted."""

from __future__ import annotations

import inspect
import threading

import sqlite_utils

from bot.store import MIGRATIONS, OutboxRow, PromiseRow, ReviewRow, SQLiteStore, Store


def test_migrating_an_older_database_keeps_its_data(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    for number, step in enumerate(MIGRATIONS[:3], start=1):  # a database made before reminder rounds
        step(old)
        old.execute(f"PRAGMA user_version = {number}")
    old["promises"].insert({"id": "p1", "platform": "slack", "channel": "C1", "thread": "1.1", "text": "ik bel je",
                            "due": 100.0, "status": "open", "reminders": 2, "next_at": 200.0})
    old["events"].insert({"event_id": "Ev1", "received": 1.0})
    old["reviews"].insert({"id": "r1", "platform": "slack", "workspace": "T1", "channel": "C1", "thread": "1.1",
                           "message": "1.1", "agent": "U1", "created": 1.0, "verdict": "revise",
                           "findings": '[["nl.rule.a", "empathy"]]'})
    old["feedback"].insert({"review_id": "r1", "finding": 0, "rule": "nl.rule.a", "category": "empathy",
                            "verdict": "helpful", "user": "U2", "created": 1.0})
    old.conn.close()

    store = SQLiteStore(path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 7
    promise = store.promise("p1")
    assert promise.text == "ik bel je" and promise.reminders == 2 and promise.round_start == 0  # v4
    assert promise.closed_at is None and store.set_status("p1", "done", at=300.0)  # v6
    assert store.promise("p1").closed_at == 300.0
    assert store.review("r1").findings == [("nl.rule.a", "empathy")]
    assert "events" not in store.db.table_names() and store.enqueue(request())  # v5: the outbox replaces events
    assert store.claim_digest("2026-W49", "slack", "o", 1.0, 60) is not None  # v6
    assert store.purge("feedback", 2.0) == 1  # v7: purged feedback lives on in the per-rule totals
    assert store.rule_stats() == [{"rule": "nl.rule.a", "category": "empathy", "helpful": 1, "wrong": 0,
                                   "precision": 1.0}]
    SQLiteStore(path)  # opening again migrates nothing twice
    assert store.integrity_check() == "ok"


def request(key: str = "slack:T1:C1:1.1", received: float = 1000.0) -> OutboxRow:
    return OutboxRow(key=key, platform="slack", workspace="T1", channel="C1", thread="1.1", message="1.1",
                     agent="U1", request='{"text": "x"}', address="", review_id="r" + key[-3:], received=received,
                     give_up_at=received + 3600)


def promise_of(review_id: str) -> PromiseRow:
    return PromiseRow(id=f"{review_id}00", platform="slack", workspace="T1", channel="C1", thread="1.1",
                      review_id=review_id, agent="U1", text="ik bel je", kind="callback", due=5000.0,
                      due_iso="…", explicit=1, next_at=5000.0)


def test_one_request_per_message_across_connections_and_threads(tmp_path):
    a, b = SQLiteStore(tmp_path / "db"), SQLiteStore(tmp_path / "db")
    results: list[bool] = []
    threads = [threading.Thread(target=lambda s=s: results.append(s.enqueue(request()))) for s in (a, b) * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]
    assert a.outbox_counts() == {"pending": 1}


def test_promises_are_tracked_only_when_the_review_is_posted(tmp_path):
    store = SQLiteStore(tmp_path / "db")
    store.enqueue(request())
    [claim] = store.claim_outbox(1000.0, "w1", 60, limit=10)
    assert not claim.resumed and store.claim_outbox(1000.0, "w2", 60, limit=10) == []  # leased
    assert store.mark_sending(claim, "w1")
    assert store.promises() == []
    review = ReviewRow(claim.row.review_id, "slack", "T1", "C1", "1.1", "2.2", "U1", "revise", [("r", "c")])
    assert store.record_posted(claim, "w1", "2.2", review, [promise_of(claim.row.review_id)])
    assert [p.id for p in store.promises(open_only=True)] == [f"{claim.row.review_id}00"]
    posted = store.outbox(claim.row.key)
    assert (posted.state, posted.posted_message, posted.request) == ("posted", "2.2", "")  # the text is wiped
    assert store.review_of_message("slack", "C1", "2.2").findings == [("r", "c")]


def test_a_lapsed_claim_resumes_elsewhere_and_the_first_worker_cannot_record(tmp_path):
    store = SQLiteStore(tmp_path / "db")
    store.enqueue(request())
    [first] = store.claim_outbox(1000.0, "w1", 60, limit=10)
    store.mark_sending(first, "w1")  # … and the process dies
    assert store.claim_outbox(1059.0, "w2", 60, limit=10) == []
    [second] = store.claim_outbox(1061.0, "w2", 60, limit=10)
    assert second.resumed and second.row.attempts == 1  # it may have posted: look first
    assert not store.record_posted(first, "w1", "2.2", None, [promise_of(first.row.review_id)])
    assert store.record_posted(second, "w2", "2.2", None, [])
    assert store.promises() == [] and store.outbox_counts() == {"posted": 1}


def test_a_failed_attempt_waits_and_giving_up_tracks_nothing(tmp_path):
    store = SQLiteStore(tmp_path / "db")
    store.enqueue(request())
    [claim] = store.claim_outbox(1000.0, "w1", 60, limit=10)
    store.record_outbox_failure(claim, "w1", "ratelimited", retry_at=1002.0, maybe_sent=False)
    assert store.next_outbox_at() == 1002.0 and store.claim_outbox(1001.0, "w1", 60, limit=10) == []
    [again] = store.claim_outbox(1002.0, "w2", 60, limit=10)
    assert not again.resumed and again.row.error == "ratelimited"
    store.give_up(again, "w2", "HTTP 500")
    gone = store.outbox(again.row.key)
    assert (gone.state, gone.request) == ("gave_up", "") and store.promises() == []
    assert store.next_outbox_at() is None


def test_the_sqlite_store_implements_every_method_of_the_store_protocol():
    """A second backend implements the same protocol; the SQLite one must not drift from it."""
    methods = [name for name, member in vars(Store).items() if inspect.isfunction(member) and not name.startswith("_")]
    assert len(methods) > 20
    for name in methods:
        wanted = inspect.signature(getattr(Store, name)).parameters
        assert list(inspect.signature(getattr(SQLiteStore, name)).parameters) == list(wanted), name
