"""The store on SQLite (sqlite-utils): WAL mode, one connection per thread, and migrations that
keep existing data.

Customer text is personal data: the model cache holds only redacted text, promise text is
redacted before it is written (bot.privacy); an outbox row holds the request until its review is
posted or given up, then the text is wiped; rows are purged after the team's retention period
(bot.retention).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.privacy import redact
from bot.store.rows import Claim, DigestClaim, OutboxClaim, OutboxRow, PromiseRow, ReviewRow


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


def _v5_outbox(db: sqlite_utils.Database) -> None:
    """Review requests, stored before the platform is acknowledged and kept until posted: one
    row per message (platform, workspace, channel, message), claimed with a lease like reminders."""
    db["outbox"].create(
        {"key": str, "platform": str, "workspace": str, "channel": str, "thread": str, "message": str,
         "agent": str, "request": str, "address": str, "review_id": str, "received": float, "give_up_at": float,
         "state": str, "attempts": int, "maybe_sent": int, "owner": str, "lease_until": float, "next_at": float,
         "posted_message": str, "error": str},
        pk="key", not_null={"state"}, defaults={"state": "pending", "attempts": 0, "maybe_sent": 0},
        if_not_exists=True,
    )
    db["outbox"].create_index(["state", "next_at"], if_not_exists=True)
    db["events"].drop(ignore=True)  # delivered event ids: the outbox's keys replace them


def _v6_insights(db: sqlite_utils.Database) -> None:
    """Team insights: when a promise was logged done or cancelled (kept on time or late), and the
    weekly digest per platform with its claim (exactly once)."""
    db["promises"].add_column("closed_at", float)
    db["digest_sends"].create(
        {"week": str, "platform": str, "state": str, "owner": str, "lease_until": float, "message": str,
         "chart": str, "sent_at": float, "error": str},
        pk=("week", "platform"), if_not_exists=True,
    )


def _v7_feedback_totals(db: sqlite_utils.Database) -> None:
    """Per-rule feedback counts that outlive the purged feedback rows (no agent in them)."""
    db["rule_feedback_totals"].create(
        {"rule": str, "category": str, "helpful": int, "wrong": int}, pk="rule", if_not_exists=True
    )


# Append only: each step runs once per database, in order (PRAGMA user_version counts them).
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1_llm_cache, _v2_chat, _v3_promises, _v4_reminder_rounds, _v5_outbox, _v6_insights, _v7_feedback_totals,
]

# What each kind of retention purges, given a cutoff time (?): rows older than it. Open
# promises, their reminder sends and the reviews they belong to are never purged.
_PURGES = {
    "reminder_sends": ("reminder_sends", "COALESCE(sent_at, lease_until, 0) < ? AND promise_id NOT IN "
                                         "(SELECT id FROM promises WHERE status = 'open')"),
    "promises": ("promises", "status IN ('done', 'cancelled') AND created < ?"),
    "feedback": ("feedback", "created < ?"),
    "reviews": ("reviews", "created < ? AND id NOT IN (SELECT review_id FROM promises WHERE status = 'open' "
                           "AND review_id IS NOT NULL)"),
    "events": ("outbox", "state IN ('posted', 'gave_up') AND received < ?"),
    "model_cache": ("llm_cache", "created < ?"),
}
RETENTION_KINDS = tuple(_PURGES)


class SQLiteStore:
    """The Store on one SQLite file; safe to call from several threads (a connection each) and
    from several processes (claims take BEGIN IMMEDIATE)."""

    def __init__(self, path: str | Path):
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        self._local = threading.local()
        self.db.enable_wal()
        self._migrate()

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection (sqlite3 connections must not be shared between threads)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite_utils.Database(sqlite3.connect(self.path, timeout=30, isolation_level=None))
            db.execute("PRAGMA busy_timeout = 30000")
            self._local.db = db
        return db

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

    def _rows(self, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, args)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]

    def integrity_check(self) -> str:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0]

    # -- the language model's cache --------------------------------------------------------

    def cached_answer(self, key: str, max_age_hours: float) -> dict | None:
        row = next(self.db["llm_cache"].rows_where("key = ?", [key]), None)
        if row is None or time.time() - row["created"] > max_age_hours * 3600:
            return None
        return json.loads(row["answer"])

    def cache_answer(self, key: str, model: str, answer: dict) -> None:
        self.db["llm_cache"].upsert(
            {"key": key, "model": model, "created": time.time(), "answer": json.dumps(answer)}, pk="key"
        )

    # -- reviews and feedback --------------------------------------------------------------

    def save_review(self, review: ReviewRow) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO reviews (id, platform, workspace, channel, thread, message, agent, created, "
            "verdict, findings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [review.id, review.platform, review.workspace, review.channel, review.thread, review.message,
             review.agent, review.created or time.time(), review.verdict, json.dumps(review.findings)],
        )

    @staticmethod
    def _review(row: dict[str, Any] | None) -> ReviewRow | None:
        if row is None:
            return None
        findings = [tuple(pair) for pair in json.loads(row["findings"] or "[]")]
        return ReviewRow(**{**row, "findings": findings})

    def review(self, review_id: str) -> ReviewRow | None:
        return self._review(next(iter(self._rows("SELECT * FROM reviews WHERE id = ?", [review_id])), None))

    def review_of_message(self, platform: str, channel: str, message: str) -> ReviewRow | None:
        rows = self._rows("SELECT * FROM reviews WHERE platform = ? AND channel = ? AND message = ?",
                          [platform, channel, message])
        return self._review(rows[0] if rows else None)

    def record_feedback(self, review_id: str, finding: int, rule: str, category: str, verdict: str, user: str) -> None:
        """An agent's "helpful" or "not right" on one finding; a second click replaces the first."""
        self.db["feedback"].upsert(
            {"review_id": review_id, "finding": finding, "rule": rule, "category": category, "verdict": verdict,
             "user": user, "created": time.time()},
            pk=("review_id", "finding", "user"),
        )

    def rule_stats(self) -> list[dict]:
        """Per rule: how often agents found it helpful or not right (purged feedback included), and
        its precision."""
        rows = self.db.execute(
            "SELECT rule, MAX(category), SUM(helpful), SUM(wrong) FROM ("
            "SELECT rule, category, verdict = 'helpful' AS helpful, verdict = 'wrong' AS wrong FROM feedback "
            "UNION ALL SELECT rule, category, helpful, wrong FROM rule_feedback_totals) GROUP BY rule ORDER BY rule"
        ).fetchall()
        return [
            {"rule": rule, "category": category, "helpful": helpful, "wrong": wrong,
             "precision": round(helpful / (helpful + wrong), 3)}
            for rule, category, helpful, wrong in rows
        ]

    # -- the outbox: review requests until their review is posted ---------------------------

    def enqueue(self, row: OutboxRow) -> bool:
        """Store a review request; False when its message has one already (a repeated event or
        a second reaction)."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO outbox (key, platform, workspace, channel, thread, message, agent, request, "
            "address, review_id, received, give_up_at, state, attempts, maybe_sent, next_at, posted_message, error) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, 0, ?, '', '')",
            [row.key, row.platform, row.workspace, row.channel, row.thread, row.message, row.agent, row.request,
             row.address, row.review_id, row.received, row.give_up_at, row.received],
        )
        return cursor.rowcount == 1

    def outbox(self, key: str) -> OutboxRow | None:
        rows = self._rows("SELECT * FROM outbox WHERE key = ?", [key])
        return OutboxRow.from_row(rows[0]) if rows else None

    def outbox_counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())

    def next_outbox_at(self) -> float | None:
        """When the earliest unfinished request can be claimed (its retry time or lease end)."""
        return self.db.execute(
            "SELECT MIN(MAX(next_at, COALESCE(lease_until, 0))) FROM outbox WHERE state IN ('pending', 'updating')"
        ).fetchone()[0]

    def claim_outbox(self, now: float, owner: str, lease_seconds: float, limit: int) -> list[OutboxClaim]:
        """Claim up to `limit` unfinished requests (to post, or posted and waiting for the language
        model's update) whose time has come and whose lease (if any) ran out, as claim_due does for
        reminders; each claim may be a resumed one."""
        with self._transaction():
            rows = self._rows(
                "SELECT * FROM outbox WHERE state IN ('pending', 'updating') AND next_at <= ? "
                "AND COALESCE(lease_until, 0) <= ? ORDER BY next_at LIMIT ?", [now, now, limit],
            )
            for row in rows:
                self.db.execute(
                    "UPDATE outbox SET owner = ?, lease_until = ?, attempts = attempts + 1 WHERE key = ?",
                    [owner, now + lease_seconds, row["key"]],
                )
        return [OutboxClaim(OutboxRow.from_row(row), resumed=bool(row["maybe_sent"])) for row in rows]

    def mark_sending(self, claim: OutboxClaim, owner: str) -> bool:
        """About to post: from now on a lapsed claim may have posted. False if the claim was lost."""
        cursor = self.db.execute(
            "UPDATE outbox SET maybe_sent = 1 WHERE key = ? AND owner = ? AND state = 'pending'", [claim.row.key, owner]
        )
        return cursor.rowcount == 1

    def record_posted(self, claim: OutboxClaim, owner: str, message: str, review: ReviewRow | None,
                      promises: list[PromiseRow], update_until: float | None = None) -> bool:
        """Posted: the review stored and its promises tracked, in one transaction; the request is
        done (its text wiped), or with `update_until` kept, leased until then, for the language
        model's update (see finish_update). False if the claim was lost to another worker."""
        with self._transaction():
            if update_until is None:
                cursor = self.db.execute(
                    "UPDATE outbox SET state = 'posted', posted_message = ?, request = '', address = '', "
                    "lease_until = NULL, error = '' WHERE key = ? AND owner = ? AND state = 'pending'",
                    [message, claim.row.key, owner],
                )
            else:
                cursor = self.db.execute(
                    "UPDATE outbox SET state = 'updating', posted_message = ?, lease_until = ?, error = '' "
                    "WHERE key = ? AND owner = ? AND state = 'pending'",
                    [message, update_until, claim.row.key, owner],
                )
            if cursor.rowcount != 1:
                return False
            if review is not None:
                self.save_review(review)
            for promise in promises:
                self._insert_promise(promise)
        return True

    def finish_update(self, claim: OutboxClaim, owner: str) -> None:
        """The language model's update is done (or given up): the request's text is wiped."""
        self.db.execute(
            "UPDATE outbox SET state = 'posted', request = '', address = '', lease_until = NULL "
            "WHERE key = ? AND owner = ? AND state = 'updating'",
            [claim.row.key, owner],
        )

    def record_outbox_failure(self, claim: OutboxClaim, owner: str, error: str, retry_at: float,
                              maybe_sent: bool) -> None:
        """A failed attempt is tried again from `retry_at`; `maybe_sent`: its outcome is unknown."""
        self.db.execute(
            "UPDATE outbox SET error = ?, next_at = ?, lease_until = NULL, maybe_sent = ? "
            "WHERE key = ? AND owner = ? AND state IN ('pending', 'updating')",
            [redact(error[:500]), retry_at, int(maybe_sent), claim.row.key, owner],
        )

    def give_up(self, claim: OutboxClaim, owner: str, error: str) -> None:
        """Past its give-up time: no review, no promises; the request's text is wiped."""
        self.db.execute(
            "UPDATE outbox SET state = 'gave_up', error = ?, request = '', address = '', lease_until = NULL "
            "WHERE key = ? AND owner = ? AND state = 'pending'",
            [redact(error[:500]), claim.row.key, owner],
        )

    # -- promises and their reminders ----------------------------------------------------

    def _insert_promise(self, promise: PromiseRow) -> None:
        row = asdict(promise)
        row["created"] = row["created"] or time.time()
        row["text"], row["customer"] = redact(row["text"]), redact(row["customer"])
        columns = ", ".join(row)
        self.db.execute(f"INSERT INTO promises ({columns}) VALUES ({', '.join('?' * len(row))})", list(row.values()))

    def add_promise(self, *, platform: str, workspace: str, channel: str, thread: str, review_id: str,
                    agent: str, customer: str, text: str, kind: str, due: float, due_iso: str, explicit: bool,
                    next_at: float, conversation: str = "") -> str:
        promise_id = uuid.uuid4().hex[:10]
        self._insert_promise(PromiseRow(
            id=promise_id, platform=platform, workspace=workspace, channel=channel, thread=thread,
            review_id=review_id, agent=agent, customer=customer, text=text, kind=kind, due=due, due_iso=due_iso,
            explicit=int(explicit), next_at=next_at, conversation=conversation,
        ))
        return promise_id

    def promise(self, promise_id: str) -> PromiseRow | None:
        rows = self._rows("SELECT * FROM promises WHERE id = ?", [promise_id])
        return PromiseRow.from_row(rows[0]) if rows else None

    def promises(self, *, open_only: bool = False, agent: str | None = None,
                 review_id: str | None = None) -> list[PromiseRow]:
        where, args = ["1 = 1"], []
        if open_only:
            where.append("status = 'open'")
        if agent is not None:
            where.append("agent = ?")
            args.append(agent)
        if review_id is not None:
            where.append("review_id = ?")
            args.append(review_id)
        rows = self._rows(f"SELECT * FROM promises WHERE {' AND '.join(where)} ORDER BY due", args)
        return [PromiseRow.from_row(row) for row in rows]

    def set_status(self, promise_id: str, status: str, at: float | None = None) -> bool:
        """Done or cancelled (at `at`, default now): no more reminders. False when there is no
        such open promise."""
        cursor = self.db.execute(
            "UPDATE promises SET status = ?, next_at = NULL, closed_at = ? WHERE id = ? AND status = 'open'",
            [status, time.time() if at is None else at, promise_id],
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
            for row in self._rows("SELECT * FROM promises WHERE status = 'open' AND next_at <= ? ORDER BY next_at",
                                  [now]):
                promise = PromiseRow.from_row(row)
                attempt = promise.reminders + 1
                kind = "reminder" if attempt - promise.round_start <= max_reminders else "escalation"
                if kind == "escalation" and not escalate:
                    # reminders used up (e.g. max_reminders was lowered) and no escalation: done
                    self.db.execute("UPDATE promises SET next_at = NULL WHERE id = ?", [promise.id])
                    continue
                sent = self.db.execute(
                    "SELECT state, lease_until FROM reminder_sends WHERE promise_id = ? AND attempt = ?",
                    [promise.id, attempt],
                ).fetchone()
                if sent is not None and (sent[0] == "sent" or sent[1] > now):
                    continue  # sent already (being recorded), or another loop holds the claim
                self.db.execute(
                    "INSERT OR REPLACE INTO reminder_sends (promise_id, attempt, kind, state, owner, lease_until) "
                    "VALUES (?, ?, ?, 'claimed', ?, ?)",
                    [promise.id, attempt, kind, owner, now + lease_seconds],
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
                [now, message, claim.promise.id, claim.attempt, owner],
            )
            if cursor.rowcount != 1:
                return False
            # a new due moment set meanwhile (set_due) keeps its own next reminder
            self.db.execute(
                "UPDATE promises SET reminders = ?, next_at = CASE WHEN status != 'open' THEN NULL "
                "WHEN due != ? THEN next_at ELSE ? END WHERE id = ?",
                [claim.attempt, claim.promise.due, next_at, claim.promise.id],
            )
        return True

    def record_failure(self, claim: Claim, owner: str, error: str, retry_at: float) -> None:
        """A failed send is tried again from `retry_at` (as a resumed claim: it may have arrived)."""
        self.db.execute(
            "UPDATE reminder_sends SET error = ?, lease_until = ? "
            "WHERE promise_id = ? AND attempt = ? AND owner = ? AND state = 'claimed'",
            [redact(error[:500]), retry_at, claim.promise.id, claim.attempt, owner],
        )

    def sends(self, promise_id: str | None = None) -> list[dict]:
        return list(self.db["reminder_sends"].rows_where("promise_id = ?" if promise_id else None,
                                                        [promise_id] if promise_id else []))

    # -- retention -------------------------------------------------------------------------

    def purge(self, kind: str, before: float, dry_run: bool = False) -> int:
        """Delete the rows of one retention kind older than `before` (or count them); feedback
        is first added to the per-rule totals."""
        table, where = _PURGES[kind]
        if dry_run:
            return self.db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", [before]).fetchone()[0]
        with self._transaction():
            if kind == "feedback":
                self.db.execute(
                    "INSERT INTO rule_feedback_totals (rule, category, helpful, wrong) "
                    "SELECT rule, MAX(category), SUM(verdict = 'helpful'), SUM(verdict = 'wrong') FROM feedback "
                    f"WHERE {where} GROUP BY rule ON CONFLICT (rule) DO UPDATE SET "
                    "helpful = helpful + excluded.helpful, wrong = wrong + excluded.wrong",
                    [before],
                )
            return self.db.execute(f"DELETE FROM {table} WHERE {where}", [before]).rowcount

    # -- team insights ----------------------------------------------------------------------

    def insight_rows(self, start: float, end: float) -> dict[str, list[tuple]]:
        """What was made in [start, end), without who: reviews (created, verdict, findings),
        promises (created, due, status, closed_at) and feedback (created, rule, category, verdict)."""
        window = [start, end]
        reviews = self.db.execute("SELECT created, verdict, findings FROM reviews WHERE created >= ? AND created < ?",
                                  window)
        return {
            "reviews": [(created, verdict, [tuple(pair) for pair in json.loads(findings or "[]")])
                        for created, verdict, findings in reviews],
            "promises": self.db.execute("SELECT created, due, status, closed_at FROM promises "
                                        "WHERE created >= ? AND created < ?", window).fetchall(),
            "feedback": self.db.execute("SELECT created, rule, category, verdict FROM feedback "
                                        "WHERE created >= ? AND created < ?", window).fetchall(),
        }

    # -- the weekly digest ----------------------------------------------------------------

    def claim_digest(self, week: str, platform: str, owner: str, now: float, lease_seconds: float) -> DigestClaim | None:
        """The right to send `week`'s digest on `platform` until the lease ends; None when it was
        sent or another process holds it."""
        with self._transaction():
            row = self.db.execute(
                "SELECT state, lease_until, message FROM digest_sends WHERE week = ? AND platform = ?", [week, platform]
            ).fetchone()
            if row is not None and (row[0] == "sent" or row[1] > now):
                return None
            self.db.execute(
                "INSERT INTO digest_sends (week, platform, state, owner, lease_until) VALUES (?, ?, 'claimed', ?, ?) "
                "ON CONFLICT (week, platform) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until",
                [week, platform, owner, now + lease_seconds],
            )
        return DigestClaim(week, platform, resumed=row is not None, message=row[2] if row else None)

    def digest_posted(self, claim: DigestClaim, owner: str, message: str) -> None:
        """The digest's text is out (a platform that sends the chart apart has a second step)."""
        self.db.execute(
            "UPDATE digest_sends SET message = ? WHERE week = ? AND platform = ? AND owner = ? AND state = 'claimed'",
            [message, claim.week, claim.platform, owner],
        )

    def digest_sent(self, claim: DigestClaim, owner: str, now: float, message: str, chart: str) -> bool:
        """Sent; False when the claim was lost to another process after the lease ran out."""
        cursor = self.db.execute(
            "UPDATE digest_sends SET state = 'sent', sent_at = ?, message = ?, chart = ?, error = NULL "
            "WHERE week = ? AND platform = ? AND owner = ? AND state = 'claimed'",
            [now, message, chart, claim.week, claim.platform, owner],
        )
        return cursor.rowcount == 1

    def digest_failed(self, claim: DigestClaim, owner: str, error: str, retry_at: float) -> None:
        """Tried again from `retry_at`, as a resumed claim (part of it may have arrived)."""
        self.db.execute(
            "UPDATE digest_sends SET error = ?, lease_until = ? WHERE week = ? AND platform = ? AND owner = ? "
            "AND state = 'claimed'",
            [redact(error[:500]), retry_at, claim.week, claim.platform, owner],
        )

    def digest_sends(self) -> list[dict]:
        return list(self.db["digest_sends"].rows_where(order_by="week, platform"))
