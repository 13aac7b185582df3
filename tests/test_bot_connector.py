"""The Bot Connector test server against the real botbuilder stack, in anonymous local mode.

An aiohttp app hosts botbuilder's CloudAdapter with no MicrosoftAppId, as the Bot Framework
Emulator runs it: no token is checked on the way in and none is sent on the way out, and the
ConnectorClient sends to whatever serviceUrl the activity names (here, the test server).

Some tests pin botbuilder 4.17.1 behaviour that a Teams bot has to work around: when one of
them starts failing after an upgrade, the workaround may be obsolete.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import AsyncIterator, Iterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from botbuilder.core import MessageFactory, TurnContext, serializer_helper
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.core.teams.teams_activity_extensions import teams_get_channel_data
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import (
    Activity,
    AdaptiveCardInvokeResponse,
    AdaptiveCardInvokeValue,
    ChannelAccount,
    ConversationParameters,
    ErrorResponseException,
)
from botbuilder.schema.teams import (
    MessagingExtensionQuery,
    MessagingExtensionResponse,
    MessagingExtensionResult,
)
from msrest.exceptions import SerializationError

from tests.bot_connector import (
    AAD_ID,
    BOT_ID,
    CONVERSATION_ID,
    TENANT_ID,
    USER_ID,
    USER_NAME,
    BotConnectorServer,
    card_action_invoke,
    message_activity,
    messaging_extension_query,
)


class AnonymousConfig:
    """The attributes ConfigurationBotFrameworkAuthentication reads (as the samples' config.py):
    APP_ID and APP_PASSWORD, not MicrosoftAppId. Empty means anonymous local mode."""

    APP_ID = ""
    APP_PASSWORD = ""


class PingBot(TeamsActivityHandler):
    """Replies "pong: <text>" and then edits that reply; answers card actions and searches."""

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        TurnContext.remove_recipient_mention(turn_context.activity)
        text = (turn_context.activity.text or "").strip()
        if text == "who am i":
            account = await TeamsInfo.get_member(turn_context, turn_context.activity.from_property.id)
            await turn_context.send_activity(f"you are {account.name} ({account.aad_object_id})")
            return
        sent = await turn_context.send_activity(f"pong: {text}")
        update = MessageFactory.text(f"pong (edited): {text}")
        update.id = sent.id
        await turn_context.update_activity(update)

    async def on_adaptive_card_invoke(
        self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        action = invoke_value.action  # a plain dict: botbuilder does not deserialize it
        text = f"{action['verb']}: {action['data']['finding']}"
        card = {"type": "AdaptiveCard", "version": "1.4", "body": [{"type": "TextBlock", "text": text}]}
        return AdaptiveCardInvokeResponse(status_code=200, type="application/vnd.microsoft.card.adaptive", value=card)

    async def on_teams_messaging_extension_query(
        self, turn_context: TurnContext, query: MessagingExtensionQuery
    ) -> MessagingExtensionResponse:
        text = next(p.value for p in query.parameters if p.name == "searchQuery")
        return MessagingExtensionResponse(
            compose_extension=MessagingExtensionResult(type="message", text=f"{query.command_id}: {text}")
        )


@pytest.fixture
def connector() -> Iterator[BotConnectorServer]:
    with BotConnectorServer() as server:
        yield server


@pytest.fixture
def adapter() -> CloudAdapter:
    return CloudAdapter(ConfigurationBotFrameworkAuthentication(AnonymousConfig()))


@pytest.fixture
def turn_errors(adapter: CloudAdapter) -> list[Exception]:
    """Exceptions from bot turns; without on_turn_error, process() re-raises them (a 500 to Teams)."""
    errors: list[Exception] = []

    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        errors.append(error)

    adapter.on_turn_error = on_turn_error
    return errors


@pytest.fixture
async def client(adapter: CloudAdapter) -> AsyncIterator[TestClient]:
    """/api/messages, which does CloudAdapter.process's job without its two flaws, and /api/raw,
    which is plain `await adapter.process(request, bot)`."""
    bot = PingBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        # process() lets json.JSONDecodeError, a missing Content-Type's KeyError and a JSON
        # list's DeserializationError escape (aiohttp answers 500), and it serializes the
        # invoke response body a second time, which fails for every body ActivityHandler makes
        # (already a dict). So: check the body here, and write the InvokeResponse ourselves.
        if request.content_type != "application/json":
            raise web.HTTPUnsupportedMediaType()
        try:
            body = await request.json()
            activity = Activity().deserialize(body)  # DeserializationError is a ValueError
        except ValueError:
            raise web.HTTPBadRequest(text="the body is not a JSON activity") from None
        if not isinstance(body, dict) or not activity.type:
            raise web.HTTPBadRequest(text="the body is not an activity")
        try:
            invoke = await adapter.process_activity(request.headers.get("Authorization", ""), activity, bot.on_turn)
        except PermissionError:
            raise web.HTTPUnauthorized() from None
        if invoke is None:
            return web.Response(status=201)
        return web.json_response(invoke.body, status=int(invoke.status))

    async def raw(request: web.Request) -> web.StreamResponse:
        return await adapter.process(request, bot)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_post("/api/raw", raw)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def test_message_gets_a_threaded_reply_then_an_update(connector: BotConnectorServer, client: TestClient) -> None:
    activity = message_activity("hello there", service_url=connector.url)

    response = await client.post("/api/messages", json=activity)

    assert response.status == 201  # no invoke response: CloudAdapter answers 201 with no body
    reply, update = await connector.wait_for_activities(2)
    assert reply["_conversation"] == CONVERSATION_ID
    assert reply["_reply_to"] == reply["replyToId"] == activity["id"]
    assert reply["text"] == "pong: hello there"  # the <at>Webcare Coach</at> mention was removed
    assert reply["from"]["id"] == BOT_ID and reply["recipient"]["id"] == USER_ID
    assert "tenantId" not in reply["conversation"]  # see test_message_activity_shape
    assert update["_updated"] == update["id"] == reply["_id"]
    assert update["text"] == "pong (edited): hello there"
    send, put = connector.calls
    assert (send.method, send.path) == ("POST", f"/v3/conversations/{CONVERSATION_ID}/activities/{activity['id']}")
    assert (put.method, put.path) == ("PUT", f"/v3/conversations/{CONVERSATION_ID}/activities/{reply['_id']}")
    assert "authorization" not in send.headers  # anonymous mode sends no token


async def test_member_lookup(connector: BotConnectorServer, client: TestClient) -> None:
    await client.post("/api/messages", json=message_activity("who am i", service_url=connector.url))

    [reply] = await connector.wait_for_activities()
    assert reply["text"] == f"you are {USER_NAME} ({AAD_ID})"
    assert connector.calls[0].path == f"/v3/conversations/{CONVERSATION_ID}/members/{USER_ID}"


async def test_card_action_invoke_answers_in_the_http_response(
    connector: BotConnectorServer, client: TestClient
) -> None:
    activity = card_action_invoke({"finding": 2}, service_url=connector.url, reply_to_id="1700000000042")

    response = await client.post("/api/messages", json=activity)

    assert response.status == 200
    body = await response.json()
    assert (body["statusCode"], body["type"]) == (200, "application/vnd.microsoft.card.adaptive")
    assert body["value"]["body"][0]["text"] == "feedback: 2"
    assert connector.calls == []


async def test_cloud_adapter_process_fails_every_invoke_body(connector: BotConnectorServer, client: TestClient) -> None:
    # botbuilder 4.17.1: process() runs serializer_helper() on the body ActivityHandler already
    # serialized to a dict: AttributeError 'dict' object has no attribute 'is_xml_model', a 500.
    activity = card_action_invoke({"finding": 2}, service_url=connector.url)

    response = await client.post("/api/raw", json=activity)

    assert response.status == 500


def test_card_invoke_message_response_needs_a_dict_value() -> None:
    # The documented activity.message response carries a string value, but botbuilder types
    # AdaptiveCardInvokeResponse.value as {object}: ActivityHandler fails to serialize it.
    response = AdaptiveCardInvokeResponse(
        status_code=200, type="application/vnd.microsoft.activity.message", value="Thanks"
    )

    with pytest.raises(SerializationError):
        serializer_helper(response)


async def test_messaging_extension_query_answers_in_the_http_response(
    connector: BotConnectorServer, client: TestClient
) -> None:
    activity = messaging_extension_query("excuses", service_url=connector.url)

    response = await client.post("/api/messages", json=activity)

    assert response.status == 200
    body = await response.json()
    assert body["composeExtension"] == {"type": "message", "text": "searchGuidelines: excuses"}


async def test_unhandled_invoke_is_501_with_a_null_body(connector: BotConnectorServer, client: TestClient) -> None:
    activity = card_action_invoke({}, service_url=connector.url)
    activity["name"] = "task/fetch"

    response = await client.post("/api/messages", json=activity)

    assert response.status == 501
    assert await response.text() == "null"


async def test_proactive_message(connector: BotConnectorServer, adapter: CloudAdapter) -> None:
    incoming = Activity().deserialize(message_activity("hi", service_url=connector.url))
    reference = TurnContext.get_conversation_reference(incoming)

    async def callback(turn_context: TurnContext) -> None:
        await turn_context.send_activity("reminder")

    await adapter.continue_conversation(reference, callback, None)

    [sent] = await connector.wait_for_activities()
    assert sent["_conversation"] == CONVERSATION_ID
    assert sent["text"] == "reminder"
    # The continuation activity gets a fresh uuid1 id, and the send replies to that made-up id,
    # not to the reference's activity_id.
    assert sent["_reply_to"] == sent["replyToId"] != reference.activity_id


async def test_create_conversation_starts_a_channel_thread(
    connector: BotConnectorServer, adapter: CloudAdapter
) -> None:
    parameters = ConversationParameters(
        is_group=True,
        bot=ChannelAccount(id=BOT_ID),
        channel_data={"channel": {"id": "19:chan@thread.tacv2"}},
        activity=MessageFactory.text("new thread"),
        tenant_id=TENANT_ID,
    )
    seen: list[str] = []

    async def callback(turn_context: TurnContext) -> None:
        seen.append(turn_context.activity.conversation.id)

    await adapter.create_conversation(
        None, callback, parameters, channel_id="msteams", service_url=connector.url
    )

    [sent] = connector.sent()
    assert sent["text"] == "new thread"
    assert seen == [sent["_conversation"]] == [f"19:chan@thread.tacv2;messageid={sent['_id']}"]


@pytest.mark.parametrize("status", [429, 500])
async def test_failed_send_raises_in_send_activity(
    connector: BotConnectorServer, client: TestClient, turn_errors: list[Exception], status: int
) -> None:
    connector.fail_next(status=status)

    response = await client.post("/api/messages", json=message_activity("hello", service_url=connector.url))

    assert response.status == 201  # on_turn_error swallowed it
    [error] = turn_errors
    assert isinstance(error, ErrorResponseException)
    assert error.response.status_code == status
    assert len(connector.calls) == 1  # the ConnectorClient does not retry, not even a 429
    assert connector.sent() == []


@pytest.mark.parametrize(
    ("body", "content_type", "raw_status"),
    [
        ("not json", "application/json", 500),
        ("[1, 2]", "application/json", 500),
        ("{}", "application/json", 400),
        ("hello", "text/plain", 415),
    ],
)
async def test_malformed_body_is_a_client_error(
    connector: BotConnectorServer, client: TestClient, body: str, content_type: str, raw_status: int
) -> None:
    raw = await client.post("/api/raw", data=body, headers={"Content-Type": content_type})
    checked = await client.post("/api/messages", data=body, headers={"Content-Type": content_type})

    assert raw.status == raw_status
    assert checked.status == (415 if content_type != "application/json" else 400)
    assert connector.calls == []


def test_message_activity_shape() -> None:
    activity = message_activity("Hoi <Sanne>", service_url="http://connector/")

    assert activity["text"] == "<at>Webcare Coach</at> Hoi <Sanne>"
    assert activity["entities"][0] == {
        "type": "mention",
        "text": "<at>Webcare Coach</at>",
        "mentioned": {"id": BOT_ID, "name": "Webcare Coach"},
    }
    assert activity["attachments"][0]["content"].endswith("</span>&nbsp;Hoi &lt;Sanne&gt;</p>")
    assert activity["conversation"]["conversationType"] == "channel"
    assert activity["channelData"]["channel"] == {"id": "19:chan@thread.tacv2"}
    assert activity["channelData"]["tenant"] == {"id": TENANT_ID}
    parsed = Activity().deserialize(activity)
    assert parsed.from_property.aad_object_id == AAD_ID
    # botbuilder-python maps conversation.tenant_id to "tenantID", so Teams' "tenantId" is lost;
    # the tenant is in channelData.
    assert parsed.conversation.tenant_id is None
    assert teams_get_channel_data(parsed).tenant.id == TENANT_ID


def test_card_click_and_personal_chat_shapes() -> None:
    click = message_activity(
        "", service_url="http://connector/", value={"verb": "feedback"}, reply_to_id="1700000000042"
    )
    personal = message_activity("hi", service_url="http://connector/", mention_bot=False, conversation_id="a:1")

    assert "text" not in click and click["value"] == {"verb": "feedback"}
    assert click["replyToId"] == click["channelData"]["legacy"]["replyToId"] == "1700000000042"
    assert [entity["type"] for entity in click["entities"]] == ["clientInfo"]
    assert personal["text"] == "hi"
    assert personal["conversation"] == {"conversationType": "personal", "tenantId": TENANT_ID, "id": "a:1"}
    assert personal["channelData"] == {"tenant": {"id": TENANT_ID}}


def test_reset_forgets_failures_and_sync_wait(connector: BotConnectorServer) -> None:
    connector.fail_next(status=503, times=2)
    connector.reset()
    with pytest.raises(TimeoutError, match="expected 1 sent"):
        connector.wait_for_activities_sync(timeout=0.05)

    request = urllib.request.Request(
        f"{connector.url}v3/conversations/a:1/activities",
        data=json.dumps({"type": "message", "text": "hi"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via an http_proxy
    with direct.open(request) as response:
        assert json.load(response) == {"id": "1700000000001"}

    [sent] = connector.wait_for_activities_sync()
    assert (sent["_conversation"], sent["_reply_to"], sent["_updated"]) == ("a:1", None, None)
