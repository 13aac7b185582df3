"""The coach's store: the Store protocol, its typed rows, and the SQLite backend."""

from __future__ import annotations

from pathlib import Path

from bot.store.base import Store
from bot.store.rows import Claim, DigestClaim, OutboxClaim, OutboxRow, PromiseRow, ReviewRow
from bot.store.sqlite import MIGRATIONS, RETENTION_KINDS, SQLiteStore

__all__ = ["MIGRATIONS", "RETENTION_KINDS", "Claim", "DigestClaim", "OutboxClaim", "OutboxRow", "PromiseRow", "ReviewRow", "SQLiteStore", "Store",
           "open_store"]


def open_store(path: str | Path) -> SQLiteStore:
    """The store at `path` (WEBCARE_DB): a SQLite file."""
    return SQLiteStore(path)
