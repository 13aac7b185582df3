"""The Slack app: bolt's AsyncApp with the coach's listeners (one module per kind of listener),
and SlackPort, the chat flow's way to post, update and find messages in Slack.

Every request is answered only after what it asks for is stored (bolt's process_before_response):
a review request goes into the outbox first, so a crash never loses an acknowledged request and
Slack redelivers an unacknowledged one (the outbox keeps one review per message). Logs hold ids
and sizes, never message text.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import re
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.chat.flow import ChatFlow
from bot.chat.port import Actor, DeliveryError, Marker, Place, Prepared
from bot.config import Config
from bot.mention import parse_request
from bot.review.model import Draft, Review
from bot.slack import transport
from bot.slack.blocks import howto_blocks, no_text_blocks, review_blocks, review_text
from bot.slack.reminders import promise_buttons, reminder_message
from bot.store import OutboxRow, PromiseRow

log = logging.getLogger("webcare.slack")

_LINK = re.compile(r"<(?:mailto:)?([^<>|]+)\|([^<>]+)>")
_BARE_LINK = re.compile(r"<((?:https?|mailto):[^<>|]+)>")
_OTHER_MENTION = re.compile(r"<[@#!]([^<>|]+)(?:\|([^<>]+))?>")
# Web API errors that no retry can fix: the review is given up at once
_PERMANENT = frozenset({"channel_not_found", "not_in_channel", "is_archived", "msg_too_long", "invalid_blocks",
                        "no_text", "invalid_metadata_format", "account_inactive", "token_revoked"})
_TIMEOUT_SECONDS = 10  # per Web API call; well within the outbox's lease


def plain_text(mrkdwn: str, bot_user_id: str | None) -> str:
    """Slack's message markup back to the text the agent typed; the coach's own mention removed."""
    text = mrkdwn
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^<>]*)?>", "", text)
    text = _LINK.sub(lambda m: m.group(2) if m.group(1).startswith("mailto:") or "@" in m.group(1) else m.group(1), text)
    text = _BARE_LINK.sub(lambda m: m.group(1).removeprefix("mailto:"), text)
    text = _OTHER_MENTION.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    return html.unescape(text).strip()


async def web_api(call: Any) -> Any:
    """Await a Web API call; a failure as a DeliveryError saying whether it may have arrived."""
    try:
        return await call
    except SlackApiError as exc:
        status, error = exc.response.status_code, str(exc.response.get("error") or "")
        if status == 429:
            retry_after = str(exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after") or "")
            raise DeliveryError("ratelimited", maybe_delivered=False,
                                retry_after=float(retry_after) if retry_after.isdigit() else 1.0) from None
        if status >= 500:
            raise DeliveryError(f"HTTP {status}", maybe_delivered=True) from None
        raise DeliveryError(error or f"HTTP {status}", maybe_delivered=False, permanent=error in _PERMANENT) from None
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise DeliveryError(type(exc).__name__, maybe_delivered=True) from None


class SlackPort:
    """The chat flow's port to Slack: Block Kit messages in a channel's threads."""

    platform = "slack"

    def __init__(self, client: AsyncWebClient, config: Config):
        self.client, self.config = client, config
        self.language = config.language
        self.identity = SlackIdentity(client)
        self._notes: set[asyncio.Task[Any]] = set()

    def address_user(self, user: str) -> str:
        return f"<@{user}>"

    def render_review(self, review: Review, *, review_id: str, promise_ids: list[str], pending: bool) -> dict[str, Any]:
        """The review, with a "callback done" button per tracked promise (within Slack's 50 blocks)."""
        blocks = review_blocks(review, language=self.language, review_id=review_id, llm_pending=pending)
        buttons = [promise_buttons(promise_id, self.language) for promise_id in promise_ids[:10]]
        return {"text": review_text(review, language=self.language), "blocks": blocks[: 50 - len(buttons)] + buttons}

    def render_howto(self, *, has_files: bool) -> dict[str, Any]:
        blocks = no_text_blocks(language=self.language) if has_files else howto_blocks(language=self.language)
        return {"text": blocks[0]["text"]["text"], "blocks": blocks}

    def render_reminder(self, promise: PromiseRow, *, kind: str, attempt: int, due: str) -> dict[str, Any]:
        return reminder_message(promise, agent=self.address_user(promise.agent), kind=kind, attempt=attempt, due=due,
                                config=self.config)

    async def prepare(self, row: OutboxRow) -> Prepared:
        """A mention's text was stored; a reaction's message, and a thread's first message (the
        customer's), are fetched now."""
        request = json.loads(row.request)
        bot_user = request.get("bot_user")
        text, has_files, thread, agent = request.get("text"), bool(request.get("files")), None, None
        parent = request.get("parent")
        if "fetch" in request:
            message = await self._message(row.channel, request["fetch"])
            if message is None or message.get("bot_id"):
                return Prepared(None, skip=True)
            text, has_files = plain_text(message.get("text", ""), bot_user), bool(message.get("files"))
            thread, agent = message.get("thread_ts") or message["ts"], message.get("user")
            parent = thread if thread != message["ts"] else None
        asked = parse_request(text or "")
        if not asked.draft:
            return Prepared(None, has_files=has_files, thread=thread, agent=agent)
        customer = asked.customer
        if customer is None and parent:
            first = await self._thread_parent(row.channel, parent)
            customer = plain_text(first.get("text", ""), bot_user) if first else None
        social = asked.channel or self.config.slack.channels.get(row.channel)
        return Prepared(Draft(asked.draft, customer, social), thread=thread, agent=agent)

    async def _thread_parent(self, channel: str, thread_ts: str) -> dict[str, Any] | None:
        response = await web_api(self.client.conversations_replies(channel=channel, ts=thread_ts, limit=1))
        messages = response.get("messages") or []
        return messages[0] if messages else None

    async def _message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """A message by its ts, at the top level of the channel or inside a thread."""
        history = await web_api(self.client.conversations_history(channel=channel, latest=ts, inclusive=True, limit=1))
        for message in history.get("messages") or []:
            if message.get("ts") == ts:
                return message
        try:
            replies = await web_api(self.client.conversations_replies(channel=channel, ts=ts))
        except DeliveryError as exc:
            if str(exc) == "thread_not_found":
                return None
            raise
        return next((m for m in replies.get("messages") or [] if m.get("ts") == ts), None)

    async def post(self, place: Place, message: dict[str, Any], marker: Marker) -> str:
        metadata = {"event_type": marker.event_type, "event_payload": marker.payload}
        response = await web_api(self.client.chat_postMessage(channel=place.channel, thread_ts=place.thread,
                                                              metadata=metadata, **message))
        return response["ts"]

    async def update(self, place: Place, message_id: str, message: dict[str, Any]) -> None:
        fields = {name: value for name, value in message.items() if name in ("text", "blocks")}
        await web_api(self.client.chat_update(channel=place.channel, ts=message_id, **fields))

    async def find(self, place: Place, marker: Marker) -> str | None:
        """The message in the thread that carries `marker` in its metadata."""
        try:
            response = await web_api(self.client.conversations_replies(
                channel=place.channel, ts=place.thread, include_all_metadata=True, limit=1000))
        except DeliveryError as exc:
            if str(exc) == "thread_not_found":
                return None
            raise
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == marker.event_type and metadata.get("event_payload") == marker.payload:
                return message["ts"]
        return None

    def tell(self, channel: str, user: str, text: str) -> None:
        """An ephemeral answer to one user, sent after the request is acknowledged (best effort)."""
        if not (channel and user and text):
            return

        async def send() -> None:
            try:
                await web_api(self.client.chat_postEphemeral(channel=channel, user=user, text=text))
            except DeliveryError as exc:
                log.info("ephemeral answer failed channel=%s: %s", channel, exc)

        task = asyncio.ensure_future(send())
        self._notes.add(task)
        task.add_done_callback(self._notes.discard)


class SlackIdentity:
    """bolt's authorize: the coach's own identity (auth.test), asked once. Until Slack answered,
    a request fails with 500 so that Slack delivers it again; bolt's own authorization would
    answer 200 and drop the event."""

    def __init__(self, client: AsyncWebClient):
        self.client = client
        self.identity: dict[str, Any] | None = None

    async def warm_up(self, _: Any = None) -> None:
        """Ask at start-up already (a failure is asked again with the first request)."""
        with contextlib.suppress(ConnectionError):
            await self.authorize(None, None, None)

    async def authorize(self, enterprise_id: str | None, team_id: str | None, user_id: str | None) -> AuthorizeResult:
        if self.identity is None:
            try:
                self.identity = (await self.client.auth_test()).data
            except (SlackApiError, aiohttp.ClientError, TimeoutError, OSError) as exc:
                raise ConnectionError(f"auth.test failed ({type(exc).__name__}): not acknowledged") from None
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id,
                               bot_token=self.client.token, bot_id=self.identity.get("bot_id"),
                               bot_user_id=self.identity.get("user_id"))


