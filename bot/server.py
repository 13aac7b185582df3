"""`webcare-coach serve`: one asyncio process on one port for every front end of the coach.

/slack/events (Slack's Events API, commands and interactivity over HTTP; Socket Mode instead
when SLACK_APP_TOKEN is set), /api/messages (Microsoft Teams), /healthz, and the reminder loop
for promised callbacks.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.chat.flow import ChatFlow
from bot.coach import Coach
from bot.config import Config
from bot.reminders import Reminders
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
    reminders = Reminders(config, store, senders={})
    flow = ChatFlow(coach, store, reminders)
    web_app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    modes = {name: importlib.import_module(module).mount(web_app, flow) for name, module in PLATFORMS.items()}
    _run_in_background(web_app, reminders.run_forever, flow.run_forever)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"ok": True, **modes, "llm": coach.llm is not None})

    web_app.router.add_get("/healthz", healthz)
    log.info("serving: %s llm=%s", " ".join(f"{k}={v}" for k, v in modes.items()), "on" if coach.llm else "off (rules only)")
    return web_app


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


def serve(config: Config, host: str, port: int) -> None:
    web.run_app(build_web_app(config), host=host, port=port, print=None, access_log=None)
