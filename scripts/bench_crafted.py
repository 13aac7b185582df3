"""Benchmark: crafted 10,000-character inputs through the whole rules review and the redaction
for the language model, then /healthz latency of a running `serve` while it reviews them.

usage: python scripts/bench_crafted.py [--repeat 3] [--no-serve]

Crafted inputs are what an attacker (or a paste accident) sends: long runs of one character,
digit-dash runs, dotted runs, e-mail-like and URL-like runs, emoji, combining marks, repeated
phrases and mixtures, each as the draft and as the customer's message, for the X and e-mail
channels. Prints per input kind the worst and p99 time of a review (target: under 50 ms) and of
the redaction (bot/privacy), the slowest steps and rules behind the worst reviews, and
/healthz p50/p99/max while the worst drafts are reviewed by `serve` (target: p99 under 100 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import load_config  # noqa: E402
from bot.privacy import Redactor  # noqa: E402
from bot.mention import parse_request  # noqa: E402
from bot.review import engine  # noqa: E402
from bot.review.engine import Reviewer  # noqa: E402
from bot.review.model import Draft  # noqa: E402

SIZE = 10_000
NORMAL_DRAFT = "Hoi Sanne, wat vervelend dat je pakket nog niet binnen is! Ik bel je morgen om 10 uur. ^Tom"
NORMAL_CUSTOMER = "Mijn pakket is al een week onderweg, belachelijk!"
TARGET_REVIEW_MS, TARGET_HEALTHZ_MS = 50.0, 100.0


def fill(unit: str, prefix: str = "", suffix: str = "") -> str:
    """`unit` repeated to SIZE characters in all, between `prefix` and `suffix`."""
    room = SIZE - len(prefix) - len(suffix)
    return prefix + (unit * (room // len(unit) + 1))[:room] + suffix


def mixed(seed: int, units: list[str]) -> str:
    rng = random.Random(seed)
    parts, size = [], 0
    while size < SIZE:
        part = rng.choice(units) * rng.randint(1, 400)
        parts.append(part)
        size += len(part)
    return "".join(parts)[:SIZE]


CRAFTED: dict[str, list[str]] = {
    "one character": [fill("a"), fill("A"), fill("!"), fill("."), fill("-"), fill("@"), fill("#"), fill(">"),
                      fill("é"), fill("\u200b", "Hoi "), fill(" ", "x", "y"), fill("\n", "x", "y")],
    "repeated phrase": [fill("ik bel je morgen om 10 uur. "), fill("sorry "), fill("niet "), fill("HALLO "),
                        fill("we gaan ernaar kijken "), fill("binnen 2 werkdagen "), fill("Hoi Sanne, "),
                        fill("ge", "ik heb "), fill("ver", "we hebben "), fill("je kunt het beste de fabrikant "),
                        fill("you will need to contact the "), fill("wij zijn afhankelijk van de "), fill("10:0"),
                        fill("a.b!c?d;e:f-"), fill("€1"), fill("'")],
    "digit-dash": [fill("1-"), fill("12-34-"), fill("06-12345678-"), fill("0"), fill("1 2 "), fill("2026-11-25-"),
                   fill("+31-6-"), fill("NL91ABNA0417164300-"), fill("1234AB-")],
    "dotted": [fill("a."), fill("a.", "a.nl"), fill("a.", suffix="é.nl"), fill("1."), fill(".a"), fill("a.b-"),
               fill("a_b."), fill("x.co.")],
    "e-mail-like": [fill("a@b."), fill("a@b.nl"), fill("info@bol.com "), fill("a.b@"), fill("@a."), fill("x@y.z@"),
                    fill("a@", suffix=".nl")],
    "url-like": [fill("http://"), fill("www.a.nl/"), fill("a/", "https://a.nl/"), fill("a=b&", "a.nl?"),
                 fill("https://t.co/"), fill("a.nl/"), fill("(a)", "https://a.nl/"), fill("a.nl:"), fill("a.nl😀 "),
                 fill("😀x.nl/")],
    "emoji": [fill("😀"), fill("👍🏽"), fill("👨\u200d👩\u200d👧\u200d👦"), fill("🇳🇱"), fill("1️⃣"), fill("\u200d"),
              fill("🏴\U000e0067\U000e0062\U000e007f")],
    "combining marks": [fill("e\u0301"), fill("\u0301", "a"), fill("a\u0301\u0302\u0303\u0304"), fill("\u0308", "Hoi "),
                        fill("\u0301\u0316", "a"), "a" + "\u0301" * 4999 + "\u0316" * 5000],
    "mixed": [mixed(seed, ["a.", "1-", "@", "😀", "e\u0301", " ", "www.", "/", "x@y.nl", "HALLO ", "ik bel je "])
              for seed in range(8)],
}


def cases() -> Iterator[tuple[str, str, Draft]]:
    """(kind, what is crafted, draft) for every crafted text, channel and role."""
    for kind, texts in CRAFTED.items():
        for text in texts:
            for channel in ("x", "email"):
                yield kind, "draft", Draft(text, NORMAL_CUSTOMER, channel)
                yield kind, "customer", Draft(NORMAL_DRAFT, text, channel)


def redact(draft: Draft) -> None:
    """The redaction bot/llm/coach.py applies before a prompt is built."""
    redactor = Redactor()
    redactor.learn(draft.text, draft.customer)
    redactor.redact(draft.text)
    if draft.customer:
        redactor.redact(draft.customer)


def timed(function: Callable[[], Any], repeat: int) -> float:
    """The best of `repeat` runs, in ms (the least disturbed by the other sessions on the machine)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class StepTimer:
    """Time spent per review step and per rule, by wrapping the engine's functions (attribution only)."""

    def __init__(self, reviewer: Reviewer):
        self.spent: dict[str, float] = defaultdict(float)
        for name in ("fold", "Scan", "detect_language", "find_time_expressions", "find_promises", "judge",
                     "weighted_length"):
            setattr(engine, name, self._wrap(name, getattr(engine, name)))
        for owner, name in ((reviewer.complaint, "judge"), (reviewer._prefilter, "live"),
                            (reviewer.analyser, "analyse")):
            label = f"{type(owner).__name__}.{name}"
            object.__setattr__(owner, name, self._wrap(label, getattr(owner, name)))  # frozen dataclasses
        for check, function in list(engine.CHECK_FUNCTIONS.items()):
            engine.CHECK_FUNCTIONS[check] = self._wrap_check(function)

    def _wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[name] += time.perf_counter() - started
        return run

    def _wrap_check(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(rule: Any, ctx: Any) -> list[Any]:
            started = time.perf_counter()
            try:
                return list(function(rule, ctx))
            finally:
                self.spent[f"rule {rule.id}"] += time.perf_counter() - started
        return run

    def slowest(self, function: Callable[[], Any], top: int = 3) -> str:
        """The `top` steps and rules of one run of `function`, and the engine's time around them."""
        self.spent.clear()
        started = time.perf_counter()
        function()
        total = time.perf_counter() - started
        ranked = sorted(self.spent.items(), key=lambda item: -item[1])[:top]
        ranked.append(("engine around them", total - sum(self.spent.values())))
        return ", ".join(f"{name} {seconds * 1000:.1f}" for name, seconds in ranked)


def bench_reviews(repeat: int) -> list[tuple[str, str, Draft, float]]:
    reviewer = Reviewer.from_config(load_config(ROOT / "app.yaml"))
    reviewer.review(Draft(NORMAL_DRAFT, NORMAL_CUSTOMER))  # warm caches as a running bot has them
    rows, review_ms, redact_ms = [], defaultdict(list), defaultdict(list)
    for kind, role, draft in cases():
        review = timed(lambda: reviewer.review(draft), repeat)
        redaction = timed(lambda: redact(draft), repeat)
        rows.append((kind, role, draft, review))
        review_ms[kind].append(review)
        redact_ms[kind].append(redaction)
    print(f"{len(rows)} reviews of crafted {SIZE:,}-character texts ({sum(map(len, CRAFTED.values()))} texts, "
          f"as draft and as customer message, channels x and email); best of {repeat} runs each, ms")
    print(f"{'kind':<17}{'inputs':>7}{'review worst':>14}{'p99':>8}{'redact worst':>14}{'p99':>8}")
    for kind in CRAFTED:
        print(f"{kind:<17}{len(review_ms[kind]):>7}{max(review_ms[kind]):>14.1f}{percentile(review_ms[kind], 99):>8.1f}"
              f"{max(redact_ms[kind]):>14.1f}{percentile(redact_ms[kind], 99):>8.1f}")
    every_review = [ms for values in review_ms.values() for ms in values]
    every_redaction = [ms for values in redact_ms.values() for ms in values]
    print(f"{'all':<17}{len(every_review):>7}{max(every_review):>14.1f}{percentile(every_review, 99):>8.1f}"
          f"{max(every_redaction):>14.1f}{percentile(every_redaction, 99):>8.1f}")
    mention_ms = [timed(lambda: parse_request(form.format(text)), repeat)
                  for texts in CRAFTED.values() for text in texts for form in ("fb > {}", "> {}\nfb Hoi", "x {}")]
    print(f"parsing the crafted texts as mentions (bot/mention.py): worst {max(mention_ms):.1f} ms")
    over = [row for row in rows if row[3] > TARGET_REVIEW_MS]
    print(f"reviews over {TARGET_REVIEW_MS:.0f} ms: {len(over)} of {len(rows)}")
    timer = StepTimer(reviewer)
    print("slowest reviews, with the steps and rules that took longest (ms):")
    for kind, role, draft, ms in sorted(rows, key=lambda row: -row[3])[:8]:
        crafted = draft.text if role == "draft" else draft.customer or ""
        print(f"  {ms:7.1f}  {kind}, {role}, {draft.channel}: {crafted[:24]!r}…  [{timer.slowest(lambda: reviewer.review(draft))}]")
    return rows


# -- /healthz while serve reviews crafted mentions ------------------------------------------


async def healthz_during_reviews(mentions: list[str]) -> None:
    from tests.processes import free_port, wait_until_serving
    from tests.slack_api import SlackAPIServer, event_body, signed_headers

    import aiohttp

    secret = "bench-secret"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with SlackAPIServer() as slack, tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AZURE", "SLACK", "WEBCARE", "Microsoft"))}
        env |= {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": secret, "SLACK_API_URL": slack.url,
                "WEBCARE_DB": str(Path(tmp) / "bench.db"), "WEBCARE_LOG_LEVEL": "WARNING"}
        serve = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                 cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until_serving(f"{url}/healthz", serve, timeout=30)
            async with aiohttp.ClientSession() as session:
                await probe(session, url, 0.5)  # the idle baseline, and a warm connection
                probes = asyncio.create_task(probe(session, url, None))
                started = time.monotonic()
                acks = []
                for index, text in enumerate(mentions):
                    ts = f"1720000000.{index:06d}"
                    event = {"type": "app_mention", "user": "U123", "channel": "CBENCH", "ts": ts, "event_ts": ts,
                             "text": f"<@UBOT> {text}"}
                    body = event_body(event, event_id=f"EvBench{index}")
                    sent = time.monotonic()
                    async with session.post(f"{url}/slack/events", data=body.encode(),
                                            headers=signed_headers(body, secret)) as response:
                        acks.append((response.status, (time.monotonic() - sent) * 1000))
                while len(slack.calls_to("chat.postMessage")) < len(mentions) and time.monotonic() - started < 60:
                    await asyncio.sleep(0.05)
                busy = time.monotonic() - started
                probes.cancel()
                latencies = await probes
        finally:
            serve.terminate()
            serve.wait(timeout=10)
        posted = len(slack.calls_to("chat.postMessage"))
    print(f"\n/healthz while serve reviewed {len(mentions)} crafted mentions ({posted} reviews posted in {busy:.1f} s; "
          f"Slack acks {max(ms for _, ms in acks):.0f} ms at most, statuses {sorted({s for s, _ in acks})}):")
    print(f"  {len(latencies)} probes: p50 {percentile(latencies, 50):.1f} ms, p99 {percentile(latencies, 99):.1f} ms, "
          f"max {max(latencies):.1f} ms (target p99 < {TARGET_HEALTHZ_MS:.0f} ms)")


async def probe(session: Any, url: str, duration: float | None) -> list[float]:
    """GET /healthz back to back for `duration` seconds (None: until cancelled); the latencies in ms."""
    latencies: list[float] = []
    until = time.monotonic() + duration if duration else float("inf")
    try:
        while time.monotonic() < until:
            started = time.monotonic()
            async with session.get(f"{url}/healthz") as response:
                await response.read()
            latencies.append((time.monotonic() - started) * 1000)
            await asyncio.sleep(0.005)
    except asyncio.CancelledError:
        pass
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per input; the best counts")
    parser.add_argument("--no-serve", action="store_true", help="skip the /healthz measurement")
    args = parser.parse_args()
    rows = bench_reviews(args.repeat)
    if not args.no_serve:
        slowest = sorted(rows, key=lambda row: -row[3])
        drafts = list(dict.fromkeys(draft.text for _, role, draft, _ in slowest if role == "draft"))[:10]
        customers = list(dict.fromkeys(draft.customer for _, role, draft, _ in slowest if role == "customer"))[:5]
        mentions = drafts + [f"> {customer}\n{NORMAL_DRAFT}" for customer in customers]
        asyncio.run(healthz_during_reviews(mentions * 2))  # the slowest, each twice as a mention


if __name__ == "__main__":
    main()
