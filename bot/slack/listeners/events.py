"""Events: a mention with a draft, or the review emoji on a message, gets a review in the thread."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.mention import parse_request
from bot.slack.app import SlackCoach
from bot.slack.listeners.promises import DONE_EMOJIS, mark_review_done


def register(app: AsyncApp, bot: SlackCoach) -> None:
    @app.event("app_mention")
    async def review_mention(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
        if not bot.first_delivery(body) or event.get("bot_id"):
            return
        channel, thread = event["channel"], event.get("thread_ts") or event["ts"]
        request = parse_request(bot.plain_text(event.get("text", ""), context.bot_user_id))
        if not request.draft:
            await bot.post_help(client, channel, thread, has_files=bool(event.get("files")))
            return
        customer = request.customer
        if customer is None and event.get("thread_ts") not in (None, event["ts"]):
            parent = await bot.thread_parent(client, channel, event["thread_ts"])
            customer = bot.plain_text(parent.get("text", ""), context.bot_user_id) if parent else None
        await bot.review_and_post(
            client, workspace=body.get("team_id", ""), channel=channel, thread_ts=thread,
            agent=event.get("user", ""), draft=request.draft, customer=customer, social_channel=request.channel,
        )

    @app.event("reaction_added")
    async def reaction(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
        item = event.get("item", {})
        emoji = event.get("reaction")
        if item.get("type") != "message" or not bot.first_delivery(body):
            return
        if emoji in DONE_EMOJIS:
            await mark_review_done(bot, client, item["channel"], item["ts"], event.get("user", ""))
        elif emoji in bot.config.slack.review_emojis:
            await review_reacted_message(item, body, client, context)

    async def review_reacted_message(item: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
        channel = item["channel"]
        message = await bot.fetch_message(client, channel, item["ts"])
        if message is None or message.get("bot_id"):
            return
        thread = message.get("thread_ts") or message["ts"]
        request = parse_request(bot.plain_text(message.get("text", ""), context.bot_user_id))
        if not request.draft:
            await bot.post_help(client, channel, thread, has_files=bool(message.get("files")))
            return
        customer = request.customer
        if customer is None and thread != message["ts"]:
            parent = await bot.thread_parent(client, channel, thread)
            customer = bot.plain_text(parent.get("text", ""), context.bot_user_id) if parent else None
        await bot.review_and_post(
            client, workspace=body.get("team_id", ""), channel=channel, thread_ts=thread,
            agent=message.get("user", ""), draft=request.draft, customer=customer, social_channel=request.channel,
        )

    @app.event("message")
    async def ignore_other_messages() -> None:
        """Messages without a mention are not for the coach (registered so bolt does not warn)."""
