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


def _v2_chat(db: sqlite_utils.Database) -> None:
    """Chat platforms: delivered events (to answer each once), reviews and feedback on findings."""
    db["events"].create({"event_id": str, "received": float}, pk="event_id", if_not_exists=True)
    db["reviews"].create(
        {"id": str, "platform": str, "workspace": str, "channel": str, "thread": str, "message": str,
         "agent": str, "created": float, "verdict": str, "findings": str},
        pk="id", if_not_exists=True,
    )
    db["feedback"].create(
        {"review_id": str, "finding": int, "rule": str, "category": str, "verdict": str, "user": str,
         "created": float},
        pk=("review_id", "finding", "user"), if_not_exists=True,
    )


# Append only: each step runs once per database, in order (PRAGMA user_version counts them).
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1_llm_cache, _v2_chat]


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

    def claim_event(self, event_id: str) -> bool:
        """True the first time an event id is seen: a redelivery is answered only once."""
        with self.db.conn:
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO events (event_id, received) VALUES (?, ?)", [event_id, time.time()]
            )
        return cursor.rowcount == 1

    def save_review(
        self, review_id: str, *, platform: str, workspace: str, channel: str, thread: str, message: str,
        agent: str, verdict: str, findings: list[tuple[str, str]],
    ) -> None:
        """A posted review; of its findings only rule and category are kept (no customer text)."""
        self.db["reviews"].upsert(
            {"id": review_id, "platform": platform, "workspace": workspace, "channel": channel, "thread": thread,
             "message": message, "agent": agent, "created": time.time(), "verdict": verdict,
             "findings": json.dumps(findings)},
            pk="id",
        )

    def record_feedback(self, review_id: str, finding: int, rule: str, verdict: str, user: str) -> None:
        """An agent's "helpful" or "not right" on one finding; a second click replaces the first."""
        category = ""
        row = next(self.db["reviews"].rows_where("id = ?", [review_id]), None)
        if row is not None:
            findings = json.loads(row["findings"])
            if 0 <= finding < len(findings) and findings[finding][0] == rule:
                category = findings[finding][1]
        self.db["feedback"].upsert(
            {"review_id": review_id, "finding": finding, "rule": rule, "category": category, "verdict": verdict,
             "user": user, "created": time.time()},
            pk=("review_id", "finding", "user"),
        )

    def rule_stats(self) -> list[dict]:
        """Per rule: how often agents found it helpful or not right, and its precision."""
        rows = self.db.execute(
            "SELECT rule, category, SUM(verdict = 'helpful'), SUM(verdict = 'wrong') FROM feedback "
            "GROUP BY rule ORDER BY rule"
        ).fetchall()
        return [
            {"rule": rule, "category": category, "helpful": helpful, "wrong": wrong,
             "precision": round(helpful / (helpful + wrong), 3)}
            for rule, category, helpful, wrong in rows
        ]
