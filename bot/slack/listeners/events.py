"""Events: a mention with a draft, or the review emoji on a message, asks for a review (stored in
the outbox before Slack is answered); ✅ on a review logs its promises done."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.chat.flow import ChatFlow
from bot.chat.port import Place
from bot.slack.app import SlackPort, actor, plain_text

DONE_EMOJIS = frozenset({"white_check_mark", "heavy_check_mark", "ballot_box_with_check"})


def register(app: AsyncApp, flow: ChatFlow, port: SlackPort) -> None:
    @app.event("app_mention")
    async def review_mention(event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext) -> None:
        if event.get("bot_id"):
            return
        thread = event.get("thread_ts") or event["ts"]
        request = {
            "text": plain_text(event.get("text", ""), context.bot_user_id), "files": bool(event.get("files")),
            "parent": thread if thread != event["ts"] else None, "bot_user": context.bot_user_id,
        }
        place = Place("slack", body.get("team_id", ""), event["channel"], thread)
        await flow.request_review(place, event["ts"], event.get("user", ""), json.dumps(request))

    @app.event("reaction_added")
    async def reaction(event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext) -> None:
        item, emoji = event.get("item", {}), event.get("reaction")
        if item.get("type") != "message":
            return
        if emoji in DONE_EMOJIS:
            user = event.get("user", "")
            answer = await flow.review_done(actor(body.get("team_id"), item["channel"], user), item["ts"])
            port.tell(item["channel"], user, answer or "")
        elif emoji in flow.config.slack.review_emojis:
            # the message itself is fetched by the outbox worker: the acknowledgement waits for nothing
            place = Place("slack", body.get("team_id", ""), item["channel"], item["ts"])
            request = {"fetch": item["ts"], "bot_user": context.bot_user_id}
            await flow.request_review(place, item["ts"], event.get("item_user", ""), json.dumps(request))

    @app.event("message")
    async def ignore_other_messages() -> None:
        """Messages without a mention are not for the coach (registered so bolt does not warn)."""
