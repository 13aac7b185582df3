"""The model's review on top of the rules: redact, ask, validate, merge, check the rewrite.

Whatever the model does (slow, down, garbage, made-up excerpts), `improve` returns the rules
review within the time bound, with `llm.error` saying why the model's part is missing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from dataclasses import replace

from bot.config import Config
from bot.corpus import Corpus
from bot.llm.client import ChatClient, Completion, ModelError
from bot.llm.prompt import Prompts, build_messages, relevant_guidelines, rewrite_request
from bot.llm.schema import Answer, ValidationError
from bot.messages import t
from bot.privacy import Redactor
from bot.review.engine import Reviewer
from bot.review.model import Draft, Finding, LLMStatus, Review
from bot.review.rules import CATEGORIES, CATEGORY_SEVERITY
from bot.store import Store

log = logging.getLogger("webcare.llm")


def _parse(content: str) -> Answer:
    """The model's JSON; a ```json fence around it is tolerated."""
    text = content.strip()
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    try:
        return Answer.model_validate_json(text)
    except ValidationError as exc:
        kind = "not valid JSON" if any(e["type"] == "json_invalid" for e in exc.errors()) else "not in the agreed shape"
        raise ModelError(f"the model's answer was {kind}") from None


class LLMCoach:
    def __init__(self, config: Config, reviewer: Reviewer, client: ChatClient, prompts: Prompts, store: Store | None):
        self.config, self.reviewer, self.client, self.prompts, self.store = config, reviewer, client, prompts, store

    @property
    def corpus(self) -> Corpus:
        return self.reviewer.corpus

    async def improve(self, draft: Draft, review: Review) -> Review:
        """The review with the model's findings, summary and checked rewrite added."""
        settings = self.config.llm
        started = time.monotonic()
        deadline = asyncio.get_running_loop().time() + settings.timeout_seconds
        text = draft.text[: review.truncated_at] if review.truncated_at else draft.text
        redactor = Redactor(today=draft.at.date() if draft.at else None)
        redactor.learn(text, draft.customer)  # the customer's signature names them in the draft too
        messages = build_messages(
            self.prompts,
            relevant_guidelines(self.corpus, redactor, text, draft.customer, review.findings),
            redactor,
            text,
            draft.customer,
            self.config.channel(review.channel),
            self.config.language,
            review.findings,
            review.promises,
        )
        key = hashlib.sha256(
            json.dumps([settings.model, self.prompts.version, messages], ensure_ascii=False).encode()
        ).hexdigest()
        status = LLMStatus(used=False, model=settings.model)
        try:
            async with asyncio.timeout_at(deadline):
                answer, status = await self._answer(messages, key, status)
        except TimeoutError:
            return self._done(review, replace(status, error=f"no answer within {settings.timeout_seconds:g} s"), started)
        except ModelError as exc:
            return self._done(review, replace(status, error=str(exc)), started)

        findings, dropped = self._merge(answer, review, redactor, text)
        rewrite, note, status = await self._checked_rewrite(answer, messages, draft, redactor, deadline, status)
        review = replace(
            review,
            findings=sorted(review.findings + findings, key=lambda f: (f.start, f.source)),
            summary=redactor.restore(answer.summary).strip() or None,
            rewrite=rewrite,
        )
        return self._done(review, replace(status, used=True, dropped=dropped, note=note), started)

    def _done(self, review: Review, status: LLMStatus, started: float) -> Review:
        status = replace(status, latency_ms=round((time.monotonic() - started) * 1000))
        log.info(
            "llm review model=%s used=%s cached=%s tokens=%d+%d latency_ms=%d dropped=%d error=%s",
            status.model, status.used, status.cached, status.prompt_tokens, status.completion_tokens,
            status.latency_ms, status.dropped, status.error,
        )
        return replace(review, llm=status)

    async def _answer(self, messages: list[dict[str, str]], key: str, status: LLMStatus) -> tuple[Answer, LLMStatus]:
        """From the cache, or from the model (then cached: it holds only redacted text). The cache is
        SQLite: read and written in a thread, never on the event loop."""
        store = self.store
        if store is not None and (cached := await asyncio.to_thread(store.cached_answer, key,
                                                                    self.config.llm.cache_hours)):
            return Answer.model_validate(cached), replace(status, cached=True)
        completion = await self.client.complete(messages)
        status = self._count(status, completion)
        answer = _parse(completion.content)
        if store is not None:
            await asyncio.to_thread(store.cache_answer, key, completion.model, answer.model_dump())
        return answer, status

    @staticmethod
    def _count(status: LLMStatus, completion: Completion) -> LLMStatus:
        return replace(
            status,
            model=completion.model,
            prompt_tokens=status.prompt_tokens + completion.prompt_tokens,
            completion_tokens=status.completion_tokens + completion.completion_tokens,
        )

    def _merge(self, answer: Answer, review: Review, redactor: Redactor, text: str) -> tuple[list[Finding], int]:
        """The model's findings that hold up; made-up excerpts, categories and guidelines are dropped."""
        language = self.config.language
        kept: list[Finding] = []
        dropped = 0
        for found in answer.findings:
            excerpt = redactor.restore(found.excerpt).strip()
            start = text.find(excerpt) if excerpt else -1
            if found.category not in (*CATEGORIES, "other") or found.guideline not in self.corpus or start < 0:
                dropped += 1
                continue
            end = start + len(excerpt)
            if any(
                f.category == found.category and (f.start == f.end or (f.start < end and start < f.end))
                for f in review.findings + kept
            ):
                continue  # the rules (or the model itself) said this already
            kept.append(
                Finding(
                    category=found.category,
                    rule=f"llm.{found.category}",
                    severity=CATEGORY_SEVERITY.get(found.category, found.severity),
                    start=start,
                    end=end,
                    excerpt=excerpt,
                    message=redactor.restore(found.message).strip(),
                    suggestion=redactor.restore(found.suggestion).strip(),
                    guideline=found.guideline,
                    source="llm",
                )
            )
        if answer.instructions_in_text:
            message, suggestion = t(language, "review.instructions_found"), t(language, "review.instructions_check")
            kept.append(Finding("other", "llm.instructions_in_text", "warning", 0, 0, "", message, suggestion, "", "llm"))
        return kept, dropped

    def _problems(self, rewrite: str, draft: Draft) -> list[str]:
        """What the rules still object to in a rewrite (the length limit included)."""
        check = self.reviewer.review(Draft(rewrite, draft.customer, draft.channel, draft.at))
        return [
            f"{f.category}: " + (f'"{f.excerpt}"' if f.excerpt else "the whole text") + f" ({f.message})"
            for f in check.findings
            if f.severity in ("error", "warning")
        ]

    async def _checked_rewrite(
        self, answer: Answer, messages: list[dict[str, str]], draft: Draft, redactor: Redactor,
        deadline: float, status: LLMStatus,
    ) -> tuple[str | None, str | None, LLMStatus]:
        """The rewrite if the rules accept it, after at most one request to fix it."""
        if not answer.rewrite or not answer.rewrite.strip():
            return None, None, status
        rewrite = redactor.restore(answer.rewrite).strip()
        problems = self._problems(rewrite, draft)
        if not problems:
            return rewrite, None, status
        follow_up = rewrite_request(
            self.prompts, messages, answer.model_dump_json(), problems, self.config.channel(draft.channel), redactor
        )
        try:
            async with asyncio.timeout_at(deadline):
                completion = await self.client.complete(follow_up)
            status = self._count(status, completion)
            fixed = _parse(completion.content).rewrite
        except (TimeoutError, ModelError):
            fixed = None
        if fixed and fixed.strip():
            rewrite = redactor.restore(fixed).strip()
            problems = self._problems(rewrite, draft)
            if not problems:
                return rewrite, None, status
        return None, "rewrite left out: it still broke the rules (" + "; ".join(problems) + ")", status
