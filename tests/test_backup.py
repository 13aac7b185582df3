"""`webcare-coach backup PATH`: a consistent copy of the live database (SQLite's online backup),
made while another process keeps writing to it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from bot.store import SQLiteStore, open_store


def _promise(store: SQLiteStore, number: int) -> str:
    return store.add_promise(platform="slack", workspace="T1", channel="C1", thread=f"{number}.1", review_id="r",
                             agent="U1", customer="", text="ik bel je morgen", kind="callback", due=1_000_000.0,
                             due_iso="1970-01-12T14:46:40+01:00", explicit=True, next_at=1_000_000.0)


def _backup(db: Path, target: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "WEBCARE_CONFIG"} | {"WEBCARE_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "bot", "backup", str(target)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=60)


def test_backup_while_the_database_is_being_written(tmp_path) -> None:
    db = tmp_path / "webcare.db"
    store = open_store(db)
    first = [_promise(store, n) for n in range(200)]
    stop = threading.Event()

    def keep_writing() -> None:
        writer, number = open_store(db), 1000
        while not stop.is_set():
            _promise(writer, number)
            number += 1
            stop.wait(0.002)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        done = _backup(db, tmp_path / "copy.db", tmp_path)
    finally:
        stop.set()
        writer.join()
    assert done.returncode == 0 and done.stdout.strip() == str(tmp_path / "copy.db"), done.stderr
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        ids = {row[0] for row in copy.execute("SELECT id FROM promises")}
    assert set(first) <= ids
    assert open_store(tmp_path / "copy.db").promises(open_only=True)  # the copy opens as a database of its own


def test_backup_refuses_to_overwrite_and_needs_a_database(tmp_path) -> None:
    open_store(tmp_path / "webcare.db")
    (tmp_path / "old.db").write_text("yesterday's backup", encoding="utf-8")
    done = _backup(tmp_path / "webcare.db", tmp_path / "old.db", tmp_path)
    assert done.returncode == 2 and done.stderr.strip().endswith("old.db exists already: name a new file")
    assert (tmp_path / "old.db").read_text(encoding="utf-8") == "yesterday's backup"
    done = _backup(tmp_path / "missing.db", tmp_path / "new.db", tmp_path)
    assert done.returncode == 2 and "no database at" in done.stderr and not (tmp_path / "new.db").exists()
    assert not (tmp_path / "missing.db").exists()  # looking did not create it
