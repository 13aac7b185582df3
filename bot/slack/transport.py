"""How Slack reaches the bolt app: /slack/events over HTTP, or Socket Mode.

/slack/events checks a request before bolt sees it: bolt parses the body before it checks the
signature, so garbage got a 500 with a traceback, and it logs a rejected body whole. Here the
body is capped (the web app's client_max_size: 413), the timestamp and signature are checked on
the raw bytes (401), and only then is the body decoded and parsed (400 for invalid UTF-8, JSON
or form data). Rejections are logged as one throttled line without content (bot/logs.py).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import parse_body

log = logging.getLogger("webcare.slack")

_MAX_CLOCK_SKEW_SECONDS = 5 * 60  # Slack's own rule for X-Slack-Request-Timestamp
_SOCKET_MODE = web.AppKey("slack_socket_mode", object)


def serve_events_api(web_app: web.Application, app: AsyncApp, signing_secret: str) -> None:
    """POST /slack/events: Events API, slash commands and interactivity, signed by Slack."""
    secret = signing_secret.encode()

    def refuse(status: int, reason: str) -> web.Response:
        log.info("slack request refused: %s", reason, extra={"rejected": True})
        return web.json_response({"error": reason}, status=status)

    async def slack_events(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        if _is_ssl_check(request, body):
            return web.Response(status=200)
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        if not (timestamp.isascii() and timestamp.isdigit()) or abs(time.time() - int(timestamp)) > _MAX_CLOCK_SKEW_SECONDS:
            return refuse(401, "missing or stale X-Slack-Request-Timestamp")
        expected = "v0=" + hmac.new(secret, f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected.encode(), request.headers.get("X-Slack-Signature", "").encode(errors="replace")):
            return refuse(401, "bad signature")
        try:
            text = body.decode("utf-8")
            if not isinstance(parse_body(text, request.content_type), dict):
                raise ValueError("not an object")
        except ValueError:  # UnicodeDecodeError and JSONDecodeError included
            return refuse(400, "body is not Slack's JSON or form data")
        bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=dict(request.headers))
        return await to_aiohttp_response(await app.async_dispatch(bolt_request))

    web_app.router.add_post("/slack/events", slack_events)


def _is_ssl_check(request: web.Request, body: bytes) -> bool:
    """Slack's certificate check for slash commands: unsigned, answered with an empty 200 (as bolt does)."""
    return request.content_type == "application/x-www-form-urlencoded" and (
        ("ssl_check", "1") in parse_qsl(body.decode("latin-1"))
    )


def serve_socket_mode(web_app: web.Application, app: AsyncApp, app_token: str) -> None:
    """Socket Mode: the bot opens a WebSocket to Slack (apps.connections.open on the app's Web API
    client, so SLACK_API_URL applies) and acknowledges each envelope on it.

    The handler is made once the server's event loop runs: slack_sdk's aiohttp client needs a
    running loop when it is created (made earlier, `serve` ended in "no running event loop").
    """
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    async def connect(_: web.Application) -> None:
        handler = AsyncSocketModeHandler(app, app_token)
        web_app[_SOCKET_MODE] = handler
        await handler.connect_async()

    async def disconnect(_: web.Application) -> None:
        handler: Any = web_app.get(_SOCKET_MODE)
        if handler is not None:
            await handler.close_async()

    web_app.on_startup.append(connect)
    web_app.on_cleanup.append(disconnect)
