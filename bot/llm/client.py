"""One chat completion from OpenAI, Azure OpenAI or an OpenAI-compatible server, with retries.

Retried (tenacity, exponential backoff with jitter, or the server's Retry-After): timeouts,
connection errors, 429 and 5xx. Never retried: 400, 401 and other client errors. A server that
rejects structured output (`response_format` with a JSON schema) is asked again in JSON mode
and from then on.
The caller bounds the whole exchange in time; a semaphore bounds requests in flight.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import openai
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, wait_random_exponential

from bot.config import LLMSettings
from bot.llm.schema import response_format

log = logging.getLogger("webcare.llm")

_RETRYABLE = (openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError)
_MAX_RETRY_AFTER = 30.0


class ModelError(Exception):
    """No usable answer from the model. The message is safe to show and log: it holds no content."""


@dataclass(frozen=True)
class Completion:
    content: str
    model: str
    prompt_tokens: int
    completion_tokens: int


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, _RETRYABLE) or (isinstance(exc, openai.APIStatusError) and exc.status_code >= 500)


def _retry_after(exc: BaseException | None) -> float | None:
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return min(max(float(value), 0.0), _MAX_RETRY_AFTER) if value is not None else None
    except ValueError:
        return None


_backoff = wait_random_exponential(multiplier=0.5, max=8)


def _wait(state: RetryCallState) -> float:
    """The server's Retry-After when it sends one, else exponential backoff with jitter."""
    retry_after = _retry_after(state.outcome.exception() if state.outcome else None)
    return retry_after if retry_after is not None else _backoff(state)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, openai.APIStatusError):
        return f"the model server answered HTTP {exc.status_code}"
    if isinstance(exc, openai.APITimeoutError):
        return "the model server did not answer in time"
    if isinstance(exc, openai.APIConnectionError):
        return "the model server could not be reached"
    return f"the model server's answer could not be read ({type(exc).__name__})"


class ChatClient:
    def __init__(self, settings: LLMSettings):
        self.settings = settings
        self._structured = True  # until the server says it doesn't support JSON schemas
        self._loop: asyncio.AbstractEventLoop | None = None

    def _bind(self) -> None:
        """The HTTP client and the semaphore belong to one event loop: (re)made for the running one."""
        loop = asyncio.get_running_loop()
        if loop is self._loop:
            return
        settings = self.settings
        common = {"api_key": settings.api_key or "not-needed", "max_retries": 0, "timeout": settings.timeout_seconds}
        if settings.azure_endpoint:
            self._openai: openai.AsyncOpenAI = openai.AsyncAzureOpenAI(
                azure_endpoint=settings.azure_endpoint, api_version=settings.azure_api_version, **common
            )
        else:
            self._openai = openai.AsyncOpenAI(base_url=settings.base_url, **common)
        self._semaphore = asyncio.Semaphore(settings.max_concurrency)
        self._loop = loop

    async def complete(self, messages: list[dict[str, str]]) -> Completion:
        self._bind()
        async with self._semaphore:
            try:
                async for attempt in AsyncRetrying(
                    retry=retry_if_exception(_retryable),
                    wait=_wait,
                    stop=stop_after_attempt(self.settings.max_attempts),
                    reraise=True,
                ):
                    with attempt:
                        return await self._create(messages)
            except ModelError:
                raise
            except Exception as exc:  # noqa: BLE001 - openai also lets a bare JSONDecodeError through
                raise ModelError(_describe(exc)) from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _create(self, messages: list[dict[str, str]]) -> Completion:
        try:
            response = await self._openai.chat.completions.create(
                model=self.settings.model,
                messages=messages,  # type: ignore[arg-type]
                response_format=response_format(self._structured),  # type: ignore[arg-type]
                temperature=self.settings.temperature,
            )
        except openai.APIStatusError as exc:
            # OpenAI-compatible servers say "no JSON schemas" with a 400 or 422, llama.cpp with a 500
            if not self._structured or not ("response_format" in str(exc) or "json_schema" in str(exc)):
                raise
            log.info("model server rejects JSON schemas; using JSON mode")
            self._structured = False
            return await self._create(messages)
        if not response.choices or response.choices[0].message.content is None:
            raise ModelError("the model gave an empty answer")
        usage = response.usage
        return Completion(
            content=response.choices[0].message.content,
            model=response.model or self.settings.model,
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
        )
