"""The coach in Microsoft Teams: a thin TeamsActivityHandler around the same core as Slack.

Only this module and teams/app.py know botbuilder; moving to the Microsoft 365 Agents SDK
(botbuilder-python was archived at the end of 2025) touches these two and nothing else.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.core.teams.teams_activity_extensions import teams_get_channel_data
from botbuilder.schema import ConversationReference, InvokeResponse, ThumbnailCard
from botbuilder.schema.teams import (
    MessagingExtensionAttachment,
    MessagingExtensionQuery,
    MessagingExtensionResponse,
    MessagingExtensionResult,
)

from bot.callbacks import log_promise
from bot.coach import Coach
from bot.config import ConfigError
from bot.mention import parse_request
from bot.reminders import Reminders
from bot.review.engine import ReviewError
from bot.review.model import Draft
from bot.store import Store
from bot.teams.cards import guideline_card, guideline_preview, howto_card, review_attachment, text_summary

log = logging.getLogger("webcare.teams")
_LOOKUP = re.compile(r"^\s*(richtlijn|richtlijnen|guideline|guidelines)\b[:\s]*(.*)$", re.IGNORECASE | re.DOTALL)
_QUOTED_REPLY = re.compile(r"<blockquote[^>]*>(.*?)</blockquote>", re.IGNORECASE | re.DOTALL)
_THANKS = {"nl": "Dank je, je feedback is bewaard.", "en": "Thanks, your feedback is saved."}


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


class TeamsCoach(TeamsActivityHandler):
    def __init__(self, coach: Coach, store: Store, reminders: Reminders,
                 continue_conversation: Callable[[ConversationReference, Callable[[TurnContext], Awaitable[None]]], Awaitable[Any]] | None = None):
        """`continue_conversation(reference, callback)`: the adapter's way back into a
        conversation after the turn, for the language model's update (Teams wants an answer
        to each activity within 15 s; the model may take 20)."""
        super().__init__()
        self.coach, self.store, self.reminders = coach, store, reminders
        self.continue_conversation = continue_conversation
        self.config = coach.config
        self.language = coach.config.language
        self._updates: set[asyncio.Task[None]] = set()

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if isinstance(activity.value, dict) and activity.value.get("verb"):  # an Action.Submit click
            await turn_context.send_activity(self._act(activity.value, activity.from_property.id))
            return
        TurnContext.remove_recipient_mention(activity)
        text = plain_text(activity.text or "")
        if lookup := _LOOKUP.match(text):
            await self._send_guidelines(turn_context, lookup.group(2).strip())
            return
        request = parse_request(text)
        if not request.draft:
            await turn_context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(howto_card(language=self.language))))
            return
        await self._review(turn_context, request.draft, request.customer or self._quoted_reply(activity), request.channel)

    @staticmethod
    def _quoted_reply(activity: Any) -> str | None:
        """The message the agent replies to, as Teams quotes it in the message's HTML."""
        for attachment in activity.attachments or []:
            content = attachment.content if isinstance(attachment.content, str) else ""
            if found := _QUOTED_REPLY.search(content):
                return plain_text(found.group(1)) or None
        return None

    async def _send_guidelines(self, turn_context: TurnContext, query: str) -> None:
        corpus = self.coach.reviewer.corpus
        found = corpus.search(query) if query else list(corpus.guidelines.values())
        card = guideline_card(found, query, language=self.language)
        await turn_context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))

    async def _review(self, turn_context: TurnContext, text: str, customer: str | None, channel: str | None) -> None:
        activity = turn_context.activity
        draft = Draft(text, customer, channel)
        try:
            review = self.coach.review_rules(draft)
        except (ReviewError, ConfigError):
            await turn_context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(howto_card(language=self.language))))
            return
        review_id = uuid.uuid4().hex[:16]
        reference = TurnContext.get_conversation_reference(activity)
        conversation = json.dumps(reference.serialize())
        promise_ids = [
            self.reminders.track(p, platform="teams", workspace=self._tenant(activity),
                                 channel=activity.conversation.id, thread=activity.reply_to_id or activity.id or "",
                                 review_id=review_id, agent=activity.from_property.id, conversation=conversation)
            for p in review.promises
        ]
        pending = self.coach.llm is not None
        reply = MessageFactory.attachment(review_attachment(review, language=self.language, review_id=review_id,
                                                            promise_ids=promise_ids, llm_pending=pending))
        reply.text = text_summary(review, language=self.language)
        sent = await turn_context.send_activity(reply)
        self._save(review_id, review, activity, sent.id if sent else "")
        log.info("review sent conversation=%s chars=%d findings=%d", activity.conversation.id, len(text), len(review.findings))
        if not pending or sent is None:
            return
        if self.continue_conversation is None:  # no way back later: update within this turn
            await self._update(turn_context, draft, review_id, promise_ids, sent.id)
            return
        reference = TurnContext.get_conversation_reference(activity)

        async def later() -> None:
            await self.continue_conversation(
                reference, lambda context: self._update(context, draft, review_id, promise_ids, sent.id, activity)
            )

        task = asyncio.create_task(later())
        self._updates.add(task)
        task.add_done_callback(self._updates.discard)

    async def _update(self, turn_context: TurnContext, draft: Draft, review_id: str, promise_ids: list[str],
                      message_id: str, activity: Any = None) -> None:
        """Replace the rules review with the language model's."""
        full = await self.coach.review(draft)
        update = MessageFactory.attachment(review_attachment(full, language=self.language, review_id=review_id,
                                                             promise_ids=promise_ids))
        update.text, update.id = text_summary(full, language=self.language), message_id
        await turn_context.update_activity(update)
        self._save(review_id, full, activity or turn_context.activity, message_id)

    @staticmethod
    def _tenant(activity: Any) -> str:
        """Teams sends tenantId, which botbuilder's Conversation model misses: read channelData."""
        channel_data = teams_get_channel_data(activity)
        return channel_data.tenant.id if channel_data and channel_data.tenant else ""

    def _save(self, review_id: str, review: Any, activity: Any, message: str) -> None:
        self.store.save_review(
            review_id, platform="teams", workspace=self._tenant(activity),
            channel=activity.conversation.id, thread=activity.reply_to_id or activity.id or "", message=message,
            agent=activity.from_property.id, verdict=review.verdict,
            findings=[(f.rule, f.category) for f in review.findings],
        )

    def _act(self, data: dict[str, Any], user: str) -> str:
        """A card button: feedback on a finding, or a promise logged done or cancelled."""
        verb = data.get("verb") or data.get("action")
        if verb == "feedback":
            try:
                self.store.record_feedback(str(data["review"]), int(data["finding"]), str(data["rule"]),
                                           "helpful" if data.get("verdict") == "helpful" else "wrong", user)
            except (KeyError, ValueError, TypeError):
                log.warning("feedback with unreadable data ignored")
        if verb in ("callback_done", "promise_cancel"):
            return log_promise(self.config, self.store, self.reminders, "done" if verb == "callback_done" else "cancel",
                               str(data.get("promise", "")))
        return _THANKS[self.language]

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """Card buttons (Action.Execute) answer with a message; the rest as botbuilder does."""
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        action = (activity.value or {}).get("action") or {}
        data = {**(action.get("data") or {}), "verb": action.get("verb")}
        message = self._act(data, activity.from_property.id)
        body = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": message}
        return InvokeResponse(status=200, body=body)

    async def on_teams_messaging_extension_query(self, turn_context: TurnContext, query: MessagingExtensionQuery) -> MessagingExtensionResponse:
        text = next((p.value for p in query.parameters or [] if p.name == "searchQuery"), "") or ""
        corpus = self.coach.reviewer.corpus
        found = corpus.search(text, limit=10) if text.strip() else list(corpus.guidelines.values())[:10]
        attachments = []
        for guideline in found:
            card = CardFactory.adaptive_card(guideline_preview(guideline, language=self.language))
            preview = CardFactory.thumbnail_card(ThumbnailCard(title=guideline.title, text=guideline.summary))
            attachments.append(MessagingExtensionAttachment(content_type=card.content_type, content=card.content, preview=preview))
        return MessagingExtensionResponse(compose_extension=MessagingExtensionResult(type="result", attachment_layout="list", attachments=attachments))
