"""Who may talk to /api/messages: the Bot Framework's signed tokens, and the serviceUrls the bot
answers to.

botbuilder's own check fetches Microsoft's signing keys with a blocking call without a timeout
and answers a malformed token with an exception (a 500). Here a token is checked cheaply first
(shape, algorithm, issuer, audience, expiry), so a forged one never causes a key fetch; the keys
are fetched without blocking the event loop, with a timeout, once for all waiting requests, and
kept for a day (an unknown key id, or a failed fetch, refetches them at most once a minute).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import jwt
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult, ClaimsIdentity
from jwt.algorithms import RSAAlgorithm

from bot.config import BOT_FRAMEWORK_HOSTS, TeamsSettings

log = logging.getLogger("webcare.teams.auth")

ISSUER = "https://api.botframework.com"  # channel -> bot tokens, public cloud
CALLER_ID = "urn:botframework:azure"
_CLOCK_SKEW_SECONDS = 300
_KEYS_MAX_AGE_SECONDS = 24 * 3600
_REFETCH_SECONDS = 60


class Unauthorized(Exception):
    """The request carries no valid Bot Framework token; the message says why (no token content)."""


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def service_url_allowed(service_url: str | None, settings: TeamsSettings) -> bool:
    """Emulator mode: loopback only. Otherwise an https Bot Framework host, or one app.yaml lists."""
    try:
        parts = urlsplit(service_url or "")
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if settings.emulator:
        return parts.scheme in ("http", "https") and is_loopback(host)
    for allowed in settings.service_url_hosts:
        listed = allowed not in BOT_FRAMEWORK_HOSTS  # the team's own entries (app.yaml) may be http
        if (host == allowed or (allowed.startswith("*.") and host.endswith(allowed[1:]))) and (
            parts.scheme == "https" or (listed and parts.scheme == "http")
        ):
            return True
    return False


@dataclass(frozen=True)
class _SigningKey:
    public_key: Any
    endorsements: tuple[str, ...]


class SigningKeys:
    """The Bot Framework's token signing keys (OpenID metadata -> JWKS), fetched off the loop."""

    def __init__(self, metadata_url: str, timeout_seconds: float):
        self.metadata_url, self.timeout = metadata_url, aiohttp.ClientTimeout(total=timeout_seconds)
        self._keys: dict[str, _SigningKey] = {}
        self._fetched_at = float("-inf")
        self._attempted_at = float("-inf")
        self._fetching: asyncio.Task[None] | None = None

    async def get(self, key_id: str) -> _SigningKey | None:
        """The key, fetching the keys first when they are old or lack it (at most once a minute,
        so tokens naming made-up key ids cannot keep the key host busy)."""
        now = time.monotonic()
        wanted = now - self._fetched_at > _KEYS_MAX_AGE_SECONDS or key_id not in self._keys
        if self._fetching_now() or (wanted and now - self._attempted_at > _REFETCH_SECONDS):
            await self.refresh()
        return self._keys.get(key_id)

    def _fetching_now(self) -> bool:
        return self._fetching is not None and not self._fetching.done()

    def prefetch(self) -> asyncio.Future[None]:
        """Start fetching the keys (unless a fetch is running); requests arriving meanwhile share it."""
        if not self._fetching_now():
            self._attempted_at = time.monotonic()
            self._fetching = asyncio.ensure_future(self._fetch())
        return self._fetching

    async def refresh(self) -> None:
        await asyncio.shield(self.prefetch())

    async def _fetch(self) -> None:
        try:
            async with aiohttp.ClientSession(timeout=self.timeout) as session:
                async with session.get(self.metadata_url) as response:
                    response.raise_for_status()
                    jwks_uri = (await response.json(content_type=None))["jwks_uri"]
                async with session.get(jwks_uri) as response:
                    response.raise_for_status()
                    found = (await response.json(content_type=None))["keys"]
            keys = {key["kid"]: _SigningKey(RSAAlgorithm.from_jwk(json.dumps(key)), tuple(key.get("endorsements") or ()))
                    for key in found if key.get("kid") and key.get("kty") == "RSA"}
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, TypeError) as exc:
            log.warning("Bot Framework signing keys not fetched: %s", type(exc).__name__)
            return
        self._keys, self._fetched_at = keys, time.monotonic()
        log.info("Bot Framework signing keys fetched: %d", len(keys))


class TokenValidator:
    """Checks the Authorization header of a channel -> bot request, as the Bot Framework signs it."""

    def __init__(self, settings: TeamsSettings):
        if not settings.app_id:
            raise ValueError("a token validator needs MicrosoftAppId")
        self.app_id = settings.app_id
        self.keys = SigningKeys(settings.openid_metadata_url, settings.key_fetch_timeout_seconds)

    async def authenticate(self, authorization: str | None, activity: Activity) -> dict[str, Any]:
        """The token's claims; Unauthorized when it is missing, malformed, forged or not for us."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme != "Bearer" or not token.strip():
            raise Unauthorized("no bearer token")
        token = token.strip()
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise Unauthorized("malformed token") from None
        if header.get("alg") != "RS256" or not isinstance(header.get("kid"), str):
            raise Unauthorized("unexpected token algorithm or key id")
        if unverified.get("iss") != ISSUER or unverified.get("aud") != self.app_id:
            raise Unauthorized("token not issued by the Bot Framework for this bot")
        if not isinstance(unverified.get("exp"), (int, float)) or unverified["exp"] + _CLOCK_SKEW_SECONDS < time.time():
            raise Unauthorized("token expired")
        key = await self.keys.get(header["kid"])
        if key is None:
            raise Unauthorized("unknown signing key")
        if key.endorsements and activity.channel_id not in key.endorsements:
            raise Unauthorized("signing key not endorsed for this channel")
        try:
            claims = jwt.decode(token, key.public_key, algorithms=["RS256"], audience=self.app_id, issuer=ISSUER,
                                leeway=_CLOCK_SKEW_SECONDS, options={"require": ["exp", "iss", "aud"]})
        except jwt.PyJWTError:
            raise Unauthorized("bad token signature or claims") from None
        if claims.get("serviceurl") != activity.service_url:  # as botbuilder's ChannelValidation
            raise Unauthorized("token issued for another serviceUrl")
        return claims

    def request_result(self, claims: dict[str, Any], authentication: Any) -> AuthenticateRequestResult:
        """What botbuilder's CloudAdapter needs to run the turn, for checked claims."""
        identity = ClaimsIdentity(claims, True)
        result = AuthenticateRequestResult()
        result.claims_identity = identity
        result.audience = ISSUER
        result.caller_id = CALLER_ID
        result.connector_factory = authentication.create_connector_factory(identity)
        return result
