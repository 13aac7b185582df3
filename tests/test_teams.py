"""The Teams bot: the conversation logic with botbuilder's TestAdapter, and real Teams-shaped
activities POSTed over HTTP to serve's /api/messages, with a local Bot Connector (the
activities' serviceUrl) recording what the bot sends."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from aiohttp.test_utils import TestClient, TestServer
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

from bot.chat.flow import ChatFlow
from bot.coach import Coach
from bot.config import load_config
from bot.reminders import Reminders
from bot.server import build_web_app
from bot.store import SQLiteStore
from bot.teams.app import BotFrameworkSettings
from bot.teams.bot import TeamsCoach
from tests.bot_connector import (BotConnectorServer, card_action_invoke, emulator_mode, message_activity,
                                 messaging_extension_query)
from tests.conftest import ROOT

DRAFT = "Hoi Sanne, we gaan ernaar kijken. ^Tom"
# a weak phrase and a promise: "we gaan ernaar kijken" would be answered by the promise (categories.md:
# the whole draft)
PROMISING = "Hoi Sanne, we nemen het mee. ^Tom\nIk bel je morgen om 10 uur."


async def wait_for_promises(store: SQLiteStore, timeout: float = 5.0) -> list:
    """The open promises, once the outbox recorded the posted review (right after posting it)."""
    deadline = time.monotonic() + timeout
    while not (promises := store.promises(open_only=True)) and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    return promises


def card_text(activity: dict) -> str:
    return json.dumps(activity.get("attachments", []), ensure_ascii=False)


@pytest.fixture
def env(tmp_path, monkeypatch):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "SLACK_BOT_TOKEN", "MicrosoftAppId",
                 "WEBCARE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WEBCARE_DB", str(tmp_path / "webcare.db"))
    return tmp_path


# -- conversation logic with botbuilder's TestAdapter ------------------------------------

def flow_on(db, config_path=ROOT / "app.yaml") -> ChatFlow:
    config = load_config(config_path)
    store = SQLiteStore(db)
    return ChatFlow(Coach(config, store), store, Reminders(config, store, senders={}))


@pytest.fixture
def adapter(env):
    """botbuilder's TestAdapter around the coach; the outbox posts into it proactively."""
    adapter = TestAdapter()
    coach = TeamsCoach(flow_on(env / "webcare.db"), lambda reference, callback: adapter.continue_conversation(
        reference, callback))
    adapter.logic, adapter.flow = coach.on_turn, coach.flow
    return adapter


def _message(text: str) -> Activity:
    return Activity(type=ActivityTypes.message, text=text, from_property=ChannelAccount(id="29:agent", name="Tom"),
                    recipient=ChannelAccount(id="28:bot", name="Webcare Coach"), channel_id="msteams")


async def test_test_adapter_review_card_quotes_the_weak_phrase(adapter):
    await adapter.send(_message(f"> Mijn pakket is kapot!\n{DRAFT}"))
    assert adapter.activity_buffer == []  # the turn only stores the request
    await adapter.flow.outbox.run_once()
    reply = adapter.activity_buffer.pop(0)
    assert "we gaan ernaar kijken" in json.dumps(reply.attachments[0].content, ensure_ascii=False)
    assert reply.attachments[0].content_type == "application/vnd.microsoft.card.adaptive"


async def test_test_adapter_guideline_lookup_and_howto(adapter):
    await adapter.send(_message("richtlijn beloftes"))
    assert "Kom je beloftes na" in json.dumps(adapter.activity_buffer.pop(0).attachments[0].content, ensure_ascii=False)
    await adapter.send(_message("   "))
    assert adapter.activity_buffer.pop(0).attachments  # the how-to card


# -- real HTTP to /api/messages --------------------------------------------------------

@pytest.fixture(scope="module")
def connector():
    with BotConnectorServer() as server:
        yield server


@pytest.fixture
async def http(env, connector):
    connector.reset()
    client = TestClient(TestServer(build_web_app(emulator_mode(load_config()))))
    await client.start_server()
    yield client
    await client.close()


async def test_mention_gets_a_review_card_quoting_the_weak_phrase(http, connector):
    activity = message_activity(PROMISING, service_url=connector.url)
    response = await http.post("/api/messages", json=activity)
    assert response.status in (200, 201)
    [sent] = await connector.wait_for_activities()
    cards = card_text(sent)
    assert "we nemen het mee" in cards and "geen-loze-beloftes" in cards and "callback_done" in cards


