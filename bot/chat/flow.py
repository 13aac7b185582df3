"""The coach in chat, for every platform: review requests (stored, then posted by the outbox),
feedback on findings, promise actions and who may do them, guideline lookup, and reminders sent
through each platform's port. Platforms parse what arrives into these calls and render what
comes back; what the coach says is in the message catalogue (bot/messages).
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import datetime

from bot.chat.offloop import in_store_thread
from bot.chat.outbox import Outbox
from bot.chat.port import Actor, ChatPort, Marker, Place
from bot.coach import Coach
from bot.config import Config
from bot.corpus import Guideline
from bot.messages import moment, t
from bot.reminders import Reminders
from bot.review.timeexpr import find_time_expressions
from bot.store import Claim, OutboxRow, PromiseRow, Store

log = logging.getLogger("webcare.chat")
REMINDER_EVENT = "webcare_reminder"
_VERBS = {"done": "done", "gedaan": "done", "cancel": "cancel", "schrap": "cancel", "due": "due", "tijd": "due"}


def due_label(due: float, config: Config) -> str:
    """"vr 27 nov 17:00" in the team's time zone and language."""
    return moment(datetime.fromtimestamp(due, config.calendar.timezone), config.language)


def request_key(place: Place, message: str) -> str:
    """One review per message: the outbox key (platform, workspace, channel, message)."""
    return ":".join((place.platform, place.workspace, place.channel, message))


