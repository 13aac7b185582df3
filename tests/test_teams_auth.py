"""/api/messages locked down: off without an app id, the Bot Framework's signed tokens with one,
the Emulator's anonymous mode only on loopback, and only Bot Framework serviceUrls. Real HTTP to
the web app `serve` runs; the Bot Connector stand-in also serves the token signing keys."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from botframework.connector.auth import MicrosoftAppCredentials
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.config import TeamsSettings, load_config
from bot.server import build_web_app
from bot.teams.auth import service_url_allowed
from tests.loopback_server import LoopbackServer
from tests.bot_connector import ISSUER, KEY_ID, BotConnectorServer, bot_token, emulator_mode, message_activity, messaging_extension_query

APP_ID = "00000000-0000-0000-0000-00000000b0t1"


@pytest.fixture(scope="module")
def connector():
    with BotConnectorServer() as server:
        yield server


@pytest.fixture
def env(tmp_path, monkeypatch, connector):
    connector.reset()
    connector.keys_delay = 0.0
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN",
                 "MicrosoftAppId", "MicrosoftAppPassword"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "app.yaml").write_text("teams:\n  service_url_hosts: [127.0.0.1]\n", encoding="utf-8")
    monkeypatch.setenv("WEBCARE_CONFIG", str(tmp_path / "app.yaml"))
    monkeypatch.setenv("WEBCARE_DB", str(tmp_path / "webcare.db"))
    monkeypatch.setenv("BOTFRAMEWORK_OPENID_METADATA", connector.openid_metadata_url)
    return monkeypatch


async def start(config) -> TestClient:
    client = TestClient(TestServer(build_web_app(config)))
    await client.start_server()
    return client


@pytest.fixture
async def bot(env):
    """serve's web app with MicrosoftAppId set."""
    env.setenv("MicrosoftAppId", APP_ID)
    env.setenv("MicrosoftAppPassword", "not-used-by-these-tests")
    client = await start(load_config())
    yield client
    await client.close()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_without_app_id_or_emulator_the_endpoint_does_not_exist(env, connector):
    client = await start(load_config())
    try:
        response = await client.post("/api/messages", json=message_activity("Hoi", service_url=connector.url))
        health = await (await client.get("/healthz")).json()
    finally:
        await client.close()
    assert response.status == 404 and health["teams"] == "off"
    assert connector.calls == []


async def test_a_valid_token_is_accepted(bot, connector):
    query = messaging_extension_query("excuses", service_url=connector.url)
    response = await bot.post("/api/messages", json=query, headers=bearer(bot_token(APP_ID, connector.url)))
    assert response.status == 200
    assert "Begrip, excuses en oplossing" in json.dumps(await response.json(), ensure_ascii=False)


def _forged(service_url: str) -> dict[str, str]:
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {
        "missing": "",
        "not bearer": f"Basic {bot_token(APP_ID, service_url)}",
        "garbage": "Bearer not.a.token",
        "not base64": "Bearer ###.###.###",
        "unsigned": "Bearer " + jwt.encode({"iss": ISSUER, "aud": APP_ID, "exp": time.time() + 60}, None, algorithm="none",
                                           headers={"kid": KEY_ID}),
        "shared secret": "Bearer " + bot_token(APP_ID, service_url, key="a-guessed-shared-secret-of-32-bytes!", algorithm="HS256"),
        "another key": "Bearer " + bot_token(APP_ID, service_url, key=other_key),
        "another key, unknown id": "Bearer " + bot_token(APP_ID, service_url, key=other_key, kid="attacker"),
        "another bot": "Bearer " + bot_token("another-app", service_url),
        "another issuer": "Bearer " + bot_token(APP_ID, service_url, issuer="https://attacker.example"),
        "expired": "Bearer " + bot_token(APP_ID, service_url, expires_in=-3600),
        "another serviceUrl": "Bearer " + bot_token(APP_ID, "https://smba.trafficmanager.net/emea/"),
    }


async def test_missing_or_forged_tokens_get_401(bot, connector):
    activity = message_activity("Hoi Sanne, ik bel je morgen om 10 uur. ^Tom", service_url=connector.url)
    for name, authorization in _forged(connector.url).items():
        headers = {"Authorization": authorization} if authorization else {}
        response = await bot.post("/api/messages", json=activity, headers=headers)
        assert response.status == 401, name
    await asyncio.sleep(0.3)
    assert [c for c in connector.calls if c.path.startswith("/v3/")] == []  # nothing was sent anywhere


async def test_a_serviceurl_that_is_no_bot_framework_host_is_refused(bot, connector):
    for service_url in ("https://attacker.example/", "http://smba.trafficmanager.net/emea/",
                        "https://smba.trafficmanager.net.attacker.example/", "not a url"):
        activity = message_activity("Hoi", service_url=service_url)
        response = await bot.post("/api/messages", json=activity, headers=bearer(bot_token(APP_ID, service_url)))
        assert response.status == 403, service_url


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://smba.trafficmanager.net/emea/", True),
    ("https://europe.webchat.botframework.com/", True),
    ("https://smba.infra.gov.teams.microsoft.us/teams", True),
    ("https://botframework.com.attacker.example/", False),
    ("https://attackerbotframework.com/", False),
    ("http://127.0.0.1:9/", False),  # loopback only when app.yaml lists it, or in emulator mode
])
def test_bot_framework_hosts(url, allowed):
    assert service_url_allowed(url, TeamsSettings(app_id=APP_ID)) is allowed


