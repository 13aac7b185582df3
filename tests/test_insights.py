"""Team insights on a seeded store with an injected clock: the week's figures (worked out by hand
in tests/insights_seed.py), promise outcomes against their due moment, percentages only with
enough reviews, the digest's schedule and exactly-once sends over the Slack and Bot Connector
stand-ins, and no agent id or name anywhere in the digest, the report or their data."""

from __future__ import annotations

import asyncio
import base64
import json
from dataclasses import replace
from datetime import datetime, time as day_time, timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import load_config
from bot.insights.charts import findings_chart
from bot.insights.digest import (
    SlackDigestSender, TeamsDigestSender, WeeklyDigest, chart_filename, compose, iso_week, slack_blocks,
    teams_card,
)
from bot.insights.figures import from_store
from bot.insights.report import render
from bot.store import open_store
from tests.bot_connector import BotConnectorServer
from tests.conftest import AMSTERDAM, ROOT, note_threads
from tests.insights_seed import END, NOW, A, B, E, leaks, seed
from tests.slack_api import SlackAPIServer


@pytest.fixture
def config():
    return load_config(ROOT / "app.yaml")


@pytest.fixture
def store(tmp_path):
    return seed(tmp_path / "webcare.db")


def weekly(config, **settings):
    return replace(config, insights=replace(config.insights, **settings))


def test_the_weeks_figures_are_right(store, config):
    insights = from_store(store, config, end=END, weeks=4, now=NOW)
    assert [w.reviews for w in insights.weeks] == [2, 5, 5, 6]
    assert [w.enough for w in insights.weeks] == [False, True, True, True]
    week = insights.week
    assert (week.start, week.end) == (END - timedelta(days=7), END)
    assert week.ready == 2 and week.findings == {"missing_apology": 3, "empty_promise": 2, "bureaucratic": 1}
    assert [(t.category, t.count, round(t.share, 3), t.trend, t.guideline) for t in insights.top] == [
        ("missing_apology", 3, 0.5, "more", "begrip-excuses-oplossing"),
        ("empty_promise", 2, 0.333, "same", "geen-loze-beloftes"),
        ("bureaucratic", 1, 0.167, "fewer", "geen-ambtelijke-taal"),
    ]
    assert insights.top[0].guideline_title == "Begrip, excuses en oplossing"
    assert insights.average_before("bureaucratic") == pytest.approx(4 / 3)
    assert [(r.rule, r.not_right, r.helpful) for r in insights.not_right] == [(B[0], 3, 1), (A[0], 1, 0)]


def test_kept_on_time_counts_against_the_due_moment(store, config):
    promises = from_store(store, config, end=END, weeks=4, now=NOW).week.promises
    # on time: done at the due moment, an hour early, and before a due moment moved later
    assert (promises.made, promises.on_time, promises.late, promises.open, promises.overdue, promises.cancelled) == (
        7, 3, 1, 2, 1, 1)
    before = from_store(store, config, end=END - timedelta(days=7), weeks=1, now=NOW).week.promises
    assert (before.made, before.late) == (1, 1)


def test_a_week_with_too_few_reviews_shows_counts_without_percentages(tmp_path, config):
    store = seed(tmp_path / "few.db", {4: [[A, E], [A], [B], []]})
    insights = from_store(store, config, end=END, weeks=4, now=NOW)
    assert not insights.week.enough and insights.top[0].share is None and insights.top[0].trend is None
    digest = compose(insights, config, "2026-W49")
    assert "%" not in digest.text and "4 reviews" in digest.text and "minimaal 5" in digest.text
    page = render(insights, config, made=END)
    assert "%" not in page.split("<h2>")[3]  # the table per category: counts only


def test_digest_and_report_name_nobody(store, config):
    insights = from_store(store, config, end=END, weeks=4, now=NOW)
    digest = compose(insights, config, "2026-W49")
    scanned = {
        "digest": digest.text, "alt": digest.chart.alt, "slack": json.dumps(slack_blocks(digest), ensure_ascii=False),
        "teams": json.dumps(teams_card(digest), ensure_ascii=False),
        "data": json.dumps(insights.to_dict(), ensure_ascii=False, default=str),
        "report": render(insights, config, made=END),
    }
    assert {name: leaks(text) for name, text in scanned.items()} == {name: [] for name in scanned}
    # the figures themselves are in there
    assert "3×" in digest.text and "begrip-excuses-oplossing" in digest.text and "(43%)" in digest.text


