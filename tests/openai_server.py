"""A local OpenAI-compatible HTTP server for tests of the LLM layer.

The server runs aiohttp in its own event loop on a daemon thread, bound to
127.0.0.1 on a free port, so it serves sync tests and async tests alike (even a
test whose own loop is busy awaiting the client). Tests script its replies and
inspect what it received:

    with OpenAIServer() as server:
        server.script(status(429, headers={"Retry-After": "1"}), ok({"findings": []}))
        client = openai.AsyncOpenAI(base_url=server.url, api_key="test", max_retries=0)
        ...
        assert server.requests[-1].json["model"] == "test-model"
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.loopback_server import LoopbackServer

_ERROR_KINDS: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("permission_error", None),
    404: ("invalid_request_error", "not_found"),
    409: ("invalid_request_error", "conflict"),
    422: ("invalid_request_error", None),
    429: ("rate_limit_error", "rate_limit_exceeded"),
}
_completion_ids = itertools.count(1)


@dataclass(frozen=True)
class Reply:
    """One scripted behaviour of the server; build them with ok(), status(), hang(), raw() and drop()."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False


@dataclass(frozen=True)
class Request:
    """One request as the server received it; header names are lower-cased."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: str
    json: Any
    deployment: str | None = None


def _json_reply(payload: object, *, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    """A reply carrying `payload` as a JSON body."""
    return Reply(status=status, body=json.dumps(payload).encode(), headers=dict(headers or {}))


def _error_body(code: int, message: str) -> dict[str, object]:
    """An OpenAI-style error body for HTTP status `code`."""
    kind, error_code = _ERROR_KINDS.get(code, ("server_error" if code >= 500 else "api_error", None))
    return {"error": {"message": message, "type": kind, "param": None, "code": error_code}}


def ok(
    content: str | dict | list,
    *,
    model: str = "test-model",
    prompt_tokens: int = 120,
    completion_tokens: int = 80,
    finish_reason: str = "stop",
) -> Reply:
    """A 200 chat.completion whose message content is `content` (a dict or list is JSON-encoded)."""
    text = content if isinstance(content, str) else json.dumps(content)
    return _json_reply(
        {
            "id": f"chatcmpl-test-{next(_completion_ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text, "refusal": None},
                    "logprobs": None,
                    "finish_reason": finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
    )


def status(code: int, *, body: dict | str | None = None, headers: dict[str, str] | None = None) -> Reply:
    """An error status with an OpenAI-style error body; a dict `body` is sent as JSON, a str as text/plain."""
    if isinstance(body, str):
        return Reply(status=code, body=body.encode(), content_type="text/plain", headers=dict(headers or {}))
    payload = body if body is not None else _error_body(code, f"Scripted HTTP {code} from the test server")
    return _json_reply(payload, status=code, headers=headers)


def hang(seconds: float, then: Reply | None = None) -> Reply:
    """Wait `seconds` (without blocking other requests), then answer with `then` (default ok("{}"))."""
    reply = then if then is not None else ok("{}")
    return dataclasses.replace(reply, delay=reply.delay + seconds)


def raw(body: str | bytes, *, status: int = 200, content_type: str = "application/json") -> Reply:
    """An arbitrary HTTP body, e.g. invalid JSON."""
    return Reply(status=status, body=body.encode() if isinstance(body, str) else body, content_type=content_type)


def drop() -> Reply:
    """Close the connection without answering (a connection error for the client)."""
    return Reply(drop=True)


def default_reply(request: Request) -> Reply:
    """The server's default answer: a minimal valid review as JSON content."""
    return ok({"findings": [], "summary": "", "rewrite": None})


class OpenAIServer(LoopbackServer):
    """A scripted stand-in for the OpenAI Chat Completions API (and its Azure route form)."""

    name = "openai-test-server"
    # cancel a handler when its client goes away (a client timeout ends a hang)
    runner_options = {"handler_cancellation": True}

    def __init__(self) -> None:
        super().__init__()
        self.default: Reply | Callable[[Request], Reply] = default_reply
        self._lock = threading.Lock()
        self._queue: deque[Reply] = deque()
        self._requests: list[Request] = []

    @property
    def requests(self) -> list[Request]:
        """A snapshot of every received request, in order."""
        with self._lock:
            return list(self._requests)

    def script(self, *replies: Reply) -> None:
        """Queue replies; each chat completion request takes the next one."""
        with self._lock:
            self._queue.extend(replies)

    def reset(self) -> None:
        """Clear the queue and the recorded requests and restore the default reply."""
        with self._lock:
            self._queue.clear()
            self._requests.clear()
            self.default = default_reply

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/v1/chat/completions", self._chat_completions)
        app.router.add_post("/openai/deployments/{deployment}/chat/completions", self._chat_completions)
        app.router.add_get("/v1/models", self._models)
        app.router.add_route("*", "/{tail:.*}", self._not_found)

    @property
    def url(self) -> str:
        """The client's base_url."""
        return f"{self.origin}/v1"

    async def _record(self, request: web.Request) -> Request:
        """Read `request` and append it to the recorded requests."""
        body = (await request.read()).decode("utf-8", errors="replace")
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        received = Request(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            headers={name.lower(): value for name, value in request.headers.items()},
            body=body,
            json=parsed,
            deployment=request.match_info.get("deployment"),
        )
        with self._lock:
            self._requests.append(received)
        return received

    async def _chat_completions(self, request: web.Request) -> web.StreamResponse:
        received = await self._record(request)
        with self._lock:
            reply = self._queue.popleft() if self._queue else None
            default = self.default
        if reply is None:
            reply = default(received) if callable(default) else default
        return await self._answer(request, reply)

    async def _models(self, request: web.Request) -> web.StreamResponse:
        await self._record(request)
        model = {"id": "test-model", "object": "model", "created": 0, "owned_by": "test"}
        return await self._answer(request, _json_reply({"object": "list", "data": [model]}))

    async def _not_found(self, request: web.Request) -> web.StreamResponse:
        await self._record(request)
        message = f"Unknown route: {request.method} {request.path}"
        return await self._answer(request, status(404, body=_error_body(404, message)))

    @staticmethod
    async def _answer(request: web.Request, reply: Reply) -> web.StreamResponse:
        """Turn `reply` into an HTTP response (or a dropped connection)."""
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.drop:
            assert request.transport is not None
            request.transport.close()
            # The closed connection cancels this handler (handler_cancellation); wait for that.
            await asyncio.Future()
        headers = {"Content-Type": reply.content_type, **reply.headers}
        return web.Response(status=reply.status, body=reply.body, headers=headers)