def create_client(config: Config) -> AsyncWebClient:
    """A Web API client without retries of its own: the outbox and the reminder loop retry, and
    look a message up before sending it again, so a retry never doubles a message."""
    return AsyncWebClient(token=config.slack.bot_token, base_url=config.slack.api_url or AsyncWebClient.BASE_URL,
                          timeout=_TIMEOUT_SECONDS, retry_handlers=[])


def create_app(flow: ChatFlow, port: SlackPort) -> AsyncApp:
    settings = flow.config.slack
    async def authorize(enterprise_id: str | None, team_id: str | None, user_id: str | None) -> AuthorizeResult:
        return await port.identity.authorize(enterprise_id, team_id, user_id)  # bolt reads the argument names

    app = AsyncApp(
        client=port.client,
        authorize=authorize,
        signing_secret=settings.signing_secret,
        request_verification_enabled=settings.app_token is None,  # Socket Mode has no HTTP requests to sign
        process_before_response=True,  # acknowledge only what is stored
        logger=logging.getLogger("webcare.slack.bolt"),
    )
    from bot.slack.listeners import actions, commands, events, promises

    for listeners in (events, commands, actions, promises):
        listeners.register(app, flow, port)
    return app


def mount(web_app: Any, flow: ChatFlow) -> str:
    """Slack on `web_app` when configured: the port, and /slack/events or Socket Mode. What it runs."""
    config = flow.config
    if not config.slack.configured:
        return "off"
    port = SlackPort(create_client(config), config)
    flow.add_port(port)
    app = create_app(flow, port)
    web_app.on_startup.append(port.identity.warm_up)
    if config.slack.app_token:
        transport.serve_socket_mode(web_app, app, config.slack.app_token)
        return "socket"
    transport.serve_events_api(web_app, app, config.slack.signing_secret or "")
    return "http"


def actor(workspace: str | None, channel: str | None, user: str | None) -> Actor:
    """Who acts, and where, in Slack terms."""
    return Actor("slack", workspace or "", channel or "", user or "")
