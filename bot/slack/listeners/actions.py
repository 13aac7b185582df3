"""Block actions: an agent marks a finding helpful or not right; stored for rule precision."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.app import SlackCoach

log = logging.getLogger("webcare.slack")
_VERDICTS = {"feedback_helpful": "helpful", "feedback_wrong": "wrong"}
_THANKS = {"nl": "Dank je, je feedback is bewaard.", "en": "Thanks, your feedback is saved."}


def register(app: AsyncApp, bot: SlackCoach) -> None:
    async def feedback(ack: AsyncAck, action: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        try:
            value = json.loads(action.get("value") or "")
            review_id, finding, rule = str(value["review"]), int(value["finding"]), str(value["rule"])
        except (ValueError, KeyError, TypeError):
            log.warning("feedback with an unreadable value ignored")
            return
        user = body.get("user", {}).get("id", "")
        bot.store.record_feedback(review_id, finding, rule, _VERDICTS[action["action_id"]], user)
        channel = body.get("channel", {}).get("id")
        if channel and user:
            await client.chat_postEphemeral(channel=channel, user=user, text=_THANKS[bot.language])

    for action_id in _VERDICTS:
        app.action(action_id)(feedback)
