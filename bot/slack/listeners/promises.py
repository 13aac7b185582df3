"""Logging a promised callback: the buttons on reviews and reminders, ✅ on a review, /callback."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.review.timeexpr import find_time_expressions
from bot.slack.app import SlackCoach
from bot.slack.reminders import due_label

log = logging.getLogger("webcare.slack")
DONE_EMOJIS = frozenset({"white_check_mark", "heavy_check_mark", "ballot_box_with_check"})
_TEXT = {
    "nl": {
        "done": "✅ Gelogd: callback gedaan ({id}). Er komen geen herinneringen meer.",
        "cancelled": "Geschrapt: {id} was geen belofte. Er komen geen herinneringen meer.",
        "due": "Nieuwe tijd voor {id}: uiterlijk {due}.",
        "unknown": "Geen open belofte met id {id}.",
        "bad_time": "Geen tijd gevonden in “{when}”: probeer bijvoorbeeld `morgen 10:00` of `vrijdag`.",
        "none": "Je hebt geen open beloftes.",
        "open": "Je open beloftes:",
        "overdue": " (te laat)",
        "usage": "Gebruik: `/callback` (je open beloftes), `/callback done <id>`, `/callback cancel <id>`, `/callback due <id> <tijd>`.",
    },
    "en": {
        "done": "✅ Logged: callback done ({id}). No more reminders.",
        "cancelled": "Dropped: {id} was not a promise. No more reminders.",
        "due": "New time for {id}: by {due}.",
        "unknown": "No open promise with id {id}.",
        "bad_time": "No time found in “{when}”: try e.g. `tomorrow 10:00` or `Friday`.",
        "none": "You have no open promises.",
        "open": "Your open promises:",
        "overdue": " (overdue)",
        "usage": "Use: `/callback` (your open promises), `/callback done <id>`, `/callback cancel <id>`, `/callback due <id> <time>`.",
    },
}


async def mark_review_done(bot: SlackCoach, client: AsyncWebClient, channel: str, message_ts: str, user: str) -> None:
    """✅ on a review: every open promise of that review is done."""
    review = bot.store.review_of_message(channel, message_ts)
    if review is None:
        return
    done = [p["id"] for p in bot.store.promises(open_only=True, review_id=review["id"]) if bot.store.set_status(p["id"], "done")]
    if done and user:
        text = "\n".join(_TEXT[bot.language]["done"].format(id=i) for i in done)
        await client.chat_postEphemeral(channel=channel, user=user, text=text)


def change(bot: SlackCoach, verb: str, promise_id: str, when: str = "") -> str:
    """Apply /callback done|cancel|due (also the buttons); the answer for the agent."""
    text = _TEXT[bot.language]
    if verb in ("done", "cancel"):
        changed = bot.store.set_status(promise_id, "done" if verb == "done" else "cancelled")
        return text["done" if verb == "done" else "cancelled"].format(id=promise_id) if changed else text["unknown"].format(id=promise_id)
    if bot.store.promise(promise_id) is None:
        return text["unknown"].format(id=promise_id)
    calendar = bot.config.calendar
    now = datetime.now(calendar.timezone)
    expressions = find_time_expressions(when)
    if not expressions:
        return text["bad_time"].format(when=when)
    due = min(e.resolve(now, calendar) for e in expressions)
    if not bot.store.set_due(promise_id, due.timestamp(), due.isoformat(), bot.reminders.remind_at(due.timestamp())):
        return text["unknown"].format(id=promise_id)
    bot.reminders.wake()
    return text["due"].format(id=promise_id, due=due_label(due.timestamp(), bot.config))


def register(app: AsyncApp, bot: SlackCoach) -> None:
    async def button(ack: AsyncAck, action: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        verb = "done" if action["action_id"] == "callback_done" else "cancel"
        answer = change(bot, verb, action.get("value", ""))
        user, channel = body.get("user", {}).get("id"), body.get("channel", {}).get("id")
        if user and channel:
            await client.chat_postEphemeral(channel=channel, user=user, text=answer)

    app.action("callback_done")(button)
    app.action("promise_cancel")(button)

    @app.command("/callback")
    async def callback(ack: AsyncAck, command: dict[str, Any]) -> None:
        words = (command.get("text") or "").split()
        text = _TEXT[bot.language]
        if not words or words[0] in ("list", "lijst"):
            mine = bot.store.promises(open_only=True, agent=command.get("user_id", ""))
            now = bot.reminders.clock()
            lines = [
                f"• `{p['id']}` “{p['text']}” — {due_label(p['due'], bot.config)}" + (text["overdue"] if p["due"] < now else "")
                for p in mine
            ]
            answer = "\n".join([text["open"], *lines]) if lines else text["none"]
        elif words[0] in ("done", "gedaan", "cancel", "schrap", "due", "tijd") and len(words) >= 2:
            verb = {"gedaan": "done", "schrap": "cancel", "tijd": "due"}.get(words[0], words[0])
            answer = change(bot, verb, words[1], " ".join(words[2:]))
        else:
            answer = text["usage"]
        await ack(response_type="ephemeral", text=answer)