async def test_guideline_lookup_by_message_and_search_extension(http, connector):
    await http.post("/api/messages", json=message_activity("guideline promises", service_url=connector.url))
    [sent] = await connector.wait_for_activities()
    assert "beloftes-nakomen" in card_text(sent) or "Kom je beloftes na" in card_text(sent)
    response = await http.post("/api/messages", json=messaging_extension_query("excuses", service_url=connector.url))
    result = await response.json()
    assert response.status == 200 and "Begrip, excuses en oplossing" in json.dumps(result, ensure_ascii=False)


async def test_card_actions_are_stored(http, connector, env):
    await http.post("/api/messages", json=message_activity(PROMISING, service_url=connector.url))
    [sent] = await connector.wait_for_activities()
    store = SQLiteStore(env / "webcare.db")
    [promise] = await wait_for_promises(store)
    [review_id] = [row[0] for row in store.db.execute("SELECT id FROM reviews")]
    rule = store.review(review_id).findings[0][0]
    feedback = card_action_invoke({"review": review_id, "finding": 0, "rule": rule, "verdict": "wrong"},
                                  service_url=connector.url, verb="feedback")
    response = await http.post("/api/messages", json=feedback)
    assert response.status == 200 and store.rule_stats()[0]["wrong"] == 1
    unknown = card_action_invoke({"review": review_id, "finding": 99, "rule": rule, "verdict": "wrong"},
                                 service_url=connector.url, verb="feedback")
    answer = await (await http.post("/api/messages", json=unknown)).json()
    assert "niet bewaard" in answer["value"] and store.rule_stats()[0]["wrong"] == 1
    done = card_action_invoke({"promise": promise.id}, service_url=connector.url, verb="callback_done")
    assert (await http.post("/api/messages", json=done)).status == 200
    assert store.promise(promise.id).status == "done"


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"text": "no type"}', b""])
async def test_garbage_gets_400(http, body):
    response = await http.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400


async def test_proactive_reminder_is_delivered(env, connector):
    connector.reset()
    config = load_config(ROOT / "app.yaml")
    store = SQLiteStore(env / "webcare.db")
    reminders = Reminders(config, store, senders={})
    from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

    settings = BotFrameworkSettings("", "", "MultiTenant", "")
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(settings))
    TeamsCoach(ChatFlow(Coach(config, store), store, reminders),
               lambda reference, callback: adapter.continue_conversation(reference, callback, None))
    activity = message_activity(DRAFT, service_url=connector.url)
    reference = {"activityId": activity["id"], "user": activity["from"], "bot": activity["recipient"],
                 "conversation": activity["conversation"], "channelId": "msteams", "serviceUrl": connector.url}
    store.add_promise(platform="teams", workspace="t1", channel=activity["conversation"]["id"], thread=activity["id"],
                      review_id="r1", agent="29:agent", customer="", text="ik bel je morgen", kind="callback",
                      due=time.time() - 60, due_iso="2026-11-26T10:00:00+01:00", explicit=True,
                      next_at=time.time() - 60, conversation=json.dumps(reference))
    reminders.settings = config.reminders  # quiet hours do not matter: next_at is already set
    assert await reminders.run_once() == 1
    [sent] = await connector.wait_for_activities()
    assert "ik bel je morgen" in card_text(sent) and "callback_done" in card_text(sent)


async def test_a_quote_typed_in_the_compose_box_is_the_customers_message(http, connector):
    html = "<blockquote><p>Mijn pakket is al een week kwijt!</p></blockquote><p>Hoi Sanne, we gaan ernaar kijken. ^Tom</p>"
    activity = message_activity(html, service_url=connector.url)
    await http.post("/api/messages", json=activity)
    [sent] = await connector.wait_for_activities()
    assert "klacht" in card_text(sent) and "Mijn pakket" not in card_text(sent)


