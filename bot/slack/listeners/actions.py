"""Block actions: an agent marks a finding helpful or not right; stored for rule precision."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.chat.flow import ChatFlow
from bot.slack.app import SlackPort, actor

log = logging.getLogger("webcare.slack")
_HELPFUL = {"feedback_helpful": True, "feedback_wrong": False}


def register(app: AsyncApp, flow: ChatFlow, port: SlackPort) -> None:
    async def feedback(ack: AsyncAck, action: dict[str, Any], body: dict[str, Any]) -> None:
        await ack()
        try:
            value = json.loads(action.get("value") or "")
            review_id, finding, rule = str(value["review"]), int(value["finding"]), str(value["rule"])
        except (ValueError, KeyError, TypeError):
            log.warning("feedback with an unreadable value ignored")
            return
        user, channel = body.get("user", {}).get("id", ""), body.get("channel", {}).get("id", "")
        who = actor(body.get("team", {}).get("id"), channel, user)
        port.tell(channel, user, await flow.feedback(who, review_id, finding, rule, _HELPFUL[action["action_id"]]))

    for action_id in _HELPFUL:
        app.action(action_id)(feedback)
