"""Fault load test: N mentions at once to a real `webcare-coach serve` while the Slack Web API
stand-in fails, and Slack's redelivery of every event that got no 2xx.

Scenarios (each on a fresh database and stand-in):
  429            the Web API answers 429 (Retry-After 1) to every call for 6 s
  500            the Web API answers 500 to every call for 6 s
  kill           `kill -9` of serve in the middle of the burst (a third acknowledged), and a
                 restart on the same database
  kill-posting   `kill -9` while the reviews are being posted (a fifth posted), and a restart
  post-then-500  for 6 s the Web API posts each message and then answers 500

Prints per scenario: mentions, reviews posted, duplicates, missing, promises tracked without a
posted review, the outbox's states, `PRAGMA integrity_check`, and how long Slack waited for
its acknowledgements (200 requests at once on one process). Exactly once means: every
mention one review, 0 duplicates, 0 missing, 0 promises without a review.

usage: python scripts/load_faults.py [--mentions 200] [--scenario all|429|500|kill|kill-posting|post-then-500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.processes import free_port, wait_until_serving  # noqa: E402
from tests.slack_api import SlackAPIServer, event_body, signed_headers  # noqa: E402

SECRET = "load-faults-secret"
CHANNEL = "CLOAD"
FAULT_SECONDS = 6
SCENARIOS = ("429", "500", "kill", "kill-posting", "post-then-500")
DRAFTS = [
    "Hoi Sanne, we gaan ernaar kijken. ^Tom",
    "> Mijn pakket is al een week onderweg!\nHoi Bas, sorry, balen! Ik bel je morgen om 10 uur. ^Eva",
    "x Hi Tom, sorry you feel that way. We'll get back to you.",
    "fb Beste klant, daar kunnen wij niets aan doen, dat ligt aan de vervoerder. We mailen je vrijdag.",
]
# a claim of a killed process is taken over after this lease (app.yaml outbox.lease_seconds)
LEASE_SECONDS = 10


class Serve:
    """`webcare-coach serve` as a child process on a fixed port and database."""

    def __init__(self, env: dict[str, str], port: int):
        self.env, self.port = env, port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        await asyncio.to_thread(wait_until_serving, f"{self.url}/healthz", self.process, 60)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


class Slack:
    """Slack's side of the Events API: deliver each event, and deliver again what got no 2xx."""

    def __init__(self, serve: Serve, bodies: dict[str, str]):
        self.serve, self.bodies = serve, bodies
        self.unacknowledged = set(bodies)
        self.deliveries = Counter()
        self.ack_ms: list[float] = []  # how long each acknowledged delivery waited for its 2xx

    async def deliver(self, session: aiohttp.ClientSession, event_id: str) -> None:
        body = self.bodies[event_id]
        retry = self.deliveries[event_id] or None
        self.deliveries[event_id] += 1
        sent = time.monotonic()
        try:
            async with session.post(f"{self.serve.url}/slack/events", data=body.encode(),
                                    headers=signed_headers(body, SECRET, retry_num=retry)) as response:
                if 200 <= response.status < 300:
                    self.unacknowledged.discard(event_id)
                    self.ack_ms.append((time.monotonic() - sent) * 1000)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
            pass  # no answer: Slack delivers it again

    async def burst(self, session: aiohttp.ClientSession) -> None:
        await asyncio.gather(*(self.deliver(session, event_id) for event_id in self.bodies))

    async def redeliver(self, session: aiohttp.ClientSession, until: float) -> None:
        while self.unacknowledged and time.monotonic() < until:
            await asyncio.sleep(1)
            await asyncio.gather(*(self.deliver(session, event_id) for event_id in list(self.unacknowledged)))


def mentions(api: SlackAPIServer, count: int) -> dict[str, str]:
    """The mentions as messages in the channel (Slack knows them) and as Events API bodies."""
    bodies = {}
    for index in range(count):
        draft = f"{DRAFTS[index % len(DRAFTS)]} ({index})"
        ts = api.add_message(CHANNEL, f"<@UBOT> {draft}", user=f"U{index % 7}")
        event = {"type": "app_mention", "user": f"U{index % 7}", "channel": CHANNEL, "ts": ts, "event_ts": ts,
                 "text": f"<@UBOT> {draft}"}
        bodies[f"EvLoad{index}"] = event_body(event, event_id=f"EvLoad{index}")
    return bodies


