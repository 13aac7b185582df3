"""The database: migrations keep existing data; events are claimed once."""

from __future__ import annotations

import sqlite_utils

from bot.store import MIGRATIONS, Store


def test_migrating_an_older_database_keeps_its_data(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    for number, step in enumerate(MIGRATIONS[:3], start=1):  # a database made before reminder rounds
        step(old)
        old.execute(f"PRAGMA user_version = {number}")
    old["promises"].insert({"id": "p1", "platform": "slack", "channel": "C1", "thread": "1.1", "text": "ik bel je",
                            "due": 100.0, "status": "open", "reminders": 2, "next_at": 200.0})
    old["events"].insert({"event_id": "Ev1", "received": 1.0})
    old.conn.close()

    store = Store(path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    promise = store.promise("p1")
    assert promise["text"] == "ik bel je" and promise["reminders"] == 2 and promise["round_start"] == 0
    assert not store.claim_event("Ev1") and store.claim_event("Ev2")
    Store(path)  # opening again migrates nothing twice


def test_events_are_claimed_once_across_connections(tmp_path):
    a, b = Store(tmp_path / "db"), Store(tmp_path / "db")
    assert a.claim_event("E") and not b.claim_event("E")