async def test_signing_keys_are_fetched_once_off_the_loop_with_a_timeout(bot, connector):
    connector.keys_delay = 30.0  # a key host that does not answer: the fetch gives up after its timeout
    forged = "Bearer " + bot_token(APP_ID, connector.url, key=rsa.generate_private_key(65537, 2048), kid="other")
    activity = message_activity("Hoi", service_url=connector.url)
    started = time.monotonic()
    posts = asyncio.gather(*(bot.post("/api/messages", json=activity, headers={"Authorization": forged})
                             for _ in range(3)))
    await asyncio.sleep(0.2)
    health_started = time.monotonic()
    assert (await bot.get("/healthz")).status == 200
    assert time.monotonic() - health_started < 0.5  # the loop is not blocked by the waiting fetch
    assert [r.status for r in await posts] == [401, 401, 401]
    assert time.monotonic() - started < 10  # the three share one fetch, bounded by its 5 s timeout
    started = time.monotonic()
    later = await bot.post("/api/messages", json=activity, headers={"Authorization": forged})
    assert later.status == 401 and time.monotonic() - started < 1  # no new fetch within the minute
    key_fetches = [c for c in connector.calls if c.path == "/v1/keys"]
    assert len(key_fetches) == 1


async def test_valid_tokens_reuse_the_fetched_keys(bot, connector):
    query = messaging_extension_query("beloftes", service_url=connector.url)
    for _ in range(3):
        response = await bot.post("/api/messages", json=query, headers=bearer(bot_token(APP_ID, connector.url)))
        assert response.status == 200
    assert len([c for c in connector.calls if c.path == "/v1/keys"]) == 1


async def test_emulator_mode_is_anonymous_and_loopback_only(env, connector):
    client = await start(emulator_mode(load_config()))
    try:
        local = await client.post("/api/messages", json=messaging_extension_query("excuses", service_url=connector.url))
        remote = await client.post("/api/messages",
                                   json=messaging_extension_query("excuses", service_url="https://smba.trafficmanager.net/emea/"))
    finally:
        await client.close()
    assert local.status == 200 and remote.status == 403


def test_cli_refuses_the_emulator_on_a_public_address(env, capsys):
    from bot.cli import main

    assert main(["serve", "--teams-emulator", "--host", "0.0.0.0"]) == 2
    assert "loopback" in capsys.readouterr().err
    env.setenv("MicrosoftAppId", APP_ID)
    assert main(["serve", "--teams-emulator"]) == 2
    assert "MicrosoftAppId" in capsys.readouterr().err


# -- the bot's own token for what it sends ------------------------------------------------------


class TokenEndpoint(LoopbackServer):
    """Stands in for Microsoft's login service: each token request takes `delay` seconds."""

    name = "token-endpoint-test-server"

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay, self.requests = delay, 0

    def add_routes(self, app: web.Application) -> None:
        async def token(_: web.Request) -> web.Response:
            self.requests += 1
            await asyncio.sleep(self.delay)
            return web.json_response({"access_token": f"bot-token-{self.requests}", "expires_in": 3600})

        app.router.add_post("/token", token)


async def test_replies_share_one_token_fetched_off_the_event_loop(env, connector, monkeypatch):
    """botbuilder would make new credentials per turn and fetch their token with a blocking
    request while sending: one token per message, each holding the event loop."""
    with TokenEndpoint(delay=0.5) as endpoint:
        def get_access_token(credentials, force_refresh: bool = False) -> str:  # as msal: blocking HTTP, cached
            if getattr(credentials, "_test_token", None) is None:
                request = urllib.request.Request(f"{endpoint.origin}/token", data=b"grant_type=client_credentials")
                with urllib.request.urlopen(request, timeout=5) as response:
                    credentials._test_token = json.loads(response.read())["access_token"]
            return credentials._test_token

        monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", get_access_token)
        env.setenv("MicrosoftAppId", APP_ID)
        env.setenv("MicrosoftAppPassword", "s3cret")
        client = await start(load_config())
        try:
            probes: list[float] = []

            async def probe() -> None:
                while True:
                    started = time.monotonic()
                    await client.get("/healthz")
                    probes.append(time.monotonic() - started)
                    await asyncio.sleep(0.02)

            prober = asyncio.create_task(probe())
            for number in range(3):
                activity = message_activity(f"Hoi Sanne, ik bel je morgen om {10 + number}:00. ^Tom",
                                            service_url=connector.url)
                response = await client.post("/api/messages", json=activity,
                                             headers=bearer(bot_token(APP_ID, connector.url)))
                assert response.status in (200, 201)
            await connector.wait_for_activities(3, timeout=10)
            prober.cancel()
        finally:
            await client.close()
    sends = [call for call in connector.calls if call.method == "POST" and "/activities" in call.path]
    assert sends and {call.headers.get("authorization") for call in sends} == {"Bearer bot-token-1"}
    assert endpoint.requests == 1
    assert max(probes) < 0.3  # the 0.5 s token request ran beside the loop, not on it
