"""Reminders on Slack: posted in the promise's thread and to the channel (the chat flow marks them
with promise id and attempt, so a resumed send can see whether it arrived already)."""

from __future__ import annotations

from typing import Any

from bot.config import Config
from bot.messages import t
from bot.store import PromiseRow


def promise_buttons(promise_id: str, language: str) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": f"promise-{promise_id}",
        "elements": [
            {"type": "button", "style": "primary", "action_id": "callback_done", "value": promise_id,
             "text": {"type": "plain_text", "text": f"✅ {t(language, 'chat.callback_done')}"}},
            {"type": "button", "action_id": "promise_cancel", "value": promise_id,
             "text": {"type": "plain_text", "text": t(language, "chat.promise_cancel")}},
        ],
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _mention(user_or_group: str) -> str:
    return f"<!subteam^{user_or_group}>" if user_or_group.startswith("S") else f"<@{user_or_group}>"


def reminder_message(promise: PromiseRow, *, agent: str, kind: str, attempt: int, due: str,
                     config: Config) -> dict[str, Any]:
    """chat.postMessage arguments: the reminder (or escalation) in the thread and the channel;
    `agent` is the agent as a mention."""
    language = config.language
    values = {"agent": agent, "text": _escape(promise.text), "due": due, "count": attempt - 1}
    if kind == "escalation":
        escalate_to = config.reminders.escalate_to
        line = f"🚨 {_mention(escalate_to) + ' ' if escalate_to else ''}{t(language, 'chat.escalation', **values)}"
    else:
        line = f"⏰ {t(language, 'chat.reminder', **values)}"
    return {
        "reply_broadcast": True,
        "text": line,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": line}},
            promise_buttons(promise.id, language),
            {"type": "context", "elements": [{"type": "mrkdwn", "text": t(language, "chat.move_hint", id=promise.id)}]},
        ],
    }
