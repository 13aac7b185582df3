"""Fault load test: N mentions at once to a real `webcare-coach serve` while the Slack Web API
stand-in fails, and Slack's redelivery of every event that got no 2xx.

Scenarios (each on a fresh database and stand-in):
  429            the Web API answers 429 (Retry-After 1) to every call for 6 s
  500            the Web API answers 500 to every call for 6 s
  kill           `kill -9` of serve in the middle of the burst (a third acknowledged), and a
                 restart on the same database
  kill-posting   `kill -9` while the reviews are being posted (a fifth posted), and a restart
  post-then-500  for 6 s the Web API posts each message and then answers 500
  429-kill       429s for 6 s and, meanwhile, `kill -9` of a replica (a third acknowledged)

With --replicas 2 (or more) the mentions reach several `serve` processes on one database, as
behind a load balancer: each delivery goes to the next live replica; a killed one is restarted.
--postgres puts the database on a throwaway PostgreSQL server (tests/postgres_cluster.py)
instead of a SQLite file.

Prints per scenario: mentions, reviews posted, duplicates, missing, promises tracked without a
posted review, the outbox's states, `PRAGMA integrity_check` (SQLite), and how long Slack waited
for its acknowledgements (200 requests at once). Exactly once means: every mention one review,
0 duplicates, 0 missing, 0 promises without a review.

usage: python scripts/load_faults.py [--mentions 200] [--replicas 1] [--postgres]
                                     [--scenario all|429|500|kill|kill-posting|post-then-500|429-kill]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import contextlib
import signal
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

from bot.store import SQLiteStore, open_store  # noqa: E402
from tests.postgres_cluster import PostgresCluster  # noqa: E402
from tests.processes import free_port, wait_until_serving  # noqa: E402
from tests.slack_api import SlackAPIServer, event_body, signed_headers  # noqa: E402

SECRET = "load-faults-secret"
CHANNEL = "CLOAD"
FAULT_SECONDS = 6
SCENARIOS = ("429", "500", "kill", "kill-posting", "post-then-500", "429-kill")
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

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


class Slack:
    """Slack's side of the Events API: deliver each event, and deliver again what got no 2xx;
    a load balancer in front of the replicas sends each delivery to the next live one."""

    def __init__(self, replicas: list[Serve], bodies: dict[str, str]):
        self.replicas, self.bodies = replicas, bodies
        self.unacknowledged = set(bodies)
        self.deliveries = Counter()
        self.ack_ms: list[float] = []  # how long each acknowledged delivery waited for its 2xx
        self.turn = 0

    def _next_replica(self) -> Serve:
        live = [serve for serve in self.replicas if serve.alive] or self.replicas
        self.turn += 1
        return live[self.turn % len(live)]

    async def deliver(self, session: aiohttp.ClientSession, event_id: str) -> None:
        body = self.bodies[event_id]
        retry = self.deliveries[event_id] or None
        self.deliveries[event_id] += 1
        sent = time.monotonic()
        try:
            async with session.post(f"{self._next_replica().url}/slack/events", data=body.encode(),
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


async def run(scenario: str, count: int, replicas: int = 1, database: str | None = None) -> dict[str, object]:
    """One scenario on a fresh stand-in and database (`database`: a PostgreSQL URL, else a SQLite
    file in a temp folder)."""
    with SlackAPIServer() as api, tempfile.TemporaryDirectory() as tmp:
        db = database or str(Path(tmp) / "faults.db")
        (Path(tmp) / "app.yaml").write_text(f"outbox:\n  lease_seconds: {LEASE_SECONDS}\n", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AZURE", "SLACK", "WEBCARE"))}
        env |= {"SLACK_BOT_TOKEN": "xoxb-load", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": api.url,
                "WEBCARE_DB": db, "WEBCARE_CONFIG": str(Path(tmp) / "app.yaml")}
        servers = [Serve(env, free_port()) for _ in range(replicas)]
        await asyncio.gather(*(serve.start() for serve in servers))
        store = open_store(db)
        slack = Slack(servers, mentions(api, count))
        started = time.monotonic()
        timeout = aiohttp.ClientTimeout(total=30)
        try:
            async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
                if scenario in ("429", "500", "post-then-500", "429-kill"):
                    api.fail_for(FAULT_SECONDS, status=429 if scenario.startswith("429") else 500,
                                 after_delivery=scenario == "post-then-500")
                if "kill" in scenario:
                    burst = asyncio.create_task(slack.burst(session))
                    while not burst.done() and (
                        len(reviews_by_thread(api)) < count // 5 if scenario == "kill-posting"
                        else count - len(slack.unacknowledged) < count // 3
                    ):
                        await asyncio.sleep(0.002)
                    servers[0].kill()
                    posted_before_kill = len(reviews_by_thread(api))
                    killed_with = count - len(slack.unacknowledged)  # now: the other replicas go on
                    await burst
                    await servers[0].start()  # the restart, on the same database
                else:
                    await slack.burst(session)
                    killed_with = posted_before_kill = None
                await slack.redeliver(session, until=time.monotonic() + 120)
            deadline = time.monotonic() + 120
            while (len(reviews_by_thread(api)) < count or store.outbox_counts().get("pending")) \
                    and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            all_reviewed = time.monotonic() - started
            await asyncio.sleep(2)  # anything arriving late would be a duplicate
        finally:
            for serve in servers:
                serve.stop()
        reviews = reviews_by_thread(api)
        posted_ids = {review for ids in reviews.values() for review in ids}
        promises = [promise.review_id for promise in store.promises()]
        integrity = store.integrity_check() if isinstance(store, SQLiteStore) else "n/a (PostgreSQL)"
        states = store.outbox_counts()
        store.close()
        calls = Counter(call.method for call in api.calls)
    return {
        "scenario": scenario, "mentions": count, "replicas": replicas,
        "database": "postgresql" if database else "sqlite", "reviews_posted": len(reviews),
        "duplicates": sum(len(ids) - 1 for ids in reviews.values()), "missing": count - len(reviews),
        "promises": len(promises),
        "promises_without_posted_review": sum(1 for review_id in promises if review_id not in posted_ids),
        "outbox": states, "integrity_check": integrity,
        "deliveries": sum(slack.deliveries.values()), "acknowledged_before_kill": killed_with,
        "posted_before_kill": posted_before_kill,
        "web_api_calls": {"chat.postMessage": calls["chat.postMessage"],
                          "conversations.replies": calls["conversations.replies"]},
        "seconds_to_all_reviewed": round(all_reviewed, 1),
        "ack_ms": {"p50": round(statistics.median(slack.ack_ms)), "p99": round(quantile(slack.ack_ms, 0.99)),
                   "max": round(max(slack.ack_ms))},
    }


def exactly_once(result: dict[str, object]) -> bool:
    return (result["reviews_posted"] == result["mentions"] and not result["duplicates"]
            and not result["promises_without_posted_review"] and result["integrity_check"] in ("ok", "n/a (PostgreSQL)"))


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=200)
    parser.add_argument("--replicas", type=int, default=1, help="serve processes on one database")
    parser.add_argument("--postgres", action="store_true", help="the database on a throwaway PostgreSQL server")
    parser.add_argument("--scenario", choices=("all", *SCENARIOS), default="all")
    args = parser.parse_args()
    if args.mentions < 3:
        parser.error("--mentions: use at least 3")
    if args.replicas < 1:
        parser.error("--replicas: use at least 1")
    failed = False
    with PostgresCluster() if args.postgres else contextlib.nullcontext() as cluster:
        for scenario in SCENARIOS if args.scenario == "all" else (args.scenario,):
            database = cluster.create_database() if cluster else None
            result = asyncio.run(run(scenario, args.mentions, args.replicas, database))
            ok = exactly_once(result)
            failed |= not ok
            print(f"{scenario:>13}: {result['mentions']} mentions to {args.replicas} replica(s) on "
                  f"{result['database']}, {result['reviews_posted']} reviews posted, "
                  f"{result['duplicates']} duplicates, {result['missing']} missing, "
                  f"{result['promises_without_posted_review']} of {result['promises']} promises without a posted "
                  f"review, integrity {result['integrity_check']}, all reviewed after "
                  f"{result['seconds_to_all_reviewed']} s ({result['deliveries']} deliveries; acknowledged in p99 "
                  f"{result['ack_ms']['p99']} ms) {'OK' if ok else 'FAILED'}")
            print(json.dumps(result))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
