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
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity

from bot.chat.flow import ChatFlow
from bot.teams.bot import TeamsCoach

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


def mount(web_app: web.Application, flow: ChatFlow) -> str:
    """/api/messages on `web_app`, with the Teams port for reviews and reminders. What it runs."""
    settings = BotFrameworkSettings.from_environment()
    if not settings.APP_ID:
        log.warning("Teams: no MicrosoftAppId, /api/messages runs in the Emulator's anonymous mode (local use only)")
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(settings))
    bot = TeamsCoach(
        flow, lambda reference, callback: adapter.continue_conversation(reference, callback, settings.APP_ID or None)
    )

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
    return "/api/messages"
