"""The SQLite file: migrations keep the data of an older database (what both backends must do is
in test_store_contract.py)."""

from __future__ import annotations

import sqlite3
import threading

import sqlite_utils

from bot.store import MIGRATIONS, SQLiteStore
from tests.test_store_contract import request


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


def test_opening_waits_for_a_writer_of_a_file_not_yet_in_wal_mode(tmp_path):
    """SQLite refuses the switch to WAL at once, without its busy timeout, while another
    connection holds a write lock: what replicas starting together ran into."""
    path = tmp_path / "new.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE t (a)")
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(0.3, other.execute, ["ROLLBACK"]).start()
    store = SQLiteStore(path)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version() == len(MIGRATIONS)
    other.close()
