"""A local Slack Web API server, plus signed Events API request builders, for tests of the bot.

The server runs aiohttp in its own event loop on a daemon thread, bound to 127.0.0.1 on a
free port, so sync tests and async tests (whose own loop awaits the client) can both use it.
It keeps a small conversation store, so what the bot posts can be fetched back, takes file
uploads (files.getUploadURLExternal hands out an upload URL on this server), records every
call, and fails on demand:

    with SlackAPIServer() as server:
        client = AsyncWebClient(token="xoxb-test", base_url=server.url)
        parent = server.add_message("C1", "Customer: where is my parcel?")
        server.fail_next("chat.postMessage", status=429, retry_after=1)
        server.fail_for(6, status=500)                       # an outage: every call fails for 6 s
        server.fail_for(6, status=500, after_delivery=True)  # it posts, then answers 500
        ...
        [call] = await server.wait_for("chat.postMessage")
        assert call.args["thread_ts"] == parent
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import http.client
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from tests.loopback_server import LoopbackServer

TEAM_ID = "T1"
APP_ID = "A1"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
VERIFICATION_TOKEN = "verification-token"
AUTH_TEST = {
    "ok": True,
    "url": "https://test.slack.com/",
    "team": "Test",
    "user": "webcare-coach",
    "team_id": TEAM_ID,
    "user_id": BOT_USER_ID,
    "bot_id": BOT_ID,
}
# Slack sends the token's scopes with every response; Bolt reads them from auth.test.
SCOPES = "app_mentions:read,channels:history,chat:write,commands,groups:history,im:history,reactions:write,users:read"
# Fields that clients may send as JSON-encoded strings inside a form body.
_JSON_FIELDS = ("blocks", "attachments")
_FIRST_TS = 1_700_000_000 * 1_000_000  # microseconds; the first new ts is one step above it
_TS_STEP = 100


@dataclass(frozen=True)
class Call:
    """One Web API call as received; `args` merges the query with the form or JSON body."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    time: float


@dataclass(frozen=True)
class _Failure:
    """A scripted failure for the next call to one method."""

    status: int
    error: str | None
    retry_after: int | None

    def response(self) -> web.Response:
        """A 5xx with a plain body, or a JSON {"ok": false} body with `status`."""
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}
        if self.status >= 500:
            text = self.error or http.client.responses.get(self.status, "Server Error")
            return web.Response(status=self.status, text=text, headers=headers)
        return web.json_response({"ok": False, "error": self.error}, status=self.status, headers=headers)


@dataclass(frozen=True)
class _Outage:
    """Every call fails until `until` (monotonic): before doing anything, or after doing it."""

    until: float
    failure: _Failure
    after_delivery: bool


def _ts_value(ts: str) -> int:
    """A Slack ts ("1700000000.000100") as integer microseconds, for ordering and ranges."""
    seconds, _, fraction = str(ts).partition(".")
    return int(seconds) * 1_000_000 + int((fraction + "000000")[:6])


def _format_ts(value: int) -> str:
    """Integer microseconds as a Slack ts."""
    return f"{value // 1_000_000}.{value % 1_000_000:06d}"


def _flag(value: Any) -> bool:
    """A boolean argument as clients send it: True, 1, "1" or "true"."""
    return str(value).lower() in {"1", "true"}


def _in_range(ts: str, args: dict[str, Any]) -> bool:
    """Whether `ts` lies within the call's `oldest`/`latest` bounds (exclusive unless `inclusive`)."""
    value, inclusive = _ts_value(ts), _flag(args.get("inclusive"))
    if args.get("oldest") is not None:
        oldest = _ts_value(args["oldest"])
        if value < oldest or (value == oldest and not inclusive):
            return False
    if args.get("latest") is not None:
        latest = _ts_value(args["latest"])
        if value > latest or (value == latest and not inclusive):
            return False
    return True


def _is_reply(message: dict[str, Any]) -> bool:
    """Whether `message` is a thread reply (as opposed to a parent or a plain message)."""
    return message.get("thread_ts", message["ts"]) != message["ts"]


