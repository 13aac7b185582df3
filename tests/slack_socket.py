"""A local stand-in for Slack's Socket Mode WebSocket, for tests of the bot in Socket Mode.

Point the Web API stand-in's apps.connections.open at it (`slack_api.socket_url = socket.url`).
On each connection it sends `hello`, then every envelope queued with send(); it records the
acknowledgements the bot sends back:

    with SlackSocketServer() as socket:
        slack_api.socket_url = socket.url
        ... start the bot with SLACK_APP_TOKEN ...
        envelope_id = socket.send(json.loads(event_body(mention)))
        await socket.wait_for_ack(envelope_id)
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from typing import Any

from aiohttp import WSMsgType, web

from tests.loopback_server import LoopbackServer
from tests.slack_api import APP_ID


class SlackSocketServer(LoopbackServer):
    name = "slack-socket-test-server"

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._queued: list[dict[str, Any]] = []
        self._acks: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self.connections = 0

    @property
    def url(self) -> str:
        return f"{self.origin.replace('http://', 'ws://')}/link/?ticket=test-ticket"

    def send(self, payload: dict[str, Any], *, kind: str = "events_api") -> str:
        """Queue an envelope (events_api, slash_commands or interactive) for the bot; its id."""
        envelope_id = f"envelope-{next(self._ids)}"
        with self._lock:
            self._queued.append({"envelope_id": envelope_id, "payload": payload, "type": kind,
                                 "accepts_response_payload": kind != "events_api", "retry_attempt": 0,
                                 "retry_reason": ""})
        return envelope_id

    def acks(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._acks)

    async def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for ack in self.acks():
                if ack.get("envelope_id") == envelope_id:
                    return ack
            if time.monotonic() > deadline:
                raise TimeoutError(f"no ack for {envelope_id} within {timeout}s (connections: {self.connections})")
            await asyncio.sleep(0.02)

    def wait_for_ack_sync(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """Blocking form of wait_for_ack(), for sync tests."""
        return asyncio.run(self.wait_for_ack(envelope_id, timeout))

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/link/", self._link)

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.connections += 1
        await socket.send_json({"type": "hello", "num_connections": 1,
                                "debug_info": {"host": "test", "approximate_connection_time": 3600},
                                "connection_info": {"app_id": APP_ID}})
        sender = asyncio.create_task(self._send_queued(socket))
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    with self._lock:
                        self._acks.append(json.loads(message.data))
        finally:
            sender.cancel()
        return socket

    async def _send_queued(self, socket: web.WebSocketResponse) -> None:
        while not socket.closed:
            with self._lock:
                queued, self._queued = self._queued, []
            for envelope in queued:
                await socket.send_json(envelope)
            await asyncio.sleep(0.02)
