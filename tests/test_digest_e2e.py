"""End to end on a running `webcare-coach serve`: the weekly digest is posted at its scheduled
moment (the next whole minute) to Slack (text, then the chart uploaded and shared in the
channel) and to Teams (an Adaptive Card with the chart inline), and not again after a restart in
the same week. Takes up to a minute and a half of real time (it waits for the moment).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from datetime import datetime, timedelta

from bot.store import open_store
from tests.bot_connector import BotConnectorServer
from tests.conftest import AMSTERDAM
from tests.insights_seed import AGENTS, leaks
from tests.slack_api import SlackAPIServer
from tests.test_reminders_e2e import SECRET, Serve

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _next_minute() -> datetime:
    """The next whole minute at least 20 s away (serve needs a few seconds to start)."""
    moment = (datetime.now(AMSTERDAM) + timedelta(seconds=20)).replace(second=0, microsecond=0) + timedelta(minutes=1)
    return moment


def _seed(path) -> None:
    store = open_store(path)
    now = time.time()
    for index in range(6):
        store.db["reviews"].insert({
            "id": uuid.uuid4().hex[:16], "platform": "slack", "workspace": "T1", "channel": "C1", "thread": f"1.{index}",
            "message": f"1.{index}", "agent": AGENTS[index % len(AGENTS)], "created": now - 3600 - index,
            "verdict": "revise", "findings": json.dumps([["nl.missing_apology.geen_excuses", "missing_apology"]]),
        })


def test_serve_posts_the_weekly_digest_once_at_its_moment(tmp_path):
    moment = _next_minute()
    (tmp_path / "app.yaml").write_text(
        "insights:\n"
        f'  digest: "{WEEKDAYS[moment.weekday()]} {moment:%H:%M}"\n'
        "  slack_channel: C1\n"
        "  teams_conversation: '19:webcare@thread.tacv2'\n", encoding="utf-8",
    )
    _seed(tmp_path / "webcare.db")
    with SlackAPIServer() as slack, BotConnectorServer() as connector:
        with open(tmp_path / "app.yaml", "a", encoding="utf-8") as config:
            config.write(f"  teams_service_url: {connector.url}\n")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("OPENAI", "AZURE", "SLACK", "WEBCARE", "Microsoft"))}
        env |= {"SLACK_BOT_TOKEN": "xoxb-e2e", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": slack.url,
                "WEBCARE_DB": str(tmp_path / "webcare.db"), "WEBCARE_CONFIG": str(tmp_path / "app.yaml")}
        serve = Serve(env)
        try:
            assert not slack.calls_to("chat.postMessage")  # nothing before the moment
            [post] = slack.wait_for_sync("chat.postMessage", timeout=110)
            [complete] = slack.wait_for_sync("files.completeUploadExternal", timeout=20)
            [card] = connector.wait_for_activities_sync(timeout=20)
        finally:
            serve.stop()
        posted_at = time.time() - (time.monotonic() - post.time)
        serve = Serve(env)  # restarted in the same week: nothing is sent again
        try:
            time.sleep(4)
            assert len(slack.calls_to("chat.postMessage")) == 1 and len(slack.calls_to("files.completeUploadExternal")) == 1
            assert len(connector.sent()) == 1
        finally:
            serve.stop()
        [file] = slack.files.values()
        shared = [m for m in slack.messages["C1"].values() if m.get("files")]
    assert moment.timestamp() - 1 <= posted_at <= moment.timestamp() + 15
    assert post.args["channel"] == "C1" and post.args["metadata"]["event_type"] == "webcare_digest"
    assert complete.args["channel_id"] == "C1" and file["data"].startswith(b"\x89PNG") and file["alt_txt"]
    assert [m["files"][0]["id"] for m in shared] == [file["id"]]
    image = next(i for i in card["attachments"][0]["content"]["body"] if i["type"] == "Image")
    assert image["url"].startswith("data:image/png;base64,") and image["altText"]
    everything = json.dumps([post.args, card], ensure_ascii=False) + file["alt_txt"]
    assert "geen excuses" in everything and leaks(everything) == []
