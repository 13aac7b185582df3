"""The Slack app: bolt's AsyncApp with the coach's listeners (one module per kind of listener).

Reviews are posted in the draft's thread at once (rules only), then updated with the language
model's findings and rewrite when one is configured. Each Events API delivery is answered once,
also when Slack retries it. Logs hold ids and sizes, never message text.
"""

from __future__ import annotations

import html
import logging
import re
import uuid
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.coach import Coach
from bot.config import ConfigError
from bot.review.engine import ReviewError
from bot.review.model import Draft, Review
from bot.reminders import Reminders
from bot.slack.blocks import howto_blocks, no_text_blocks, review_blocks, review_text
from bot.slack.reminders import promise_buttons
from bot.store import Store

log = logging.getLogger("webcare.slack")

_LINK = re.compile(r"<(?:mailto:)?([^<>|]+)\|([^<>]+)>")
_BARE_LINK = re.compile(r"<((?:https?|mailto):[^<>|]+)>")
_OTHER_MENTION = re.compile(r"<[@#!]([^<>|]+)(?:\|([^<>]+))?>")


class SlackCoach:
    """What the listeners share: the coach, the store, the reminders and the Slack-specific steps."""

    def __init__(self, coach: Coach, store: Store, reminders: Reminders):
        self.coach, self.store, self.reminders = coach, store, reminders
        self.config = coach.config

    @property
    def language(self) -> str:
        return self.config.language

    def first_delivery(self, body: dict[str, Any]) -> bool:
        """False for an event Slack delivers again (X-Slack-Retry-Num): it was answered already."""
        event_id = body.get("event_id")
        return event_id is None or self.store.claim_event(event_id)

    @staticmethod
    def plain_text(mrkdwn: str, bot_user_id: str | None) -> str:
        """Slack's message markup back to the text the agent typed; the coach's own mention removed."""
        text = mrkdwn
        if bot_user_id:
            text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^<>]*)?>", "", text)
        text = _LINK.sub(lambda m: m.group(2) if m.group(1).startswith("mailto:") or "@" in m.group(1) else m.group(1), text)
        text = _BARE_LINK.sub(lambda m: m.group(1).removeprefix("mailto:"), text)
        text = _OTHER_MENTION.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
        return html.unescape(text).strip()

    async def thread_parent(self, client: AsyncWebClient, channel: str, thread_ts: str) -> dict[str, Any] | None:
        response = await client.conversations_replies(channel=channel, ts=thread_ts, limit=1)
        messages = response.get("messages") or []
        return messages[0] if messages else None

    async def fetch_message(self, client: AsyncWebClient, channel: str, ts: str) -> dict[str, Any] | None:
        """A message by its ts, at the top level of the channel or inside a thread."""
        history = await client.conversations_history(channel=channel, latest=ts, inclusive=True, limit=1)
        for message in history.get("messages") or []:
            if message.get("ts") == ts:
                return message
        replies = await client.conversations_replies(channel=channel, ts=ts)
        return next((m for m in replies.get("messages") or [] if m.get("ts") == ts), None)

    async def post_help(self, client: AsyncWebClient, channel: str, thread_ts: str, has_files: bool) -> None:
        blocks = no_text_blocks(language=self.language) if has_files else howto_blocks(language=self.language)
        await client.chat_postMessage(channel=channel, thread_ts=thread_ts, blocks=blocks, text=blocks[0]["text"]["text"])

    async def review_and_post(
        self, client: AsyncWebClient, *, workspace: str, channel: str, thread_ts: str, agent: str,
        draft: str, customer: str | None, social_channel: str | None,
    ) -> None:
        """The rules review in the thread at once; the model's review replaces it when ready."""
        request = Draft(draft, customer, social_channel or self.config.slack.channels.get(channel))
        try:
            review = self.coach.review_rules(request)
        except (ReviewError, ConfigError) as exc:
            log.info("not reviewed channel=%s thread=%s: %s", channel, thread_ts, exc)
            await self.post_help(client, channel, thread_ts, has_files=False)
            return
        review_id = uuid.uuid4().hex[:16]
        promise_ids = [
            self.reminders.track(p, platform="slack", workspace=workspace, channel=channel, thread=thread_ts,
                                 review_id=review_id, agent=agent)
            for p in review.promises
        ]
        pending = self.coach.llm is not None
        posted = await client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=review_text(review, language=self.language),
            blocks=self._blocks(review, review_id, promise_ids, pending),
        )
        self._save(review_id, review, workspace, channel, thread_ts, posted["ts"], agent)
        log.info(
            "review posted channel=%s thread=%s chars=%d findings=%d promises=%d",
            channel, thread_ts, len(draft), len(review.findings), len(review.promises),
        )
        if not pending:
            return
        full = await self.coach.review(request)
        try:
            await client.chat_update(
                channel=channel, ts=posted["ts"], text=review_text(full, language=self.language),
                blocks=self._blocks(full, review_id, promise_ids, pending=False),
            )
        except SlackApiError as exc:
            log.warning("review update failed channel=%s ts=%s: %s", channel, posted["ts"], exc.response.get("error"))
            return
        self._save(review_id, full, workspace, channel, thread_ts, posted["ts"], agent)

    def _blocks(self, review: Review, review_id: str, promise_ids: list[str], pending: bool) -> list[dict[str, Any]]:
        """The review, with a "callback done" button per tracked promise (within Slack's 50 blocks)."""
        blocks = review_blocks(review, language=self.language, review_id=review_id, llm_pending=pending)
        buttons = [promise_buttons(promise_id, self.language) for promise_id in promise_ids]
        return blocks[: 50 - len(buttons[:10])] + buttons[:10]

    def _save(self, review_id: str, review: Review, workspace: str, channel: str, thread: str, message: str, agent: str) -> None:
        self.store.save_review(
            review_id, platform="slack", workspace=workspace, channel=channel, thread=thread, message=message,
            agent=agent, verdict=review.verdict, findings=[(f.rule, f.category) for f in review.findings],
        )


def create_client(coach: Coach) -> AsyncWebClient:
    settings = coach.config.slack
    return AsyncWebClient(
        token=settings.bot_token,
        base_url=settings.api_url or AsyncWebClient.BASE_URL,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def create_app(coach: Coach, store: Store, reminders: Reminders, client: AsyncWebClient) -> AsyncApp:
    settings = coach.config.slack
    app = AsyncApp(
        client=client,
        signing_secret=settings.signing_secret,
        request_verification_enabled=settings.app_token is None,  # Socket Mode has no HTTP requests to sign
        logger=logging.getLogger("webcare.slack.bolt"),
    )
    from bot.slack.listeners import actions, commands, events, promises

    bot = SlackCoach(coach, store, reminders)
    for listeners in (events, commands, actions, promises):
        listeners.register(app, bot)
    return app
