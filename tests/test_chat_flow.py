"""The chat flow end to end on Slack (signed requests to serve's web app, the local Web API
stand-in): one review per message, delivery through Web API failures and restarts, and who may
act on a promise."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.chat.flow import ChatFlow
from bot.chat.outbox import marker
from bot.chat.port import Place
from bot.coach import Coach
from bot.config import ConfigError, load_config
from bot.reminders import Reminders
from bot.review.model import Draft
from bot.server import build_web_app
from bot.slack.app import SlackPort, create_client
from bot.store import SQLiteStore
from tests.slack_api import block_actions_body, event_body, signed_headers, slash_command_body
from tests.conftest import SLACK_SECRET

PROMISING = "Hoi Sanne, sorry voor het wachten, balen! Ik bel je morgen om 10 uur. ^Tom"
LEAD = "ULEAD"


@pytest.fixture
def env(slack_env, monkeypatch):
    """test_slack's environment, with a team lead and a short outbox lease."""
    (slack_env / "app.yaml").write_text(f"leads:\n  slack: [{LEAD}]\noutbox:\n  lease_seconds: 2\n", encoding="utf-8")
    monkeypatch.setenv("WEBCARE_CONFIG", str(slack_env / "app.yaml"))
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    return slack_env


async def start_serve() -> TestClient:
    client = TestClient(TestServer(build_web_app(load_config())))
    await client.start_server()
    return client


@pytest.fixture
async def http(env):
    client = await start_serve()
    yield client
    await client.close()


async def post(http, body: str, **options):
    headers = signed_headers(body, SLACK_SECRET, **options)
    return await http.post("/slack/events", data=body.encode(), headers=headers)


def mention(text: str, ts: str, channel: str = "C1") -> dict:
    return {"type": "app_mention", "user": "U123", "text": f"<@UBOT> {text}", "ts": ts, "channel": channel,
            "event_ts": ts}


def reviews_in(slack_api, channel: str = "C1") -> list[dict]:
    """The reviews the coach posted (as stored by the stand-in: what really arrived)."""
    return [m for m in slack_api.messages.get(channel, {}).values()
            if (m.get("metadata") or {}).get("event_type") == "webcare_review"]


async def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_repeated_events_and_reactions_give_one_review(http, slack_api, env):
    ts = slack_api.add_message("C1", f"<@UBOT> {PROMISING}")
    body = event_body(mention(PROMISING, ts), event_id="EvOnce")
    for retry in (None, 1, 2):
        assert (await post(http, body, retry_num=retry)).status == 200
    other_id = event_body(mention(PROMISING, ts), event_id="EvSameMessageOtherId")
    assert (await post(http, other_id)).status == 200
    looked = slack_api.add_message("C1", "x Hoi Bas, daar kunnen wij niets aan doen.", user="U7")
    for index, user in enumerate(("U1", "U2", "U3")):  # three 👀 on one message
        reaction = {"type": "reaction_added", "user": user, "reaction": "eyes", "item_user": "U7",
                    "item": {"type": "message", "channel": "C1", "ts": looked}, "event_ts": f"1800000000.00010{index}"}
        assert (await post(http, event_body(reaction, event_id=f"EvEyes{index}"))).status == 200
    await wait_until(lambda: len(reviews_in(slack_api)) >= 2)
    await asyncio.sleep(0.5)  # a duplicate would come now
    assert sorted(m["thread_ts"] for m in reviews_in(slack_api)) == sorted([ts, looked])
    assert len(SQLiteStore(env / "webcare.db").promises(open_only=True)) == 1


async def test_a_web_api_that_posts_then_answers_500_gives_one_review(http, slack_api, env):
    ts = slack_api.add_message("C1", f"<@UBOT> {PROMISING}")
    slack_api.fail_for(1.5, status=500, after_delivery=True)
    assert (await post(http, event_body(mention(PROMISING, ts), event_id="EvPost500"))).status == 200
    store = SQLiteStore(env / "webcare.db")
    await wait_until(lambda: store.promises(open_only=True), timeout=15)
    assert len(reviews_in(slack_api)) == 1 and len(slack_api.calls_to("chat.postMessage")) >= 1


async def test_an_outage_delays_the_review_and_its_promises_are_tracked_only_once_posted(http, slack_api, env):
    ts = slack_api.add_message("C1", f"<@UBOT> {PROMISING}")
    slack_api.fail_for(2, status=503)
    started = time.monotonic()
    assert (await post(http, event_body(mention(PROMISING, ts), event_id="EvOutage"))).status == 200
    store = SQLiteStore(env / "webcare.db")
    await asyncio.sleep(1)
    assert reviews_in(slack_api) == [] and store.promises() == []  # nothing seen, nothing tracked
    await wait_until(lambda: store.promises(open_only=True), timeout=15)
    assert len(reviews_in(slack_api)) == 1 and time.monotonic() - started >= 2


