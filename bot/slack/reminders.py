"""Reminders on Slack: posted in the promise's thread and to the channel, marked with promise id
and attempt (message metadata), so a resumed send can see whether it arrived already."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.callbacks import due_label
from bot.config import Config
from bot.store import Claim

EVENT_TYPE = "webcare_reminder"
_TEXT = {
    "nl": {
        "reminder": "⏰ <@{agent}> herinnering: je beloofde “{text}”, uiterlijk {due}. Is het gelukt?",
        "escalation": "🚨 {escalate_to} de belofte “{text}” van <@{agent}> (uiterlijk {due}) is na {count} herinneringen nog niet gedaan.",
        "done": "Callback gedaan", "cancel": "Geen belofte",
        "hint": "Andere tijd? `/callback due {id} morgen 10:00`",
    },
    "en": {
        "reminder": "⏰ <@{agent}> reminder: you promised “{text}”, by {due}. Done?",
        "escalation": "🚨 {escalate_to} the promise “{text}” by <@{agent}> (by {due}) is still not done after {count} reminders.",
        "done": "Callback done", "cancel": "Not a promise",
        "hint": "Another time? `/callback due {id} tomorrow 10:00`",
    },
}


def promise_buttons(promise_id: str, language: str) -> dict[str, Any]:
    text = _TEXT[language]
    return {
        "type": "actions",
        "block_id": f"promise-{promise_id}",
        "elements": [
            {"type": "button", "style": "primary", "action_id": "callback_done", "value": promise_id,
             "text": {"type": "plain_text", "text": f"✅ {text['done']}"}},
            {"type": "button", "action_id": "promise_cancel", "value": promise_id,
             "text": {"type": "plain_text", "text": text["cancel"]}},
        ],
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackReminderSender:
    def __init__(self, client: AsyncWebClient, config: Config):
        self.client, self.config = client, config

    async def send(self, claim: Claim) -> str:
        promise, text = claim.promise, _TEXT[self.config.language]
        escalate_to = self.config.reminders.escalate_to or ""
        mention = f"<!subteam^{escalate_to}>" if escalate_to.startswith("S") else f"<@{escalate_to}>"
        line = text[claim.kind].format(
            agent=promise["agent"], text=_escape(promise["text"]), due=due_label(promise["due"], self.config),
            escalate_to=mention, count=claim.attempt - 1,
        )
        response = await self.client.chat_postMessage(
            channel=promise["channel"], thread_ts=promise["thread"], reply_broadcast=True, text=line,
            blocks=[
                {"type": "section", "text": {"type": "mrkdwn", "text": line}},
                promise_buttons(promise["id"], self.config.language),
                {"type": "context", "elements": [{"type": "mrkdwn", "text": text["hint"].format(id=promise["id"])}]},
            ],
            metadata={"event_type": EVENT_TYPE, "event_payload": {"promise": promise["id"], "attempt": claim.attempt}},
        )
        return response["ts"]

    async def find(self, claim: Claim) -> str | None:
        promise = claim.promise
        response = await self.client.conversations_replies(
            channel=promise["channel"], ts=promise["thread"], include_all_metadata=True, limit=1000
        )
        wanted = {"promise": promise["id"], "attempt": claim.attempt}
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == EVENT_TYPE and metadata.get("event_payload") == wanted:
                return message["ts"]
        return None
