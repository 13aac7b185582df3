"""`webcare-coach serve`: one asyncio process on one port for every front end of the coach.

/slack/events (Slack's Events API, commands and interactivity over HTTP; Socket Mode instead
when SLACK_APP_TOKEN is set), /api/messages (Microsoft Teams), /healthz, and the reminder loop
for promised callbacks, and the weekly team digest.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket

from aiohttp import web

from bot.coach import Coach
from bot.config import Config, ConfigError
from bot.reminders import Reminders
from bot.retention import purge_daily
from bot.store import Store

log = logging.getLogger("webcare.server")
_REMINDER_TASK = web.AppKey("reminders", asyncio.Task)
_PURGE_TASK = web.AppKey("purge", asyncio.Task)


def build_web_app(config: Config) -> web.Application:
    store = Store(config.db_path)
    coach = Coach(config, store)
    reminders = Reminders(config, store, senders={})
    web_app = web.Application()
    slack_mode = "off"
    if config.slack.configured:
        slack_mode = _add_slack(web_app, coach, store, reminders)
    from bot.teams.app import add_teams

    add_teams(web_app, coach, store, reminders)
    _run_reminders(web_app, reminders)
    from bot.insights.digest import add_digest

    add_digest(web_app, coach, store)  # the weekly digest, when insights.digest is set
    _run_purge(web_app, store, config)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"ok": True, "slack": slack_mode, "teams": "/api/messages", "llm": coach.llm is not None})

    web_app.router.add_get("/healthz", healthz)
    _log_platforms(config, slack_mode)
    return web_app


def _log_platforms(config: Config, slack_mode: str) -> None:
    """Which front ends are on and, for each one that is off, the variables it needs (names only)."""
    if slack_mode != "off":
        log.info("slack: on (%s)", "Socket Mode" if slack_mode == "socket" else "HTTP at /slack/events")
    else:
        missing = [] if config.slack.bot_token else ["SLACK_BOT_TOKEN"]
        if not (config.slack.signing_secret or config.slack.app_token):
            missing.append("SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)")
        log.info("slack: off, needs %s", " and ".join(missing))
    if os.environ.get("MicrosoftAppId"):
        log.info("teams: on at /api/messages")
    else:
        log.info("teams: local Emulator mode only; Teams needs MicrosoftAppId and MicrosoftAppPassword")
    if config.llm.configured:
        log.info("language model: on (%s)", config.llm.model)
    else:
        log.info("language model: off, rules only; %s", "llm.enabled is false in app.yaml" if not config.llm.enabled
                 else "needs OPENAI_API_KEY, OPENAI_BASE_URL or AZURE_OPENAI_ENDPOINT")
    log.info("database: %s", config.db_path)


def _run_reminders(web_app: web.Application, reminders: Reminders) -> None:
    """The due-promise loop runs inside the server's event loop."""

    async def start(app: web.Application) -> None:
        app[_REMINDER_TASK] = asyncio.create_task(reminders.run_forever())

    async def stop(app: web.Application) -> None:
        app[_REMINDER_TASK].cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await app[_REMINDER_TASK]

    web_app.on_startup.append(start)
    web_app.on_cleanup.append(stop)


def _run_purge(web_app: web.Application, store: Store, config: Config) -> None:
    """Rows past their retention period are purged at start and then once a day."""

    async def start(app: web.Application) -> None:
        app[_PURGE_TASK] = asyncio.create_task(purge_daily(store, config))

    async def stop(app: web.Application) -> None:
        app[_PURGE_TASK].cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await app[_PURGE_TASK]

    web_app.on_startup.append(start)
    web_app.on_cleanup.append(stop)


def _add_slack(web_app: web.Application, coach: Coach, store: Store, reminders: Reminders) -> str:
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

    from bot.slack.app import create_app, create_client
    from bot.slack.reminders import SlackReminderSender

    client = create_client(coach)
    reminders.senders["slack"] = SlackReminderSender(client, coach.config)
    slack = create_app(coach, store, reminders, client)
    if coach.config.slack.app_token:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(slack, coach.config.slack.app_token)

        async def connect(_: web.Application) -> None:
            await handler.connect_async()

        async def disconnect(_: web.Application) -> None:
            await handler.close_async()

        web_app.on_startup.append(connect)
        web_app.on_cleanup.append(disconnect)
        return "socket"

    async def slack_events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await slack.async_dispatch(await to_bolt_request(request)))

    web_app.router.add_post("/slack/events", slack_events)
    return "http"


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything starts: a busy port is one clear error."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family)
    except OSError as exc:  # busy, not allowed, or no such address
        reason = os.strerror(exc.errno) if exc.errno and exc.errno > 0 else exc.strerror or str(exc)
        raise ConfigError(f"cannot listen on {host}:{port}: {reason} (choose another --port or --host)") from None


def serve(config: Config, host: str, port: int) -> None:
    sock = _listen(host, port)
    web_app = build_web_app(config)
    log.info("listening on http://%s:%d (/healthz)", host, port)
    web.run_app(web_app, sock=sock, print=None, access_log=None)