async def test_a_rate_limit_is_waited_out_as_retry_after_says(http, slack_api):
    ts = slack_api.add_message("C1", f"<@UBOT> {PROMISING}")
    slack_api.fail_next("chat.postMessage", status=429, retry_after=2)
    await post(http, event_body(mention(PROMISING, ts), event_id="Ev429"))
    first, second = await slack_api.wait_for("chat.postMessage", count=2, timeout=10)
    assert second.time - first.time >= 1.9 and len(reviews_in(slack_api)) == 1


async def test_pending_requests_resume_after_a_restart(env, slack_api):
    """A request stored by a process that died before posting, and one that died right after
    posting (before recording it): after the restart each has exactly one review."""
    config = load_config()
    store = SQLiteStore(env / "webcare.db")
    flow = ChatFlow(Coach(config, store), store, Reminders(config, store, senders={}))
    port = SlackPort(create_client(config), config)
    flow.add_port(port)
    asked = []
    for _ in range(2):
        ts = slack_api.add_message("C1", f"<@UBOT> {PROMISING}")
        request = json.dumps({"text": PROMISING, "files": False, "parent": None, "bot_user": "UBOT"})
        assert await flow.request_review(Place("slack", "T1", "C1", ts), ts, "U123", request)
        asked.append(ts)
    # the process that dies: it claims the second request and posts its review, but never records it
    [dying] = [c for c in store.claim_outbox(time.time(), "dead", 1, limit=10) if c.row.message == asked[1]]
    assert store.mark_sending(dying, "dead")
    review = flow.coach.review_rules(Draft(PROMISING))
    message = port.render_review(review, review_id=dying.row.review_id, promise_ids=[], pending=False)
    await port.post(Place("slack", "T1", "C1", asked[1]), message, marker(dying.row.review_id))
    assert store.promises() == []
    await asyncio.sleep(1.1)  # the dead process's lease runs out

    client = await start_serve()  # the restart
    try:
        await wait_until(lambda: store.outbox_counts() == {"posted": 2}, timeout=15)
    finally:
        await client.close()
    assert sorted(m["thread_ts"] for m in reviews_in(slack_api)) == sorted(asked)
    assert len(store.promises(open_only=True)) == 2


async def test_a_review_that_cannot_be_posted_in_time_is_given_up_without_promises(env, slack_api, monkeypatch):
    (env / "app.yaml").write_text("outbox:\n  give_up_minutes: 0.03\n", encoding="utf-8")
    ts = slack_api.add_message("C1", f"<@UBOT> {PROMISING}")
    client = await start_serve()
    slack_api.fail_for(30, status=500)
    try:
        await post(client, event_body(mention(PROMISING, ts), event_id="EvGiveUp"))
        store = SQLiteStore(env / "webcare.db")
        await wait_until(lambda: store.outbox_counts() == {"gave_up": 1}, timeout=15)
    finally:
        slack_api.reset()
        await client.close()
    assert store.promises() == [] and store.db.execute("SELECT request FROM outbox").fetchone()[0] == ""


# -- who may act on a promise -----------------------------------------------------------------

async def promise_in_c1(http, slack_api, env, draft: str = PROMISING) -> tuple[str, str, SQLiteStore]:
    ts = slack_api.add_message("C1", f"<@UBOT> {draft}")
    await post(http, event_body(mention(draft, ts), event_id=f"Ev{ts}"))
    store = SQLiteStore(env / "webcare.db")
    await wait_until(lambda: store.promises(open_only=True))
    [promise] = store.promises(open_only=True)
    [review] = reviews_in(slack_api)
    return promise.id, review["ts"], store


async def callback(http, text: str, **options) -> str:
    response = await post(http, slash_command_body("/callback", text, response_url="x", **options))
    return (await response.json())["text"]


async def test_callback_command_only_in_the_promises_channel_or_by_a_lead(http, slack_api, env):
    promise_id, _, store = await promise_in_c1(http, slack_api, env)
    for verb in (f"done {promise_id}", f"cancel {promise_id}", f"due {promise_id} vrijdag 10:00"):
        answer = await callback(http, verb, channel_id="C2", user_id="U9")
        assert "Dat mag niet" in answer
    unchanged = store.promise(promise_id)
    assert unchanged.status == "open" and unchanged.reminders == 0
    assert "Nieuwe tijd" in await callback(http, f"due {promise_id} vrijdag 10:00", channel_id="C1", user_id="U9")
    assert "Gelogd" in await callback(http, f"done {promise_id}", channel_id="C2", user_id=LEAD)
    assert store.promise(promise_id).status == "done"


async def test_buttons_from_another_channel_or_workspace_are_refused(http, slack_api, env):
    promise_id, review_ts, store = await promise_in_c1(http, slack_api, env)
    other_channel = block_actions_body("callback_done", promise_id, channel_id="C2", response_url="x")
    assert (await post(http, other_channel)).status == 200
    other_workspace = block_actions_body("promise_cancel", promise_id, channel_id="C1", response_url="x")
    other_workspace = other_workspace.replace("%22T1%22", "%22T2%22")  # the click comes from workspace T2
    assert (await post(http, other_workspace)).status == 200
    refusals = await slack_api.wait_for("chat.postEphemeral", count=2)
    assert all("Dat mag niet" in call.args["text"] for call in refusals)
    assert store.promise(promise_id).status == "open"
    same = block_actions_body("callback_done", promise_id, channel_id="C1", user_id="U5", response_url="x")
    await post(http, same)
    await slack_api.wait_for("chat.postEphemeral", count=3)
    assert store.promise(promise_id).status == "done"


