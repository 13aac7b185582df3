"""The coach's store: the Store protocol, its typed rows, and its backends: SQLite (one file) and
PostgreSQL (several `serve` replicas on one database)."""

from __future__ import annotations

from pathlib import Path

from bot.config import is_postgres_url
from bot.store.base import Store
from bot.store.rows import Claim, DigestClaim, OutboxClaim, OutboxRow, PromiseRow, ReviewRow
from bot.store.sql import MIGRATIONS, RETENTION_KINDS, SQLStore
from bot.store.sqlite import SQLiteStore

__all__ = ["MIGRATIONS", "RETENTION_KINDS", "Claim", "DigestClaim", "OutboxClaim", "OutboxRow", "PromiseRow", "ReviewRow",
           "SQLStore", "SQLiteStore", "Store", "open_store"]


def open_store(location: str | Path) -> SQLStore:
    """The store at `location` (WEBCARE_DB): a postgresql:// URL is PostgreSQL, anything else a
    SQLite file."""
    if is_postgres_url(location):
        from bot.store.postgres import PostgresStore  # psycopg is loaded only for a PostgreSQL URL

        return PostgresStore(str(location))
    return SQLiteStore(location)
