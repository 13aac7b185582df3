"""The wire test: personal data of many kinds goes in through the CLI and a Slack mention, with
the model stand-in recording every request. None of it reaches the model, none of it is in any
text column of any table afterwards, and the agent still sees the original values."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.config import load_config
from bot.server import build_web_app
from tests.conftest import ROOT
from tests.test_chat_flow import wait_until
from tests.openai_server import OpenAIServer, ok
from tests.slack_api import SlackAPIServer, event_body, signed_headers

# The promise sentences carry the phone number and the e-mail address.
DRAFT = ("Goedemorgen mevrouw Verhoeven, wat vervelend dat uw pakket van order 20241234567 nog niet bij u is, "
         "excuses! Ik bel u morgen om 10:00 op 06-12345678 en ik mail u vandaag voor 17:00 de bevestiging op "
         "marieke.verhoeven@example.nl. ^Tom")
CUSTOMER = ("@mverhoeven mijn pakket (order 20241234567, klantnummer KL-889912, boekingscode XK7P2Q) is nog steeds "
            "niet bezorgd op Kerkstraat 21, 3581 KD Utrecht. Mijn buurman Henk Dijkstra op de Molenweg 12 heeft "
            "ook niks. Terugbetalen mag op NL91ABNA0417164300. Mijn BSN is 111222333 en ik ben geboren op "
            "12-03-1985, bel me op 06-12345678.\nGroeten,\nMarieke Verhoeven")
# name (own, salutation, other person, agent), phone, e-mail, order, customer and booking number,
# street + postcode, street alone, IBAN, BSN, date of birth, handle: 13 kinds
PERSONAL = ["Marieke", "Verhoeven", "Henk", "Dijkstra", "Tom", "06-12345678", "marieke.verhoeven@example.nl",
            "20241234567", "KL-889912", "XK7P2Q", "Kerkstraat 21", "3581 KD", "Molenweg 12", "NL91ABNA0417164300",
            "111222333", "12-03-1985", "@mverhoeven", "mverhoeven"]
SECRET = "test-signing-secret"


def leaked(text: str) -> list[str]:
    return [value for value in PERSONAL if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.IGNORECASE)]


def echo_the_draft(request) -> object:
    """The stand-in model: a finding quoting a placeholder, and the (redacted) draft as its rewrite."""
    user = request.json["messages"][1]["content"]
    draft = user.split("<<<DRAFT\n")[1].split("\nDRAFT>>>")[0]
    phone = re.search(r"op (\[TELEFOON_\d+\])", draft).group(0)
    finding = {"category": "other", "excerpt": phone, "guideline": "persoonlijk", "severity": "suggestion",
               "message": "Noem het nummer alleen in een DM.", "suggestion": "Bevestig het nummer in een DM."}
    return ok({"findings": [finding], "summary": "Goed en concreet.", "rewrite": draft, "instructions_in_text": False})


def model_requests(model: OpenAIServer) -> str:
    return "\n".join(r.body + json.dumps(r.json, ensure_ascii=False) for r in model.requests)


def every_text_in(db: Path) -> str:
    """Every text value of every table (FTS and shadow tables included)."""
    connection = sqlite3.connect(db)
    tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    texts = []
    for table in tables:
        for row in connection.execute(f'SELECT * FROM "{table}"'):
            texts += [v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in row
                      if isinstance(v, (str, bytes))]
    connection.close()
    assert {"promises", "reviews", "llm_cache", "outbox"} <= set(tables)
    return "\n".join(texts)


def outbox(db: Path) -> list[tuple[str, str, str]]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute("SELECT state, request, address FROM outbox").fetchall()
    finally:
        connection.close()


def test_through_the_cli(tmp_path):
    db = tmp_path / "webcare.db"
    with OpenAIServer() as model:
        model.default = echo_the_draft
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AZURE", "WEBCARE", "SLACK"))}
        env |= {"OPENAI_BASE_URL": model.url, "OPENAI_API_KEY": "sk-test", "WEBCARE_DB": str(db)}
        done = subprocess.run(
            [sys.executable, "-m", "bot", "review", DRAFT, "--customer", CUSTOMER, "--channel", "dm", "--json"],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
        )
        assert done.returncode == 0, done.stderr
        sent = model_requests(model)
    result = json.loads(done.stdout)
    assert result["llm"]["used"] and len(model.requests) == 1
    assert leaked(sent) == [] and "[TELEFOON_1]" in sent and "[NAAM_" in sent
    assert leaked(every_text_in(db)) == []
    assert leaked(done.stderr) == []
    # what the agent sees: the original values, placeholders restored
    assert result["rewrite"] == DRAFT
    assert [f["excerpt"] for f in result["findings"] if f["source"] == "llm"] == ["op 06-12345678"]


async def test_through_a_slack_mention(tmp_path, monkeypatch):
    db = tmp_path / "webcare.db"
    for name in ("OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "SLACK_APP_TOKEN", "WEBCARE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    quoted = "\n".join(f"> {line}" for line in CUSTOMER.splitlines())
    event = {"type": "app_mention", "user": "U123", "text": f"<@UBOT> dm\n{quoted}\n{DRAFT}", "ts": "1700000001.000100",
             "channel": "C1", "event_ts": "1700000001.000100"}
    with SlackAPIServer() as slack_api, OpenAIServer() as model:
        model.default = echo_the_draft
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
        monkeypatch.setenv("SLACK_API_URL", slack_api.url)
        monkeypatch.setenv("OPENAI_BASE_URL", model.url)
        monkeypatch.setenv("WEBCARE_DB", str(db))
        client = TestClient(TestServer(build_web_app(load_config())))
        await client.start_server()
        try:
            body = event_body(event, event_id="EvPrivacy")
            response = await client.post("/slack/events", data=body.encode(), headers=signed_headers(body, SECRET))
            assert response.status == 200
            posted = (await slack_api.wait_for("chat.postMessage"))[0]
            [updated] = await slack_api.wait_for("chat.update", timeout=10)
            # the request (customer text) stays in the outbox until the model's update is done, then is wiped
            await wait_until(lambda: outbox(db) == [("posted", "", "")])
        finally:
            await client.close()
        sent = model_requests(model)
    assert len(model.requests) == 1 and leaked(sent) == []
    stored = every_text_in(db)
    assert leaked(stored) == []
    assert "[TELEFOON_1]" in stored and "[EMAIL_1]" in stored  # the promises are tracked, redacted
    # what the agent sees in the thread: the original values
    shown = json.dumps(updated.args["blocks"], ensure_ascii=False)
    assert "06-12345678" in shown and "marieke.verhoeven@example.nl" in shown and "mevrouw Verhoeven" in shown
    assert "06-12345678" in json.dumps(posted.args["blocks"], ensure_ascii=False)
    promises = sqlite3.connect(db).execute("SELECT text FROM promises ORDER BY due").fetchall()
    assert promises == [("en ik mail u vandaag voor 17:00 de bevestiging op [EMAIL_1]",),
                        ("Ik bel u morgen om 10:00 op [TELEFOON_1]",)]