def test_english_team_gets_an_english_digest(store, config):
    english = replace(config, language="en")
    digest = compose(from_store(store, english, end=END, weeks=4, now=NOW), english, "2026-W49")
    assert "Found most often" in digest.text and "more often than the weeks before" in digest.text
    assert "no apology" in digest.chart.alt


def test_status_records_when_a_promise_was_closed(tmp_path):
    store = open_store(tmp_path / "s.db")
    promise_id = store.add_promise(platform="slack", workspace="T", channel="C", thread="1.1", review_id="r",
                                   agent="U1", customer="", text="x", kind="callback", due=10.0, due_iso="",
                                   explicit=True, next_at=10.0)
    assert store.set_status(promise_id, "done")
    assert store.promise(promise_id).closed_at > 1_700_000_000


def test_chart_is_a_png_with_alt_text_small_enough_for_a_teams_card(store, config):
    insights = from_store(store, config, end=END, weeks=4, now=NOW)
    chart = findings_chart(insights, "nl")
    assert chart.png.startswith(b"\x89PNG") and (chart.width, chart.height) == (1200, 720)
    assert "geen excuses: 3 (eerder gemiddeld 1)" in chart.alt
    card = json.dumps(teams_card(compose(insights, config, "2026-W49")))
    assert len(card.encode()) < 28_000  # Teams' limit for a whole message


# -- the schedule -----------------------------------------------------------------------------


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_scheduled_moment_is_this_weeks(config):
    digest = WeeklyDigest(weekly(config, digest_day=4, digest_time=day_time(16, 0)), open_store(":memory:"), {})
    assert digest.latest_moment(END.timestamp() - 1) is None
    assert digest.latest_moment(END.timestamp()) == END
    saturday = (END + timedelta(days=1)).timestamp()
    assert digest.latest_moment(saturday) == END and digest.next_moment(saturday) == (END + timedelta(days=7)).timestamp()
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=AMSTERDAM).timestamp()
    assert digest.latest_moment(monday) is None  # last week's digest is never sent a week late
    assert iso_week(END) == "2026-W49"


@pytest.fixture
def slack():
    with SlackAPIServer() as server:
        yield server


def slack_digest(config, store, slack, clock, owner="one"):
    client = AsyncWebClient(token="xoxb-test", base_url=slack.url)
    settings = weekly(config, digest_day=4, digest_time=day_time(16, 0))
    return WeeklyDigest(settings, store, {"slack": SlackDigestSender(client, "C1")}, clock=clock, owner=owner)


async def test_slack_digest_is_posted_once_with_the_chart_uploaded_and_shared(store, config, slack, tmp_path):
    clock = Clock(END.timestamp() - 60)
    other_process = open_store(tmp_path / "webcare.db")
    one, two = slack_digest(config, store, slack, clock, "one"), slack_digest(config, other_process, slack, clock, "two")
    assert await one.run_once() == 0  # before the moment
    clock.now = END.timestamp() + 1
    assert sorted(await asyncio.gather(one.run_once(), two.run_once())) == [0, 1]  # two processes, one digest
    clock.now += 3600
    assert await one.run_once() == 0
    [post] = slack.calls_to("chat.postMessage")
    assert post.args["metadata"]["event_payload"] == {"week": "2026-W49"}
    assert "geen excuses" in json.dumps(post.args["blocks"], ensure_ascii=False)
    [url_call] = slack.calls_to("files.getUploadURLExternal")
    assert url_call.args["alt_txt"].startswith("Staafdiagram") and url_call.args["filename"] == chart_filename("2026-W49")
    [upload] = slack.calls_to("upload")
    [complete] = slack.calls_to("files.completeUploadExternal")
    assert complete.args["channel_id"] == "C1"
    [file] = slack.files.values()
    assert file["data"].startswith(b"\x89PNG") and file["completed"] and file["channel"] == "C1"
    shared = [m for m in slack.messages["C1"].values() if m.get("files")]
    assert [m["files"][0]["id"] for m in shared] == [file["id"]]
    digest_message = next(m for m in slack.messages["C1"].values() if m.get("metadata"))
    [sent] = store.digest_sends()
    assert (sent["state"], sent["message"], sent["chart"]) == ("sent", digest_message["ts"], file["id"])


