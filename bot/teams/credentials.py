"""The bot's own token for what it sends to Teams, kept across turns and fetched off the event loop.

botbuilder makes new credentials for every turn and every proactive message, and their token
comes from msal with a blocking HTTPS request to Microsoft's login service when the message is
sent: one token request per message, each holding the event loop (and with it every Slack
acknowledgement and /healthz) for a round trip. Here the credentials are made once per app,
scope and login endpoint, so msal's token cache lives on, and the token is fetched or renewed in
a thread before botbuilder asks for it; its own call then finds it in the cache.
"""

from __future__ import annotations

import asyncio
import logging

from botframework.connector.auth import ServiceClientCredentialsFactory
from msrest.authentication import Authentication

log = logging.getLogger("webcare.teams")


class SharedCredentialsFactory(ServiceClientCredentialsFactory):
    """Wraps botbuilder's factory (from MicrosoftAppType and the other settings)."""

    def __init__(self, inner: ServiceClientCredentialsFactory):
        self._inner = inner
        self._made: dict[tuple[str, str, str, bool], Authentication] = {}

    async def is_valid_app_id(self, app_id: str) -> bool:
        return await self._inner.is_valid_app_id(app_id)

    async def is_authentication_disabled(self) -> bool:
        return await self._inner.is_authentication_disabled()

    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str,
                                 validate_authority: bool) -> Authentication:
        key = (app_id, oauth_scope, login_endpoint, validate_authority)
        credentials = self._made.get(key)
        if credentials is None:
            credentials = await self._inner.create_credentials(app_id, oauth_scope, login_endpoint, validate_authority)
            self._made[key] = credentials
        if getattr(credentials, "microsoft_app_id", None):  # not the anonymous (emulator) ones
            try:
                await asyncio.to_thread(credentials.get_access_token)
            except Exception as exc:  # noqa: BLE001 - a turn that sends asks again, and fails there
                log.warning("teams: no token for the bot's messages yet (%s)", type(exc).__name__)
        return credentials
