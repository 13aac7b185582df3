"""The due-promise loop: every reminder exactly once, across restarts, crashes and two loops.

A fake clock drives the loop (no sleeping), a real SQLite file holds the promises, and a fake
chat keeps every message it received, so a resumed claim can look up what arrived already.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.config import Config, load_config
from bot.reminders import Reminders
from bot.review.model import Promise
from bot.store import Claim, SQLStore, open_store

AMS = ZoneInfo("Europe/Amsterdam")
DUE = datetime(2026, 11, 24, 10, 0, tzinfo=AMS)  # a Tuesday, in business hours
HOUR = 3600.0
BASE = {"interval_minutes": 60, "max_reminders": 3, "escalate_to": "S123",
        "quiet_outside_business_hours": False, "lease_seconds": 60}


class Crash(BaseException):
    """The process dies: not an Exception, so the loop must not swallow it."""


@dataclass
class Clock:
    """Simulated time: the loop reads it, the test moves it."""

    now: float

    def __call__(self) -> float:
        return self.now


@dataclass(frozen=True)
class Message:
    promise_id: str
    attempt: int
    kind: str
    at: float
    id: str


@dataclass
class FakeSender:
    """A chat that keeps its messages; it can fail a send, or die before or after one."""

    chat: list[Message]
    clock: Clock
    failures: int = 0  # sends that raise an Exception (nothing arrives)
    crash: str | None = None  # "before" or "after" the next send the process dies (Crash)
    send_seconds: float = 0.0  # simulated time one send takes
    finds: list[tuple[str, int]] = field(default_factory=list)

    async def send(self, claim: Claim) -> str:
        await asyncio.sleep(0)  # a real send yields: concurrent loops interleave here
        if self.crash == "before":
            self.crash = None
            raise Crash
        if self.failures:
            self.failures -= 1
            raise ConnectionError("chat unavailable")
        self.clock.now += self.send_seconds
        message = Message(claim.promise.id, claim.attempt, claim.kind, self.clock(), f"m{len(self.chat) + 1}")
        self.chat.append(message)
        if self.crash == "after":
            self.crash = None
            raise Crash
        return message.id

    async def find(self, claim: Claim) -> str | None:
        self.finds.append((claim.promise.id, claim.attempt))
        return next((m.id for m in self.chat if (m.promise_id, m.attempt) == (claim.promise.id, claim.attempt)),
                    None)


def make_config(tmp_path: Path, **reminders: object) -> Config:
    """load_config on a temporary app.yaml with BASE reminder settings, overridden by `reminders`."""
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump({"reminders": {**BASE, **reminders}}), encoding="utf-8")
    return load_config(path)


def track(reminders: Reminders, due: datetime) -> str:
    """Track a callback promise due at `due`; its id."""
    promise = Promise("ik bel je morgen", "callback", due, True, 0, 16)
    return reminders.track(promise, platform="slack", workspace="T1", channel="C1", thread="1700000000.000100",
                           review_id="r1", agent="U1")


def delivered(chat: list[Message]) -> Counter[tuple[str, int]]:
    """How often each (promise, attempt) arrived."""
    return Counter((m.promise_id, m.attempt) for m in chat)


@dataclass
class Loop:
    """One process: its own connection, sender and owner, on the shared database and chat."""

    reminders: Reminders
    sender: FakeSender

    @classmethod
    def start(cls, config: Config, db: Path | str, chat: list[Message], clock: Clock, owner: str) -> Loop:
        sender = FakeSender(chat, clock)
        return cls(Reminders(config, open_store(db), {"slack": sender}, clock, owner=owner), sender)

    @property
    def store(self) -> SQLStore:
        return self.reminders.store


@pytest.fixture
def clock() -> Clock:
    return Clock(DUE.timestamp())


@pytest.fixture
def chat() -> list[Message]:
    return []


@pytest.fixture
def db(database: Path | str) -> Path | str:
    """Every reminder test runs on SQLite and on PostgreSQL."""
    return database


@pytest.fixture
def loop(tmp_path: Path, db: Path, chat: list[Message], clock: Clock) -> Loop:
    return Loop.start(make_config(tmp_path), db, chat, clock, "a")


async def test_due_promise_gets_exactly_one_reminder(loop: Loop, chat: list[Message], clock: Clock) -> None:
    promise_id = track(loop.reminders, DUE)
    clock.now = DUE.timestamp() - 1
    assert await loop.reminders.run_once() == 0
    assert chat == []

    clock.now = DUE.timestamp()
    assert await loop.reminders.run_once() == 1
    assert await loop.reminders.run_once() == 0
    assert [(m.promise_id, m.attempt, m.kind) for m in chat] == [(promise_id, 1, "reminder")]
    [sent] = loop.store.sends(promise_id)
    assert (sent["state"], sent["message"]) == ("sent", chat[0].id)
    assert loop.store.promise(promise_id).next_at == DUE.timestamp() + HOUR


@pytest.mark.parametrize("status", ["done", "cancelled"])
async def test_closed_before_due_gets_none(loop: Loop, chat: list[Message], clock: Clock, status: str) -> None:
    promise_id = track(loop.reminders, DUE)
    assert loop.store.set_status(promise_id, status)
    for hours in (0, 1, 5, 48):
        clock.now = DUE.timestamp() + hours * HOUR
        assert await loop.reminders.run_once() == 0
    assert chat == []
    assert loop.store.next_reminder_at() is None


async def test_done_after_the_first_reminder_stops_the_rest(loop: Loop, chat: list[Message], clock: Clock) -> None:
    promise_id = track(loop.reminders, DUE)
    assert await loop.reminders.run_once() == 1
    assert loop.store.set_status(promise_id, "done")
    clock.now += 10 * HOUR
    assert await loop.reminders.run_once() == 0
    assert len(chat) == 1


async def test_repeats_every_interval_then_escalates_once(loop: Loop, chat: list[Message], clock: Clock) -> None:
    promise_id = track(loop.reminders, DUE)
    for attempt in range(4):
        clock.now = DUE.timestamp() + attempt * HOUR - 1
        assert await loop.reminders.run_once() == 0
        clock.now += 1
        assert await loop.reminders.run_once() == 1
    clock.now += 48 * HOUR
    assert await loop.reminders.run_once() == 0
    assert [(m.attempt, m.kind, m.at - DUE.timestamp()) for m in chat] == [
        (1, "reminder", 0), (2, "reminder", HOUR), (3, "reminder", 2 * HOUR), (4, "escalation", 3 * HOUR)]
    assert loop.store.promise(promise_id).next_at is None


async def test_without_escalate_to_no_escalation(tmp_path: Path, db: Path, chat: list[Message], clock: Clock) -> None:
    loop = Loop.start(make_config(tmp_path, escalate_to=None), db, chat, clock, "a")
    promise_id = track(loop.reminders, DUE)
    for _ in range(10):
        await loop.reminders.run_once()
        clock.now += HOUR
    assert [(m.attempt, m.kind) for m in chat] == [(1, "reminder"), (2, "reminder"), (3, "reminder")]
    assert loop.store.promise(promise_id).next_at is None


async def test_restart_continues_the_schedule_without_duplicates(
    tmp_path: Path, db: Path, chat: list[Message], clock: Clock
) -> None:
    config = make_config(tmp_path)
    first = Loop.start(config, db, chat, clock, "a")
    promise_id = track(first.reminders, DUE)
    assert await first.reminders.run_once() == 1

    second = Loop.start(config, db, chat, clock, "b")  # restarted at once: nothing new is due
    assert await second.reminders.run_once() == 0
    clock.now += HOUR
    assert await second.reminders.run_once() == 1

    third = Loop.start(config, db, chat, clock, "c")
    clock.now += HOUR
    assert await third.reminders.run_once() == 1
    assert delivered(chat) == Counter({(promise_id, 1): 1, (promise_id, 2): 1, (promise_id, 3): 1})


@pytest.mark.parametrize("how", ["sender dies before sending", "claimed, never sent"])
async def test_crash_between_claim_and_send_is_resumed_after_the_lease(
    tmp_path: Path, db: Path, chat: list[Message], clock: Clock, how: str
) -> None:
    config = make_config(tmp_path)
    first = Loop.start(config, db, chat, clock, "a")
    promise_id = track(first.reminders, DUE)
    if how == "sender dies before sending":
        first.sender.crash = "before"
        with pytest.raises(Crash):
            await first.reminders.run_once()
    else:
        [claim] = first.store.claim_due(clock(), "a", 60, 3, escalate=True)
        assert claim.attempt == 1
    assert chat == []

    second = Loop.start(config, db, chat, clock, "b")
    clock.now += 59  # the dead loop's lease still holds
    assert await second.reminders.run_once() == 0
    clock.now += 1
    assert await second.reminders.run_once() == 1
    assert second.sender.finds == [(promise_id, 1)]  # a resumed claim looks before it sends
    assert delivered(chat) == Counter({(promise_id, 1): 1})


async def test_crash_between_send_and_record_is_found_not_sent_again(
    tmp_path: Path, db: Path, chat: list[Message], clock: Clock
) -> None:
    config = make_config(tmp_path)
    first = Loop.start(config, db, chat, clock, "a")
    promise_id = track(first.reminders, DUE)
    first.sender.crash = "after"
    with pytest.raises(Crash):
        await first.reminders.run_once()
    assert len(chat) == 1
    assert first.store.sends(promise_id)[0]["state"] == "claimed"

    second = Loop.start(config, db, chat, clock, "b")
    clock.now += 30
    assert await second.reminders.run_once() == 0
    clock.now += 30
    assert await second.reminders.run_once() == 1  # found in the chat and recorded
    assert len(chat) == 1
    [sent] = second.store.sends(promise_id)
    assert (sent["state"], sent["owner"], sent["message"]) == ("sent", "b", chat[0].id)

    clock.now += HOUR  # the schedule goes on from the recorded reminder
    assert await second.reminders.run_once() == 1
    assert delivered(chat) == Counter({(promise_id, 1): 1, (promise_id, 2): 1})


async def test_failed_send_is_retried_and_delivered_once(loop: Loop, chat: list[Message], clock: Clock) -> None:
    promise_id = track(loop.reminders, DUE)
    loop.sender.failures = 2
    assert await loop.reminders.run_once() == 0
    assert "ConnectionError" in loop.store.sends(promise_id)[0]["error"]
    clock.now += 59
    assert await loop.reminders.run_once() == 0  # not before the retry moment
    clock.now += 1
    assert await loop.reminders.run_once() == 0  # fails again
    clock.now += 60
    assert await loop.reminders.run_once() == 1
    assert await loop.reminders.run_once() == 0
    assert delivered(chat) == Counter({(promise_id, 1): 1})
    assert chat[0].at == DUE.timestamp() + 120


async def test_two_loops_on_one_database_deliver_each_reminder_once(
    tmp_path: Path, db: Path, chat: list[Message], clock: Clock
) -> None:
    config = make_config(tmp_path)
    a, b = Loop.start(config, db, chat, clock, "a"), Loop.start(config, db, chat, clock, "b")
    rng = random.Random(3)
    ids = [track(rng.choice((a, b)).reminders, datetime.fromtimestamp(DUE.timestamp() + rng.uniform(0, 3 * HOUR), AMS))
           for _ in range(30)]
    start = clock.now
    while clock.now < start + 8 * HOUR:
        a.sender.failures = int(rng.random() < 0.1)
        b.sender.failures = int(rng.random() < 0.1)
        if rng.random() < 0.5:
            await asyncio.gather(a.reminders.run_once(), b.reminders.run_once())
        else:
            for loop in rng.sample((a, b), 2):
                await loop.reminders.run_once()
        clock.now += 60
    counts = delivered(chat)
    assert set(counts) == {(i, attempt) for i in ids for attempt in (1, 2, 3, 4)}
    assert max(counts.values()) == 1
    owners = {s["owner"] for s in a.store.sends()}
    assert owners == {"a", "b"}  # both loops did part of the work


async def test_two_loops_slow_batch_outliving_the_lease(
    tmp_path: Path, db: Path, chat: list[Message], clock: Clock
) -> None:
    """90 reminders due at the same moment (e.g. all held until the 09:00 opening), 1 s per post
    (Slack's rate for one channel), lease 60 s: a loop that claimed the whole batch at once would
    see its last 30 claims lapse before it gets to them, loop B would resume them, find nothing
    and send, and A would send them too. Each reminder must still arrive exactly once."""
    config = make_config(tmp_path, max_reminders=1, escalate_to=None)
    a, b = Loop.start(config, db, chat, clock, "a"), Loop.start(config, db, chat, clock, "b")
    a.sender.send_seconds = b.sender.send_seconds = 1.0
    ids = [track(a.reminders, DUE) for _ in range(90)]
    batch = asyncio.create_task(a.reminders.run_once())
    await asyncio.sleep(0)  # A starts first
    while not batch.done():
        await b.reminders.run_once()
        await asyncio.sleep(0)
    counts = delivered(chat)
    assert set(counts) == {(i, 1) for i in ids}
    duplicates = sorted(key for key, n in counts.items() if n > 1)
    assert duplicates == [], f"{len(duplicates)} reminders sent twice"


async def test_quiet_hours_hold_a_reminder_until_the_next_opening(
    tmp_path: Path, db: Path, chat: list[Message], clock: Clock
) -> None:
    loop = Loop.start(make_config(tmp_path, quiet_outside_business_hours=True), db, chat, clock, "a")
    due = datetime(2026, 11, 24, 18, 0, tzinfo=AMS)  # Tuesday evening
    opening = datetime(2026, 11, 25, 9, 0, tzinfo=AMS)
    promise_id = track(loop.reminders, due)
    assert loop.store.promise(promise_id).next_at == opening.timestamp()
    assert loop.store.promise(promise_id).due == due.timestamp()
    for moment in (due.timestamp(), opening.timestamp() - 1):
        clock.now = moment
        assert await loop.reminders.run_once() == 0
    clock.now = opening.timestamp()
    assert await loop.reminders.run_once() == 1
    assert [m.attempt for m in chat] == [1]


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("2026-11-24T18:00:00+01:00", "2026-11-25T09:00:00+01:00"),  # Tuesday evening
        ("2026-11-27T18:00:00+01:00", "2026-11-30T09:00:00+01:00"),  # Friday evening: Monday
        ("2026-11-28T12:00:00+01:00", "2026-11-30T09:00:00+01:00"),  # Saturday: Monday
        ("2026-11-24T06:30:00+01:00", "2026-11-24T09:00:00+01:00"),  # early: today's opening
        ("2026-04-02T18:00:00+02:00", "2026-04-07T09:00:00+02:00"),  # Good Friday to Easter Monday
        ("2026-03-27T17:30:00+01:00", "2026-03-30T09:00:00+02:00"),  # over the DST weekend
        ("2026-11-24T16:59:00+01:00", "2026-11-24T16:59:00+01:00"),  # in business hours: as is
    ],
)
def test_remind_at_in_quiet_hours(tmp_path: Path, db: Path, due: str, expected: str) -> None:
    reminders = Reminders(make_config(tmp_path, quiet_outside_business_hours=True), open_store(db), {})
    assert reminders.remind_at(datetime.fromisoformat(due).timestamp()) == datetime.fromisoformat(expected).timestamp()


async def test_quiet_hours_move_a_repeat_past_closing_to_the_next_opening(
    tmp_path: Path, db: Path, chat: list[Message], clock: Clock
) -> None:
    loop = Loop.start(make_config(tmp_path, quiet_outside_business_hours=True), db, chat, clock, "a")
    due = datetime(2026, 11, 27, 16, 30, tzinfo=AMS)  # Friday: the repeat would fall at 17:30
    promise_id = track(loop.reminders, due)
    clock.now = due.timestamp()
    assert await loop.reminders.run_once() == 1
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=AMS).timestamp()
    assert loop.store.promise(promise_id).next_at == monday
    clock.now = monday - 1
    assert await loop.reminders.run_once() == 0
    clock.now = monday
    assert await loop.reminders.run_once() == 1


async def test_spring_forward_reminders_at_the_right_instants(
    tmp_path: Path, db: Path, chat: list[Message], clock: Clock
) -> None:
    loop = Loop.start(make_config(tmp_path), db, chat, clock, "a")
    due = datetime.fromisoformat("2026-03-29T01:30:00+01:00")
    track(loop.reminders, due)
    clock.now = due.timestamp() - HOUR
    while clock.now < due.timestamp() + 6 * HOUR:
        await loop.reminders.run_once()
        clock.now += 60
    local = [datetime.fromtimestamp(m.at, AMS).isoformat() for m in chat]
    assert local == ["2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00",  # 02:00 does not exist
                     "2026-03-29T04:30:00+02:00", "2026-03-29T05:30:00+02:00"]
    assert [m.at - due.timestamp() for m in chat] == [0, HOUR, 2 * HOUR, 3 * HOUR]
    assert chat[0].at == datetime(2026, 3, 29, 0, 30, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(("fold", "utc_hour", "offset"), [(0, 0, "+02:00"), (1, 1, "+01:00")])
async def test_fall_back_due_is_stored_as_the_right_instant(
    tmp_path: Path, db: Path, chat: list[Message], clock: Clock, fold: int, utc_hour: int, offset: str
) -> None:
    """02:30 on 25 October 2026 happens twice; `fold` tells which one the promise means."""
    loop = Loop.start(make_config(tmp_path), db, chat, clock, "a")
    due = datetime(2026, 10, 25, 2, 30, fold=fold, tzinfo=AMS)
    instant = datetime(2026, 10, 25, utc_hour, 30, tzinfo=UTC).timestamp()
    promise_id = track(loop.reminders, due)
    stored = loop.store.promise(promise_id)
    assert (stored.due, stored.next_at) == (instant, instant)
    assert stored.due_iso == f"2026-10-25T02:30:00{offset}"

    clock.now = instant - 1
    assert await loop.reminders.run_once() == 0
    clock.now = instant
    assert await loop.reminders.run_once() == 1
    clock.now = instant + HOUR
    assert await loop.reminders.run_once() == 1
    assert [m.at for m in chat] == [instant, instant + HOUR]


async def test_track_wakes_a_sleeping_run_forever(loop: Loop, chat: list[Message]) -> None:
    """Nothing is due, so the loop sleeps up to 300 s; tracking a due promise wakes it at once."""
    task = asyncio.create_task(loop.reminders.run_forever())
    try:
        await asyncio.sleep(0.05)  # the loop ran once and is asleep
        assert chat == []
        promise_id = track(loop.reminders, DUE)  # due now on the fake clock
        async with asyncio.timeout(1):
            while not chat:
                await asyncio.sleep(0.01)
        assert delivered(chat) == Counter({(promise_id, 1): 1})
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


@pytest.mark.parametrize("waiting_for", ["retry of a failed send", "lease of another loop"])
async def test_run_forever_sleeps_while_a_due_reminder_is_not_claimable(
    loop: Loop, clock: Clock, monkeypatch: pytest.MonkeyPatch, waiting_for: str
) -> None:
    """A due reminder that waits for its retry (60 s) or another loop's lease cannot be claimed
    now, so the loop should sleep, not claim again and again for nothing."""
    track(loop.reminders, DUE)
    if waiting_for == "retry of a failed send":
        loop.sender.failures = 1_000_000
    else:
        assert loop.store.claim_due(clock(), "other", 60, 3, escalate=True)
    claims = 0
    claim_due = loop.store.claim_due

    def counting(*args: object, **kwargs: object) -> list[Claim]:
        nonlocal claims
        claims += 1
        return claim_due(*args, **kwargs)

    monkeypatch.setattr(loop.store, "claim_due", counting)
    task = asyncio.create_task(loop.reminders.run_forever())
    await asyncio.sleep(0.3)  # the fake clock stands still: nothing becomes claimable
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert claims <= 2, f"{claims} claim transactions in 0.3 s: the loop spins"


async def test_new_due_after_the_last_reminder_reminds_again(
    tmp_path: Path, db: Path, chat: list[Message], clock: Clock
) -> None:
    """Every reminder offers `/callback due <id> <time>`; after the last one (no escalation) the
    promise gets a new due moment, and reminders start again from it (set_due)."""
    loop = Loop.start(make_config(tmp_path, escalate_to=None), db, chat, clock, "a")
    promise_id = track(loop.reminders, DUE)
    for _ in range(3):
        assert await loop.reminders.run_once() == 1
        clock.now += HOUR
    new_due = datetime(2026, 11, 25, 10, 0, tzinfo=AMS)
    assert loop.store.set_due(promise_id, new_due.timestamp(), new_due.isoformat(),
                              loop.reminders.remind_at(new_due.timestamp()))
    clock.now = new_due.timestamp()
    assert await loop.reminders.run_once() == 1, "no reminder at the new due moment"
    assert loop.store.next_reminder_at() is None or loop.store.next_reminder_at() > clock.now
