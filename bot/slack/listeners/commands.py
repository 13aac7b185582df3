"""Slash commands: /richtlijn and /guideline look guidelines up, answered only to the asker."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.slack.app import SlackCoach
from bot.slack.blocks import guideline_blocks


def register(app: AsyncApp, bot: SlackCoach) -> None:
    async def lookup(ack: AsyncAck, command: dict[str, Any]) -> None:
        query = (command.get("text") or "").strip()
        corpus = bot.coach.reviewer.corpus
        found = corpus.search(query) if query else list(corpus.guidelines.values())
        blocks = guideline_blocks(found, query, language=bot.language)
        await ack(response_type="ephemeral", blocks=blocks, text=f"{command.get('command', '')} {query}".strip())

    app.command("/richtlijn")(lookup)
    app.command("/guideline")(lookup)