def reviews_by_thread(api: SlackAPIServer) -> dict[str, list[str]]:
    """What really arrived in the channel: review ids per thread."""
    found: dict[str, list[str]] = {}
    for message in api.messages.get(CHANNEL, {}).values():
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") == "webcare_review":
            found.setdefault(message["thread_ts"], []).append(metadata["event_payload"]["review"])
    return found


def outbox_states(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        return dict(connection.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())


async def run(scenario: str, count: int) -> dict[str, object]:
    with SlackAPIServer() as api, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "faults.db"
        (Path(tmp) / "app.yaml").write_text(f"outbox:\n  lease_seconds: {LEASE_SECONDS}\n", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AZURE", "SLACK", "WEBCARE"))}
        env |= {"SLACK_BOT_TOKEN": "xoxb-load", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": api.url,
                "WEBCARE_DB": str(db), "WEBCARE_CONFIG": str(Path(tmp) / "app.yaml")}
        serve = Serve(env, free_port())
        await serve.start()
        slack = Slack(serve, mentions(api, count))
        started = time.monotonic()
        timeout = aiohttp.ClientTimeout(total=30)
        try:
            async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
                if scenario.startswith("kill"):
                    burst = asyncio.create_task(slack.burst(session))
                    while not burst.done() and (
                        count - len(slack.unacknowledged) < count // 3 if scenario == "kill"
                        else len(reviews_by_thread(api)) < count // 5
                    ):
                        await asyncio.sleep(0.002)
                    serve.kill()
                    posted_before_kill = len(reviews_by_thread(api))
                    await burst
                    killed_with = count - len(slack.unacknowledged)
                    await serve.start()  # the restart, on the same database
                else:
                    api.fail_for(FAULT_SECONDS, status=429 if scenario == "429" else 500,
                                 after_delivery=scenario == "post-then-500")
                    await slack.burst(session)
                    killed_with = posted_before_kill = None
                await slack.redeliver(session, until=time.monotonic() + 120)
            deadline = time.monotonic() + 120
            while (len(reviews_by_thread(api)) < count or outbox_states(db).get("pending")) \
                    and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            all_reviewed = time.monotonic() - started
            await asyncio.sleep(2)  # anything arriving late would be a duplicate
        finally:
            serve.stop()
        reviews = reviews_by_thread(api)
        posted_ids = {review for ids in reviews.values() for review in ids}
        with sqlite3.connect(db) as connection:
            promises = connection.execute("SELECT review_id FROM promises").fetchall()
            integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        states = outbox_states(db)
        calls = Counter(call.method for call in api.calls)
    return {
        "scenario": scenario, "mentions": count, "reviews_posted": len(reviews),
        "duplicates": sum(len(ids) - 1 for ids in reviews.values()), "missing": count - len(reviews),
        "promises": len(promises),
        "promises_without_posted_review": sum(1 for (review_id,) in promises if review_id not in posted_ids),
        "outbox": states, "integrity_check": integrity,
        "deliveries": sum(slack.deliveries.values()), "acknowledged_before_kill": killed_with,
        "posted_before_kill": posted_before_kill,
        "web_api_calls": {"chat.postMessage": calls["chat.postMessage"],
                          "conversations.replies": calls["conversations.replies"]},
        "seconds_to_all_reviewed": round(all_reviewed, 1),
        "ack_ms": {"p50": round(statistics.median(slack.ack_ms)), "p99": round(quantile(slack.ack_ms, 0.99)),
                   "max": round(max(slack.ack_ms))},
    }


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=200)
    parser.add_argument("--scenario", choices=("all", *SCENARIOS), default="all")
    args = parser.parse_args()
    if args.mentions < 3:
        parser.error("--mentions: use at least 3")
    failed = False
    for scenario in SCENARIOS if args.scenario == "all" else (args.scenario,):
        result = asyncio.run(run(scenario, args.mentions))
        ok = (result["reviews_posted"] == result["mentions"] and not result["duplicates"]
              and not result["promises_without_posted_review"] and result["integrity_check"] == "ok")
        failed |= not ok
        print(f"{scenario:>13}: {result['mentions']} mentions, {result['reviews_posted']} reviews posted, "
              f"{result['duplicates']} duplicates, {result['missing']} missing, "
              f"{result['promises_without_posted_review']} of {result['promises']} promises without a posted review, "
              f"integrity {result['integrity_check']}, all reviewed after {result['seconds_to_all_reviewed']} s "
              f"({result['deliveries']} deliveries; acknowledged in p99 {result['ack_ms']['p99']} ms) "
              f"{'OK' if ok else 'FAILED'}")
        print(json.dumps(result))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
