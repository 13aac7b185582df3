"""Logging a promised callback: the buttons on reviews and reminders, and /callback (✅ on a
review is an event, see events.py). Only where the promise was made, or by a team lead."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.chat.flow import ChatFlow
from bot.slack.app import SlackPort, actor


def register(app: AsyncApp, flow: ChatFlow, port: SlackPort) -> None:
    async def button(ack: AsyncAck, action: dict[str, Any], body: dict[str, Any]) -> None:
        await ack()
        verb = "done" if action["action_id"] == "callback_done" else "cancel"
        user, channel = body.get("user", {}).get("id", ""), body.get("channel", {}).get("id", "")
        answer = await flow.promise_action(actor(body.get("team", {}).get("id"), channel, user), verb,
                                           action.get("value", ""))
        port.tell(channel, user, answer)

    app.action("callback_done")(button)
    app.action("promise_cancel")(button)

    @app.command("/callback")
    async def callback(ack: AsyncAck, command: dict[str, Any]) -> None:
        who = actor(command.get("team_id"), command.get("channel_id"), command.get("user_id"))
        await ack(response_type="ephemeral", text=await flow.command(who, command.get("text") or ""))