async def test_check_mark_from_another_workspace_is_refused(http, slack_api, env):
    promise_id, review_ts, store = await promise_in_c1(http, slack_api, env)
    check = {"type": "reaction_added", "user": "U9", "reaction": "white_check_mark",
             "item": {"type": "message", "channel": "C1", "ts": review_ts}, "event_ts": "1800000001.000100"}
    await post(http, event_body(check, event_id="EvCheckT2", team_id="T2"))
    [refusal] = await slack_api.wait_for("chat.postEphemeral")
    assert "Dat mag niet" in refusal.args["text"] and store.promise(promise_id).status == "open"
    await post(http, event_body(check, event_id="EvCheckT1"))
    await slack_api.wait_for("chat.postEphemeral", count=2)
    assert store.promise(promise_id).status == "done"


async def test_a_promise_made_in_teams_cannot_be_closed_from_slack(http, env):
    store = SQLiteStore(env / "webcare.db")
    teams = store.add_promise(platform="teams", workspace="T1", channel="C1", thread="1", review_id="r",
                              agent="29:a", customer="", text="ik bel je", kind="callback", due=time.time() + 3600,
                              due_iso="…", explicit=True, next_at=time.time() + 3600)
    assert "Dat mag niet" in await callback(http, f"done {teams}", channel_id="C1", user_id="U9")
    assert store.promise(teams).status == "open"


async def test_feedback_only_for_a_finding_of_a_stored_review(http, slack_api, env):
    await promise_in_c1(http, slack_api, env, "Hoi Sanne, daar kunnen wij niets aan doen. Ik bel je morgen om 10 uur. ^Tom")
    [review] = reviews_in(slack_api)
    value = next(e["value"] for b in review["blocks"] if b["type"] == "actions" for e in b["elements"]
                 if e["action_id"] == "feedback_wrong")
    forged = json.dumps({**json.loads(value), "finding": 42})
    unknown = json.dumps({**json.loads(value), "review": "nonexistent"})
    for bad in (forged, unknown):
        await post(http, block_actions_body("feedback_wrong", bad, response_url="x"))
    await slack_api.wait_for("chat.postEphemeral", count=2)
    assert SQLiteStore(env / "webcare.db").rule_stats() == []
    await post(http, block_actions_body("feedback_wrong", value, response_url="x"))
    await slack_api.wait_for("chat.postEphemeral", count=3)
    assert [s["wrong"] for s in SQLiteStore(env / "webcare.db").rule_stats()] == [1]


# -- the settings ---------------------------------------------------------------------------

def test_leads_and_outbox_settings_are_read(tmp_path):
    (tmp_path / "app.yaml").write_text("leads:\n  slack: [U1, ' U2 ']\noutbox:\n  give_up_minutes: 5\n",
                                       encoding="utf-8")
    config = load_config(tmp_path / "app.yaml")
    assert config.leads == {"slack": frozenset({"U1", "U2"}), "teams": frozenset()}
    assert config.outbox.give_up_minutes == 5 and config.outbox.lease_seconds == 60


@pytest.mark.parametrize(("yaml", "field"), [
    ("leads:\n  slack: U1\n", "leads.slack"),
    ("leads:\n  slack: [42]\n", "leads.slack"),
    ("leads:\n  discord: [U1]\n", "leads.discord"),
    ("outbox:\n  give_up_minutes: 0\n", "outbox.give_up_minutes"),
    ("outbox:\n  max_parallel: many\n", "outbox.max_parallel"),
])
def test_a_wrong_setting_is_named(tmp_path, yaml, field):
    (tmp_path / "app.yaml").write_text(yaml, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"field '{field}'"):
        load_config(tmp_path / "app.yaml")


async def test_the_language_models_update_is_retried_when_the_web_api_refuses_it(env, slack_api, monkeypatch):
    from tests.openai_server import OpenAIServer, ok

    with OpenAIServer() as model:
        model.script(ok({"findings": [], "summary": "Beloof iets concreets.", "instructions_in_text": False,
                         "rewrite": None}))
        monkeypatch.setenv("OPENAI_BASE_URL", model.url)
        client = await start_serve()
        try:
            slack_api.fail_next("chat.update", status=429, retry_after=1)
            ts = slack_api.add_message("C1", f"<@UBOT> {PROMISING}")
            await post(client, event_body(mention(PROMISING, ts), event_id="EvUpdate429"))
            updates = await slack_api.wait_for("chat.update", count=2, timeout=10)
        finally:
            await client.close()
    [review] = reviews_in(slack_api)
    assert len(updates) == 2 and "Beloof iets concreets." in json.dumps(review["blocks"], ensure_ascii=False)
