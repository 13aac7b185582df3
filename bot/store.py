"""The coach's SQLite database (sqlite-utils): WAL mode and migrations that keep existing data.

Customer text is personal data: what is stored of it is redacted first (see llm/redact.py).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import sqlite_utils


def _v1_llm_cache(db: sqlite_utils.Database) -> None:
    db["llm_cache"].create(
        {"key": str, "model": str, "created": float, "answer": str}, pk="key", if_not_exists=True
    )


# Append only: each step runs once per database, in order (PRAGMA user_version counts them).
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1_llm_cache]


class Store:
    def __init__(self, path: str | Path):
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(path)
        self.db.enable_wal()
        self._migrate()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.db.conn:
                step(self.db)
                self.db.execute(f"PRAGMA user_version = {number}")

    def cached_answer(self, key: str, max_age_hours: float) -> dict | None:
        row = next(self.db["llm_cache"].rows_where("key = ?", [key]), None)
        if row is None or time.time() - row["created"] > max_age_hours * 3600:
            return None
        return json.loads(row["answer"])

    def cache_answer(self, key: str, model: str, answer: dict) -> None:
        self.db["llm_cache"].upsert(
            {"key": key, "model": model, "created": time.time(), "answer": json.dumps(answer)}, pk="key"
        )
