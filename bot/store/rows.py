"""The rows the coach keeps, typed: what every store backend reads and writes."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


class _Row:
    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Any:
        """A row dict as this type; columns it does not know (the store's own) are left out."""
        names = {f.name for f in fields(cls)}
        return cls(**{name: value for name, value in row.items() if name in names})


@dataclass(frozen=True)
class PromiseRow(_Row):
    """A promise of a posted review, tracked until it is logged done or cancelled."""

    id: str
    platform: str
    workspace: str
    channel: str
    thread: str
    review_id: str
    agent: str
    text: str
    kind: str
    due: float
    due_iso: str
    explicit: int
    status: str = "open"  # open, done or cancelled
    created: float = 0.0
    reminders: int = 0  # reminder attempts sent so far
    round_start: int = 0  # where the current round of reminders began
    next_at: float | None = None  # when the next reminder is due; None: no more
    customer: str = ""
    conversation: str = ""  # the platform's address of the conversation (Teams: a conversation reference)
    closed_at: float | None = None  # when it was logged done or cancelled


@dataclass(frozen=True)
class ReviewRow:
    """A posted review; of its findings only (rule, category) are kept, never customer text."""

    id: str
    platform: str
    workspace: str
    channel: str
    thread: str
    message: str
    agent: str
    verdict: str
    findings: list[tuple[str, str]]
    created: float = 0.0


@dataclass(frozen=True)
class Claim:
    """The right to send reminder `attempt` of a promise, until the lease ends."""

    promise: PromiseRow
    attempt: int
    kind: str  # "reminder" or "escalation"
    resumed: bool  # an earlier claim lapsed or failed: it may have sent before it could record


@dataclass(frozen=True)
class OutboxRow(_Row):
    """A review asked for on one message, kept until its answer is posted (or given up).

    `request` is what the platform needs to build the draft (the text, or where to fetch it);
    it holds customer text, so it is wiped once the row is done.
    """

    key: str  # platform:workspace:channel:message, one row (one review) per message
    platform: str
    workspace: str
    channel: str
    thread: str
    message: str
    agent: str
    request: str  # JSON, platform-specific
    address: str  # the platform's address of the conversation (Teams: a conversation reference)
    review_id: str
    received: float  # the review's reference time, so a retried review finds the same promises
    give_up_at: float
    state: str = "pending"  # pending, updating (posted, the language model's update to come), posted, gave_up
    attempts: int = 0
    maybe_sent: int = 0  # the last attempt may have posted: look before posting again
    posted_message: str = ""
    error: str = ""


@dataclass(frozen=True)
class OutboxClaim:
    """The right to post the answer of an outbox row, until the lease ends (as a reminder Claim)."""

    row: OutboxRow
    resumed: bool  # an earlier attempt may have posted: find it before posting


@dataclass(frozen=True)
class DigestClaim:
    """The right to send one week's digest on one platform."""

    week: str  # ISO week of the scheduled moment, e.g. 2026-W49
    platform: str
    resumed: bool  # an earlier claim lapsed: it may have sent (part of) the digest
    message: str | None  # the digest's text message, when an earlier claim recorded it
