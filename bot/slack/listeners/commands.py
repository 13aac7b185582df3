"""Slash commands: /richtlijn and /guideline look guidelines up, answered only to the asker."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.chat.flow import ChatFlow
from bot.slack.app import SlackPort
from bot.slack.blocks import guideline_blocks


def register(app: AsyncApp, flow: ChatFlow, port: SlackPort) -> None:
    async def lookup(ack: AsyncAck, command: dict[str, Any]) -> None:
        query = (command.get("text") or "").strip()
        blocks = guideline_blocks(await flow.guidelines(query), query, language=flow.language)
        await ack(response_type="ephemeral", blocks=blocks, text=f"{command.get('command', '')} {query}".strip())

    app.command("/richtlijn")(lookup)
    app.command("/guideline")(lookup)
