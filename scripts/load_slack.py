"""Load test: N mentions sent at once to a running `webcare-coach serve` (rules only), against
the local Slack Web API test server. Prints: reviewed once / lost / duplicates, p50/p95 time
from sending an event to its review being posted, and the serve process's peak memory.

usage: python scripts/load_slack.py [--mentions 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.processes import free_port, wait_until_serving  # noqa: E402
from tests.slack_api import SlackAPIServer, event_body, signed_headers  # noqa: E402

SECRET = "load-test-secret"
DRAFTS = [
    "Hoi Sanne, we gaan ernaar kijken. ^Tom",
    "> Mijn pakket is al een week onderweg!\nHoi Bas, sorry, balen! Ik bel je morgen om 10 uur. ^Eva",
    "x Hi Tom, sorry you feel that way. We'll get back to you.",
    "fb Beste klant, daar kunnen wij niets aan doen, dat ligt aan de vervoerder.",
]


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def send_all(url: str, count: int) -> dict[str, float]:
    """Post every mention at once; the time each was sent, by its ts."""
    sent: dict[str, float] = {}

    async def one(session: aiohttp.ClientSession, index: int) -> None:
        ts = f"1710000000.{index:06d}"
        event = {"type": "app_mention", "user": "U123", "channel": "CLOAD", "ts": ts, "event_ts": ts,
                 "text": f"<@UBOT> {DRAFTS[index % len(DRAFTS)]} ({index})"}
        body = event_body(event, event_id=f"EvLoad{index}")
        sent[ts] = time.monotonic()
        async with session.post(f"{url}/slack/events", data=body.encode(), headers=signed_headers(body, SECRET)) as r:
            if r.status != 200:
                print(f"event {index}: HTTP {r.status}")

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(one(session, i) for i in range(count)))
    return sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=100)
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with SlackAPIServer() as slack, tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AZURE", "SLACK", "WEBCARE"))}
        env |= {"SLACK_BOT_TOKEN": "xoxb-load", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": slack.url,
                "WEBCARE_DB": str(Path(tmp) / "load.db")}
        serve = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_serving(f"{url}/healthz", serve, timeout=30)
            sent = asyncio.run(send_all(url, args.mentions))
            calls = slack.wait_for_sync("chat.postMessage", count=args.mentions, timeout=120)
            time.sleep(1)  # anything arriving late would be a duplicate
            calls = slack.calls_to("chat.postMessage")
            memory = peak_memory_mb(serve.pid)
        finally:
            serve.terminate()
            serve.wait(timeout=30)
    by_thread: dict[str, list[float]] = {}
    for call in calls:
        by_thread.setdefault(call.args.get("thread_ts"), []).append(call.time)
    latencies = [(min(by_thread[ts]) - at) * 1000 for ts, at in sent.items() if ts in by_thread]
    duplicates = sum(len(times) - 1 for times in by_thread.values())
    lost = len(sent) - len(latencies)
    print(f"{len(sent)} mentions sent at once: {len(latencies)} reviewed, {lost} lost, {duplicates} duplicates")
    quantiles = statistics.quantiles(latencies, n=20)
    print(f"time to posted review: p50 {statistics.median(latencies):.0f} ms, p95 {quantiles[18]:.0f} ms, "
          f"max {max(latencies):.0f} ms")
    print(f"serve peak memory (VmHWM): {memory:.0f} MB")
    print(json.dumps({"sent": len(sent), "reviewed": len(latencies), "lost": lost, "duplicates": duplicates}))


if __name__ == "__main__":
    main()
