"""/api/messages for Teams (botbuilder's CloudAdapter), and proactive reminders.

Auth comes from MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType and MicrosoftAppTenantId;
without an app id the endpoint is off, unless `serve --teams-emulator` runs the Bot Framework
Emulator's anonymous local mode (127.0.0.1 and loopback serviceUrls only).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult

from bot.chat.flow import ChatFlow
from bot.teams.auth import TokenValidator, Unauthorized, is_loopback, service_url_allowed
from bot.teams.bot import TeamsCoach
from bot.teams.credentials import SharedCredentialsFactory

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
    """/api/messages on `web_app`, with the Teams port for reviews and reminders. What it runs.

    Off unless MicrosoftAppId is set (every activity then needs the Bot Framework's token) or
    `serve --teams-emulator` runs the Emulator's anonymous mode on 127.0.0.1.
    """
    teams = flow.config.teams
    if not teams.configured:
        return "off"
    settings = BotFrameworkSettings.from_environment()
    if teams.emulator:
        log.warning("Teams: anonymous Bot Framework Emulator mode, loopback only (local use)")
    authentication = ConfigurationBotFrameworkAuthentication(
        settings, credentials_factory=SharedCredentialsFactory(ConfigurationServiceClientCredentialFactory(settings)))
    adapter = CloudAdapter(authentication)
    tokens = TokenValidator(teams) if teams.app_id else None
    if tokens is not None:
        async def fetch_keys(_: web.Application) -> None:
            tokens.keys.prefetch()

        web_app.on_startup.append(fetch_keys)
    bot = TeamsCoach(
        flow, lambda reference, callback: adapter.continue_conversation(reference, callback, settings.APP_ID or None)
    )

    async def on_error(turn_context: TurnContext, error: Exception) -> None:
        log.error("teams turn failed: %s", type(error).__name__, exc_info=error)

    adapter.on_turn_error = on_error

    def refuse(status: int, reason: str) -> web.Response:
        log.info("teams request refused: %s", reason, extra={"rejected": True})
        return web.json_response({"error": reason}, status=status)

    async def messages(request: web.Request) -> web.Response:
        if teams.emulator and not is_loopback(request.remote):
            return refuse(403, "the emulator mode answers loopback clients only")
        try:
            body = json.loads(await request.read())
            if not isinstance(body, dict) or not body.get("type"):
                raise ValueError("no activity type")
            activity = Activity().deserialize(body)
        except (ValueError, TypeError, AttributeError):  # not an activity (or not UTF-8): the sender's fault
            return refuse(400, "not a Bot Framework activity")
        if not service_url_allowed(activity.service_url, teams):
            return refuse(403, "serviceUrl is not a Bot Framework host (see teams.service_url_hosts)")
        authenticated: str | AuthenticateRequestResult = ""
        if tokens is not None:
            try:
                claims = await tokens.authenticate(request.headers.get("Authorization"), activity)
            except Unauthorized as exc:
                return refuse(401, f"unauthorized: {exc}")
            authenticated = tokens.request_result(claims, authentication)
        # process_activity rather than process(): in botbuilder 4.17 process() fails on invoke bodies
        invoke = await adapter.process_activity(authenticated, activity, bot.on_turn)
        if invoke is None:
            return web.Response(status=201)
        return web.json_response(invoke.body, status=invoke.status)

    web_app.router.add_post("/api/messages", messages)
    return "/api/messages"
