"""The Slack bot end to end: correctly signed, real-shaped payloads over HTTP to `serve`'s web
app, and a local Slack Web API server that records what the bot calls."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.config import load_config
from bot.server import build_web_app
from bot.store import SQLiteStore
from tests.conftest import SLACK_SECRET
from tests.openai_server import OpenAIServer, ok
from tests.slack_api import block_actions_body, event_body, signed_headers, slash_command_body

DRAFT = "Hoi Sanne, we gaan ernaar kijken. ^Tom"


@pytest.fixture
def env(slack_env):
    return slack_env


@pytest.fixture
async def http(env):
    """A client for the web app that `webcare-coach serve` runs."""
    client = TestClient(TestServer(build_web_app(load_config())))
    await client.start_server()
    yield client
    await client.close()


async def post(http, body: str, **header_options):
    headers = signed_headers(body, SLACK_SECRET, **header_options)
    return await http.post("/slack/events", data=body.encode(), headers=headers)


def mention(text: str, *, ts: str = "1700000001.000100", thread_ts: str | None = None, **extra) -> dict:
    event = {"type": "app_mention", "user": "U123", "text": f"<@UBOT> {text}", "ts": ts, "channel": "C1",
             "event_ts": ts, **extra}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def section_texts(call) -> str:
    return json.dumps(call.args.get("blocks", []), ensure_ascii=False)


async def test_mention_gets_a_review_in_its_thread_quoting_the_weak_phrase(http, slack_api):
    started = time.monotonic()
    response = await post(http, event_body(mention(f"> Mijn pakket is kapot!\n{DRAFT}"), event_id="Ev1"))
    assert response.status == 200
    [call] = await slack_api.wait_for("chat.postMessage")
    assert call.time - started < 2  # the rules review comes at once
    assert call.args["channel"] == "C1" and call.args["thread_ts"] == "1700000001.000100"
    blocks = section_texts(call)
    assert "we gaan ernaar kijken" in blocks and "geen-loze-beloftes" in blocks and "feedback_helpful" in blocks
    assert "klacht" in blocks  # the quoted line is the customer's message


async def test_a_retried_delivery_gives_no_second_review(http, slack_api):
    body = event_body(mention(DRAFT), event_id="EvRetry")
    assert (await post(http, body)).status == 200
    assert (await post(http, body, retry_num=1)).status == 200
    await slack_api.wait_for("chat.postMessage")
    await asyncio.sleep(0.3)
    assert len(slack_api.calls_to("chat.postMessage")) == 1


async def test_bad_or_stale_signature_gets_401(http, slack_api):
    body = event_body(mention(DRAFT), event_id="EvBad")
    headers = signed_headers(body, "wrong-secret")
    assert (await http.post("/slack/events", data=body.encode(), headers=headers)).status == 401
    stale = signed_headers(body, SLACK_SECRET, timestamp=int(time.time()) - 3600)
    assert (await http.post("/slack/events", data=body.encode(), headers=stale)).status == 401
    await asyncio.sleep(0.2)
    assert slack_api.calls_to("chat.postMessage") == []


async def test_mention_in_a_thread_takes_the_first_message_as_the_customers(http, slack_api):
    parent = slack_api.add_message("C1", "@Kooplijn mijn bestelling is al twee weken onderweg, belachelijk!", user="U9")
    await post(http, event_body(mention("Hoi Sanne, ik bel je morgen om 10 uur. ^Tom", ts="1799999999.000100",
                                        thread_ts=parent), event_id="EvThread"))
    [call] = await slack_api.wait_for("chat.postMessage")
    blocks = section_texts(call)
    assert call.args["thread_ts"] == parent and "klacht" in blocks and "10:00" in blocks
    assert "geen excuses" in blocks.lower() or "missing_apology" in blocks


async def test_reaction_reviews_the_message_in_its_thread(http, slack_api):
    ts = slack_api.add_message("C1", "x Hoi Bas, daar kunnen wij niets aan doen, dat ligt aan de vervoerder.", user="U7")
    reaction = {"type": "reaction_added", "user": "U123", "reaction": "eyes", "item_user": "U7",
                "item": {"type": "message", "channel": "C1", "ts": ts}, "event_ts": "1800000000.000100"}
    await post(http, event_body(reaction, event_id="EvReaction"))
    [call] = await slack_api.wait_for("chat.postMessage")
    assert call.args["thread_ts"] == ts and "daar kunnen wij niets aan doen" in section_texts(call)
    other = {**reaction, "reaction": "thumbsup"}
    await post(http, event_body(other, event_id="EvOtherEmoji"))
    await asyncio.sleep(0.2)
    assert len(slack_api.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize(("extra", "says"), [({}, "richtlijn"), ({"files": [{"id": "F1", "mimetype": "image/png"}]}, "tekst")])
async def test_an_empty_mention_gets_a_short_howto(http, slack_api, extra, says):
    await post(http, event_body(mention("", **extra), event_id=f"EvEmpty{bool(extra)}"))
    [call] = await slack_api.wait_for("chat.postMessage")
    assert says in section_texts(call).lower()


async def test_a_huge_draft_gets_an_answer_that_says_it_was_cut(http, slack_api):
    huge = "Hoi Sanne, sorry! " + "Je pakket komt eraan. " * 2000
    await post(http, event_body(mention(huge), event_id="EvHuge"))
    [call] = await slack_api.wait_for("chat.postMessage")
    assert "10000" in section_texts(call)


async def test_the_bots_own_messages_are_ignored(http, slack_api):
    await post(http, event_body(mention(DRAFT, bot_id="BBOT"), event_id="EvOwn"))
    await asyncio.sleep(0.3)
    assert slack_api.calls_to("chat.postMessage") == []


async def test_guideline_lookup_is_an_ephemeral_answer(http, slack_api):
    body = slash_command_body("/richtlijn", "beloftes", response_url=f"{slack_api.url}response")
    started = time.monotonic()
    response = await post(http, body)
    answer = await response.json()
    assert response.status == 200 and time.monotonic() - started < 3
    assert answer["response_type"] == "ephemeral" and "Kom je beloftes na" in json.dumps(answer["blocks"])
    listing = await (await post(http, slash_command_body("/guideline", "", response_url="x"))).json()
    assert "geen-loze-beloftes" in json.dumps(listing["blocks"])


async def test_feedback_buttons_are_stored(http, slack_api, env):
    await post(http, event_body(mention(DRAFT), event_id="EvFeedback"))
    [call] = await slack_api.wait_for("chat.postMessage")
    button = next(
        element for block in call.args["blocks"] if block["type"] == "actions"
        for element in block["elements"] if element["action_id"] == "feedback_wrong"
    )
    store = SQLiteStore(env / "webcare.db")
    while store.review(json.loads(button["value"])["review"]) is None:  # recorded right after posting
        await asyncio.sleep(0.01)
    body = block_actions_body("feedback_wrong", button["value"], response_url=f"{slack_api.url}response")
    assert (await post(http, body)).status == 200
    await slack_api.wait_for("chat.postEphemeral")
    stats = store.rule_stats()
    assert [(s["rule"], s["wrong"]) for s in stats] == [(json.loads(button["value"])["rule"], 1)]


async def test_web_api_rate_limit_is_retried(http, slack_api):
    slack_api.fail_next("chat.postMessage", status=429, retry_after=0)
    await post(http, event_body(mention(DRAFT), event_id="EvRateLimited"))
    calls = await slack_api.wait_for("chat.postMessage", count=2, timeout=8)
    assert len(calls) == 2


async def test_with_a_language_model_the_review_is_updated(env, slack_api, monkeypatch):
    with OpenAIServer() as model:
        model.script(ok({"findings": [], "summary": "Beloof iets concreets.", "instructions_in_text": False,
                         "rewrite": "Hoi [NAAM_1], sorry, balen! Ik bel je morgen om 10 uur. ^Tom"}))
        monkeypatch.setenv("OPENAI_BASE_URL", model.url)
        client = TestClient(TestServer(build_web_app(load_config())))
        await client.start_server()
        try:
            await post(client, event_body(mention(DRAFT, channel="C1"), event_id="EvLLM"))
            [posted] = await slack_api.wait_for("chat.postMessage")
            [updated] = await slack_api.wait_for("chat.update", timeout=10)
        finally:
            await client.close()
    assert "Taalmodel" in section_texts(posted) or "taalmodel" in section_texts(posted)
    assert updated.args["channel"] == "C1" and updated.args["ts"] in slack_api.messages["C1"]
    assert "Ik bel je morgen om 10 uur" in section_texts(updated) and "Hoi Sanne" in section_texts(updated)


async def test_healthz(http):
    response = await http.get("/healthz")
    assert response.status == 200 and (await response.json())["slack"] == "http"
