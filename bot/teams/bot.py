"""The coach in Microsoft Teams: a thin TeamsActivityHandler that parses activities into the
chat flow's calls, and TeamsPort, the flow's way to post and update cards in a conversation.

Reviews are posted by the outbox as proactive messages into the conversation (its stored
conversation reference), so the turn only stores the request and ends at once. The Bot Framework
cannot look a sent message up: a send whose outcome is unknown is sent again (at least once).

Only this module and teams/app.py know botbuilder; moving to the Microsoft 365 Agents SDK
(botbuilder-python was archived at the end of 2025) touches this folder and nothing else.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.core.teams.teams_activity_extensions import teams_get_channel_data
from botbuilder.schema import Activity, ConversationReference, InvokeResponse, ThumbnailCard
from botbuilder.schema.teams import (
    MessagingExtensionAttachment,
    MessagingExtensionQuery,
    MessagingExtensionResponse,
    MessagingExtensionResult,
)

from bot.chat.flow import ChatFlow
from bot.chat.port import Actor, DeliveryError, Marker, Place, Prepared
from bot.config import Config
from bot.mention import parse_request
from bot.review.model import Draft, Review
from bot.store import OutboxRow, PromiseRow
from bot.teams.cards import guideline_card, guideline_preview, howto_card, reminder_card, review_attachment, text_summary

log = logging.getLogger("webcare.teams")
_LOOKUP = re.compile(r"^\s*(richtlijn|richtlijnen|guideline|guidelines)\b[:\s]*(.*)$", re.IGNORECASE | re.DOTALL)
_QUOTED_REPLY = re.compile(r"<blockquote[^>]*>(.*?)</blockquote>", re.IGNORECASE | re.DOTALL)
_PROMISE_VERBS = {"callback_done": "done", "promise_cancel": "cancel"}

ContinueConversation = Callable[[ConversationReference, Callable[[TurnContext], Awaitable[None]]], Awaitable[Any]]


def _as_quote(match: re.Match[str]) -> str:
    lines = plain_text(match.group(1)).splitlines()
    return "\n" + "\n".join(f"> {line}" for line in lines if line.strip()) + "\n"


def plain_text(markup: str) -> str:
    """Teams' message HTML back to text: line breaks kept, a quote (what "> " becomes in the
    compose box) as "> " lines again, tags dropped, entities decoded."""
    text = _QUOTED_REPLY.sub(_as_quote, markup)
    text = re.sub(r"<br\s*/?>|</p>|</div>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text).replace("\xa0", " ").strip()


def _tenant(activity: Any) -> str:
    """Teams sends tenantId, which botbuilder's Conversation model misses: read channelData."""
    channel_data = teams_get_channel_data(activity)
    return channel_data.tenant.id if channel_data and channel_data.tenant else ""


def _conversation(activity: Any) -> str:
    """The conversation (a channel, group chat or 1:1 chat), without the thread part Teams adds
    to a channel conversation's id (";messageid=…"): a promise belongs to its channel."""
    return (activity.conversation.id if activity.conversation else "").split(";messageid=")[0]


def actor(activity: Any) -> Actor:
    """Who acts, and where: the sender's AAD object id when Teams sends it (that is what `leads`
    lists), else their Teams user id."""
    sender = activity.from_property
    user = (getattr(sender, "aad_object_id", None) or sender.id) if sender else ""
    return Actor("teams", _tenant(activity), _conversation(activity), user or "")


def _delivery_error(exc: Exception) -> DeliveryError:
    """A Bot Connector failure: 429 and 4xx did not arrive; anything else may have."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    if status == 429:
        retry_after = (getattr(response, "headers", None) or {}).get("Retry-After")
        return DeliveryError("HTTP 429", maybe_delivered=False, retry_after=float(retry_after) if retry_after else None)
    if isinstance(status, int) and 400 <= status < 500:
        return DeliveryError(f"HTTP {status}", maybe_delivered=False, permanent=status in (401, 403, 404))
    return DeliveryError(type(exc).__name__ if status is None else f"HTTP {status}", maybe_delivered=True)


class TeamsPort:
    """The chat flow's port to Teams: Adaptive Cards sent into a conversation proactively."""

    platform = "teams"

    def __init__(self, continue_conversation: ContinueConversation, config: Config):
        self.continue_conversation, self.config = continue_conversation, config
        self.language = config.language

    def address_user(self, user: str) -> str:
        return user

    def render_review(self, review: Review, *, review_id: str, promise_ids: list[str], pending: bool) -> Activity:
        reply = MessageFactory.attachment(review_attachment(review, language=self.language, review_id=review_id,
                                                            promise_ids=promise_ids, llm_pending=pending))
        reply.text = text_summary(review, language=self.language)
        return reply

    def render_howto(self, *, has_files: bool) -> Activity:
        return MessageFactory.attachment(CardFactory.adaptive_card(howto_card(language=self.language)))

    def render_reminder(self, promise: PromiseRow, *, kind: str, attempt: int, due: str) -> Activity:
        card = reminder_card(promise.id, promise.text, language=self.language, kind=kind, attempt=attempt,
                             due_label=due, agent_name=self.address_user(promise.agent),
                             escalate_to=self.config.reminders.escalate_to)
        return MessageFactory.attachment(CardFactory.adaptive_card(card))

    async def prepare(self, row: OutboxRow) -> Prepared:
        request = json.loads(row.request)
        return Prepared(Draft(request["draft"], request.get("customer"), request.get("channel")))

    async def _in_conversation(self, place: Place, work: Callable[[TurnContext], Awaitable[None]]) -> None:
        """Run `work` in the conversation; a failure as a DeliveryError. (The adapter hands an
        exception inside the turn to its on_turn_error and returns normally: catch it first.)"""
        reference = ConversationReference().deserialize(json.loads(place.address))
        failures: list[Exception] = []

        async def guarded(turn_context: TurnContext) -> None:
            try:
                await work(turn_context)
            except Exception as exc:  # noqa: BLE001 - botbuilder raises many kinds
                failures.append(exc)

        try:
            await self.continue_conversation(reference, guarded)
        except Exception as exc:  # noqa: BLE001 - e.g. no token for the conversation's service
            failures.append(exc)
        if failures:
            raise _delivery_error(failures[0])

    async def post(self, place: Place, message: Activity, marker: Marker) -> str:
        sent: list[str] = []

        async def send(turn_context: TurnContext) -> None:
            response = await turn_context.send_activity(message)
            sent.append(response.id if response and response.id else "")

        await self._in_conversation(place, send)
        return sent[0] if sent else ""

    async def update(self, place: Place, message_id: str, message: Activity) -> None:
        message.id = message_id

        async def update(turn_context: TurnContext) -> None:
            await turn_context.update_activity(message)

        await self._in_conversation(place, update)

    async def find(self, place: Place, marker: Marker) -> str | None:
        return None  # the Bot Framework cannot look a message up: at least once


