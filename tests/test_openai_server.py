"""Tests of the local OpenAI-compatible test server, driven by the real openai clients."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import openai
import pytest
import pytest_asyncio

from openai_server import OpenAIServer, Reply, Request, drop, hang, ok, raw, status

MESSAGES = [
    {"role": "system", "content": "You coach webcare agents."},
    {"role": "user", "content": "Draft: <<Sorry voor het wachten!>>"},
]


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


@pytest_asyncio.fixture
async def client(server: OpenAIServer) -> AsyncIterator[openai.AsyncOpenAI]:
    async with openai.AsyncOpenAI(base_url=server.url, api_key="test", max_retries=0) as opened:
        yield opened


async def complete(client: openai.AsyncOpenAI, **overrides: Any) -> Any:
    """A chat completion request shaped like the coach's, with `overrides` applied."""
    arguments: dict[str, Any] = {
        "model": "test-model",
        "messages": MESSAGES,
        "response_format": {"type": "json_object"},
        "temperature": 0.2,
        "timeout": 5,
    }
    return await client.chat.completions.create(**(arguments | overrides))


@pytest.mark.asyncio
async def test_ok_round_trip_records_the_request(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    review = {"findings": [{"rule": "apology"}], "summary": "Fine.", "rewrite": None}
    server.script(ok(review, model="gpt-test", prompt_tokens=11, completion_tokens=7))

    completion = await complete(client)

    assert json.loads(completion.choices[0].message.content) == review
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.model == "gpt-test"
    usage = completion.usage
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (11, 7, 18)
    [received] = server.requests
    assert (received.method, received.path) == ("POST", "/v1/chat/completions")
    assert received.headers["authorization"] == "Bearer test"
    assert received.json == {
        "model": "test-model",
        "messages": MESSAGES,
        "response_format": {"type": "json_object"},
        "temperature": 0.2,
    }
    assert json.loads(received.body) == received.json


@pytest.mark.asyncio
async def test_raw_response_exposes_headers_and_parses(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.script(ok("plain text", finish_reason="length"))

    response = await client.chat.completions.with_raw_response.create(model="test-model", messages=MESSAGES)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    completion = response.parse()
    assert completion.choices[0].message.content == "plain text"
    assert completion.choices[0].finish_reason == "length"
    assert completion.usage.total_tokens == 200


@pytest.mark.asyncio
async def test_rate_limit_surfaces_retry_after(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.script(status(429, headers={"Retry-After": "1"}))

    with pytest.raises(openai.RateLimitError) as caught:
        await complete(client)

    assert caught.value.status_code == 429
    assert caught.value.response.headers["retry-after"] == "1"
    assert caught.value.code == "rate_limit_exceeded"
    assert caught.value.type == "rate_limit_error"
    assert len(server.requests) == 1  # max_retries=0: no retry of its own


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("code", "error"),
    [
        (500, openai.InternalServerError),
        (400, openai.BadRequestError),
        (401, openai.AuthenticationError),
    ],
)
async def test_error_status_maps_to_openai_error(
    server: OpenAIServer, client: openai.AsyncOpenAI, code: int, error: type[openai.APIStatusError]
) -> None:
    server.script(status(code))

    with pytest.raises(error) as caught:
        await complete(client)

    assert caught.value.status_code == code
    assert isinstance(caught.value.body, dict)
    assert caught.value.body["message"] in caught.value.message


@pytest.mark.asyncio
async def test_custom_error_body(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    error = {"message": "context too long", "type": "invalid_request_error", "code": "context_length_exceeded"}
    server.script(status(400, body={"error": error}))

    with pytest.raises(openai.BadRequestError) as caught:
        await complete(client)

    assert caught.value.code == "context_length_exceeded"
    assert caught.value.message == "Error code: 400 - context too long"


@pytest.mark.asyncio
async def test_hang_times_out_and_the_next_request_is_answered_at_once(
    server: OpenAIServer, client: openai.AsyncOpenAI
) -> None:
    server.script(hang(2), ok("after"))

    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        await complete(client, timeout=0.5)
    assert time.monotonic() - started < 1.5

    started = time.monotonic()
    completion = await complete(client)
    assert completion.choices[0].message.content == "after"
    assert time.monotonic() - started < 0.5


@pytest.mark.asyncio
async def test_hang_does_not_block_other_requests(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.script(hang(1, ok("slow")), ok("fast"))

    slow = asyncio.create_task(complete(client))
    while not server.requests:
        await asyncio.sleep(0.01)
    fast = await complete(client)

    assert fast.choices[0].message.content == "fast"
    assert not slow.done()
    assert (await slow).choices[0].message.content == "slow"


@pytest.mark.asyncio
async def test_invalid_json_body_raises_json_decode_error(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.script(raw("{not json"))

    with pytest.raises(json.JSONDecodeError):
        await complete(client)


@pytest.mark.asyncio
async def test_non_json_content_type_returns_the_text(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.script(raw("{not json", content_type="text/plain"))

    assert await complete(client) == "{not json"


@pytest.mark.asyncio
async def test_drop_raises_connection_error(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.script(drop(), ok("reconnected"))

    with pytest.raises(openai.APIConnectionError) as caught:
        await complete(client)

    assert type(caught.value) is openai.APIConnectionError  # not its subclass APITimeoutError
    assert caught.value.__cause__ is not None
    assert (await complete(client)).choices[0].message.content == "reconnected"


@pytest.mark.asyncio
async def test_azure_route_records_deployment_and_api_version(server: OpenAIServer) -> None:
    server.script(ok("from azure"))

    async with openai.AsyncAzureOpenAI(
        azure_endpoint=server.origin, api_version="2024-10-21", api_key="test", max_retries=0
    ) as azure:
        completion = await azure.chat.completions.create(model="coach-deployment", messages=MESSAGES)

    assert completion.choices[0].message.content == "from azure"
    [received] = server.requests
    assert received.path == "/openai/deployments/coach-deployment/chat/completions"
    assert received.deployment == "coach-deployment"
    assert received.query == {"api-version": "2024-10-21"}
    assert received.headers["api-key"] == "test"


@pytest.mark.asyncio
async def test_callable_default_answers_from_the_request(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    def echo(request: Request) -> Reply:
        user = request.json["messages"][-1]["content"]
        return ok({"excerpt": user[user.index("<<") + 2 : user.index(">>")]})

    server.default = echo
    server.script(ok("scripted first"))

    first = await complete(client)
    second = await complete(client)

    assert first.choices[0].message.content == "scripted first"
    assert json.loads(second.choices[0].message.content) == {"excerpt": "Sorry voor het wachten!"}


@pytest.mark.asyncio
async def test_built_in_default_and_reset(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.default = status(500)
    server.script(ok("queued"), ok("never taken"))
    await complete(client)

    server.reset()
    completion = await complete(client)

    assert json.loads(completion.choices[0].message.content) == {"findings": [], "summary": "", "rewrite": None}
    assert len(server.requests) == 1


@pytest.mark.asyncio
async def test_models_and_unknown_routes(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    models = await client.models.list()
    assert [model.id for model in models.data] == ["test-model"]

    with pytest.raises(openai.NotFoundError) as caught:
        await client.embeddings.create(model="test-model", input="hello")

    assert caught.value.message == "Error code: 404 - Unknown route: POST /v1/embeddings"
    assert [request.path for request in server.requests] == ["/v1/models", "/v1/embeddings"]


@pytest.mark.asyncio
async def test_stop_does_not_wait_for_hung_requests(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.script(hang(30))
    pending = asyncio.create_task(complete(client, timeout=30))
    while not server.requests:
        await asyncio.sleep(0.01)

    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 1

    with pytest.raises(openai.APIConnectionError):
        await pending


def test_sync_client_and_context_manager() -> None:
    with OpenAIServer() as server:
        server.script(ok({"summary": "sync"}))
        with openai.OpenAI(base_url=server.url, api_key="test", max_retries=0) as client:
            completion = client.chat.completions.create(model="test-model", messages=MESSAGES)

    assert json.loads(completion.choices[0].message.content) == {"summary": "sync"}
    assert server.requests[0].json["model"] == "test-model"
