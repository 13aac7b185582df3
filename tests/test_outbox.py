"""The chat flow with a platform of its own: a third platform is one port, and the outbox posts
its reviews exactly once through unknown outcomes, rate limits and permanent errors.

The port here is an in-memory chat (no wire exists for an imaginary platform); Slack and Teams
run the same flow over HTTP in test_chat_flow.py and test_teams.py."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.chat.flow import ChatFlow
from bot.chat.port import Actor, DeliveryError, Marker, Place, Prepared
from bot.coach import Coach
from bot.config import load_config
from bot.reminders import Reminders
from bot.review.model import Draft, Review
from bot.store import OutboxRow, PromiseRow, SQLiteStore
from tests.conftest import ROOT
from tests.openai_server import OpenAIServer, hang, ok

PROMISING = "Hoi Sanne, sorry voor het wachten, balen! Ik bel je morgen om 10 uur. ^Tom"


@dataclass
class ChatRoom:
    """A platform that keeps its messages in a list, and fails on demand."""

    platform: str = "room"
    messages: list[tuple[str, Any, Marker]] = field(default_factory=list)
    failures: list[DeliveryError] = field(default_factory=list)
    deliver_then_fail: bool = False  # a failure after the message arrived: the outcome is unknown
    finds: int = 0
    updates: list[tuple[str, Any]] = field(default_factory=list)

    def address_user(self, user: str) -> str:
        return f"@{user}"

    def render_review(self, review: Review, *, review_id: str, promise_ids: list[str], pending: bool) -> Any:
        return {"verdict": review.verdict, "promises": promise_ids, "summary": review.summary, "pending": pending}

    def render_howto(self, *, has_files: bool) -> Any:
        return {"howto": True}

    def render_reminder(self, promise: PromiseRow, *, kind: str, attempt: int, due: str) -> Any:
        return {"reminder": promise.id, "to": self.address_user(promise.agent)}

    async def prepare(self, row: OutboxRow) -> Prepared:
        return Prepared(Draft(json.loads(row.request)["draft"]))

    async def post(self, place: Place, message: Any, marker: Marker) -> str:
        if self.failures and not self.deliver_then_fail:
            raise self.failures.pop(0)
        self.messages.append((place.thread, message, marker))
        if self.failures:
            raise self.failures.pop(0)
        return f"m{len(self.messages)}"

    async def update(self, place: Place, message_id: str, message: Any) -> None:
        self.updates.append((message_id, message))

    async def find(self, place: Place, marker: Marker) -> str | None:
        self.finds += 1
        return next((f"m{i + 1}" for i, (_, _, m) in enumerate(self.messages) if m == marker), None)


@pytest.fixture
def room() -> ChatRoom:
    return ChatRoom()


def flow_with(room: ChatRoom, db) -> ChatFlow:
    config = load_config(ROOT / "app.yaml")
    store = SQLiteStore(db)
    flow = ChatFlow(Coach(config, store), store, Reminders(config, store, senders={}))
    flow.add_port(room)  # a third platform: one port
    return flow


@pytest.fixture
def no_model(monkeypatch):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def flow(tmp_path, room, no_model) -> ChatFlow:
    return flow_with(room, tmp_path / "db.sqlite")


async def ask(flow: ChatFlow, message: str = "1") -> bool:
    return await flow.request_review(Place("room", "w1", "c1", message), message, "agent",
                                     json.dumps({"draft": PROMISING}))


async def due_now(flow: ChatFlow) -> None:
    """Let every waiting retry come due (instead of sleeping through the backoff)."""
    flow.store.db.execute("UPDATE outbox SET next_at = 0 WHERE state = 'pending'")
    await flow.outbox.run_once()


async def test_a_third_platform_gets_reviews_and_reminders_through_one_port(flow, room):
    assert await ask(flow) and not await ask(flow)  # one review per message
    await flow.outbox.run_once()
    [(thread, message, marker)] = room.messages
    [promise] = flow.store.promises(open_only=True)
    assert thread == "1" and message["promises"] == [promise.id] and marker.payload == {"review": promise.review_id}
    assert "room" in flow.reminders.senders
    actor = Actor("room", "w1", "c1", "someone")
    assert "Gelogd" in await flow.promise_action(actor, "done", promise.id)


async def test_an_unknown_outcome_is_looked_up_and_never_posted_twice(flow, room):
    room.deliver_then_fail = True
    room.failures.append(DeliveryError("HTTP 500", maybe_delivered=True))
    await ask(flow)
    await flow.outbox.run_once()
    assert len(room.messages) == 1 and flow.store.promises() == []  # arrived, but not known to have
    await due_now(flow)
    assert len(room.messages) == 1 and room.finds == 1
    assert flow.store.outbox_counts() == {"posted": 1} and len(flow.store.promises(open_only=True)) == 1


async def test_a_rate_limit_waits_at_least_retry_after_and_does_not_look_first(flow, room):
    room.failures.append(DeliveryError("ratelimited", maybe_delivered=False, retry_after=7))
    await ask(flow)
    before = flow.outbox.clock()
    await flow.outbox.run_once()
    [row] = flow.store.db.execute("SELECT next_at, maybe_sent, error FROM outbox").fetchall()
    assert row[0] >= before + 7 and row[1:] == (0, "ratelimited")
    await due_now(flow)
    assert len(room.messages) == 1 and room.finds == 0


async def test_a_permanent_error_gives_up_at_once_without_promises(flow, room):
    room.failures.append(DeliveryError("channel_not_found", maybe_delivered=False, permanent=True))
    await ask(flow)
    await flow.outbox.run_once()
    assert flow.store.outbox_counts() == {"gave_up": 1} and flow.store.promises() == [] and room.messages == []


async def test_a_model_update_cut_off_by_a_restart_is_resumed(tmp_path, room, no_model, monkeypatch):
    """The rules review is posted; the process stops while the model thinks. After the restart
    the review is updated with the model's, and only then is the request's text wiped."""
    answer = ok({"findings": [], "summary": "Beloof iets concreets.", "instructions_in_text": False, "rewrite": None})
    with OpenAIServer() as model:
        model.default = lambda request: hang(30, answer)
        monkeypatch.setenv("OPENAI_BASE_URL", model.url)
        first = flow_with(room, tmp_path / "db.sqlite")
        await ask(first)
        await first.outbox._claim_and_start()
        while first.store.outbox_counts() != {"updating": 1}:
            await asyncio.sleep(0.01)
        for task in first.outbox._updates:  # the process stops
            task.cancel()
        await asyncio.sleep(0.05)
        [(_, posted, _)] = room.messages
        assert posted["pending"] and room.updates == []
        first.store.db.execute("UPDATE outbox SET lease_until = 0")  # its lease runs out

        model.default = lambda request: answer
        second = flow_with(room, tmp_path / "db.sqlite")
        await second.outbox.run_once()
    [(message_id, updated)] = room.updates
    assert message_id == "m1" and updated["summary"] == "Beloof iets concreets." and not updated["pending"]
    assert len(room.messages) == 1 and second.store.outbox_counts() == {"posted": 1}
    assert second.store.db.execute("SELECT request FROM outbox").fetchone()[0] == ""
