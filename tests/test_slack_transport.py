"""How Slack reaches the bot: /slack/events refuses garbage with 4xx (never 500) and logs no body,
and Socket Mode works end to end with a real `serve` against local stand-ins for the Web API and
the Socket Mode WebSocket."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import subprocess
import sys
import time

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot import logs
from bot.config import load_config
from bot.server import MAX_REQUEST_BYTES, build_web_app
from tests.conftest import ROOT, SLACK_SECRET as SECRET
from tests.processes import free_port, stop, wait_until_serving
from tests.slack_api import SlackAPIServer, event_body
from tests.slack_socket import SlackSocketServer

MARKER = "Zeldzaamwoord"  # stands for customer text: it must never reach a log line


@pytest.fixture
async def http(slack_env):
    """The web app in-process over real HTTP, configured by conftest's slack_env."""
    client = TestClient(TestServer(build_web_app(load_config())))
    await client.start_server()
    yield client
    await client.close()


def signed(body: bytes, *, content_type: str = "application/json", timestamp: str | None = None,
           secret: str = SECRET) -> dict[str, str]:
    timestamp = str(int(time.time())) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


def mention_body(text: str) -> str:
    return event_body({"type": "app_mention", "user": "U123", "text": f"<@UBOT> {text}", "ts": "1700000001.000100",
                       "channel": "C1", "event_ts": "1700000001.000100"}, event_id="EvGarbage")


FORM = "application/x-www-form-urlencoded"
GARBAGE = {
    "malformed JSON": (b'{"type": "event_callback", ', "application/json"),
    "JSON array": (b"[1, 2, 3]", "application/json"),
    "JSON number": (b"42", "application/json"),
    "invalid UTF-8": (b'{"text": "\xff\xfe caf\xe9"}', "application/json"),
    "invalid UTF-8 form": (b"command=%2Frichtlijn&text=\xff", FORM),
    "form with broken payload": (b"payload=%7Bnot-json", FORM),
    "form with a list payload": (b"payload=%5B1%5D", FORM),
}


@pytest.mark.parametrize("name", GARBAGE)
async def test_signed_garbage_gets_400(http, slack_api, name):
    body, content_type = GARBAGE[name]
    response = await http.post("/slack/events", data=body, headers=signed(body, content_type=content_type))
    assert response.status == 400, await response.text()


@pytest.mark.parametrize("timestamp", ["", "soon", "1e9", "-5", "١٢٣", "99999999999999999999999", str(int(time.time()) - 3600)])
async def test_bad_timestamps_get_401(http, timestamp):
    body = mention_body("Hoi").encode()
    response = await http.post("/slack/events", data=body, headers=signed(body, timestamp=timestamp))
    assert response.status == 401


async def test_unsigned_or_wrongly_signed_garbage_gets_401(http):
    for body in (b"\xff\xfe", b"{not json", mention_body("Hoi").encode()):
        assert (await http.post("/slack/events", data=body)).status == 401
        assert (await http.post("/slack/events", data=body, headers=signed(body, secret="guess"))).status == 401


async def test_url_verification_and_ssl_check_are_answered(http):
    challenge = json.dumps({"token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                            "type": "url_verification"})
    response = await http.post("/slack/events", data=challenge.encode(), headers=signed(challenge.encode()))
    assert response.status == 200 and "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in await response.text()
    ssl_check = await http.post("/slack/events", data=b"ssl_check=1&token=t", headers={"Content-Type": FORM})
    assert ssl_check.status == 200 and await ssl_check.text() == ""


async def test_a_huge_body_gets_413(http):
    body = b"x" * (MAX_REQUEST_BYTES + 1)
    response = await http.post("/slack/events", data=body, headers=signed(body))
    assert response.status == 413


async def test_rejected_requests_are_logged_briefly_without_their_body(http, capsys):
    logs.install(logging.DEBUG)
    try:
        body = mention_body(f"Hoi, {MARKER} " + "x" * 100_000).encode()
        for _ in range(40):
            await http.post("/slack/events", data=body, headers=signed(body, secret="wrong"))
        await http.post("/slack/events", data=b"\xff" + body, headers=signed(b"\xff" + body))
    finally:
        logs.install(logging.WARNING)
    err = capsys.readouterr().err
    assert MARKER not in err and len(err) < 5000
    refused = [line for line in err.splitlines() if "slack request refused" in line]
    assert 1 <= len(refused) <= 11  # throttled: at most ten equal lines a minute (and the 400)


# -- Socket Mode end to end --------------------------------------------------------------


def test_socket_mode_end_to_end(tmp_path):
    """`serve` with SLACK_APP_TOKEN: opens the WebSocket from apps.connections.open, acks an
    app_mention envelope and posts the review to the Web API."""
    with SlackAPIServer() as slack_api, SlackSocketServer() as socket:
        slack_api.socket_url = socket.url
        port = free_port()
        env = {**{k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AZURE", "Microsoft", "SLACK"))},
               "SLACK_APP_TOKEN": "xapp-1-test", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": slack_api.url,
               "WEBCARE_DB": str(tmp_path / "webcare.db"), "WEBCARE_CONFIG": str(ROOT / "app.yaml")}
        process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                   env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_until_serving(f"http://127.0.0.1:{port}/healthz", process, timeout=30)
            health = json.loads(urlopen(f"http://127.0.0.1:{port}/healthz"))
            envelope_id = socket.send(json.loads(mention_body("> Mijn pakket is kapot!\nHoi Sanne, we gaan ernaar kijken. ^Tom")))
            ack = socket.wait_for_ack_sync(envelope_id)
            [call] = slack_api.wait_for_sync("chat.postMessage", timeout=15)
        finally:
            stop(process)
    assert health["slack"] == "socket"
    assert ack == {"envelope_id": envelope_id}
    assert call.args["channel"] == "C1" and call.args["thread_ts"] == "1700000001.000100"
    assert "we gaan ernaar kijken" in json.dumps(call.args.get("blocks"), ensure_ascii=False)
    assert slack_api.calls_to("apps.connections.open")


def urlopen(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()
