"""The store on one SQLite file: WAL mode, one connection per thread, claims in BEGIN IMMEDIATE
transactions; the SQL is shared with PostgreSQL (store/sql.py)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.store.sql import MIGRATIONS, SQLStore


class SQLiteStore(SQLStore):
    """The Store on one SQLite file; safe to call from several threads (a connection each) and
    from several processes (claims take BEGIN IMMEDIATE)."""

    def __init__(self, path: str | Path):
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        super().__init__()
        self._enable_wal()
        self._migrate()

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection (sqlite3 connections must not be shared between threads)."""
        db = getattr(self._local, "db", None)
        if db is None:
            # used by this thread only; close() may close it from another
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA busy_timeout = 30000")
            db = self._local.db = sqlite_utils.Database(connection)
            self._connection_opened(connection)
        return db

    def _enable_wal(self, patience: float = 30) -> None:
        """Switching to WAL needs the file to itself, and SQLite answers 'locked' at once, without
        its busy timeout, while another process opening the file holds a lock: retry a while."""
        give_up_at = time.monotonic() + patience
        while True:
            try:
                self.db.enable_wal()
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > give_up_at:
                    raise
                time.sleep(0.01)

    def _execute(self, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> sqlite3.Cursor:
        return self.db.execute(sql, args)

    def schema_version(self) -> int:
        return self._value("PRAGMA user_version")

    def _migrate(self) -> None:
        """Each migration this file has not run, one per transaction; the version is read inside
        it, so processes opening the file at once run each step once."""
        while True:
            with self._transaction():
                version = self.schema_version()
                if version >= len(MIGRATIONS):
                    return
                MIGRATIONS[version](self.db)
                self._execute(f"PRAGMA user_version = {version + 1}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE: one writer at a time, also across processes sharing the file."""
        self._execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._execute("ROLLBACK")
            raise
        self._execute("COMMIT")

    def integrity_check(self) -> str:
        return self._value("PRAGMA integrity_check")
