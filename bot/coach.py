"""The coach as every front end uses it: the rules review, then the language model if configured."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.config import Config
from bot.review.engine import Reviewer
from bot.review.model import Draft, LLMStatus, Review

if TYPE_CHECKING:
    from bot.llm.coach import LLMCoach
    from bot.store import Store

NOT_CONFIGURED = "no language model configured (set OPENAI_API_KEY or OPENAI_BASE_URL): rules only"
FORBIDDEN = "the team's configuration forbids a language model (llm.enabled: false): rules only"


class Coach:
    def __init__(self, config: Config, store: Store | None = None):
        self.config = config
        self.reviewer = Reviewer.from_config(config)
        self.llm: LLMCoach | None = None
        if config.llm.configured:
            # imported here: openai and pydantic take half a second to load, a rules-only run needs neither
            from bot.llm import coach as llm
            from bot.llm.client import ChatClient
            from bot.llm.prompt import Prompts
            from bot.store import open_store

            store = store or open_store(config.db_path)
            self.llm = llm.LLMCoach(config, self.reviewer, ChatClient(config.llm), Prompts.load(config.prompts_dir), store)

    def review_rules(self, draft: Draft) -> Review:
        """Rules only: instant, for a first answer while the model thinks."""
        return self.reviewer.review(draft)

    async def review(self, draft: Draft, use_llm: bool = True) -> Review:
        review = self.reviewer.review(draft)
        return await self.improve(draft, review) if use_llm else review

    async def improve(self, draft: Draft, review: Review) -> Review:
        """The rules review of `draft` with the language model's findings and rewrite (or a note
        saying why there are none)."""
        if self.llm is None:
            note = NOT_CONFIGURED if self.config.llm.enabled else FORBIDDEN
            return replace(review, llm=LLMStatus(note=note))
        return await self.llm.improve(draft, review)
