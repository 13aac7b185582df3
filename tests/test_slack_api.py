"""Tests of the local Slack Web API server, driven by the real slack_sdk clients (and Bolt)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.say.async_say import AsyncSay
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler, AsyncServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from slack_api import (
    AUTH_TEST,
    BOT_ID,
    BOT_USER_ID,
    SlackAPIServer,
    block_actions_body,
    event_body,
    signed_headers,
    slash_command_body,
)

SECRET = "signing-secret"
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Tip:* noem de klant bij naam."}}]


@pytest.fixture
def server() -> Iterator[SlackAPIServer]:
    with SlackAPIServer() as running:
        yield running


@pytest.fixture
def client(server: SlackAPIServer) -> AsyncWebClient:
    return AsyncWebClient(token="xoxb-test", base_url=server.url)


@pytest.mark.asyncio
async def test_auth_test_is_recorded_with_headers(server: SlackAPIServer, client: AsyncWebClient) -> None:
    before = time.monotonic()

    response = await client.auth_test()

    assert response.data == AUTH_TEST
    assert "chat:write" in response.headers["X-OAuth-Scopes"]
    [call] = server.calls
    assert call.method == "auth.test"
    assert call.headers["authorization"] == "Bearer xoxb-test"
    assert before <= call.time <= time.monotonic()
    assert server.calls_to("auth.test") == [call]


@pytest.mark.asyncio
async def test_post_message_is_stored_and_fetchable(server: SlackAPIServer, client: AsyncWebClient) -> None:
    parent = await client.chat_postMessage(channel="C1", text="Tip", blocks=BLOCKS)
    reply = await client.chat_postMessage(channel="C1", text="More", thread_ts=parent["ts"])

    assert parent["ts"] == "1700000000.000100"
    assert reply["ts"] == "1700000000.000200"
    assert parent["message"] | {"channel": "C1"} == {
        "type": "message",
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "app_id": "A1",
        "team": "T1",
        "text": "Tip",
        "ts": parent["ts"],
        "blocks": BLOCKS,
        "channel": "C1",
    }
    # slack_sdk sends chat.* methods as a JSON body, so blocks arrive as a list.
    first = server.calls_to("chat.postMessage")[0]
    assert first.headers["content-type"].startswith("application/json")
    assert first.args["blocks"] == BLOCKS

    thread = await client.conversations_replies(channel="C1", ts=parent["ts"])

    assert [m["text"] for m in thread["messages"]] == ["Tip", "More"]
    assert thread["messages"][0]["reply_count"] == 1
    assert thread["messages"][0]["latest_reply"] == reply["ts"]
    assert thread["messages"][1]["thread_ts"] == parent["ts"]
    assert thread["has_more"] is False
    assert server.messages["C1"][reply["ts"]]["thread_ts"] == parent["ts"]


@pytest.mark.asyncio
async def test_form_encoded_calls_decode_blocks(server: SlackAPIServer, client: AsyncWebClient) -> None:
    await client.api_call(
        "chat.postMessage", data={"channel": "C1", "text": "Tip", "blocks": json.dumps(BLOCKS), "unfurl_links": "false"}
    )

    [call] = server.calls_to("chat.postMessage")
    assert call.headers["content-type"] == "application/x-www-form-urlencoded"
    assert call.args == {"channel": "C1", "text": "Tip", "blocks": BLOCKS, "unfurl_links": "false"}
    [stored] = server.messages["C1"].values()
    assert stored["blocks"] == BLOCKS


@pytest.mark.asyncio
async def test_chat_update_edits_the_stored_message(server: SlackAPIServer, client: AsyncWebClient) -> None:
    posted = await client.chat_postMessage(channel="C1", text="Draft review…", blocks=BLOCKS)

    updated = await client.chat_update(channel="C1", ts=posted["ts"], text="Review done")

    assert (updated["channel"], updated["ts"], updated["text"]) == ("C1", posted["ts"], "Review done")
    [message] = (await client.conversations_replies(channel="C1", ts=posted["ts"]))["messages"]
    assert message["text"] == "Review done"
    assert message["blocks"] == BLOCKS  # omitted blocks are kept, as in Slack
    assert message["edited"]["user"] == BOT_USER_ID

    with pytest.raises(SlackApiError) as missing:
        await client.chat_update(channel="C1", ts="1.000001", text="x")
    assert missing.value.response["error"] == "message_not_found"
    human = server.add_message("C1", "Customer text")
    with pytest.raises(SlackApiError) as foreign:
        await client.chat_update(channel="C1", ts=human, text="x")
    assert foreign.value.response["error"] == "cant_update_message"


@pytest.mark.asyncio
async def test_seeded_thread_via_replies_and_history(server: SlackAPIServer, client: AsyncWebClient) -> None:
    parent = server.add_message("C1", "Waar blijft mijn pakket?", ts="1700000100.000100", user="U9")
    first = server.add_message("C1", "Draft: sorry!", thread_ts=parent)
    server.add_message("C1", "Fix the tone", thread_ts=parent, user=BOT_USER_ID, bot_id=BOT_ID)
    later = server.add_message("C1", "Another customer", files=[{"id": "F1", "name": "photo.jpg"}])
    server.add_message("C2", "Elsewhere")

    assert first == "1700000100.000200"  # seeded ts continue after the explicit one

    thread = (await client.conversations_replies(channel="C1", ts=parent, inclusive=True, limit=10))["messages"]
    assert [m["text"] for m in thread] == ["Waar blijft mijn pakket?", "Draft: sorry!", "Fix the tone"]
    assert thread[0]["reply_users"] == ["U123", BOT_USER_ID]
    assert thread[2]["bot_id"] == BOT_ID

    only_parent = await client.conversations_replies(channel="C1", ts=parent, limit=1)
    assert [m["ts"] for m in only_parent["messages"]] == [parent]
    assert only_parent["has_more"] is True

    history = await client.conversations_history(channel="C1")
    assert [m["ts"] for m in history["messages"]] == [later, parent]  # newest first, no replies
    assert history["messages"][0]["files"] == [{"id": "F1", "name": "photo.jpg"}]

    exclusive = await client.conversations_history(channel="C1", oldest=parent)
    assert [m["ts"] for m in exclusive["messages"]] == [later]
    inclusive = await client.conversations_history(channel="C1", oldest=parent, latest=parent, inclusive=True)
    assert [m["ts"] for m in inclusive["messages"]] == [parent]
    limited = await client.conversations_history(channel="C1", limit=1)
    assert (len(limited["messages"]), limited["has_more"]) == (1, True)

    with pytest.raises(SlackApiError) as unknown:
        await client.conversations_replies(channel="C1", ts="1.000001")
    assert unknown.value.response["error"] == "thread_not_found"


@pytest.mark.asyncio
async def test_other_methods(client: AsyncWebClient) -> None:
    ephemeral = await client.chat_postEphemeral(channel="C1", user="U123", text="Only you")
    assert ephemeral["message_ts"] == "1700000000.000100"
    assert (await client.reactions_add(channel="C1", timestamp="1.000001", name="eyes"))["ok"] is True
    user = (await client.users_info(user="U123"))["user"]
    assert (user["id"], user["tz"]) == ("U123", "Europe/Amsterdam")
    assert (await client.api_call("team.info"))["ok"] is True


@pytest.mark.asyncio
async def test_calls_without_token_are_not_authed(server: SlackAPIServer) -> None:
    with pytest.raises(SlackApiError) as error:
        await AsyncWebClient(base_url=server.url).chat_postMessage(channel="C1", text="x")
    assert error.value.response["error"] == "not_authed"
    assert "authorization" not in server.calls[0].headers


@pytest.mark.asyncio
async def test_base_url_handling(server: SlackAPIServer) -> None:
    # slack_sdk appends the missing "/" itself before urljoin-ing the method name.
    without_slash = AsyncWebClient(token="xoxb-test", base_url=server.url.rstrip("/"))
    assert without_slash.base_url == server.url
    assert (await without_slash.auth_test())["ok"] is True

    # Only /api/<method> is served; a base_url without /api/ gets 404.
    origin = AsyncWebClient(token="xoxb-test", base_url=server.url.removesuffix("api/"))
    with pytest.raises(SlackApiError) as error:
        await origin.auth_test()
    assert error.value.response.status_code == 404
    assert len(server.calls) == 1


@pytest.mark.asyncio
async def test_rate_limit_surfaces_as_slack_api_error(server: SlackAPIServer, client: AsyncWebClient) -> None:
    server.fail_next("chat.postMessage", status=429, retry_after=1)

    with pytest.raises(SlackApiError) as error:
        await client.chat_postMessage(channel="C1", text="Tip")

    response = error.value.response
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert response["error"] == "ratelimited"
    assert server.messages == {}
    assert (await client.chat_postMessage(channel="C1", text="Tip"))["ok"] is True  # failure consumed


@pytest.mark.asyncio
async def test_rate_limit_retry_handler_retries(server: SlackAPIServer, client: AsyncWebClient) -> None:
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=1))
    server.fail_next("chat.postMessage", status=429, retry_after=0)

    response = await client.chat_postMessage(channel="C1", text="Tip")

    assert response["ok"] is True
    failed, retried = server.calls_to("chat.postMessage")
    assert failed.args == retried.args
    assert len(server.messages["C1"]) == 1


@pytest.mark.asyncio
async def test_server_error_and_its_retry_handler(server: SlackAPIServer, client: AsyncWebClient) -> None:
    server.fail_next("conversations.history", status=500)
    with pytest.raises(SlackApiError) as error:
        await client.conversations_history(channel="C1")
    assert error.value.response.status_code == 500
    assert error.value.response.data == "Internal Server Error"

    fast = FixedValueRetryIntervalCalculator(fixed_internal=0.01)
    client.retry_handlers.append(AsyncServerErrorRetryHandler(max_retry_count=2, interval_calculator=fast))
    server.fail_next("conversations.history", status=503, times=2)
    assert (await client.conversations_history(channel="C1"))["ok"] is True
    assert len(server.calls_to("conversations.history")) == 4


@pytest.mark.asyncio
async def test_ok_false_failures(server: SlackAPIServer, client: AsyncWebClient) -> None:
    server.fail_next("chat.postMessage", error="channel_not_found", times=2)

    for _ in range(2):
        with pytest.raises(SlackApiError) as error:
            await client.chat_postMessage(channel="C404", text="Tip")
        assert (error.value.response.status_code, error.value.response["error"]) == (200, "channel_not_found")
    assert (await client.chat_postMessage(channel="C1", text="Tip"))["ok"] is True
    with pytest.raises(ValueError):
        server.fail_next("chat.postMessage", status=400)


@pytest.mark.asyncio
async def test_wait_for_from_an_async_test(server: SlackAPIServer, client: AsyncWebClient) -> None:
    async def post_later() -> None:
        for text in ("one", "two"):
            await asyncio.sleep(0.05)
            await client.chat_postMessage(channel="C1", text=text)

    task = asyncio.create_task(post_later())
    calls = await server.wait_for("chat.postMessage", count=2, timeout=2)
    await task

    assert [call.args["text"] for call in calls] == ["one", "two"]
    with pytest.raises(TimeoutError, match="chat.update"):
        await server.wait_for("chat.update", timeout=0.05)


def test_wait_for_sync_with_the_sync_client(server: SlackAPIServer) -> None:
    sync_client = WebClient(token="xoxb-test", base_url=server.url)
    timer = threading.Timer(0.05, sync_client.chat_postMessage, kwargs={"channel": "C1", "text": "sync"})
    timer.start()

    [call] = server.wait_for_sync("chat.postMessage", timeout=2)
    timer.join()

    assert call.args["text"] == "sync"
    with pytest.raises(TimeoutError):
        server.wait_for_sync("chat.update", timeout=0.05)


def test_reset_clears_everything(server: SlackAPIServer) -> None:
    server.add_message("C1", "hi")
    server.fail_next("auth.test", status=500)
    WebClient(token="xoxb-test", base_url=server.url).api_test()

    server.reset()

    assert (server.calls, server.messages) == ([], {})
    assert WebClient(token="xoxb-test", base_url=server.url).auth_test()["ok"] is True
    assert server.add_message("C1", "again") == "1700000000.000100"


def test_signed_headers_verify() -> None:
    verifier = SignatureVerifier(SECRET)
    body = event_body({"type": "app_mention", "user": "U123", "text": "hi", "ts": "1700000000.000100", "channel": "C1"})

    headers = signed_headers(body, SECRET)

    assert headers["Content-Type"] == "application/json"
    assert verifier.is_valid_request(body, headers)
    assert not verifier.is_valid_request(body + " ", headers)
    assert not SignatureVerifier("other").is_valid_request(body, headers)
    stale = signed_headers(body, SECRET, timestamp=int(time.time()) - 600)
    assert not verifier.is_valid_request(body, stale)

    form = slash_command_body("/coach", "hi", response_url="https://hooks.slack.com/commands/T1/1/x")
    retried = signed_headers(form, SECRET, retry_num=1)
    assert retried["Content-Type"] == "application/x-www-form-urlencoded"
    assert (retried["X-Slack-Retry-Num"], retried["X-Slack-Retry-Reason"]) == ("1", "http_timeout")
    assert verifier.is_valid_request(form, retried)


def test_request_bodies_have_slack_shapes() -> None:
    envelope = json.loads(event_body({"type": "message", "ts": "1700000123.000100"}, event_id="Ev9"))
    assert (envelope["type"], envelope["event_id"], envelope["event_time"]) == ("event_callback", "Ev9", 1700000123)
    assert envelope["authorizations"][0] | {"user_id": BOT_USER_ID, "is_bot": True} == envelope["authorizations"][0]

    command = parse_qs(slash_command_body("/coach", "Sorry voor het wachten!", response_url="https://r"))
    assert {k: v[0] for k, v in command.items() if k in {"command", "text", "user_id", "channel_id"}} == {
        "command": "/coach",
        "text": "Sorry voor het wachten!",
        "user_id": "U123",
        "channel_id": "C1",
    }

    [payload] = parse_qs(block_actions_body("apply", "v1", message_ts="1.000001", response_url="https://r"))["payload"]
    action = json.loads(payload)
    assert (action["type"], action["container"]["message_ts"], action["message"]["ts"]) == (
        "block_actions",
        "1.000001",
        "1.000001",
    )
    assert (action["actions"][0]["action_id"], action["actions"][0]["value"]) == ("apply", "v1")


@pytest.mark.asyncio
async def test_bolt_accepts_the_signed_requests(server: SlackAPIServer, client: AsyncWebClient) -> None:
    app = AsyncApp(client=client, signing_secret=SECRET)
    seen: dict[str, Any] = {}

    @app.event("app_mention")
    async def mention(event: dict[str, Any], say: AsyncSay) -> None:
        await say(text="On it", thread_ts=event["ts"])

    @app.command("/coach")
    async def coach(ack: AsyncAck, command: dict[str, Any]) -> None:
        seen["command"] = command
        await ack("Reviewing…")

    @app.action("apply")
    async def apply(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        seen["action"] = (action["value"], body["container"]["message_ts"], body["user"]["id"])
        await ack()

    async def dispatch(body: str) -> int:
        return (await app.async_dispatch(AsyncBoltRequest(body=body, headers=signed_headers(body, SECRET)))).status

    mention_event = {
        "type": "app_mention",
        "user": "U123",
        "text": "<@UBOT> hi",
        "ts": "1700000000.000900",
        "channel": "C1",
    }
    assert await dispatch(event_body(mention_event)) == 200
    [call] = await server.wait_for("chat.postMessage")
    assert (call.args["channel"], call.args["thread_ts"], call.args["text"]) == ("C1", "1700000000.000900", "On it")

    response_url = "https://hooks.slack.com/commands/T1/1/x"
    assert await dispatch(slash_command_body("/coach", "Sorry!", response_url=response_url)) == 200
    assert (seen["command"]["text"], seen["command"]["response_url"]) == ("Sorry!", response_url)

    click = block_actions_body("apply", "rewrite-1", message_ts="1.000002", response_url="https://r")
    assert await dispatch(click) == 200
    assert seen["action"] == ("rewrite-1", "1.000002", "U123")

    tampered = event_body(mention_event)
    bad = await app.async_dispatch(AsyncBoltRequest(body=tampered, headers=signed_headers(tampered + " ", SECRET)))
    assert bad.status == 401
    assert len(server.calls_to("auth.test")) == 1