async def test_a_resumed_send_finds_what_arrived_and_sends_only_the_rest(store, config, slack):
    clock = Clock(END.timestamp() + 1)
    digest = slack_digest(config, store, slack, clock, "crashed")
    slack.fail_next("files.getUploadURLExternal", status=500)  # the text went out, the chart did not
    assert await digest.run_once() == 0
    assert digest.failed and len(slack.calls_to("chat.postMessage")) == 1
    clock.now += 61
    assert await slack_digest(config, store, slack, clock, "next").run_once() == 1
    assert len(slack.calls_to("chat.postMessage")) == 1 and len(slack.calls_to("files.completeUploadExternal")) == 1

    # crashed after both arrived but before recording: the next process finds both, sends nothing
    next_week = END + timedelta(days=7)
    claim = store.claim_digest(iso_week(next_week), "slack", "lost", next_week.timestamp(), 30)
    sender = SlackDigestSender(AsyncWebClient(token="xoxb-test", base_url=slack.url), "C1")
    insights = from_store(store, config, end=next_week, weeks=4, now=next_week.timestamp())
    await sender.send(compose(insights, config, claim.week), claim, None)
    clock.now = next_week.timestamp() + 120
    calls = len(slack.calls)
    assert await slack_digest(config, store, slack, clock, "after").run_once() == 1
    assert {c.method for c in slack.calls[calls:]} == {"conversations.history"}
    assert [s["state"] for s in store.digest_sends()] == ["sent", "sent"]


async def test_teams_digest_card_goes_to_the_bot_connector(store, config, monkeypatch):
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    threads = note_threads(monkeypatch, store, "claim_digest", "insight_rows", "digest_posted", "digest_sent")
    with BotConnectorServer() as connector:
        settings = weekly(config, digest_day=4, digest_time=day_time(16, 0))
        sender = TeamsDigestSender("19:webcare@thread.tacv2", connector.url)
        digest = WeeklyDigest(settings, store, {"teams": sender}, clock=Clock(END.timestamp() + 5))
        assert await digest.run_once() == 1 and await digest.run_once() == 0
        [sent] = await connector.wait_for_activities()
    assert sent["_conversation"] == "19:webcare@thread.tacv2"
    assert len(threads) == 5 and all(name.startswith("webcare-store") for name in threads)  # off the event loop
    card = sent["attachments"][0]["content"]
    image = next(item for item in card["body"] if item["type"] == "Image")
    assert image["url"].startswith("data:image/png;base64,") and image["altText"].startswith("Staafdiagram")
    assert base64.b64decode(image["url"].split(",", 1)[1]).startswith(b"\x89PNG")
    text = json.dumps(card, ensure_ascii=False)
    assert "Begrip, excuses en oplossing" in text and leaks(text) == []


def test_a_week_without_reviews_says_so(tmp_path, config):
    insights = from_store(open_store(tmp_path / "empty.db"), config, end=END, weeks=4, now=NOW)
    digest = compose(insights, config, "2026-W49")
    assert "Geen reviews deze week." in digest.text and "Geen beloftes deze week." in digest.text
    assert digest.chart.png.startswith(b"\x89PNG")



def test_a_week_across_the_clock_change_runs_from_wall_clock_to_wall_clock():
    from bot.insights.figures import week_bounds

    end = datetime(2026, 10, 30, 16, 0, tzinfo=AMSTERDAM)  # summer time ended on Sunday 25 October
    [(start, stop)] = week_bounds(end, 1)
    assert (start.isoformat(), stop.isoformat()) == ("2026-10-23T16:00:00+02:00", "2026-10-30T16:00:00+01:00")
