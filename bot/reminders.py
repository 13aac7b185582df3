"""The due-promise loop: "Zeg je dat je belt? Bel dan ook."

A promise that is due and not logged as done is reminded in its conversation, again every
interval up to a maximum, then escalated. Every reminder is sent exactly once, also across
restarts, crashes and several loops on one database:

1. claim: in one SQLite transaction the loop reserves (promise, attempt) for a lease;
2. send: a claim resumed after a lapsed lease first asks the platform whether the reminder
   arrived already (it carries the promise id and attempt), and only sends if not;
3. record: the send and the promise's next reminder are stored in one transaction.

The loop sleeps until the next reminder is due (or it is woken), never polls every second. The
clock is injected, so tests and the soak script run a simulated day in seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from bot import background
from bot.chat.offloop import in_store_thread
from bot.config import Config
from bot.review.model import Promise
from bot.store import Claim, Store

log = logging.getLogger("webcare.reminders")
_RETRY_SECONDS = 60.0
_MAX_SLEEP = 300.0  # wake at least this often, so a promise added by another process is seen


class Sender(Protocol):
    """A platform's way to deliver a reminder; it marks the message with promise id and attempt."""

    async def send(self, claim: Claim) -> str: ...  # returns the message's id

    async def find(self, claim: Claim) -> str | None: ...  # the id of this reminder if it arrived


class Reminders:
    def __init__(self, config: Config, store: Store, senders: dict[str, Sender],
                 clock: Callable[[], float] = time.time, owner: str | None = None):
        self.config, self.store, self.senders, self.clock = config, store, senders, clock
        self.settings = config.reminders
        self.owner = owner or uuid.uuid4().hex[:8]
        self._wake = asyncio.Event()

    def remind_at(self, moment: float) -> float:
        """`moment`, or the next opening when it falls outside business hours and that is quiet."""
        if not self.settings.quiet_outside_business_hours:
            return moment
        calendar = self.config.calendar
        local = datetime.fromtimestamp(moment, calendar.timezone)
        return moment if calendar.in_business_hours(local) else calendar.next_opening(local).timestamp()

    def track(self, promise: Promise, *, platform: str, workspace: str, channel: str, thread: str,
              review_id: str, agent: str, customer: str = "", conversation: str = "") -> str:
        """Store a promise of a posted review; the loop wakes if it is due sooner than expected."""
        due = promise.due.timestamp()
        promise_id = self.store.add_promise(
            platform=platform, workspace=workspace, channel=channel, thread=thread, review_id=review_id,
            agent=agent, customer=customer, text=promise.text, kind=promise.kind, due=due,
            due_iso=promise.due.isoformat(), explicit=promise.explicit, next_at=self.remind_at(due),
            conversation=conversation,
        )
        self.wake()
        return promise_id

    def wake(self) -> None:
        self._wake.set()

    def _next_at(self, claim: Claim, now: float) -> float | None:
        """After this reminder: when the next one (or the escalation) is due, if any."""
        in_round = claim.attempt - claim.promise.round_start
        escalates = self.settings.escalate_to is not None
        if in_round > self.settings.max_reminders or (in_round == self.settings.max_reminders and not escalates):
            return None
        return self.remind_at(now + self.settings.interval_minutes * 60)

    async def run_once(self) -> int:
        """Send every reminder due now, claiming each right before sending it; how many were
        delivered (sent now or found sent)."""
        delivered = 0
        while claims := await in_store_thread(
            self.store.claim_due, self.clock(), self.owner, self.settings.lease_seconds, self.settings.max_reminders,
            escalate=self.settings.escalate_to is not None,
        ):
            delivered += await self._deliver(claims[0])
        return delivered

    async def _deliver(self, claim: Claim) -> bool:
        promise_id = claim.promise.id
        sender = self.senders.get(claim.promise.platform)
        if sender is None:
            await self._retry_later(claim, "no sender for this platform")
            return False
        try:
            message = await sender.find(claim) if claim.resumed else None
            if message is None:
                message = await sender.send(claim)
        except Exception as exc:  # noqa: BLE001 - any failure: try again later, never lose it
            log.warning("reminder %s/%d failed, retrying: %s", promise_id, claim.attempt, type(exc).__name__)
            await self._retry_later(claim, f"{type(exc).__name__}: {exc}")
            return False
        now = self.clock()
        recorded = await in_store_thread(self.store.record_sent, claim, self.owner, now, message,
                                         self._next_at(claim, now))
        log.info("reminder %s/%d %s (%s)", promise_id, claim.attempt, claim.kind, "recorded" if recorded else "lost claim")
        return recorded

    async def _retry_later(self, claim: Claim, error: str) -> None:
        """The claim stays, to be resumed after the retry delay (within business hours if quiet)."""
        await in_store_thread(self.store.record_failure, claim, self.owner, error,
                              self.remind_at(self.clock() + _RETRY_SECONDS))

    async def run_forever(self) -> None:
        """Send what is due, then sleep until the next reminder is due or something is tracked."""
        await background.run_forever("reminders", self.run_once, self.store.next_reminder_at, self._wake, self.clock,
                                     _MAX_SLEEP)
