"""The Teams bot: the conversation logic with botbuilder's TestAdapter, and real Teams-shaped
activities POSTed over HTTP to serve's /api/messages, with a local Bot Connector (the
activities' serviceUrl) recording what the bot sends."""

from __future__ import annotations

import json
import time

import pytest
from aiohttp.test_utils import TestClient, TestServer
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

from bot.coach import Coach
from bot.config import load_config
from bot.reminders import Reminders
from bot.server import build_web_app
from bot.store import Store
from bot.teams.bot import TeamsCoach
from bot.teams.app import BotFrameworkSettings, TeamsReminderSender
from tests.bot_connector import BotConnectorServer, card_action_invoke, message_activity, messaging_extension_query
from tests.conftest import ROOT

DRAFT = "Hoi Sanne, we gaan ernaar kijken. ^Tom"


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

@pytest.fixture
def teams_coach(env):
    config = load_config(ROOT / "app.yaml")
    store = Store(env / "webcare.db")
    return TeamsCoach(Coach(config, store), store, Reminders(config, store, senders={}))


def _message(text: str) -> Activity:
    return Activity(type=ActivityTypes.message, text=text, from_property=ChannelAccount(id="29:agent", name="Tom"),
                    recipient=ChannelAccount(id="28:bot", name="Webcare Coach"), channel_id="msteams")


async def test_test_adapter_review_card_quotes_the_weak_phrase(teams_coach):
    adapter = TestAdapter(teams_coach.on_turn)
    await adapter.send(_message(f"> Mijn pakket is kapot!\n{DRAFT}"))
    reply = adapter.activity_buffer.pop(0)
    assert "we gaan ernaar kijken" in json.dumps(reply.attachments[0].content, ensure_ascii=False)
    assert reply.attachments[0].content_type == "application/vnd.microsoft.card.adaptive"


async def test_test_adapter_guideline_lookup_and_howto(teams_coach):
    adapter = TestAdapter(teams_coach.on_turn)
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
    client = TestClient(TestServer(build_web_app(load_config())))
    await client.start_server()
    yield client
    await client.close()


async def test_mention_gets_a_review_card_quoting_the_weak_phrase(http, connector):
    # "we gaan ernaar kijken" would be answered by the promise (categories.md: the whole draft)
    activity = message_activity("Hoi Sanne, we nemen het mee. ^Tom\nIk bel je morgen om 10 uur.", service_url=connector.url)
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
    await http.post("/api/messages", json=message_activity("Hoi Sanne, ik bel je morgen om 10 uur. ^Tom",
                                                           service_url=connector.url))
    [sent] = await connector.wait_for_activities()
    store = Store(env / "webcare.db")
    [promise] = store.promises(open_only=True)
    review_id = store.db.execute("SELECT id FROM reviews").fetchone()[0]
    feedback = card_action_invoke({"review": review_id, "finding": 0, "rule": "x.rule", "verdict": "wrong"},
                                  service_url=connector.url, verb="feedback")
    response = await http.post("/api/messages", json=feedback)
    assert response.status == 200 and store.rule_stats()[0]["wrong"] == 1
    done = card_action_invoke({"promise": promise["id"]}, service_url=connector.url, verb="callback_done")
    assert (await http.post("/api/messages", json=done)).status == 200
    assert store.promise(promise["id"])["status"] == "done"


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"text": "no type"}', b""])
async def test_garbage_gets_400(http, body):
    response = await http.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400


async def test_proactive_reminder_is_delivered(env, connector):
    connector.reset()
    config = load_config(ROOT / "app.yaml")
    store = Store(env / "webcare.db")
    reminders = Reminders(config, store, senders={})
    from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

    settings = BotFrameworkSettings("", "", "MultiTenant", "")
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(settings))
    reminders.senders["teams"] = TeamsReminderSender(adapter, settings, Coach(config, store))
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
        client = TestClient(TestServer(build_web_app(load_config())))
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
