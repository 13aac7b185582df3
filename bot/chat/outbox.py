"""Durable delivery of reviews, exactly once (where the platform can look a message up).

A review request is stored (one row per message) before the platform is acknowledged. This
worker posts it, with the claim and lease design of the reminders (reminders.py):

1. claim: in one transaction a worker reserves up to `max_parallel` due rows for a lease;
2. post: the draft is reviewed in a review thread (at the time the request arrived, so a retry
   finds the same promises); a row whose last attempt may have posted first looks for its
   message (it carries the review id) and only posts if it is not there;
3. record: the row is marked posted, the review stored and its promises tracked, in one
   transaction. A promise is never tracked for a review nobody saw.

A failed attempt is retried with exponential backoff (at least the platform's Retry-After) until
`outbox.give_up_minutes` after the request arrived. After a restart pending rows simply resume.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot import background
from bot.chat.offloop import in_review_thread, in_store_thread
from bot.chat.port import ChatPort, DeliveryError, Marker, Place
from bot.coach import Coach
from bot.config import ConfigError
from bot.review.engine import ReviewError
from bot.review.model import Draft, Review
from bot.store import OutboxClaim, OutboxRow, PromiseRow, ReviewRow, Store

log = logging.getLogger("webcare.outbox")
REVIEW_EVENT = "webcare_review"
_MAX_SLEEP = 60.0  # look at least this often, so a request stored by another process is seen
_MAX_BACKOFF = 30.0
_UPDATE_ATTEMPTS = 4  # the language model's update of a posted review


def backoff(attempt: int) -> float:
    """Seconds before attempt `attempt + 1`: 1, 2, 4 … up to 30, with jitter."""
    return min(_MAX_BACKOFF, 2.0 ** (attempt - 1)) * random.uniform(0.75, 1.0)


def promise_ids(review_id: str, count: int) -> list[str]:
    """The ids of a review's promises: derived from the review id, so a retried review (after an
    unknown outcome) gives the ids the posted buttons carry."""
    return [f"{review_id[:10]}{index:02d}" for index in range(count)]


def marker(review_id: str) -> Marker:
    return Marker(REVIEW_EVENT, {"review": review_id})


def row_place(row: OutboxRow) -> Place:
    return Place(row.platform, row.workspace, row.channel, row.thread, row.address)


@dataclass(frozen=True)
class Answer:
    """What the outbox posts for one request: a rendered review (or the how-to), and where."""

    place: Place
    agent: str
    draft: Draft | None
    review: Review | None  # None: the how-to
    promise_ids: list[str]
    message: Any  # the platform's own payload


class Outbox:
    """The worker that posts stored review requests."""

    def __init__(self, coach: Coach, store: Store, ports: dict[str, ChatPort],
                 remind_at: Callable[[float], float], on_tracked: Callable[[], None],
                 clock: Callable[[], float] = time.time, owner: str | None = None):
        self.coach, self.store, self.ports, self.clock = coach, store, ports, clock
        self.config = coach.config
        self.settings = coach.config.outbox
        self.remind_at, self.on_tracked = remind_at, on_tracked
        self.owner = owner or uuid.uuid4().hex[:8]
        self._wake = asyncio.Event()
        self._running: set[asyncio.Task[None]] = set()
        self._updates: set[asyncio.Task[None]] = set()

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self) -> None:
        """Claim what is due while there is room, then sleep until more is due or stored."""
        await background.run_forever("outbox", self._claim_and_start, self._next_at, self._wake, self.clock,
                                     _MAX_SLEEP)

    def _next_at(self) -> float | None:
        """When to claim again: None while every slot is busy (a finished post wakes the loop)."""
        return None if len(self._running) >= self.settings.max_parallel else self.store.next_outbox_at()

    async def run_once(self) -> None:
        """Post everything due now and wait for it, the language model's updates included (tests)."""
        while await self._claim_and_start() or self._running:
            await asyncio.gather(*self._running)
        await asyncio.gather(*self._updates)

    async def _claim_and_start(self) -> int:
        room = self.settings.max_parallel - len(self._running)
        if room <= 0:
            return 0
        claims = await in_store_thread(self.store.claim_outbox, self.clock(), self.owner,
                                       self.settings.lease_seconds, room)
        for claim in claims:
            task = asyncio.create_task(self._deliver(claim))
            self._running.add(task)
            task.add_done_callback(self._finished)
        return len(claims)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        self.wake()  # room for the next claim

    async def _deliver(self, claim: OutboxClaim) -> None:
        row = claim.row
        port = self.ports.get(row.platform)
        if port is None:
            await self._failed(claim, DeliveryError(f"no {row.platform} platform configured", maybe_delivered=False))
            return
        sending = False
        try:
            answer = await self._compose(port, row)
            if row.state == "updating":  # posted by a process that stopped before the model's update
                self._resume_update(claim, port, answer)
                return
            if answer is None:  # nothing to answer
                await in_store_thread(self.store.record_posted, claim, self.owner, "", None, [])
                return
            found = await port.find(answer.place, marker(row.review_id)) if claim.resumed else None
            if found is None:
                if not await in_store_thread(self.store.mark_sending, claim, self.owner):
                    return  # another worker took the request over
                sending = True
                found = await port.post(answer.place, answer.message, marker(row.review_id))
        except DeliveryError as exc:
            await self._failed(claim, exc, exc.maybe_delivered if sending else claim.resumed)
            return
        except Exception as exc:  # noqa: BLE001 - anything else: retry later, never lose the request
            log.exception("review %s failed unexpectedly", row.review_id)
            await self._failed(claim, DeliveryError(type(exc).__name__), sending or claim.resumed)
            return
        await self._record(claim, port, answer, found)

    async def _compose(self, port: ChatPort, row: OutboxRow) -> Answer | None:
        """The review (or the how-to) for a request, rendered for its platform; None when the
        request needs no answer."""
        prepared = await port.prepare(row)
        if prepared.skip:
            return None
        place = replace(row_place(row), thread=prepared.thread or row.thread)
        draft, review = prepared.draft, None
        if draft is not None:
            # reviewed as of the request's arrival: a retry finds the same promises, due at the same moments
            received = datetime.fromtimestamp(row.received, self.config.calendar.timezone)
            draft = replace(draft, at=received)
            review = await self._review(draft)
        if review is None:
            return Answer(place, prepared.agent or row.agent, None, None, [],
                          port.render_howto(has_files=prepared.has_files))
        ids = promise_ids(row.review_id, len(review.promises))
        message = port.render_review(review, review_id=row.review_id, promise_ids=ids,
                                     pending=self.coach.llm is not None)
        return Answer(place, prepared.agent or row.agent, draft, review, ids, message)

    async def _record(self, claim: OutboxClaim, port: ChatPort, answer: Answer, message_id: str) -> None:
        """Posted: the review stored and its promises tracked, in one transaction; with a language
        model the request stays until the model's update is done."""
        row, draft, review = claim.row, answer.draft, answer.review
        stored = self._review_row(row, answer, review, message_id) if review else None
        promises = self._promises(review, answer, row.review_id) if review else []
        updating = draft is not None and review is not None and self.coach.llm is not None
        update_until = self.clock() + self.settings.lease_seconds if updating else None
        recorded = await in_store_thread(self.store.record_posted, claim, self.owner, message_id, stored, promises,
                                         update_until)
        log.info("review %s posted platform=%s channel=%s attempts=%d findings=%d promises=%d%s", row.review_id,
                 row.platform, row.channel, row.attempts + 1, len(review.findings) if review else 0, len(promises),
                 "" if recorded else " (claim lost)")
        if promises:
            self.on_tracked()
        if recorded and updating and draft and review and stored:
            self._spawn(self._update(claim, port, answer, draft, review, stored))

    def _resume_update(self, claim: OutboxClaim, port: ChatPort, answer: Answer | None) -> None:
        """The update of a review whose process stopped after posting it (the model's review, or
        with the model gone, the rules review without "still thinking")."""
        if answer is None or answer.draft is None or answer.review is None:
            self._spawn(in_store_thread(self.store.finish_update, claim, self.owner))
            return
        stored = self._review_row(claim.row, answer, answer.review, claim.row.posted_message)
        self._spawn(self._update(claim, port, answer, answer.draft, answer.review, stored))

    @staticmethod
    def _review_row(row: OutboxRow, answer: Answer, review: Review, message_id: str) -> ReviewRow:
        return ReviewRow(row.review_id, row.platform, row.workspace, row.channel, answer.place.thread, message_id,
                         answer.agent, review.verdict, [(f.rule, f.category) for f in review.findings])

    async def _review(self, draft: Draft) -> Review | None:
        try:
            return await in_review_thread(self.coach.review_rules, draft)
        except (ReviewError, ConfigError) as exc:
            log.info("not reviewed: %s", type(exc).__name__)
            return None

    def _promises(self, review: Review, answer: Answer, review_id: str) -> list[PromiseRow]:
        place = answer.place
        return [
            PromiseRow(id=promise_id, platform=place.platform, workspace=place.workspace, channel=place.channel,
                       thread=place.thread, review_id=review_id, agent=answer.agent, text=promise.text,
                       kind=promise.kind, due=promise.due.timestamp(), due_iso=promise.due.isoformat(),
                       explicit=int(promise.explicit), next_at=self.remind_at(promise.due.timestamp()),
                       conversation=place.address)
            for promise, promise_id in zip(review.promises, answer.promise_ids)
        ]

    async def _failed(self, claim: OutboxClaim, error: DeliveryError, maybe_sent: bool | None = None) -> None:
        row, now = claim.row, self.clock()
        maybe_sent = error.maybe_delivered if maybe_sent is None else maybe_sent
        retry_at = now + max(error.retry_after or 0.0, backoff(row.attempts + 1))
        if error.permanent or retry_at > row.give_up_at:
            log.warning("review %s given up after %d attempts: %s", row.review_id, row.attempts + 1, error)
            if row.state == "updating":  # the review stands, without the language model's update
                await in_store_thread(self.store.finish_update, claim, self.owner)
            else:
                await in_store_thread(self.store.give_up, claim, self.owner, str(error))
            return
        # the first failure of a request is worth a line; its retries (an outage: many) only at DEBUG
        log.log(logging.INFO if row.attempts == 0 else logging.DEBUG, "review %s attempt %d failed, retry in %.1fs: %s",
                row.review_id, row.attempts + 1, retry_at - now, error)
        await in_store_thread(self.store.record_outbox_failure, claim, self.owner, str(error), retry_at, maybe_sent)

    async def _update(self, claim: OutboxClaim, port: ChatPort, answer: Answer, draft: Draft, review: Review,
                      stored: ReviewRow) -> None:
        """The language model's review replaces the rules review. An update is idempotent: it is
        tried a few times (backoff, Retry-After); if it never succeeds the rules review stays.
        Until it is done the request stays (leased): a process stopping meanwhile leaves it to
        be resumed."""
        try:
            full = await self.coach.improve(draft, review)
            message = port.render_review(full, review_id=stored.id, promise_ids=answer.promise_ids, pending=False)
            for attempt in range(1, _UPDATE_ATTEMPTS + 1):
                try:
                    await port.update(answer.place, stored.message, message)
                    break
                except DeliveryError as exc:
                    if exc.permanent or attempt == _UPDATE_ATTEMPTS:
                        raise
                    await asyncio.sleep(max(exc.retry_after or 0.0, backoff(attempt)))
            await in_store_thread(self.store.save_review, replace(
                stored, verdict=full.verdict, findings=[(f.rule, f.category) for f in full.findings]))
        except Exception as exc:  # noqa: BLE001 - the rules review stays
            log.warning("review %s update failed: %s", stored.id, exc if isinstance(exc, DeliveryError) else
                        type(exc).__name__)
        await in_store_thread(self.store.finish_update, claim, self.owner)

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._updates.add(task)
        task.add_done_callback(self._updates.discard)