async def test_with_a_language_model_the_card_is_updated_after_the_turn(env, connector, monkeypatch):
    from tests.openai_server import OpenAIServer, hang, ok

    connector.reset()
    with OpenAIServer() as model:
        model.default = lambda request: hang(0.5, ok({"findings": [], "summary": "Beloof iets concreets.",
                                                       "rewrite": None, "instructions_in_text": False}))
        monkeypatch.setenv("OPENAI_BASE_URL", model.url)
        client = TestClient(TestServer(build_web_app(emulator_mode(load_config()))))
        await client.start_server()
        try:
            started = time.monotonic()
            response = await client.post("/api/messages", json=message_activity(DRAFT, service_url=connector.url))
            answered = time.monotonic() - started
            sent, updated = await connector.wait_for_activities(count=2, timeout=10)
        finally:
            await client.close()
    assert response.status in (200, 201) and answered < 0.5  # the turn does not wait for the model
    assert updated["_updated"] and "Beloof iets concreets." in card_text(updated)


# -- who may act on a promise, and one review per message ----------------------------------

@pytest.fixture
async def http_with_lead(env, connector, monkeypatch):
    connector.reset()
    (env / "app.yaml").write_text("leads:\n  teams: [aad-lead]\n", encoding="utf-8")
    monkeypatch.setenv("WEBCARE_CONFIG", str(env / "app.yaml"))
    client = TestClient(TestServer(build_web_app(emulator_mode(load_config()))))
    await client.start_server()
    yield client
    await client.close()


async def act(http, connector, verb: str, promise_id: str, **context) -> str:
    invoke = card_action_invoke({"promise": promise_id}, service_url=connector.url, verb=verb, **context)
    response = await http.post("/api/messages", json=invoke)
    assert response.status == 200
    return (await response.json())["value"]


async def test_card_actions_only_in_the_promises_conversation_or_by_a_lead(http_with_lead, connector, env):
    http = http_with_lead
    activity = message_activity("Hoi Sanne, ik bel je morgen om 10 uur. ^Tom", service_url=connector.url)
    await http.post("/api/messages", json=activity)
    await connector.wait_for_activities()
    store = SQLiteStore(env / "webcare.db")
    [promise] = await wait_for_promises(store)
    elsewhere = [{"conversation_id": "19:other@thread.tacv2;messageid=9"}, {"tenant_id": "t2"},
                 {"conversation_id": "a:personal-chat", "aad_id": "aad-2"}]
    for context in elsewhere:
        assert "Dat mag niet" in await act(http, connector, "callback_done", promise.id, **context)
        assert "Dat mag niet" in await act(http, connector, "promise_cancel", promise.id, **context)
    assert store.promise(promise.id).status == "open"
    # the same channel, another reply thread in it: allowed
    assert "Geschrapt" in await act(http, connector, "promise_cancel", promise.id,
                                    conversation_id="19:chan@thread.tacv2;messageid=7", user_id="29:x", aad_id="aad-x")
    assert store.promise(promise.id).status == "cancelled"


async def test_a_lead_may_act_anywhere_but_a_slack_promise_stays_out_of_reach_of_others(http_with_lead, connector, env):
    store = SQLiteStore(env / "webcare.db")
    slack = store.add_promise(platform="slack", workspace="t1", channel="19:chan@thread.tacv2", thread="1",
                              review_id="r", agent="U1", customer="", text="ik bel je", kind="callback",
                              due=time.time() + 3600, due_iso="…", explicit=True, next_at=time.time() + 3600)
    assert "Dat mag niet" in await act(http_with_lead, connector, "callback_done", slack)
    assert store.promise(slack).status == "open"
    assert "Gelogd" in await act(http_with_lead, connector, "callback_done", slack,
                                 conversation_id="a:elsewhere", aad_id="aad-lead")
    assert store.promise(slack).status == "done"


async def test_a_redelivered_activity_gives_one_review(http, connector):
    activity = message_activity(DRAFT, service_url=connector.url)
    for _ in range(3):
        await http.post("/api/messages", json=activity)
    await connector.wait_for_activities()
    await asyncio.sleep(0.5)
    assert len([a for a in connector.sent() if a.get("attachments")]) == 1


async def test_a_failing_bot_connector_is_retried_until_the_card_arrives(http, connector, env):
    connector.fail_next(status=503, times=2)
    await http.post("/api/messages", json=message_activity(PROMISING, service_url=connector.url))
    [sent] = await connector.wait_for_activities(timeout=15)
    assert "we nemen het mee" in card_text(sent)
    assert len(await wait_for_promises(SQLiteStore(env / "webcare.db"))) == 1
