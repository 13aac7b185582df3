"""`webcare-coach serve`: one asyncio process on one port for every front end of the coach.

/slack/events (Slack's Events API, commands and interactivity over HTTP; Socket Mode instead
when SLACK_APP_TOKEN is set) and /healthz.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.coach import Coach
from bot.config import Config
from bot.store import Store

log = logging.getLogger("webcare.server")


def build_web_app(config: Config) -> web.Application:
    store = Store(config.db_path)
    coach = Coach(config, store)
    web_app = web.Application()
    slack_mode = "off"
    if config.slack.configured:
        slack_mode = _add_slack(web_app, coach, store)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"ok": True, "slack": slack_mode, "llm": coach.llm is not None})

    web_app.router.add_get("/healthz", healthz)
    log.info("serving: slack=%s llm=%s", slack_mode, "on" if coach.llm else "off (rules only)")
    return web_app


def _add_slack(web_app: web.Application, coach: Coach, store: Store) -> str:
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

    from bot.slack.app import create_app

    slack = create_app(coach, store)
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


def serve(config: Config, host: str, port: int) -> None:
    web.run_app(build_web_app(config), host=host, port=port, print=None, access_log=None)