class TeamsCoach(TeamsActivityHandler):
    def __init__(self, flow: ChatFlow, continue_conversation: ContinueConversation):
        """`continue_conversation(reference, callback)`: the adapter's way into a conversation
        after the turn, for posting reviews and reminders."""
        super().__init__()
        self.flow = flow
        self.language = flow.language
        self.port = TeamsPort(continue_conversation, flow.config)
        flow.add_port(self.port)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if isinstance(activity.value, dict) and activity.value.get("verb"):  # an Action.Submit click
            await turn_context.send_activity(await self._act(activity.value, activity))
            return
        TurnContext.remove_recipient_mention(activity)
        text = plain_text(activity.text or "")
        if lookup := _LOOKUP.match(text):
            query = lookup.group(2).strip()
            card = guideline_card(await self.flow.guidelines(query), query, language=self.language)
            await turn_context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))
            return
        asked = parse_request(text)
        if not asked.draft:
            await turn_context.send_activity(self.port.render_howto(has_files=False))
            return
        request = {"draft": asked.draft, "customer": asked.customer or self._quoted_reply(activity),
                   "channel": asked.channel}
        reference = TurnContext.get_conversation_reference(activity)
        place = Place("teams", _tenant(activity), _conversation(activity), activity.reply_to_id or activity.id or "",
                      json.dumps(reference.serialize()))
        user = activity.from_property.id if activity.from_property else ""
        await self.flow.request_review(place, activity.id or "", user, json.dumps(request))

    @staticmethod
    def _quoted_reply(activity: Any) -> str | None:
        """The message the agent replies to, as Teams quotes it in the message's HTML."""
        for attachment in activity.attachments or []:
            content = attachment.content if isinstance(attachment.content, str) else ""
            if found := _QUOTED_REPLY.search(content):
                return plain_text(found.group(1)) or None
        return None

    async def _act(self, data: dict[str, Any], activity: Any) -> str:
        """A card button: feedback on a finding, or a promise logged done or cancelled."""
        verb = data.get("verb") or data.get("action")
        if verb in _PROMISE_VERBS:
            return await self.flow.promise_action(actor(activity), _PROMISE_VERBS[verb], str(data.get("promise", "")))
        try:
            review_id, finding, rule = str(data["review"]), int(data["finding"]), str(data["rule"])
        except (KeyError, ValueError, TypeError):
            log.warning("card action with unreadable data ignored")
            return self.flow.say("bad_feedback")
        return await self.flow.feedback(actor(activity), review_id, finding, rule, data.get("verdict") == "helpful")

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """Card buttons (Action.Execute) answer with a message; the rest as botbuilder does."""
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        action = (activity.value or {}).get("action") or {}
        message = await self._act({**(action.get("data") or {}), "verb": action.get("verb")}, activity)
        body = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": message}
        return InvokeResponse(status=200, body=body)

    async def on_teams_messaging_extension_query(self, turn_context: TurnContext, query: MessagingExtensionQuery) -> MessagingExtensionResponse:
        text = next((p.value for p in query.parameters or [] if p.name == "searchQuery"), "") or ""
        found = (await self.flow.guidelines(text, limit=10))[:10]
        attachments = []
        for guideline in found:
            card = CardFactory.adaptive_card(guideline_preview(guideline, language=self.language))
            preview = CardFactory.thumbnail_card(ThumbnailCard(title=guideline.title, text=guideline.summary))
            attachments.append(MessagingExtensionAttachment(content_type=card.content_type, content=card.content, preview=preview))
        return MessagingExtensionResponse(compose_extension=MessagingExtensionResult(type="result", attachment_layout="list", attachments=attachments))
