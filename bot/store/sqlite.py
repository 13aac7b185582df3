"""The coach's SQLite database (sqlite-utils): WAL mode and migrations that keep existing data.

Customer text is personal data: what is stored of it is redacted first (see llm/redact.py).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def _v3_promises(db: sqlite_utils.Database) -> None:
    """Promises to remind of, and every reminder send with its claim (exactly once)."""
    db["promises"].create(
        {"id": str, "platform": str, "workspace": str, "channel": str, "thread": str, "review_id": str,
         "agent": str, "customer": str, "text": str, "kind": str, "due": float, "due_iso": str, "explicit": int,
         "status": str, "created": float, "reminders": int, "next_at": float, "conversation": str},
        pk="id", not_null={"status"}, defaults={"status": "open", "reminders": 0}, if_not_exists=True,
    )
    db["promises"].create_index(["status", "next_at"], if_not_exists=True)
    db["reminder_sends"].create(
        {"promise_id": str, "attempt": int, "kind": str, "state": str, "owner": str, "lease_until": float,
         "sent_at": float, "message": str, "error": str},
        pk=("promise_id", "attempt"), if_not_exists=True,
    )


def _v4_reminder_rounds(db: sqlite_utils.Database) -> None:
    """Attempts are numbered on per promise; `round_start` is where the current round of
    reminders began (a new due moment starts a new round)."""
    db["promises"].add_column("round_start", int, not_null_default=0)


# Append only: each step runs once per database, in order (PRAGMA user_version counts them).
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1_llm_cache, _v2_chat, _v3_promises, _v4_reminder_rounds,
]


@dataclass(frozen=True)
class Claim:
    """The right to send reminder `attempt` of a promise, until `lease_until`."""

    promise: dict[str, Any]
    attempt: int
    kind: str  # "reminder" or "escalation"
    resumed: bool  # an earlier claim lapsed: it may have sent before it could record


class Store:
    def __init__(self, path: str | Path):
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(path)
        self.db.conn.isolation_level = None  # autocommit; claims use explicit BEGIN IMMEDIATE
        self.db.enable_wal()
        self._migrate()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._transaction():
                step(self.db)
                self.db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE: one writer at a time, also across processes sharing the file."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

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

    def review_of_message(self, channel: str, message: str) -> dict[str, Any] | None:
        return next(self.db["reviews"].rows_where("channel = ? AND message = ?", [channel, message]), None)

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

    # -- promises and their reminders ----------------------------------------------------

    def add_promise(self, *, platform: str, workspace: str, channel: str, thread: str, review_id: str,
                    agent: str, customer: str, text: str, kind: str, due: float, due_iso: str, explicit: bool,
                    next_at: float, conversation: str = "") -> str:
        promise_id = uuid.uuid4().hex[:10]
        self.db["promises"].insert(
            {"id": promise_id, "platform": platform, "workspace": workspace, "channel": channel, "thread": thread,
             "review_id": review_id, "agent": agent, "customer": customer, "text": text, "kind": kind,
             "due": due, "due_iso": due_iso, "explicit": int(explicit), "status": "open", "created": time.time(),
             "reminders": 0, "round_start": 0, "next_at": next_at, "conversation": conversation}
        )
        return promise_id

    def promise(self, promise_id: str) -> dict[str, Any] | None:
        return next(self.db["promises"].rows_where("id = ?", [promise_id]), None)

    def promises(self, *, open_only: bool = False, agent: str | None = None, review_id: str | None = None) -> list[dict]:
        where, args = [], []
        if open_only:
            where.append("status = 'open'")
        if agent is not None:
            where.append("agent = ?")
            args.append(agent)
        if review_id is not None:
            where.append("review_id = ?")
            args.append(review_id)
        return list(self.db["promises"].rows_where(" AND ".join(where) or None, args, order_by="due"))

    def set_status(self, promise_id: str, status: str) -> bool:
        """Done or cancelled: no more reminders. False when there is no such open promise."""
        cursor = self.db.execute(
            "UPDATE promises SET status = ?, next_at = NULL WHERE id = ? AND status = 'open'", [status, promise_id]
        )
        return cursor.rowcount == 1

    def set_due(self, promise_id: str, due: float, due_iso: str, next_at: float) -> bool:
        """A new due moment (the detector was wrong); a new round of reminders starts from it."""
        cursor = self.db.execute(
            "UPDATE promises SET due = ?, due_iso = ?, explicit = 1, next_at = ?, round_start = reminders "
            "WHERE id = ? AND status = 'open'",
            [due, due_iso, next_at, promise_id],
        )
        return cursor.rowcount == 1

    def next_reminder_at(self) -> float | None:
        """When the earliest open reminder can be claimed: its due moment, or later while another
        loop holds it (or a failed send waits to be retried)."""
        return self.db.execute(
            "SELECT MIN(MAX(p.next_at, COALESCE(s.lease_until, 0))) FROM promises p "
            "LEFT JOIN reminder_sends s ON s.promise_id = p.id AND s.attempt = p.reminders + 1 "
            "AND s.state = 'claimed' WHERE p.status = 'open' AND p.next_at IS NOT NULL"
        ).fetchone()[0]

    def claim_due(self, now: float, owner: str, lease_seconds: float, max_reminders: int, escalate: bool,
                  limit: int = 1) -> list[Claim]:
        """Claim up to `limit` reminders due at `now` (one attempt per promise at a time). The
        loop claims one right before sending it, so a lease never lapses while a batch waits."""
        claims: list[Claim] = []
        with self._transaction():
            due = self.db.execute(
                "SELECT * FROM promises WHERE status = 'open' AND next_at <= ? ORDER BY next_at", [now]
            ).fetchall()
            columns = [d[0] for d in self.db.execute("SELECT * FROM promises LIMIT 0").description]
            for row in due:
                promise = dict(zip(columns, row))
                attempt = promise["reminders"] + 1
                kind = "reminder" if attempt - promise["round_start"] <= max_reminders else "escalation"
                if kind == "escalation" and not escalate:
                    # reminders used up (e.g. max_reminders was lowered) and no escalation: done
                    self.db.execute("UPDATE promises SET next_at = NULL WHERE id = ?", [promise["id"]])
                    continue
                sent = self.db.execute(
                    "SELECT state, lease_until FROM reminder_sends WHERE promise_id = ? AND attempt = ?",
                    [promise["id"], attempt],
                ).fetchone()
                if sent is not None and (sent[0] == "sent" or sent[1] > now):
                    continue  # sent already (being recorded), or another loop holds the claim
                self.db.execute(
                    "INSERT OR REPLACE INTO reminder_sends (promise_id, attempt, kind, state, owner, lease_until) "
                    "VALUES (?, ?, ?, 'claimed', ?, ?)",
                    [promise["id"], attempt, kind, owner, now + lease_seconds],
                )
                claims.append(Claim(promise, attempt, kind, resumed=sent is not None))
                if len(claims) >= limit:
                    break
        return claims

    def record_sent(self, claim: Claim, owner: str, now: float, message: str, next_at: float | None) -> bool:
        """Sent: the send and the promise's next reminder in one transaction. False if the claim
        was lost (another loop took it over after the lease ran out)."""
        with self._transaction():
            cursor = self.db.execute(
                "UPDATE reminder_sends SET state = 'sent', sent_at = ?, message = ? "
                "WHERE promise_id = ? AND attempt = ? AND owner = ? AND state = 'claimed'",
                [now, message, claim.promise["id"], claim.attempt, owner],
            )
            if cursor.rowcount != 1:
                return False
            # a new due moment set meanwhile (set_due) keeps its own next reminder
            self.db.execute(
                "UPDATE promises SET reminders = ?, next_at = CASE WHEN status != 'open' THEN NULL "
                "WHEN due != ? THEN next_at ELSE ? END WHERE id = ?",
                [claim.attempt, claim.promise["due"], next_at, claim.promise["id"]],
            )
        return True

    def record_failure(self, claim: Claim, owner: str, error: str, retry_at: float) -> None:
        """A failed send is tried again from `retry_at` (as a resumed claim: it may have arrived)."""
        self.db.execute(
            "UPDATE reminder_sends SET error = ?, lease_until = ? "
            "WHERE promise_id = ? AND attempt = ? AND owner = ? AND state = 'claimed'",
            [error[:500], retry_at, claim.promise["id"], claim.attempt, owner],
        )

    def sends(self, promise_id: str | None = None) -> list[dict]:
        return list(self.db["reminder_sends"].rows_where("promise_id = ?" if promise_id else None,
                                                        [promise_id] if promise_id else []))
