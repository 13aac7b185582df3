"""`webcare-coach serve`: one asyncio process on one port for every front end of the coach.

/slack/events (Slack's Events API, commands and interactivity over HTTP; Socket Mode instead
when SLACK_APP_TOKEN is set), /api/messages (Microsoft Teams), /healthz, and the reminder loop
for promised callbacks, and the weekly team digest.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.chat.flow import ChatFlow
from bot.insights.digest import weekly_digest
from bot.coach import Coach
from bot.config import Config, ConfigError, describe_database
from bot.reminders import Reminders
from bot.retention import purge_daily
from bot.store import open_store

log = logging.getLogger("webcare.server")
# Larger request bodies get 413 before anything reads them (Slack and Teams send far less).
MAX_REQUEST_BYTES = 512 * 1024
_LOOPS = web.AppKey("loops", list)


# One line per chat platform: the module whose mount(web_app, flow) adds its port and endpoint.
PLATFORMS = {
    "slack": "bot.slack.app",
    "teams": "bot.teams.app",
}


def build_web_app(config: Config) -> web.Application:
    store = open_store(config.db_path)
    coach = Coach(config, store)
    coach.reviewer.compile_all()
    reminders = Reminders(config, store, senders={})
    flow = ChatFlow(coach, store, reminders)
    web_app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    modes = {name: importlib.import_module(module).mount(web_app, flow) for name, module in PLATFORMS.items()}
    loops = [reminders.run_forever, flow.run_forever, lambda: purge_daily(store, config)]
    digest = weekly_digest(coach, store)  # when insights.digest and a channel are set
    if digest is not None:
        loops.append(digest.run_forever)
    _run_in_background(web_app, *loops)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"ok": True, **modes, "llm": coach.llm is not None})

    web_app.router.add_get("/healthz", healthz)
    _log_platforms(config, modes)
    return web_app


def settle_heap() -> None:
    """Keep what start-up built (the compiled rules, word indexes, automata: it lives as long as
    the process) out of the garbage collector's full passes, which otherwise walk it all and
    stall a review for 40-50 ms every few thousand reviews."""
    gc.collect()
    gc.freeze()


def _log_platforms(config: Config, modes: dict[str, str]) -> None:
    """Which front ends are on and, for each one that is off, the variables it needs (names only)."""
    if modes["slack"] != "off":
        log.info("slack: on (%s)", "Socket Mode" if modes["slack"] == "socket" else "HTTP at /slack/events")
    else:
        missing = [] if config.slack.bot_token else ["SLACK_BOT_TOKEN"]
        if not (config.slack.signing_secret or config.slack.app_token):
            missing.append("SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)")
        log.info("slack: off, needs %s", " and ".join(missing))
    if modes["teams"] != "off":
        log.info("teams: on at /api/messages%s", " (Bot Framework Emulator, anonymous, loopback only)"
                 if config.teams.emulator else "")
    else:
        log.info("teams: off, needs MicrosoftAppId and MicrosoftAppPassword (or serve --teams-emulator)")
    if config.llm.configured:
        log.info("language model: on (%s)", config.llm.model)
    else:
        log.info("language model: off, rules only; %s", "llm.enabled is false in app.yaml" if not config.llm.enabled
                 else "needs OPENAI_API_KEY, OPENAI_BASE_URL or AZURE_OPENAI_ENDPOINT")
    log.info("database: %s", describe_database(config.db_path))  # without a URL's password


def _run_in_background(web_app: web.Application, *loops: Callable[[], Awaitable[None]]) -> None:
    """The due-promise loop and the outbox worker run inside the server's event loop."""

    async def start(app: web.Application) -> None:
        app[_LOOPS] = [asyncio.create_task(loop()) for loop in loops]

    async def stop(app: web.Application) -> None:
        for task in app[_LOOPS]:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    web_app.on_startup.append(start)
    web_app.on_cleanup.append(stop)


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
    settle_heap()
    log.info("listening on http://%s:%d (/healthz)", host, port)
    web.run_app(web_app, sock=sock, print=None, access_log=None)
