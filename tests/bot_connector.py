"""A local Bot Framework Connector (REST API v3) server, plus Teams activity builders, for tests of the bot.

The server stands in for Teams' serviceUrl (https://smba.trafficmanager.net/emea/): put its
`url` in the activities you post to the bot, and botbuilder's ConnectorClient sends the bot's
replies, updates and proactive messages here. It records every call, answers each send with a
new activity id, serves conversation members, and fails on demand:

    with BotConnectorServer() as connector:
        activity = message_activity("review: Hoi Sanne!", service_url=connector.url)
        ... POST `activity` to the bot's /api/messages ...
        [reply] = await connector.wait_for_activities()
        assert reply["_reply_to"] == activity["id"]
        connector.fail_next(status=429)
"""

from __future__ import annotations

import asyncio
import copy
import html
import http.client
import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypedDict, Unpack
from zoneinfo import ZoneInfo

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.loopback_server import LoopbackServer

BOT_ID = "28:bot"
BOT_NAME = "Webcare Coach"
USER_ID = "29:user"
USER_NAME = "Sanne"
AAD_ID = "aad-1"
TENANT_ID = "t1"
TEAM_ID = "19:team@thread.tacv2"
CONVERSATION_ID = "19:chan@thread.tacv2;messageid=1"  # a reply thread in a team channel
LOCAL_TIMEZONE = "Europe/Amsterdam"
LOCALE = "nl-NL"
# Bot Framework tokens: the server publishes SIGNING_KEY's public half (as Microsoft does at
# login.botframework.com) and bot_token() signs like the Bot Connector does.
SIGNING_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KEY_ID = "test-signing-key"
ISSUER = "https://api.botframework.com"
# Teams message ids are epoch milliseconds; invoke ids start with "f:".
_FIRST_ACTIVITY_ID = 1_700_000_000_000
_activity_ids = itertools.count(1)


@dataclass(frozen=True)
class Call:
    """One request as received; `path` is percent-decoded, header names are lower-cased."""

    method: str
    path: str
    json: Any
    headers: dict[str, str]
    time: float


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> web.Response:
    """A Bot Connector ErrorResponse: {"error": {"code", "message"}}."""
    return web.json_response({"error": {"code": code, "message": message}}, status=status, headers=headers)


def member(member_id: str, name: str, aad_object_id: str, *, tenant_id: str = TENANT_ID) -> dict[str, Any]:
    """A Teams channel account as GET .../members returns it."""
    given, _, surname = name.partition(" ")
    email = f"{name.lower().replace(' ', '.')}@example.com"
    return {
        "id": member_id,
        "name": name,
        "aadObjectId": aad_object_id,
        "givenName": given,
        "surname": surname or None,
        "email": email,
        "userPrincipalName": email,
        "tenantId": tenant_id,
        "userRole": "user",
    }


