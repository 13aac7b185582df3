"""Logging a promised callback: the buttons on reviews and reminders, ✅ on a review, /callback."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.callbacks import TEXT, due_label, log_promise
from bot.slack.app import SlackCoach

log = logging.getLogger("webcare.slack")
DONE_EMOJIS = frozenset({"white_check_mark", "heavy_check_mark", "ballot_box_with_check"})
_TEXT = {
    "nl": {
        "none": "Je hebt geen open beloftes.",
        "open": "Je open beloftes:",
        "overdue": " (te laat)",
        "usage": "Gebruik: `/callback` (je open beloftes), `/callback done <id>`, `/callback cancel <id>`, `/callback due <id> <tijd>`.",
    },
    "en": {
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
        text = "\n".join(TEXT[bot.language]["done"].format(id=i) for i in done)
        await client.chat_postEphemeral(channel=channel, user=user, text=text)


def change(bot: SlackCoach, verb: str, promise_id: str, when: str = "") -> str:
    return log_promise(bot.config, bot.store, bot.reminders, verb, promise_id, when)


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
