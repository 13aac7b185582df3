"""/api/messages for Teams (botbuilder's CloudAdapter), and proactive reminders.

Auth comes from MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType and MicrosoftAppTenantId;
with no app id the endpoint runs in the Bot Framework Emulator's anonymous local mode.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass

from aiohttp import web
from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ConversationReference

from bot.callbacks import due_label
from bot.coach import Coach
from bot.reminders import Reminders
from bot.store import Claim, Store
from bot.teams.bot import TeamsCoach
from bot.teams.cards import reminder_card

log = logging.getLogger("webcare.teams")


@dataclass(frozen=True)
class BotFrameworkSettings:
    """The attribute names botbuilder's ConfigurationBotFrameworkAuthentication reads."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str

    @classmethod
    def from_environment(cls) -> BotFrameworkSettings:
        env = os.environ
        return cls(env.get("MicrosoftAppId", ""), env.get("MicrosoftAppPassword", ""),
                   env.get("MicrosoftAppType", "MultiTenant"), env.get("MicrosoftAppTenantId", ""))

    def __repr__(self) -> str:
        return f"BotFrameworkSettings(app_id={self.APP_ID!r}, type={self.APP_TYPE!r})"


class TeamsReminderSender:
    """Proactive reminders into the promise's conversation (its stored conversation reference).

    Teams offers no way to look a sent message up through the Bot Framework, so a reminder whose
    send crashed before it was recorded is sent again: at least once there, not exactly once.
    """

    def __init__(self, adapter: CloudAdapter, settings: BotFrameworkSettings, coach: Coach):
        self.adapter, self.settings, self.config = adapter, settings, coach.config

    async def send(self, claim: Claim) -> str:
        promise = claim.promise
        reference = ConversationReference().deserialize(json.loads(promise["conversation"]))
        card = reminder_card(
            promise, language=self.config.language, kind=claim.kind, attempt=claim.attempt,
            due_label=due_label(promise["due"], self.config), agent_name=promise["agent"],
            escalate_to=self.config.reminders.escalate_to,
        )
        sent: list[str] = []

        async def deliver(turn_context: TurnContext) -> None:
            response = await turn_context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))
            sent.append(response.id if response else "")

        await self.adapter.continue_conversation(reference, deliver, self.settings.APP_ID or None)
        return sent[0] if sent else ""

    async def find(self, claim: Claim) -> str | None:
        return None


def add_teams(web_app: web.Application, coach: Coach, store: Store, reminders: Reminders) -> None:
    settings = BotFrameworkSettings.from_environment()
    if not settings.APP_ID:
        log.warning("Teams: no MicrosoftAppId, /api/messages runs in the Emulator's anonymous mode (local use only)")
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(settings))
    bot = TeamsCoach(
        coach, store, reminders,
        continue_conversation=lambda reference, callback: adapter.continue_conversation(reference, callback, settings.APP_ID or None),
    )
    reminders.senders["teams"] = TeamsReminderSender(adapter, settings, coach)

    async def on_error(turn_context: TurnContext, error: Exception) -> None:
        log.error("teams turn failed: %s", type(error).__name__, exc_info=error)

    adapter.on_turn_error = on_error

    async def messages(request: web.Request) -> web.Response:
        try:
            body = json.loads(await request.text())
            if not isinstance(body, dict) or not body.get("type"):
                raise ValueError("no activity type")
            activity = Activity().deserialize(body)
        except (ValueError, TypeError, AttributeError) as exc:  # not an activity: the sender's fault
            return web.json_response({"error": f"not a Bot Framework activity: {exc}"}, status=400)
        # process_activity rather than process(): in botbuilder 4.17 process() fails on invoke bodies
        try:
            invoke = await adapter.process_activity(request.headers.get("Authorization", ""), activity, bot.on_turn)
        except PermissionError:
            return web.json_response({"error": "unauthorized"}, status=401)
        if invoke is None:
            return web.Response(status=201)
        return web.json_response(invoke.body, status=invoke.status)

    web_app.router.add_post("/api/messages", messages)