async def _read_args(request: web.Request) -> dict[str, Any]:
    """The call's arguments: query parameters overlaid with the form or JSON body."""
    args: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        text = await request.text()
        body = json.loads(text) if text.strip() else {}
        if isinstance(body, dict):
            args.update(body)
    else:
        args.update(await request.post())
    for name in _JSON_FIELDS:
        if isinstance(args.get(name), str):
            try:
                args[name] = json.loads(args[name])
            except ValueError:
                pass
    return args


class SlackAPIServer(LoopbackServer):
    """A stand-in for https://slack.com/api/ with an in-memory store of channel messages."""

    name = "slack-api-test-server"

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._failures: defaultdict[str, deque[_Failure]] = defaultdict(deque)
        self._messages: defaultdict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self._files: dict[str, dict[str, Any]] = {}
        self._last_ts = _FIRST_TS
        self._outage: _Outage | None = None
        self.socket_url: str | None = None  # what apps.connections.open answers

    # -- inspection and scripting -------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """A snapshot of every call received, in order (failed ones included)."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """The calls received for `method`, e.g. "chat.postMessage", in order."""
        with self._lock:
            return [call for call in self._calls if call.method == method]

    @property
    def messages(self) -> dict[str, dict[str, dict[str, Any]]]:
        """A deep copy of the store: channel -> ts -> message."""
        with self._lock:
            return copy.deepcopy({channel: dict(stored) for channel, stored in self._messages.items()})

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        """A deep copy of the uploaded files: id -> name, title, alt_txt, length, data (the bytes
        POSTed to the upload URL, or None), completed, channel (where it was shared, or None)."""
        with self._lock:
            return copy.deepcopy(self._files)

    def add_message(
        self,
        channel: str,
        text: str,
        *,
        user: str = "U123",
        ts: str | None = None,
        thread_ts: str | None = None,
        **extra: Any,
    ) -> str:
        """Seed a message (a thread reply when `thread_ts` is given) and return its ts.

        `extra` adds fields such as bot_id or files. Seed the bot's own messages with
        user=BOT_USER_ID, bot_id=BOT_ID: chat.update only edits messages by the bot.
        """
        with self._lock:
            if ts is None:
                ts = self._next_ts()
            else:
                self._last_ts = max(self._last_ts, _ts_value(ts))
            message: dict[str, Any] = {"type": "message", "user": user, "text": text, "ts": ts}
            if thread_ts is not None:
                message["thread_ts"] = thread_ts
            message.update(extra)
            self._messages[channel][ts] = message
            return ts

    def fail_next(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls to `method` fail, without touching the store.

        status=429 answers {"ok": false, "error": "ratelimited"} with Retry-After (default 1);
        status>=500 answers a plain-text body; any other status answers {"ok": false, "error": error}.
        """
        if status == 429:
            error = error or "ratelimited"
            retry_after = 1 if retry_after is None else retry_after
        elif status < 500 and error is None:
            raise ValueError(f"fail_next({method!r}, status={status}) needs an error code, e.g. 'channel_not_found'")
        with self._lock:
            self._failures[method].extend([_Failure(status, error, retry_after)] * times)

    def fail_for(self, seconds: float, *, status: int, retry_after: int | None = None,
                 after_delivery: bool = False) -> None:
        """Make every call fail for the next `seconds`, as fail_next() answers. With
        `after_delivery` each call is carried out first (a message is posted) and then answered
        with the failure: the client cannot tell whether it arrived."""
        if status == 429:
            failure = _Failure(429, "ratelimited", 1 if retry_after is None else retry_after)
        elif status >= 500:
            failure = _Failure(status, None, retry_after)
        else:
            raise ValueError("fail_for() takes status 429 or 5xx")
        with self._lock:
            self._outage = _Outage(time.monotonic() + seconds, failure, after_delivery)

    def reset(self) -> None:
        """Forget calls, pending failures and messages, and restart the ts sequence."""
        with self._lock:
            self._outage = None
            self._calls.clear()
            self._failures.clear()
            self._messages.clear()
            self._files.clear()
            self._last_ts = _FIRST_TS

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until `count` calls to `method` arrived and return them all; TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            calls = self.calls_to(method)
            if len(calls) >= count:
                return calls
            if time.monotonic() >= deadline:
                raise self._timeout(method, count, timeout)
            await asyncio.sleep(0.01)

    def wait_for_sync(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Blocking form of wait_for(), for sync tests."""
        return asyncio.run(self.wait_for(method, count, timeout))

    def _timeout(self, method: str, count: int, timeout: float) -> TimeoutError:
        received = [call.method for call in self.calls]
        return TimeoutError(f"expected {count} call(s) to {method} within {timeout}s; received {received}")

    # -- lifecycle ----------------------------------------------------------------------

    def add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/api/{method}", self._handle)
        app.router.add_post("/upload/v1/{file_id}", self._upload)

    @property
    def url(self) -> str:
        """The client's base_url, shaped like https://slack.com/api/ (urljoin keeps /api/)."""
        return f"{self.origin}/api/"

    # -- request handling ---------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        """Record the call, then answer with a scripted failure or the method's result."""
        method = request.match_info["method"]
        args = await _read_args(request)
        headers = {name.lower(): value for name, value in request.headers.items()}
        with self._lock:
            self._calls.append(Call(method, args, headers, time.monotonic()))
            failures = self._failures.get(method)
            if failures:
                return failures.popleft().response()
            outage = self._outage if self._outage and time.monotonic() < self._outage.until else None
            if outage and not outage.after_delivery:
                return outage.failure.response()
            if not headers.get("authorization", "").startswith("Bearer ") and not args.get("token"):
                payload: dict[str, Any] = {"ok": False, "error": "not_authed"}
            else:
                payload = self._dispatch(method, args)
            if outage:
                return outage.failure.response()
            # Serialize under the lock: the payload may share dicts with the store.
            body = json.dumps(payload)
        return web.Response(text=body, content_type="application/json", headers={"X-OAuth-Scopes": SCOPES})

    def _dispatch(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        """The result of `method`; the caller holds the lock."""
        match method:
            case "auth.test":
                return dict(AUTH_TEST)
            case "chat.postMessage":
                return self._post_message(args)
            case "chat.update":
                return self._update(args)
            case "chat.postEphemeral":
                return {"ok": True, "message_ts": self._next_ts()}
            case "conversations.replies":
                return self._replies(args)
            case "conversations.history":
                return self._history(args)
            case "users.info":
                return self._user_info(args)
            case "files.getUploadURLExternal":
                return self._upload_url(args)
            case "files.completeUploadExternal":
                return self._complete_upload(args)
            case "apps.connections.open":  # Socket Mode: the URL of a SlackSocketServer (tests/slack_socket.py)
                return {"ok": True, "url": self.socket_url} if self.socket_url else {"ok": False, "error": "invalid_auth"}
            case _:
                return {"ok": True}

    def _next_ts(self) -> str:
        """A new ts later than every ts handed out or seeded so far."""
        self._last_ts += _TS_STEP
        return _format_ts(self._last_ts)

    def _post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not any(args.get(name) for name in ("text", "blocks", "attachments")):
            return {"ok": False, "error": "no_text"}
        ts = self._next_ts()
        message: dict[str, Any] = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "text": args.get("text", ""),
            "ts": ts,
        }
        for name in ("blocks", "attachments", "thread_ts", "metadata", "reply_broadcast"):
            if args.get(name):
                message[name] = args[name]
        if isinstance(message.get("metadata"), str):  # form-encoded clients send it as JSON text
            message["metadata"] = json.loads(message["metadata"])
        self._messages[channel][ts] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    # -- file uploads: files.getUploadURLExternal, POST to the upload URL, files.completeUploadExternal

    def _upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        """An upload URL on this server for a file of `length` bytes."""
        filename, length = args.get("filename"), str(args.get("length", ""))
        if not filename or not length.isdigit() or int(length) <= 0:
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{len(self._files) + 1:010d}"
        self._files[file_id] = {"id": file_id, "name": filename, "title": filename, "alt_txt": args.get("alt_txt"),
                                "length": int(length), "data": None, "completed": False, "channel": None}
        return {"ok": True, "upload_url": f"{self.origin}/upload/v1/{file_id}", "file_id": file_id}

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL: the file's bytes as the raw body, as Slack's file servers take them."""
        file_id = request.match_info["file_id"]
        data = await request.read()
        headers = {name.lower(): value for name, value in request.headers.items()}
        with self._lock:
            self._calls.append(Call("upload", {"file_id": file_id, "length": len(data)}, headers, time.monotonic()))
            file = self._files.get(file_id)
            if file is None or file["completed"]:
                return web.Response(status=404, text="Not Found")
            file["data"] = data
        return web.Response(text=f"OK - {len(data)}")

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        """Finish uploads; with channel_id, share them there in one new message (a thread reply
        with thread_ts), with initial_comment or blocks."""
        try:
            wanted = json.loads(args["files"]) if isinstance(args.get("files"), str) else args.get("files")
            ids = [(item["id"], item.get("title")) for item in wanted]
        except (KeyError, TypeError, ValueError):
            return {"ok": False, "error": "invalid_arguments"}
        for file_id, _ in ids:
            file = self._files.get(file_id)
            if file is None:
                return {"ok": False, "error": "file_not_found"}
            if file["data"] is None or len(file["data"]) != file["length"]:
                return {"ok": False, "error": "file_upload_size_mismatch"}
        channel = args.get("channel_id")
        shared = []
        for file_id, title in ids:
            file = self._files[file_id]
            file.update(completed=True, channel=channel, title=title or file["name"])
            shared.append({key: file[key] for key in ("id", "name", "title", "alt_txt")} | {"size": file["length"]})
        if channel:
            message: dict[str, Any] = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID,
                                       "team": TEAM_ID, "text": args.get("initial_comment") or "", "ts": self._next_ts(),
                                       "files": shared, "upload": True}
            blocks = args.get("blocks")
            if blocks and not args.get("initial_comment"):
                message["blocks"] = json.loads(blocks) if isinstance(blocks, str) else blocks
            if args.get("thread_ts"):
                message["thread_ts"] = args["thread_ts"]
            self._messages[channel][message["ts"]] = message
        return {"ok": True, "files": [{"id": f["id"], "title": f["title"]} for f in shared]}

    def _update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = args.get("channel"), args.get("ts")
        message = self._messages.get(channel or "", {}).get(ts or "")
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        if message.get("user") != BOT_USER_ID:
            return {"ok": False, "error": "cant_update_message"}
        # As in Slack, omitted blocks or attachments are kept; send [] to remove them.
        for name in ("text", "blocks", "attachments"):
            if name in args:
                message[name] = args[name]
        message["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
        return {"ok": True, "channel": channel, "ts": ts, "text": message.get("text", ""), "message": message}

    def _with_thread_info(self, channel: str, message: dict[str, Any]) -> dict[str, Any]:
        """`message` with the reply_count etc. Slack adds to a thread's parent."""
        replies = sorted(
            (m for m in self._messages[channel].values() if _is_reply(m) and m["thread_ts"] == message["ts"]),
            key=lambda m: _ts_value(m["ts"]),
        )
        if not replies:
            return message
        users = list(dict.fromkeys(reply.get("user", "") for reply in replies))
        return message | {
            "thread_ts": message["ts"],
            "reply_count": len(replies),
            "reply_users": users,
            "reply_users_count": len(users),
            "latest_reply": replies[-1]["ts"],
        }

    def _replies(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = args.get("channel", ""), args.get("ts", "")
        parent = self._messages.get(channel, {}).get(ts)
        if parent is None:
            return {"ok": False, "error": "thread_not_found"}
        replies = sorted(
            (
                m
                for m in self._messages[channel].values()
                if _is_reply(m) and m["thread_ts"] == ts and _in_range(m["ts"], args)
            ),
            key=lambda m: _ts_value(m["ts"]),
        )
        thread = [self._with_thread_info(channel, parent), *replies]
        limit = int(args.get("limit") or 1000)
        return {"ok": True, "messages": thread[:limit], "has_more": len(thread) > limit}

    def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel", "")
        # Like Slack, history lists top-level messages (and thread broadcasts), not replies.
        listed = sorted(
            (
                m
                for m in self._messages.get(channel, {}).values()
                if (not _is_reply(m) or m.get("subtype") == "thread_broadcast") and _in_range(m["ts"], args)
            ),
            key=lambda m: _ts_value(m["ts"]),
            reverse=True,
        )
        limit = int(args.get("limit") or 100)
        messages = [self._with_thread_info(channel, m) for m in listed[:limit]]
        return {"ok": True, "messages": messages, "has_more": len(listed) > limit}

    @staticmethod
    def _user_info(args: dict[str, Any]) -> dict[str, Any]:
        user = args.get("user")
        if not user:
            return {"ok": False, "error": "user_not_found"}
        name = f"user-{user.lower()}"
        return {
            "ok": True,
            "user": {
                "id": user,
                "team_id": TEAM_ID,
                "name": name,
                "real_name": name.title(),
                "is_bot": user == BOT_USER_ID,
                "tz": "Europe/Amsterdam",
                "tz_label": "Central European Time",
                "tz_offset": 3600,
                "profile": {"real_name": name.title(), "display_name": name},
            },
        }


# -- signed requests from Slack to the bot ------------------------------------------------


def signed_headers(
    body: str, signing_secret: str, timestamp: int | None = None, retry_num: int | None = None
) -> dict[str, str]:
    """The headers Slack sends with `body`, signed with `signing_secret` (v0 scheme)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(signing_secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    is_json = body.lstrip().startswith("{")
    headers = {
        "Content-Type": "application/json" if is_json else "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": f"v0={digest}",
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return headers


def event_body(
    event: dict[str, Any], *, event_id: str = "Ev1", team_id: str = TEAM_ID, api_app_id: str = APP_ID
) -> str:
    """An Events API event_callback envelope around `event`, as JSON."""
    event_time = int(float(event.get("event_ts") or event.get("ts") or time.time()))
    return json.dumps(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "context_team_id": team_id,
            "context_enterprise_id": None,
            "api_app_id": api_app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": event_time,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": team_id,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
    )


def slash_command_body(
    command: str, text: str, *, user_id: str = "U123", channel_id: str = "C1", response_url: str
) -> str:
    """A slash command invocation, form-encoded in the field order Slack uses."""
    return urlencode(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM_ID,
            "team_domain": "test",
            "channel_id": channel_id,
            "channel_name": "webcare",
            "user_id": user_id,
            "user_name": f"user-{user_id.lower()}",
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": "1700000000.1.trigger",
        }
    )


def block_actions_body(
    action_id: str,
    value: str,
    *,
    user_id: str = "U123",
    channel_id: str = "C1",
    message_ts: str = "1700000000.000100",
    response_url: str,
    message: dict[str, Any] | None = None,
) -> str:
    """A button click on a bot message, sent as Slack sends interactivity: payload=<JSON>.

    `message` is the clicked message as Slack includes it (default: a bare bot message).
    """
    clicked = message or {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "text": "", "ts": message_ts}
    name = f"user-{user_id.lower()}"
    payload = {
        "type": "block_actions",
        "user": {"id": user_id, "username": name, "name": name, "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel_id, "is_ephemeral": False},
        "trigger_id": "1700000000.2.trigger",
        "team": {"id": TEAM_ID, "domain": "test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": "webcare"},
        "message": clicked,
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "actions",
                "text": {"type": "plain_text", "text": action_id, "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})