class BotConnectorServer(LoopbackServer):
    """A stand-in for the Bot Connector service that Teams activities name as their serviceUrl."""

    name = "bot-connector-test-server"

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._sent: list[dict[str, Any]] = []
        self._failures: deque[int] = deque()
        self._members: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self.keys_delay = 0.0  # seconds before the signing keys are served (a slow key host)
        self.reset()

    # -- inspection and scripting -------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """A snapshot of every request received, in order (failed ones included)."""
        with self._lock:
            return list(self._calls)

    def sent(self) -> list[dict[str, Any]]:
        """The activities the bot sent and the server accepted, in order, as the JSON bodies.

        Each carries hints from the URL and the answer: `_conversation` (the conversation id),
        `_id` (the activity id answered, or the one updated), `_reply_to` (the activity replied
        to, else None) and `_updated` (the activity replaced by a PUT, else None). An activity in
        a create-conversation call counts too, with the new conversation's id.
        """
        with self._lock:
            return copy.deepcopy(self._sent)

    def add_member(self, member_id: str, name: str, aad_object_id: str, **extra: Any) -> dict[str, Any]:
        """Add (or replace) a conversation member; `extra` overrides fields such as email."""
        account = {**member(member_id, name, aad_object_id), **extra}
        with self._lock:
            self._members[member_id] = account
        return account

    def fail_next(self, *, status: int, times: int = 1) -> None:
        """Make the next `times` writes (send, reply, update, create conversation) fail with `status`.

        The body is a Bot Connector ErrorResponse; a 429 carries Retry-After: 1.
        """
        with self._lock:
            self._failures.extend([status] * times)

    def reset(self) -> None:
        """Forget calls, sent activities and pending failures; members back to the default user."""
        with self._lock:
            self._calls.clear()
            self._sent.clear()
            self._failures.clear()
            self._members = {USER_ID: member(USER_ID, USER_NAME, AAD_ID)}
            self._ids = itertools.count(1)

    async def wait_for_activities(self, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Wait until `count` activities were sent and return them all; TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            sent = self.sent()
            if len(sent) >= count:
                return sent
            if time.monotonic() >= deadline:
                raise self._timeout(count, timeout)
            await asyncio.sleep(0.01)

    def wait_for_activities_sync(self, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Blocking form of wait_for_activities(), for sync tests."""
        return asyncio.run(self.wait_for_activities(count, timeout))

    def _timeout(self, count: int, timeout: float) -> TimeoutError:
        received = [f"{call.method} {call.path}" for call in self.calls]
        return TimeoutError(f"expected {count} sent activit(ies) within {timeout}s; received {received}")

    # -- lifecycle ----------------------------------------------------------------------

    def add_routes(self, app: web.Application) -> None:
        activities = "/v3/conversations/{conversation_id}/activities"
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_post(activities, self._write_activity)
        app.router.add_post(activities + "/{activity_id}", self._write_activity)
        app.router.add_put(activities + "/{activity_id}", self._write_activity)
        app.router.add_get("/v3/conversations/{conversation_id}/members", self._members_list)
        app.router.add_get("/v3/conversations/{conversation_id}/members/{member_id}", self._member)
        app.router.add_get("/v1/.well-known/openidconfiguration", self._openid_configuration)
        app.router.add_get("/v1/keys", self._signing_keys)
        app.router.add_route("*", "/{tail:.*}", self._not_found)

    @property
    def openid_metadata_url(self) -> str:
        """The bot's BOTFRAMEWORK_OPENID_METADATA: this server's keys instead of Microsoft's."""
        return f"{self.origin}/v1/.well-known/openidconfiguration"

    @property
    def url(self) -> str:
        """The serviceUrl for activities; with a trailing slash, as Teams sends it (the client strips it)."""
        return f"{self.origin}/"

    # -- request handling ---------------------------------------------------------------

    async def _record(self, request: web.Request) -> Call:
        """Read `request` and append it to the recorded calls."""
        body = await request.text()
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        headers = {name.lower(): value for name, value in request.headers.items()}
        call = Call(request.method, request.path, parsed, headers, time.monotonic())
        with self._lock:
            self._calls.append(call)
        return call

    def _take_failure(self) -> web.Response | None:
        """The response for a scripted failure, if one is pending; the caller holds the lock."""
        if not self._failures:
            return None
        status = self._failures.popleft()
        reason = http.client.responses.get(status, "Error")
        headers = {"Retry-After": "1"} if status == 429 else None
        return _error(status, reason.replace(" ", ""), f"Scripted HTTP {status} from the test server", headers)

    def _next_id(self) -> str:
        """A new Teams-style activity id; the caller holds the lock."""
        return str(_FIRST_ACTIVITY_ID + next(self._ids))

    async def _write_activity(self, request: web.Request) -> web.Response:
        """Send (POST .../activities), reply (POST .../activities/{id}) or update (PUT .../activities/{id})."""
        call = await self._record(request)
        conversation = request.match_info["conversation_id"]
        target = request.match_info.get("activity_id")
        with self._lock:
            if failure := self._take_failure():
                return failure
            if not isinstance(call.json, dict) or not call.json.get("type"):
                return _error(400, "BadArgument", "The body is not an activity")
            updated = target if request.method == "PUT" else None
            activity_id = updated or self._next_id()
            self._sent.append(
                {
                    **call.json,
                    "_conversation": conversation,
                    "_id": activity_id,
                    "_reply_to": None if updated else target,
                    "_updated": updated,
                }
            )
        return web.json_response({"id": activity_id})

    async def _create_conversation(self, request: web.Request) -> web.Response:
        """A new conversation: a new thread when channelData names a channel, else a 1:1 chat."""
        call = await self._record(request)
        with self._lock:
            if failure := self._take_failure():
                return failure
            parameters = call.json if isinstance(call.json, dict) else {}
            activity_id = self._next_id()
            channel = ((parameters.get("channelData") or {}).get("channel") or {}).get("id")
            conversation = f"{channel};messageid={activity_id}" if channel else f"a:conversation-{activity_id}"
            if isinstance(parameters.get("activity"), dict):
                self._sent.append(
                    {
                        **parameters["activity"],
                        "_conversation": conversation,
                        "_id": activity_id,
                        "_reply_to": None,
                        "_updated": None,
                    }
                )
        return web.json_response({"id": conversation, "activityId": activity_id, "serviceUrl": self.url})

    async def _members_list(self, request: web.Request) -> web.Response:
        await self._record(request)
        with self._lock:
            return web.json_response(list(self._members.values()))

    async def _member(self, request: web.Request) -> web.Response:
        await self._record(request)
        with self._lock:
            account = self._members.get(request.match_info["member_id"])
        if account is None:
            return _error(404, "MemberNotFoundInConversation", "The member is not in the conversation")
        return web.json_response(account)

    async def _openid_configuration(self, request: web.Request) -> web.Response:
        await self._record(request)
        return web.json_response({"issuer": ISSUER, "jwks_uri": f"{self.origin}/v1/keys",
                                  "id_token_signing_alg_values_supported": ["RS256"]})

    async def _signing_keys(self, request: web.Request) -> web.Response:
        await self._record(request)
        await asyncio.sleep(self.keys_delay)
        key = {**json.loads(RSAAlgorithm.to_jwk(SIGNING_KEY.public_key())), "kid": KEY_ID, "use": "sig",
               "endorsements": ["msteams", "emulator", "webchat"]}
        return web.json_response({"keys": [key]})

    async def _not_found(self, request: web.Request) -> web.Response:
        await self._record(request)
        return _error(404, "NotFound", f"Unknown route: {request.method} {request.path}")


def emulator_mode(config: Any) -> Any:
    """`config` as `serve --teams-emulator` runs it: /api/messages anonymous, loopback serviceUrls only."""
    from dataclasses import replace

    return replace(config, teams=replace(config.teams, emulator=True))


def bot_token(app_id: str, service_url: str, *, key: Any = None, kid: str = KEY_ID, issuer: str = ISSUER,
              expires_in: float = 3600, algorithm: str = "RS256") -> str:
    """A Bearer token as the Bot Connector sends it to a bot; `key` another key to forge one."""
    now = int(time.time())
    claims = {"serviceurl": service_url, "nbf": now - 10, "exp": now + expires_in, "iss": issuer, "aud": app_id}
    signing_key = key if key is not None else SIGNING_KEY
    return jwt.encode(claims, signing_key, algorithm=algorithm, headers={"kid": kid})


# -- activities from Teams to the bot -----------------------------------------------------


class Context(TypedDict, total=False):
    """Who, where and when, shared by all the activity builders (defaults in _envelope)."""

    bot_id: str
    bot_name: str
    user_id: str
    user_name: str
    aad_id: str
    conversation_id: str
    channel_id: str
    tenant_id: str
    team_id: str
    reply_to_id: str | None
    activity_id: str | None


def _timestamps() -> dict[str, str]:
    """timestamp (UTC, "Z"), localTimestamp (with offset) and localTimezone, as Teams sends them."""
    now = datetime.now(UTC)
    local = now.astimezone(ZoneInfo(LOCAL_TIMEZONE))
    return {
        "timestamp": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "localTimestamp": local.isoformat(timespec="milliseconds"),
        "localTimezone": LOCAL_TIMEZONE,
    }


def _conversation(conversation_id: str, tenant_id: str) -> dict[str, Any]:
    """The conversation account: a team channel (@thread.tacv2/@thread.skype), a group chat, or personal."""
    if "@thread.tacv2" in conversation_id or "@thread.skype" in conversation_id:
        return {"isGroup": True, "conversationType": "channel", "tenantId": tenant_id, "id": conversation_id}
    if conversation_id.startswith("19:"):
        return {"isGroup": True, "conversationType": "groupChat", "tenantId": tenant_id, "id": conversation_id}
    return {"conversationType": "personal", "tenantId": tenant_id, "id": conversation_id}


def _envelope(
    activity_type: str,
    *,
    service_url: str,
    invoke: bool = False,
    bot_id: str = BOT_ID,
    bot_name: str = BOT_NAME,
    user_id: str = USER_ID,
    user_name: str = USER_NAME,
    aad_id: str = AAD_ID,
    conversation_id: str = CONVERSATION_ID,
    channel_id: str = "msteams",
    tenant_id: str = TENANT_ID,
    team_id: str = TEAM_ID,
    reply_to_id: str | None = None,
    activity_id: str | None = None,
) -> dict[str, Any]:
    """The fields every Teams activity carries, in Teams' order; channelData names team and channel."""
    conversation = _conversation(conversation_id, tenant_id)
    channel_data: dict[str, Any] = {}
    if conversation["conversationType"] == "channel":
        channel = conversation_id.split(";")[0]
        channel_data = {
            "teamsChannelId": channel,
            "teamsTeamId": team_id,
            "channel": {"id": channel},
            "team": {"id": team_id},
        }
    channel_data["tenant"] = {"id": tenant_id}
    serial = _FIRST_ACTIVITY_ID + next(_activity_ids)
    activity: dict[str, Any] = {
        "type": activity_type,
        "id": activity_id or (f"f:{serial}" if invoke else str(serial)),
        **_timestamps(),
        "serviceUrl": service_url,
        "channelId": channel_id,
        "from": {"id": user_id, "name": user_name, "aadObjectId": aad_id},
        "conversation": conversation,
        "recipient": {"id": bot_id, "name": bot_name},
        "entities": [
            {"type": "clientInfo", "locale": LOCALE, "country": "NL", "platform": "Web", "timezone": LOCAL_TIMEZONE}
        ],
        "channelData": channel_data,
        "locale": LOCALE,
    }
    if reply_to_id is not None:
        activity["replyToId"] = reply_to_id
    return activity


def message_activity(
    text: str,
    *,
    service_url: str,
    mention_bot: bool = True,
    value: dict[str, Any] | None = None,
    **context: Unpack[Context],
) -> dict[str, Any]:
    """A message as Teams posts it to the bot.

    Typed text: with `mention_bot`, text starts with "<at>Webcare Coach</at> " and entities hold
    the mention; an HTML copy comes as a text/html attachment. With `value` it is an
    Action.Submit card click instead (pass text ""; it is ignored): no text key at all, so
    activity.text is None, no mention, channelData.source "message", and replyToId the card
    message's id when given.
    """
    activity = _envelope("message", service_url=service_url, **context)
    if value is not None:
        activity["channelData"]["source"] = {"name": "message"}
        if "replyToId" in activity:
            activity["channelData"]["legacy"] = {"replyToId": activity["replyToId"]}
        activity["value"] = value
        return activity
    markup = html.escape(text)
    if mention_bot:
        bot_name = context.get("bot_name", BOT_NAME)
        tag = f"<at>{bot_name}</at>"
        text = f"{tag} {text}"
        span = '<span itemtype="http://schema.skype.com/Mention" itemscope="" itemid="0">'
        markup = f"{span}{html.escape(bot_name)}</span>&nbsp;{markup}"
        mention = {"type": "mention", "text": tag, "mentioned": {"id": context.get("bot_id", BOT_ID), "name": bot_name}}
        activity["entities"].insert(0, mention)
    activity["text"] = text
    activity["textFormat"] = "plain"
    activity["attachments"] = [{"contentType": "text/html", "content": f"<p>{markup}</p>"}]
    return activity


def card_action_invoke(
    data: dict[str, Any], *, service_url: str, verb: str = "feedback", **context: Unpack[Context]
) -> dict[str, Any]:
    """An Adaptive Card Action.Execute click (Universal Actions): an adaptiveCard/action invoke.

    The bot must answer in the HTTP response (an InvokeResponse), within Teams' 15 seconds.
    """
    activity = _envelope("invoke", service_url=service_url, invoke=True, **context)
    activity["name"] = "adaptiveCard/action"
    activity["channelData"]["source"] = {"name": "message"}
    if "replyToId" in activity:
        activity["channelData"]["legacy"] = {"replyToId": activity["replyToId"]}
    activity["value"] = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
    return activity


def messaging_extension_query(
    query: str, *, service_url: str, command_id: str = "searchGuidelines", **context: Unpack[Context]
) -> dict[str, Any]:
    """A search-based message extension query from the compose box: a composeExtension/query invoke."""
    activity = _envelope("invoke", service_url=service_url, invoke=True, **context)
    activity["name"] = "composeExtension/query"
    activity["channelData"]["source"] = {"name": "compose"}
    activity["value"] = {
        "commandId": command_id,
        "parameters": [{"name": "searchQuery", "value": query}],
        "queryOptions": {"skip": 0, "count": 25},
    }
    return activity
