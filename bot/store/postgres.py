"""The store on PostgreSQL (psycopg 3), for several `serve` replicas on one database: one
connection per thread, claims with `SELECT … FOR UPDATE SKIP LOCKED` so replicas share the
outbox and the reminders and each is still sent once. The SQL is shared with SQLite
(store/sql.py); the schema's version is the one row of the table schema_version.

The URL may hold a password: messages name the database with describe_database, never the URL.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from bot.config import describe_database
from bot.store.sql import MIGRATIONS, SQLStore

# held while migrating, so replicas starting at once run each migration once ("webcare" in ASCII)
_MIGRATION_LOCK = 0x77656263617265


@functools.lru_cache(maxsize=256)
def _placeholders(sql: str) -> str:
    """The shared SQL's `?` placeholders as psycopg's `%s` (the SQL holds no `%` or literal `?`)."""
    return sql.replace("?", "%s")


class PostgresStore(SQLStore):
    """The Store on a PostgreSQL database given by its URL (postgresql://user:password@host:port/db)."""

    SKIP_LOCKED = True

    def __init__(self, url: str, connect_timeout: float = 10):
        self.url = url
        self.name = describe_database(url)
        self._connect_timeout = connect_timeout
        super().__init__()
        self._migrate()

    @property
    def connection(self) -> psycopg.Connection:
        """This thread's connection (in autocommit: a transaction only where one is asked for);
        a broken one (the server restarted) is replaced."""
        connection = getattr(self._local, "connection", None)
        if connection is None or connection.closed or connection.broken:
            connection = psycopg.connect(self.url, autocommit=True, connect_timeout=int(self._connect_timeout),
                                         application_name="webcare-coach")
            self._local.connection = connection
            self._connection_opened(connection)
        return connection

    def _execute(self, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> psycopg.Cursor:
        return self.connection.execute(_placeholders(sql), args or None)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self.connection.transaction():
            yield

    def schema_version(self) -> int:
        return self._value("SELECT version FROM schema_version")

    def _migrate(self) -> None:
        """Every migration this database has not run, in one transaction under an advisory lock."""
        with self._transaction():
            self._execute("SELECT pg_advisory_xact_lock(?)", [_MIGRATION_LOCK])
            self._execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            version = self._first("SELECT version FROM schema_version")
            if version is None:
                self._execute("INSERT INTO schema_version (version) VALUES (0)")
            done = version["version"] if version else 0
            for step in MIGRATIONS[done:]:
                step(self.connection)
            self._execute("UPDATE schema_version SET version = ?", [len(MIGRATIONS)])