class ChatFlow:
    def __init__(self, coach: Coach, store: Store, reminders: Reminders):
        self.coach, self.store, self.reminders = coach, store, reminders
        self.config = coach.config
        self.language = coach.config.language
        self.ports: dict[str, ChatPort] = {}
        self.outbox = Outbox(coach, store, self.ports, reminders.remind_at, reminders.wake)

    def add_port(self, port: ChatPort) -> None:
        """A platform: it posts reviews, and reminders of promises made on it."""
        self.ports[port.platform] = port
        self.reminders.senders[port.platform] = PortReminderSender(port, self.config)

    def say(self, key: str, **values: object) -> str:
        """The chat line `key` of the catalogue (chat.*) in the team's language."""
        return t(self.language, f"chat.{key}", **values)

    # -- reviews ----------------------------------------------------------------------------

    async def request_review(self, place: Place, message: str, agent: str, request: str) -> bool:
        """Store a review request for `message` (its `request` JSON is the platform's own) before
        the platform is acknowledged; False when that message was asked for already."""
        key = request_key(place, message)
        now = time.time()
        row = OutboxRow(
            key=key, platform=place.platform, workspace=place.workspace, channel=place.channel, thread=place.thread,
            message=message, agent=agent, request=request, address=place.address,
            review_id=hashlib.sha256(key.encode()).hexdigest()[:16], received=now,
            give_up_at=now + self.config.outbox.give_up_minutes * 60,
        )
        stored = await in_store_thread(self.store.enqueue, row)
        log.info("review %s %s platform=%s channel=%s chars=%d", row.review_id, "requested" if stored else "repeated",
                 place.platform, place.channel, len(request))
        if stored:
            self.outbox.wake()
        return stored

    async def feedback(self, actor: Actor, review_id: str, finding: int, rule: str, helpful: bool) -> str:
        """An agent's 👍 or 👎 on a finding; only for a finding of a stored review of this platform."""
        review = await in_store_thread(self.store.review, review_id)
        if (review is None or review.platform != actor.platform or not 0 <= finding < len(review.findings)
                or review.findings[finding][0] != rule):
            log.info("feedback refused review=%s finding=%d", review_id[:16], finding)
            return self.say("bad_feedback")
        await in_store_thread(self.store.record_feedback, review_id, finding, rule, review.findings[finding][1],
                              "helpful" if helpful else "wrong", actor.user)
        return self.say("thanks")

    async def guidelines(self, query: str, limit: int = 3) -> list[Guideline]:
        """The best matches for `query`; all guidelines when it is empty."""
        corpus = self.coach.reviewer.corpus
        query = query.strip()
        return await in_store_thread(corpus.search, query, limit) if query else list(corpus.guidelines.values())

    # -- promises ---------------------------------------------------------------------------

    def may_act(self, actor: Actor, promise: PromiseRow) -> bool:
        """Team leads everywhere; others only where the promise was made (platform, workspace,
        channel)."""
        if actor.user and actor.user in self.config.leads.get(actor.platform, ()):
            return True
        where = (promise.platform, promise.workspace, promise.channel)
        return bool(actor.user) and (actor.platform, actor.workspace, actor.channel) == where

    async def promise_action(self, actor: Actor, verb: str, promise_id: str, when: str = "") -> str:
        """verb: done, cancel, or due (with `when`, e.g. "morgen 10:00"). What to tell the actor."""
        promise = await in_store_thread(self.store.promise, promise_id)
        if promise is None or promise.status != "open":
            return self.say("unknown", id=promise_id)
        if not self.may_act(actor, promise):
            log.info("promise %s: %s refused for user=%s channel=%s", promise_id, verb, actor.user, actor.channel)
            return self.say("not_yours", id=promise_id)
        if verb in ("done", "cancel"):
            status = "done" if verb == "done" else "cancelled"
            changed = await in_store_thread(self.store.set_status, promise_id, status)
            return self.say(status if changed else "unknown", id=promise_id)
        calendar = self.config.calendar
        expressions = find_time_expressions(when)
        if not expressions:
            return self.say("bad_time", when=when)
        due = min(e.resolve(datetime.now(calendar.timezone), calendar) for e in expressions).timestamp()
        moved = await in_store_thread(self.store.set_due, promise_id, due,
                                      datetime.fromtimestamp(due, calendar.timezone).isoformat(),
                                      self.reminders.remind_at(due))
        if not moved:
            return self.say("unknown", id=promise_id)
        self.reminders.wake()
        return self.say("due", id=promise_id, due=due_label(due, self.config))

    async def review_done(self, actor: Actor, message: str) -> str | None:
        """✅ on a posted review: its open promises are done (where the actor may). None when the
        message is no review with open promises."""
        review = await in_store_thread(self.store.review_of_message, actor.platform, actor.channel, message)
        if review is None:
            return None
        promises = await in_store_thread(self.store.promises, open_only=True, review_id=review.id)
        answers = [await self.promise_action(actor, "done", p.id) for p in promises]
        return "\n".join(answers) or None

    async def command(self, actor: Actor, text: str) -> str:
        """`/callback [list | done <id> | cancel <id> | due <id> <time>]` (also in Dutch)."""
        words = text.split()
        if not words or words[0] in ("list", "lijst"):
            return await self.open_promises(actor)
        if words[0] in _VERBS and len(words) >= 2:
            return await self.promise_action(actor, _VERBS[words[0]], words[1], " ".join(words[2:]))
        return self.say("usage")

    async def open_promises(self, actor: Actor) -> str:
        """The actor's own open promises on this platform, overdue ones marked."""
        mine = await in_store_thread(self.store.promises, open_only=True, agent=actor.user)
        now = self.reminders.clock()
        lines = [
            f"• `{p.id}` “{p.text}” — {due_label(p.due, self.config)}" + (f" {self.say('overdue')}" if p.due < now else "")
            for p in mine if p.platform == actor.platform
        ]
        return "\n".join([self.say("open"), *lines]) if lines else self.say("none")

    # -- the loops --------------------------------------------------------------------------

    async def run_forever(self) -> None:
        await self.outbox.run_forever()


class PortReminderSender:
    """A platform's port as the reminder loop's sender: the reminder is marked with promise id
    and attempt, so a resumed send can see whether it arrived already."""

    def __init__(self, port: ChatPort, config: Config):
        self.port, self.config = port, config

    @staticmethod
    def _place(claim: Claim) -> Place:
        p = claim.promise
        return Place(p.platform, p.workspace, p.channel, p.thread, p.conversation)

    @staticmethod
    def _marker(claim: Claim) -> Marker:
        return Marker(REMINDER_EVENT, {"promise": claim.promise.id, "attempt": claim.attempt})

    async def send(self, claim: Claim) -> str:
        message = self.port.render_reminder(claim.promise, kind=claim.kind, attempt=claim.attempt,
                                            due=due_label(claim.promise.due, self.config))
        return await self.port.post(self._place(claim), message, self._marker(claim))

    async def find(self, claim: Claim) -> str | None:
        return await self.port.find(self._place(claim), self._marker(claim))
