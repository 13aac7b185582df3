"""The port each chat platform implements: the flow (chat/flow.py) decides, the platform only
parses what arrives and renders and delivers what goes out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.review.model import Draft, Review
from bot.store import OutboxRow, PromiseRow


@dataclass(frozen=True)
class Place:
    """Where a message goes: a thread of a channel (Slack) or a conversation (Teams)."""

    platform: str
    workspace: str  # Slack team id, Teams tenant id
    channel: str  # Slack channel id, Teams conversation id
    thread: str  # the thread's first message (Slack ts, Teams activity id)
    address: str = ""  # what else the platform needs to reach it (Teams: the conversation reference)


@dataclass(frozen=True)
class Actor:
    """Who asks for something, and from where (for authorisation)."""

    platform: str
    workspace: str
    channel: str
    user: str


@dataclass(frozen=True)
class Marker:
    """What a sent message carries so that it can be found again after an unknown outcome (Slack:
    message metadata), e.g. ("webcare_review", {"review": id})."""

    event_type: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Prepared:
    """A stored request made ready to review: the draft, or why there is none."""

    draft: Draft | None  # None: no text to review, the answer is the how-to
    has_files: bool = False  # the message had only files: say that only text is reviewed
    skip: bool = False  # nothing to answer (the coach's own message, or it is gone)
    thread: str | None = None  # the thread to answer in, when only fetching the message told it
    agent: str | None = None  # who wrote the draft, when only fetching the message told it


class DeliveryError(Exception):
    """A platform call failed. `maybe_delivered`: the outcome is unknown (look before sending
    again); `retry_after`: the platform asked to wait; `permanent`: retrying cannot help."""

    def __init__(self, reason: str, *, maybe_delivered: bool = True, retry_after: float | None = None,
                 permanent: bool = False):
        super().__init__(reason)
        self.maybe_delivered, self.retry_after, self.permanent = maybe_delivered, retry_after, permanent


class ChatPort(Protocol):
    """One chat platform. Message payloads are the platform's own (Slack: chat.postMessage
    arguments; Teams: an Activity); the flow only passes them from render_* to post/update."""

    platform: str

    def address_user(self, user: str) -> str:
        """How a message names a user so that they are notified."""
        ...

    def render_review(self, review: Review, *, review_id: str, promise_ids: list[str], pending: bool) -> Any: ...

    def render_howto(self, *, has_files: bool) -> Any: ...

    def render_reminder(self, promise: PromiseRow, *, kind: str, attempt: int, due: str) -> Any: ...

    async def prepare(self, row: OutboxRow) -> Prepared:
        """The draft of a stored request (fetching what the request only refers to)."""
        ...

    async def post(self, place: Place, message: Any, marker: Marker) -> str:
        """Send `message` marked with `marker`; the new message's id. DeliveryError on failure."""
        ...

    async def update(self, place: Place, message_id: str, message: Any) -> None: ...

    async def find(self, place: Place, marker: Marker) -> str | None:
        """The id of a message sent with `marker`, or None (also when the platform cannot look)."""
        ...
