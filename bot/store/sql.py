"""The store's SQL, shared by both backends: the schema's migrations and every query.

The SQL is the common part of SQLite and PostgreSQL: `?` placeholders (the PostgreSQL backend
turns them into `%s`), `INSERT … ON CONFLICT`, `CASE` instead of two-argument MIN/MAX, and
`"user"` quoted. A backend gives a connection per thread, a transaction that serialises claims,
and whether claims lock their rows with `FOR UPDATE SKIP LOCKED` (PostgreSQL: replicas claim
different rows at once) or not (SQLite: BEGIN IMMEDIATE lets one writer in at a time).

Customer text is personal data: the model cache holds only redacted text, promise text is
redacted before it is written (bot.privacy); an outbox row holds the request until its review is
posted or given up, then the text is wiped; rows are purged after the team's retention period
(bot.retention).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from bot.privacy import redact
from bot.store.rows import Claim, DigestClaim, OutboxClaim, OutboxRow, PromiseRow, ReviewRow


class Executes(Protocol):
    def execute(self, sql: str, *args: Any) -> Any: ...


@dataclass(frozen=True)
class Migration:
    """One version of the schema: statements that run once per database, in order."""

    purpose: str
    statements: tuple[str, ...]

    def __call__(self, db: Executes) -> None:
        for statement in self.statements:
            db.execute(statement)


# Append only: a database records how many ran (SQLite: PRAGMA user_version; PostgreSQL: the
# table schema_version). Times are seconds since the epoch (DOUBLE PRECISION: REAL on SQLite).
MIGRATIONS: list[Migration] = [
    Migration("the language model's cache", (
        "CREATE TABLE IF NOT EXISTS llm_cache (key TEXT PRIMARY KEY, model TEXT, created DOUBLE PRECISION, "
        "answer TEXT)",
    )),
    Migration("chat platforms: delivered events (to answer each once), reviews and feedback on findings", (
        "CREATE TABLE IF NOT EXISTS events (event_id TEXT PRIMARY KEY, received DOUBLE PRECISION)",
        "CREATE TABLE IF NOT EXISTS reviews (id TEXT PRIMARY KEY, platform TEXT, workspace TEXT, channel TEXT, "
        "thread TEXT, message TEXT, agent TEXT, created DOUBLE PRECISION, verdict TEXT, findings TEXT)",
        'CREATE TABLE IF NOT EXISTS feedback (review_id TEXT, finding INTEGER, rule TEXT, category TEXT, verdict TEXT, '
        '"user" TEXT, created DOUBLE PRECISION, PRIMARY KEY (review_id, finding, "user"))',
    )),
    Migration("promises to remind of, and every reminder send with its claim (exactly once)", (
        "CREATE TABLE IF NOT EXISTS promises (id TEXT PRIMARY KEY, platform TEXT, workspace TEXT, channel TEXT, "
        "thread TEXT, review_id TEXT, agent TEXT, customer TEXT, text TEXT, kind TEXT, due DOUBLE PRECISION, "
        "due_iso TEXT, explicit INTEGER, status TEXT NOT NULL DEFAULT 'open', created DOUBLE PRECISION, "
        "reminders INTEGER DEFAULT 0, next_at DOUBLE PRECISION, conversation TEXT)",
        "CREATE INDEX IF NOT EXISTS idx_promises_status_next_at ON promises (status, next_at)",
        "CREATE TABLE IF NOT EXISTS reminder_sends (promise_id TEXT, attempt INTEGER, kind TEXT, state TEXT, "
        "owner TEXT, lease_until DOUBLE PRECISION, sent_at DOUBLE PRECISION, message TEXT, error TEXT, "
        "PRIMARY KEY (promise_id, attempt))",
    )),
    Migration("attempts are numbered on per promise; round_start is where the current round of reminders "
              "began (a new due moment starts a new round)", (
        "ALTER TABLE promises ADD COLUMN round_start INTEGER NOT NULL DEFAULT 0",
    )),
    Migration("review requests, stored before the platform is acknowledged and kept until posted: one row per "
              "message, claimed with a lease like reminders; they replace the delivered events", (
        "CREATE TABLE IF NOT EXISTS outbox (key TEXT PRIMARY KEY, platform TEXT, workspace TEXT, channel TEXT, "
        "thread TEXT, message TEXT, agent TEXT, request TEXT, address TEXT, review_id TEXT, "
        "received DOUBLE PRECISION, give_up_at DOUBLE PRECISION, state TEXT NOT NULL DEFAULT 'pending', "
        "attempts INTEGER DEFAULT 0, maybe_sent INTEGER DEFAULT 0, owner TEXT, lease_until DOUBLE PRECISION, "
        "next_at DOUBLE PRECISION, posted_message TEXT, error TEXT)",
        "CREATE INDEX IF NOT EXISTS idx_outbox_state_next_at ON outbox (state, next_at)",
        "DROP TABLE IF EXISTS events",
    )),
    Migration("team insights: when a promise was closed, and the weekly digest per platform with its claim", (
        "ALTER TABLE promises ADD COLUMN closed_at DOUBLE PRECISION",
        "CREATE TABLE IF NOT EXISTS digest_sends (week TEXT, platform TEXT, state TEXT, owner TEXT, "
        "lease_until DOUBLE PRECISION, message TEXT, chart TEXT, sent_at DOUBLE PRECISION, error TEXT, "
        "PRIMARY KEY (week, platform))",
    )),
    Migration("per-rule feedback counts that outlive the purged feedback rows (no agent in them)", (
        "CREATE TABLE IF NOT EXISTS rule_feedback_totals (rule TEXT PRIMARY KEY, category TEXT, helpful INTEGER, "
        "wrong INTEGER)",
    )),
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


def _later(a: str, b: str) -> str:
    """The later of two times in SQL (SQLite's MAX(a, b) is GREATEST on PostgreSQL)."""
    return f"CASE WHEN {b} > {a} THEN {b} ELSE {a} END"


# a feedback row's vote as 0 or 1 (a comparison is a boolean on PostgreSQL, not a number)
_HELPFUL = "CASE WHEN verdict = 'helpful' THEN 1 ELSE 0 END"
_WRONG = "CASE WHEN verdict = 'wrong' THEN 1 ELSE 0 END"


class SQLStore:
    """The Store's methods in SQL; a backend subclass supplies the connection and transactions:
    one connection per thread (in `_local`), each noted with _connection_opened."""

    SKIP_LOCKED = False  # claims lock the rows they select, skipping rows another claim holds

    def __init__(self) -> None:
        self._local = threading.local()
        self._connections: list[Any] = []
        self._connections_lock = threading.Lock()

    def _skip_locked(self, of: str = "") -> str:
        """The end of a claim's SELECT: lock its rows (of table `of`), skipping those locked already."""
        if not self.SKIP_LOCKED:
            return ""
        return f" FOR UPDATE{f' OF {of}' if of else ''} SKIP LOCKED"

    def _execute(self, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> Any:
        """Run one statement on this thread's connection; a cursor (rowcount, fetchone…)."""
        raise NotImplementedError

    def _transaction(self) -> AbstractContextManager[None]:
        """One transaction on this thread's connection; claims run in one."""
        raise NotImplementedError

    def schema_version(self) -> int:
        """How many of MIGRATIONS this database has run."""
        raise NotImplementedError

    def _connection_opened(self, connection: Any) -> None:
        """Note a thread's new connection, so close() can close it."""
        with self._connections_lock:
            self._connections.append(connection)

    def close(self) -> None:
        """Close every connection this store opened, in every thread (as a process that dies)."""
        with self._connections_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()

    def _lock_rows(self, table: str, where: str, args: list[Any]) -> None:
        """In a transaction, wait for and lock rows before reading them to write elsewhere (a
        promise before its sends, as a claim does: no deadlock). SQLite's BEGIN IMMEDIATE holds
        the whole database already."""
        if self.SKIP_LOCKED:
            self._execute(f"SELECT 1 FROM {table} WHERE {where} FOR UPDATE", args)

    def _rows(self, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        cursor = self._execute(sql, args)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]

    def _value(self, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> Any:
        return self._execute(sql, args).fetchone()[0]

    def _first(self, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, args)
        return rows[0] if rows else None

    def _upsert(self, table: str, row: dict[str, Any], key: tuple[str, ...]) -> None:
        """Insert `row`, or replace the other columns of the row with the same `key`."""
        columns = ", ".join(row)
        updates = ", ".join(f"{column} = excluded.{column}" for column in row if column not in key)
        self._execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(row))}) "
                      f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}", list(row.values()))

    # -- the language model's cache --------------------------------------------------------

    def cached_answer(self, key: str, max_age_hours: float) -> dict | None:
        row = self._first("SELECT created, answer FROM llm_cache WHERE key = ?", [key])
        if row is None or time.time() - row["created"] > max_age_hours * 3600:
            return None
        return json.loads(row["answer"])

    def cache_answer(self, key: str, model: str, answer: dict) -> None:
        self._upsert("llm_cache", {"key": key, "model": model, "created": time.time(), "answer": json.dumps(answer)},
                     key=("key",))

    # -- reviews and feedback --------------------------------------------------------------

    def save_review(self, review: ReviewRow) -> None:
        self._upsert("reviews", {
            "id": review.id, "platform": review.platform, "workspace": review.workspace, "channel": review.channel,
            "thread": review.thread, "message": review.message, "agent": review.agent,
            "created": review.created or time.time(), "verdict": review.verdict,
            "findings": json.dumps(review.findings),
        }, key=("id",))

    @staticmethod
    def _review(row: dict[str, Any] | None) -> ReviewRow | None:
        if row is None:
            return None
        findings = [tuple(pair) for pair in json.loads(row["findings"] or "[]")]
        return ReviewRow(**{**row, "findings": findings})

    def review(self, review_id: str) -> ReviewRow | None:
        return self._review(self._first("SELECT * FROM reviews WHERE id = ?", [review_id]))

    def review_of_message(self, platform: str, channel: str, message: str) -> ReviewRow | None:
        return self._review(self._first("SELECT * FROM reviews WHERE platform = ? AND channel = ? AND message = ?",
                                        [platform, channel, message]))

    def record_feedback(self, review_id: str, finding: int, rule: str, category: str, verdict: str, user: str) -> None:
        """An agent's "helpful" or "not right" on one finding; a second click replaces the first."""
        self._upsert("feedback", {"review_id": review_id, "finding": finding, "rule": rule, "category": category,
                                  "verdict": verdict, '"user"': user, "created": time.time()},
                     key=("review_id", "finding", '"user"'))

    def rule_stats(self) -> list[dict]:
        """Per rule: how often agents found it helpful or not right (purged feedback included), and
        its precision."""
        rows = self._execute(
            "SELECT rule, MAX(category), SUM(helpful), SUM(wrong) FROM ("
            f"SELECT rule, category, {_HELPFUL} AS helpful, {_WRONG} AS wrong FROM feedback "
            "UNION ALL SELECT rule, category, helpful, wrong FROM rule_feedback_totals) AS votes "
            "GROUP BY rule ORDER BY rule"
        ).fetchall()
        return [
            {"rule": rule, "category": category, "helpful": int(helpful), "wrong": int(wrong),
             "precision": round(helpful / (helpful + wrong), 3)}
            for rule, category, helpful, wrong in rows
        ]

    # -- the outbox: review requests until their review is posted ---------------------------

    def enqueue(self, row: OutboxRow) -> bool:
        """Store a review request; False when its message has one already (a repeated event or
        a second reaction)."""
        cursor = self._execute(
            "INSERT INTO outbox (key, platform, workspace, channel, thread, message, agent, request, "
            "address, review_id, received, give_up_at, state, attempts, maybe_sent, next_at, posted_message, error) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, 0, ?, '', '') ON CONFLICT (key) DO NOTHING",
            [row.key, row.platform, row.workspace, row.channel, row.thread, row.message, row.agent, row.request,
             row.address, row.review_id, row.received, row.give_up_at, row.received],
        )
        return cursor.rowcount == 1

    def outbox(self, key: str) -> OutboxRow | None:
        row = self._first("SELECT * FROM outbox WHERE key = ?", [key])
        return OutboxRow.from_row(row) if row else None

    def outbox_counts(self) -> dict[str, int]:
        return dict(self._execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())

    def next_outbox_at(self) -> float | None:
        """When the earliest unfinished request can be claimed (its retry time or lease end)."""
        return self._value(f"SELECT MIN({_later('next_at', 'COALESCE(lease_until, 0)')}) FROM outbox "
                           "WHERE state IN ('pending', 'updating')")

    def claim_outbox(self, now: float, owner: str, lease_seconds: float, limit: int) -> list[OutboxClaim]:
        """Claim up to `limit` unfinished requests (to post, or posted and waiting for the language
        model's update) whose time has come and whose lease (if any) ran out, as claim_due does for
        reminders; each claim may be a resumed one."""
        with self._transaction():
            rows = self._rows(
                "SELECT * FROM outbox WHERE state IN ('pending', 'updating') AND next_at <= ? "
                f"AND COALESCE(lease_until, 0) <= ? ORDER BY next_at LIMIT ?{self._skip_locked()}", [now, now, limit],
            )
            for row in rows:
                self._execute("UPDATE outbox SET owner = ?, lease_until = ?, attempts = attempts + 1 WHERE key = ?",
                              [owner, now + lease_seconds, row["key"]])
        return [OutboxClaim(OutboxRow.from_row(row), resumed=bool(row["maybe_sent"])) for row in rows]

    def mark_sending(self, claim: OutboxClaim, owner: str) -> bool:
        """About to post: from now on a lapsed claim may have posted. False if the claim was lost."""
        cursor = self._execute("UPDATE outbox SET maybe_sent = 1 WHERE key = ? AND owner = ? AND state = 'pending'",
                               [claim.row.key, owner])
        return cursor.rowcount == 1

    def record_posted(self, claim: OutboxClaim, owner: str, message: str, review: ReviewRow | None,
                      promises: list[PromiseRow], update_until: float | None = None) -> bool:
        """Posted: the review stored and its promises tracked, in one transaction; the request is
        done (its text wiped), or with `update_until` kept, leased until then, for the language
        model's update (see finish_update). False if the claim was lost to another worker."""
        with self._transaction():
            if update_until is None:
                cursor = self._execute(
                    "UPDATE outbox SET state = 'posted', posted_message = ?, request = '', address = '', "
                    "lease_until = NULL, error = '' WHERE key = ? AND owner = ? AND state = 'pending'",
                    [message, claim.row.key, owner],
                )
            else:
                cursor = self._execute(
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
        self._execute(
            "UPDATE outbox SET state = 'posted', request = '', address = '', lease_until = NULL "
            "WHERE key = ? AND owner = ? AND state = 'updating'",
            [claim.row.key, owner],
        )

    def record_outbox_failure(self, claim: OutboxClaim, owner: str, error: str, retry_at: float,
                              maybe_sent: bool) -> None:
        """A failed attempt is tried again from `retry_at`; `maybe_sent`: its outcome is unknown."""
        self._execute(
            "UPDATE outbox SET error = ?, next_at = ?, lease_until = NULL, maybe_sent = ? "
            "WHERE key = ? AND owner = ? AND state IN ('pending', 'updating')",
            [redact(error[:500]), retry_at, int(maybe_sent), claim.row.key, owner],
        )

    def give_up(self, claim: OutboxClaim, owner: str, error: str) -> None:
        """Past its give-up time: no review, no promises; the request's text is wiped."""
        self._execute(
            "UPDATE outbox SET state = 'gave_up', error = ?, request = '', address = '', lease_until = NULL "
            "WHERE key = ? AND owner = ? AND state = 'pending'",
            [redact(error[:500]), claim.row.key, owner],
        )

    # -- promises and their reminders ----------------------------------------------------

    def _insert_promise(self, promise: PromiseRow) -> None:
        row = asdict(promise)
        row["created"] = row["created"] or time.time()
        row["text"], row["customer"] = redact(row["text"]), redact(row["customer"])
        self._execute(f"INSERT INTO promises ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                      list(row.values()))

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
        row = self._first("SELECT * FROM promises WHERE id = ?", [promise_id])
        return PromiseRow.from_row(row) if row else None

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
        rows = self._rows(f"SELECT * FROM promises WHERE {' AND '.join(where)} ORDER BY due, created", args)
        return [PromiseRow.from_row(row) for row in rows]

    def set_status(self, promise_id: str, status: str, at: float | None = None) -> bool:
        """Done or cancelled (at `at`, default now): no more reminders. False when there is no
        such open promise."""
        cursor = self._execute(
            "UPDATE promises SET status = ?, next_at = NULL, closed_at = ? WHERE id = ? AND status = 'open'",
            [status, time.time() if at is None else at, promise_id],
        )
        return cursor.rowcount == 1

    def set_due(self, promise_id: str, due: float, due_iso: str, next_at: float) -> bool:
        """A new due moment (the detector was wrong); a new round of reminders starts from it."""
        cursor = self._execute(
            "UPDATE promises SET due = ?, due_iso = ?, explicit = 1, next_at = ?, round_start = reminders "
            "WHERE id = ? AND status = 'open'",
            [due, due_iso, next_at, promise_id],
        )
        return cursor.rowcount == 1

    # the send of a promise's next attempt, if any (a claim, a failed send or a sent one)
    _NEXT_SEND = "LEFT JOIN reminder_sends s ON s.promise_id = p.id AND s.attempt = p.reminders + 1"

    def next_reminder_at(self) -> float | None:
        """When the earliest open reminder can be claimed: its due moment, or later while another
        loop holds it (or a failed send waits to be retried)."""
        return self._value(
            f"SELECT MIN({_later('p.next_at', 'COALESCE(s.lease_until, 0)')}) FROM promises p "
            f"{self._NEXT_SEND} AND s.state = 'claimed' WHERE p.status = 'open' AND p.next_at IS NOT NULL"
        )

    def claim_due(self, now: float, owner: str, lease_seconds: float, max_reminders: int, escalate: bool,
                  limit: int = 1) -> list[Claim]:
        """Claim up to `limit` reminders due at `now` (one attempt per promise at a time): not sent
        yet and not held by another loop. The loop claims one right before sending it, so a lease
        never lapses while a batch waits."""
        with self._transaction():
            if not escalate:  # reminders used up (e.g. max_reminders was lowered) and no escalation: done
                self._execute("UPDATE promises SET next_at = NULL WHERE id IN (SELECT id FROM promises "
                              "WHERE status = 'open' AND next_at <= ? AND reminders + 1 - round_start > ?"
                              f"{self._skip_locked()})", [now, max_reminders])
            rows = self._rows(
                "SELECT p.*, s.promise_id AS earlier_send FROM promises p "
                f"{self._NEXT_SEND} WHERE p.status = 'open' AND p.next_at <= ? "
                "AND (s.promise_id IS NULL OR (s.state = 'claimed' AND s.lease_until <= ?)) "
                f"ORDER BY p.next_at LIMIT ?{self._skip_locked('p')}",
                [now, now, limit],
            )
            claims = []
            for row in rows:
                promise = PromiseRow.from_row(row)
                attempt = promise.reminders + 1
                kind = "reminder" if attempt - promise.round_start <= max_reminders else "escalation"
                # takes over only a lapsed claim, also one a replica committed after our SELECT began
                taken = self._execute(
                    "INSERT INTO reminder_sends (promise_id, attempt, kind, state, owner, lease_until) "
                    "VALUES (?, ?, ?, 'claimed', ?, ?) ON CONFLICT (promise_id, attempt) DO UPDATE SET "
                    "kind = excluded.kind, owner = excluded.owner, lease_until = excluded.lease_until, error = NULL "
                    "WHERE reminder_sends.state = 'claimed' AND reminder_sends.lease_until <= ?",
                    [promise.id, attempt, kind, owner, now + lease_seconds, now],
                ).rowcount
                if taken:
                    claims.append(Claim(promise, attempt, kind, resumed=row["earlier_send"] is not None))
        return claims

    def record_sent(self, claim: Claim, owner: str, now: float, message: str, next_at: float | None) -> bool:
        """Sent: the send and the promise's next reminder in one transaction. False if the claim
        was lost (another loop took it over after the lease ran out)."""
        with self._transaction():
            self._lock_rows("promises", "id = ?", [claim.promise.id])
            cursor = self._execute(
                "UPDATE reminder_sends SET state = 'sent', sent_at = ?, message = ? "
                "WHERE promise_id = ? AND attempt = ? AND owner = ? AND state = 'claimed'",
                [now, message, claim.promise.id, claim.attempt, owner],
            )
            if cursor.rowcount != 1:
                return False
            # a new due moment set meanwhile (set_due) keeps its own next reminder
            self._execute(
                "UPDATE promises SET reminders = ?, next_at = CASE WHEN status != 'open' THEN NULL "
                "WHEN due != ? THEN next_at ELSE ? END WHERE id = ?",
                [claim.attempt, claim.promise.due, next_at, claim.promise.id],
            )
        return True

    def record_failure(self, claim: Claim, owner: str, error: str, retry_at: float) -> None:
        """A failed send is tried again from `retry_at` (as a resumed claim: it may have arrived)."""
        self._execute(
            "UPDATE reminder_sends SET error = ?, lease_until = ? "
            "WHERE promise_id = ? AND attempt = ? AND owner = ? AND state = 'claimed'",
            [redact(error[:500]), retry_at, claim.promise.id, claim.attempt, owner],
        )

    def sends(self, promise_id: str | None = None) -> list[dict]:
        """The reminder sends (of one promise), claimed or sent."""
        if promise_id is None:
            return self._rows("SELECT * FROM reminder_sends ORDER BY promise_id, attempt")
        return self._rows("SELECT * FROM reminder_sends WHERE promise_id = ? ORDER BY attempt", [promise_id])

    # -- retention -------------------------------------------------------------------------

    def purge(self, kind: str, before: float, dry_run: bool = False) -> int:
        """Delete the rows of one retention kind older than `before` (or count them); feedback
        is first added to the per-rule totals."""
        table, where = _PURGES[kind]
        if dry_run:
            return self._value(f"SELECT COUNT(*) FROM {table} WHERE {where}", [before])
        with self._transaction():
            if kind == "feedback":
                # a replica purging at the same moment waits here, then finds the rows gone: each
                # vote is added to the totals once
                self._lock_rows(table, where, [before])
                self._execute(
                    "INSERT INTO rule_feedback_totals (rule, category, helpful, wrong) "
                    f"SELECT rule, MAX(category), SUM({_HELPFUL}), SUM({_WRONG}) FROM feedback WHERE {where} "
                    "GROUP BY rule "
                    "ON CONFLICT (rule) DO UPDATE SET helpful = rule_feedback_totals.helpful + excluded.helpful, "
                    "wrong = rule_feedback_totals.wrong + excluded.wrong",
                    [before],
                )
            return self._execute(f"DELETE FROM {table} WHERE {where}", [before]).rowcount

    # -- team insights ----------------------------------------------------------------------

    def insight_rows(self, start: float, end: float) -> dict[str, list[tuple]]:
        """What was made in [start, end), without who: reviews (created, verdict, findings),
        promises (created, due, status, closed_at) and feedback (created, rule, category, verdict)."""
        window = [start, end]
        reviews = self._execute("SELECT created, verdict, findings FROM reviews WHERE created >= ? AND created < ?",
                                window).fetchall()
        return {
            "reviews": [(created, verdict, [tuple(pair) for pair in json.loads(findings or "[]")])
                        for created, verdict, findings in reviews],
            "promises": self._execute("SELECT created, due, status, closed_at FROM promises "
                                      "WHERE created >= ? AND created < ?", window).fetchall(),
            "feedback": self._execute("SELECT created, rule, category, verdict FROM feedback "
                                      "WHERE created >= ? AND created < ?", window).fetchall(),
        }

    # -- the weekly digest ----------------------------------------------------------------

    def claim_digest(self, week: str, platform: str, owner: str, now: float, lease_seconds: float) -> DigestClaim | None:
        """The right to send `week`'s digest on `platform` until the lease ends; None when it was
        sent or another process holds it. The insert takes over only a lapsed claim, also when a
        replica inserted the row since we looked."""
        with self._transaction():
            earlier = self._first("SELECT message FROM digest_sends WHERE week = ? AND platform = ?", [week, platform])
            cursor = self._execute(
                "INSERT INTO digest_sends (week, platform, state, owner, lease_until) VALUES (?, ?, 'claimed', ?, ?) "
                "ON CONFLICT (week, platform) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until "
                "WHERE digest_sends.state = 'claimed' AND COALESCE(digest_sends.lease_until, 0) <= ?",
                [week, platform, owner, now + lease_seconds, now],
            )
            if cursor.rowcount != 1:
                return None
        return DigestClaim(week, platform, resumed=earlier is not None, message=earlier["message"] if earlier else None)

    def digest_posted(self, claim: DigestClaim, owner: str, message: str) -> None:
        """The digest's text is out (a platform that sends the chart apart has a second step)."""
        self._execute(
            "UPDATE digest_sends SET message = ? WHERE week = ? AND platform = ? AND owner = ? AND state = 'claimed'",
            [message, claim.week, claim.platform, owner],
        )

    def digest_sent(self, claim: DigestClaim, owner: str, now: float, message: str, chart: str) -> bool:
        """Sent; False when the claim was lost to another process after the lease ran out."""
        cursor = self._execute(
            "UPDATE digest_sends SET state = 'sent', sent_at = ?, message = ?, chart = ?, error = NULL "
            "WHERE week = ? AND platform = ? AND owner = ? AND state = 'claimed'",
            [now, message, chart, claim.week, claim.platform, owner],
        )
        return cursor.rowcount == 1

    def digest_failed(self, claim: DigestClaim, owner: str, error: str, retry_at: float) -> None:
        """Tried again from `retry_at`, as a resumed claim (part of it may have arrived)."""
        self._execute(
            "UPDATE digest_sends SET error = ?, lease_until = ? WHERE week = ? AND platform = ? AND owner = ? "
            "AND state = 'claimed'",
            [redact(error[:500]), retry_at, claim.week, claim.platform, owner],
        )

    def digest_sends(self) -> list[dict]:
        return self._rows("SELECT * FROM digest_sends ORDER BY week, platform")

