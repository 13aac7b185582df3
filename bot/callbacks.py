"""Logging what happened to a promise, whatever the platform: callback done, not a promise, or a
new due moment. Returns what to tell the agent."""

from __future__ import annotations

from datetime import datetime

from bot.config import Config
from bot.labels import due_text
from bot.reminders import Reminders
from bot.review.timeexpr import find_time_expressions
from bot.store import Store

TEXT = {
    "nl": {
        "done": "✅ Gelogd: callback gedaan ({id}). Er komen geen herinneringen meer.",
        "cancelled": "Geschrapt: {id} was geen belofte. Er komen geen herinneringen meer.",
        "due": "Nieuwe tijd voor {id}: uiterlijk {due}.",
        "unknown": "Geen open belofte met id {id}.",
        "bad_time": "Geen tijd gevonden in “{when}”: probeer bijvoorbeeld `morgen 10:00` of `vrijdag`.",
    },
    "en": {
        "done": "✅ Logged: callback done ({id}). No more reminders.",
        "cancelled": "Dropped: {id} was not a promise. No more reminders.",
        "due": "New time for {id}: by {due}.",
        "unknown": "No open promise with id {id}.",
        "bad_time": "No time found in “{when}”: try e.g. `tomorrow 10:00` or `Friday`.",
    },
}


def due_label(due: float, config: Config) -> str:
    """"vr 27-11 17:00" in the team's time zone and language."""
    return due_text(datetime.fromtimestamp(due, config.calendar.timezone), config.language)


def log_promise(config: Config, store: Store, reminders: Reminders, verb: str, promise_id: str, when: str = "") -> str:
    """verb: done, cancel, or due (with `when`, e.g. "morgen 10:00")."""
    text = TEXT[config.language]
    if verb in ("done", "cancel"):
        changed = store.set_status(promise_id, "done" if verb == "done" else "cancelled")
        return text["done" if verb == "done" else "cancelled"].format(id=promise_id) if changed else text["unknown"].format(id=promise_id)
    if store.promise(promise_id) is None:
        return text["unknown"].format(id=promise_id)
    calendar = config.calendar
    expressions = find_time_expressions(when)
    if not expressions:
        return text["bad_time"].format(when=when)
    due = min(e.resolve(datetime.now(calendar.timezone), calendar) for e in expressions)
    if not store.set_due(promise_id, due.timestamp(), due.isoformat(), reminders.remind_at(due.timestamp())):
        return text["unknown"].format(id=promise_id)
    reminders.wake()
    return text["due"].format(id=promise_id, due=due_label(due.timestamp(), config))
