"""`webcare-coach report` (from the store, or a baseline from past replies) and `webcare-coach
digest` (dry run, or sent on demand to the Slack stand-in), the insights settings, and the
stand-in's file upload flow."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.cli import main
from bot.config import ConfigError, load_config
from bot.store import open_store
from tests.insights_seed import AGENTS, leaks
from tests.slack_api import SlackAPIServer


@pytest.fixture
def env(tmp_path, monkeypatch):
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "WEBCARE_CONFIG",
                 "OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "MicrosoftAppId"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WEBCARE_DB", str(tmp_path / "webcare.db"))
    monkeypatch.chdir(tmp_path)
    store = open_store(tmp_path / "webcare.db")
    for index in range(6):  # this week, by named agents
        store.db["reviews"].insert({
            "id": uuid.uuid4().hex[:16], "platform": "teams", "workspace": "t1", "channel": "19:c", "thread": str(index),
            "message": str(index), "agent": AGENTS[index % len(AGENTS)], "created": time.time() - 3600 * (index + 1),
            "verdict": "revise", "findings": json.dumps([["nl.empty_promise.ernaar_kijken", "empty_promise"]]),
        })
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_report_writes_one_self_contained_page(env, capsys):
    code, out, _ = run(capsys, "report", "--since", "14d", "--out", "team.html")
    page = (env / "team.html").read_text(encoding="utf-8")
    assert code == 0 and out.strip() == "team.html"
    assert page.count("<img src=\"data:image/png;base64,") == 3 and 'alt="Staafdiagram' in page
    assert 'href="#g-geen-loze-beloftes"' in page and 'id="g-geen-loze-beloftes"' in page
    assert "Geen loze beloftes" in page and "2 weken" in page and leaks(page) == []
    assert "http://" not in page.replace("http://adaptivecards", "") and "https://" not in page


def test_report_from_past_replies_is_a_rules_only_baseline(env, capsys):
    lines = [
        {"id": 1, "draft": "Hoi Sanne, we gaan ernaar kijken! ^Tom", "customer": "Waar blijft mijn pakket?!",
         "at": "2026-11-02T10:00:00+01:00"},
        {"id": 2, "draft": "Beste klant, naar aanleiding van uw bericht delen wij u mede dat het in behandeling is.",
         "at": "2026-11-10T10:00:00+01:00"},
        {"id": 3, "draft": "Hoi Pim, sorry! Ik bel je morgen om 10 uur. ^Lot", "customer": "Kapot!!",
         "at": "2026-11-11T09:00:00"},
    ]
    batch = env / "past.jsonl"
    batch.write_text("\n".join(json.dumps(line) for line in lines) + '\n{"id": 4, "draft": \n', encoding="utf-8")
    code, _, _ = run(capsys, "report", "--file", str(batch), "--out", "baseline.html")
    page = (env / "baseline.html").read_text(encoding="utf-8")
    assert code == 0 and "nulmeting" in page and "3 eerder geplaatste antwoorden" in page
    assert "1 regels overgeslagen: 4: line 4: not valid JSON" in page
    assert "loze belofte" in page and "ambtelijke taal" in page and "geen-loze-beloftes" in page
    assert page.count("<img ") == 2  # no promise outcomes for past replies
    assert "29 okt 2026 t/m 11 nov 2026 · 2 weken" in page  # the weeks come from `at`


@pytest.mark.parametrize("argv, message", [
    (["report", "--since", "3x"], "bad --since '3x'"),
    (["report", "--since", "0d"], "bad --since '0d'"),
    (["report", "--since", "60w"], "more than a year"),
    (["report", "--file", "missing.jsonl"], "cannot read --file missing.jsonl"),
    (["digest"], "no channel"),
    (["digest", "--slack-channel", "C9"], "SLACK_BOT_TOKEN is not set"),
])
def test_bad_input_gets_one_line_and_exit_2(env, capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and err.count("\n") == 1


def test_report_from_a_file_with_nothing_reviewable_exits_2(env, capsys):
    (env / "bad.jsonl").write_text('{"id": 1}\nnot json\n', encoding="utf-8")
    code, _, err = run(capsys, "report", "--file", "bad.jsonl")
    assert code == 2 and "no reply could be reviewed" in err


def test_digest_dry_run_prints_it(env, capsys):
    code, out, _ = run(capsys, "digest", "--dry-run")
    assert code == 0 and "Webcare-week" in out and "loze belofte: 6×" in out and "Geen loze beloftes" in out
    assert "alt: Staafdiagram" in out and leaks(out) == []


def test_digest_on_demand_goes_to_the_given_slack_channel(env, capsys, monkeypatch):
    with SlackAPIServer() as slack:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        monkeypatch.setenv("SLACK_API_URL", slack.url)
        code, out, _ = run(capsys, "digest", "--slack-channel", "C9")
        [post] = slack.calls_to("chat.postMessage")
        [file] = slack.files.values()
    assert code == 0 and "sent to slack" in out
    assert post.args["channel"] == "C9" and "metadata" not in post.args  # on demand: not the week's scheduled one
    assert file["channel"] == "C9" and file["data"].startswith(b"\x89PNG") and file["alt_txt"]


def test_insights_settings(tmp_path):
    (tmp_path / "app.yaml").write_text('insights:\n  digest: "Friday 08:30"\n  min_reviews: 3\n', encoding="utf-8")
    settings = load_config(tmp_path / "app.yaml").insights
    assert (settings.digest_day, settings.digest_time.isoformat(), settings.min_reviews) == (4, "08:30:00", 3)
    assert load_config(tmp_path / "app.yaml").insights.weeks == 4
    for bad, field in (('digest: "someday"', "insights.digest"), ("digest: fri", "insights.digest"),
                       ("min_reviews: 0", "insights.min_reviews"), ("slack: C1", "insights.slack")):
        (tmp_path / "app.yaml").write_text(f"insights:\n  {bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=f"field '{field}'"):
            load_config(tmp_path / "app.yaml")


async def test_stand_in_takes_uploads_like_slack():
    with SlackAPIServer() as slack:
        client = AsyncWebClient(token="xoxb-test", base_url=slack.url)
        response = await client.files_upload_v2(channel="C1", file=b"\x89PNG chart", filename="c.png", title="Chart",
                                                alt_txt="a chart", thread_ts="1700000000.000100")
        file_id = response["file"]["id"]
        assert slack.files[file_id] | {"data": None} == {
            "id": file_id, "name": "c.png", "title": "Chart", "alt_txt": "a chart", "length": 10, "data": None,
            "completed": True, "channel": "C1"}
        [message] = slack.messages["C1"].values()
        assert message["files"][0]["id"] == file_id and message["thread_ts"] == "1700000000.000100"
        assert [c.method for c in slack.calls] == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
        url = await client.files_getUploadURLExternal(filename="d.png", length=5)
        with pytest.raises(SlackApiError, match="file_upload_size_mismatch"):
            await client.files_completeUploadExternal(files=[{"id": url["file_id"]}], channel_id="C1")
