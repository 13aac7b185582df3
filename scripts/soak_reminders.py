"""Soak run of the reminder loop: one simulated day, the loop killed and restarted again and again.

usage: python scripts/soak_reminders.py [--promises 10000] [--restarts 50] [--step 30] [--seed 1]
                                        [--replicas 1] [--postgres]

10,000 promises fall due at random moments of one day; 30 % of them are logged done before
they are due. A simulated clock advances in steps; every step each live loop runs once (with
several loops: at once, their store calls in threads). 50 times a loop is killed at a random
point (between claim and send, between send and record, or between iterations) and a new loop
with a new owner and new connections starts on the same database; sometimes the new one starts
before the old one has died, so one more loop runs. 1 % of the sends fail and are retried. At
the end the clock passes the last lease and one fresh loop drains the rest.

--replicas 3 runs three loops side by side from the start, as three `serve` replicas (each with
its own store and connections; the kills spread over them); --postgres puts the database on a
throwaway PostgreSQL server (tests/postgres_cluster.py) instead of a SQLite file.

--serve does it for real, in real time: --replicas `webcare-coach serve` processes on the one
database post the reminders to the Slack Web API stand-in (tests/slack_api.py); the promises fall
due over --seconds (default 300), --restarts times a random replica gets `kill -9` (wherever it
is) and is started again. The same figures, from what arrived in the channel.

Every promise not done must get exactly the one reminder its schedule implies, within 10 minutes
of its due moment: the script exits 1 on any duplicate, lost or late reminder, or reminder for a
done promise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import Config, is_postgres_url, load_config  # noqa: E402
from bot.reminders import Reminders  # noqa: E402
from bot.review.model import Promise  # noqa: E402
from bot.store import Claim, open_store  # noqa: E402
from scripts.load_faults import Serve  # noqa: E402
from tests.postgres_cluster import PostgresCluster  # noqa: E402
from tests.processes import free_port  # noqa: E402
from tests.slack_api import SlackAPIServer  # noqa: E402

AMS = ZoneInfo("Europe/Amsterdam")
DAY = datetime(2026, 11, 24, tzinfo=AMS)  # a Tuesday
SETTINGS = {"interval_minutes": 60, "max_reminders": 1, "escalate_to": None,
            "quiet_outside_business_hours": False, "lease_seconds": 60}
KILLS = ("claim-send", "send-record", "between")
DONE_SHARE, FAILURE_RATE, OVERLAP_RATE = 0.3, 0.01, 0.3
MAX_DELAY = 600.0  # seconds after its due moment a reminder may arrive (crash, lease, retries)


class Crash(BaseException):
    """The process dies: the loop does not catch it, nothing after it runs."""


class Clock:
    """Simulated time, read by every loop."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


class Chat:
    """The platform: every message it received, findable by (promise id, attempt)."""

    def __init__(self) -> None:
        self.received: Counter[tuple[str, int]] = Counter()
        self.ids: dict[tuple[str, int], str] = {}
        self.first_at: dict[tuple[str, int], float] = {}
        self.failures = 0
        self.found = 0  # resumed claims that found their reminder sent already


class ChatSender:
    """Sends into the chat; fails 1 % of sends, and dies before or after a send when told to."""

    def __init__(self, chat: Chat, clock: Clock, rng: random.Random, failure_rate: float = FAILURE_RATE):
        self.chat, self.clock, self.rng, self.failure_rate = chat, clock, rng, failure_rate
        self.crash: str | None = None  # "claim-send" or "send-record": die at the next send

    async def send(self, claim: Claim) -> str:
        await asyncio.sleep(0)  # yield like a real send, so two loops interleave
        if self.crash == "claim-send":
            raise Crash
        if self.rng.random() < self.failure_rate:
            self.chat.failures += 1
            raise ConnectionError("chat unavailable")
        key = (claim.promise.id, claim.attempt)
        self.chat.received[key] += 1
        self.chat.ids[key] = f"m{sum(self.chat.received.values())}"
        self.chat.first_at.setdefault(key, self.clock())
        if self.crash == "send-record":
            raise Crash
        return self.chat.ids[key]

    async def find(self, claim: Claim) -> str | None:
        message = self.chat.ids.get((claim.promise.id, claim.attempt))
        self.chat.found += message is not None
        return message


@dataclass
class Process:
    """One running loop: its own connection, sender and owner."""

    reminders: Reminders
    sender: ChatSender
    dies: str | None = None  # how it is being killed, once chosen
    die_at: float = 0.0  # "between": stopped between iterations from this moment
    replace: bool = True  # start a new loop when it dies (False: one started already)


class Processes:
    """The live loops on one database and one chat, and how they died."""

    def __init__(self, config: Config, db: Path | str, clock: Clock, rng: random.Random, replicas: int = 1):
        self.config, self.db, self.clock, self.rng, self.replicas = config, db, clock, rng, replicas
        self.chat = Chat()
        self.alive: list[Process] = []
        self.started = 0
        self.overlap_steps = 0
        self.kills: Counter[str] = Counter()

    def start(self) -> Process:
        sender = ChatSender(self.chat, self.clock, self.rng)
        process = Process(Reminders(self.config, open_store(self.db), {"slack": sender}, self.clock,
                                    owner=f"loop{self.started}"), sender)
        self.alive.append(process)
        self.started += 1
        return process

    def die(self, process: Process) -> None:
        self.alive.remove(process)
        if process.dies:
            self.kills[process.dies] += 1
        process.reminders.store.close()
        if process.replace:
            self.start()

    def kill(self) -> bool:
        """Pick a live loop and a way to kill it; maybe start its successor before it is dead.
        False when every live loop is dying already."""
        candidates = [p for p in self.alive if p.dies is None]
        if not candidates:
            return False
        victim = self.rng.choice(candidates)
        victim.dies = self.rng.choice(KILLS)
        overlap = self.rng.random() < OVERLAP_RATE
        if victim.dies == "between":
            victim.die_at = self.clock() + (self.rng.uniform(60, 3600) if overlap else 0.0)
        else:
            victim.sender.crash = victim.dies
        if overlap:
            victim.replace = False
            self.start()
        return True

    async def run(self, process: Process) -> None:
        try:
            await process.reminders.run_once()
        except Crash:
            self.die(process)

    async def step(self) -> None:
        for process in [p for p in self.alive if p.dies == "between" and p.die_at <= self.clock()]:
            self.die(process)
        if len(self.alive) > 1:
            self.overlap_steps += len(self.alive) > self.replicas
            await asyncio.gather(*(self.run(p) for p in self.rng.sample(self.alive, len(self.alive))))
        else:
            await self.run(self.alive[0])


async def run_day(promises: int, restarts: int, step: float, seed: int, workdir: Path,
                  database: Path | str | None = None, replicas: int = 1) -> int:
    """The soak on `database` (a PostgreSQL URL or a SQLite file; else one in `workdir`); 0 when every
    reminder arrived exactly once."""
    rng = random.Random(seed)
    config_path = workdir / "app.yaml"
    config_path.write_text(yaml.safe_dump({"reminders": SETTINGS}), encoding="utf-8")
    start, end = DAY.timestamp(), DAY.timestamp() + 86400
    clock = Clock(start - step)
    db = database or workdir / "soak.db"
    procs = Processes(load_config(config_path), db, clock, rng, replicas)
    first = procs.start()
    for _ in range(replicas - 1):
        procs.start()
    agents = open_store(db)  # the chat handler that logs promises done

    began = time.perf_counter()
    due = {}
    for _ in range(promises):
        moment = rng.uniform(start, end)
        promise = Promise("ik bel je vandaag terug", "callback", datetime.fromtimestamp(moment, AMS), True, 0, 23)
        pid = first.reminders.track(promise, platform="slack", workspace="T1", channel="C1",
                                    thread="1700000000.000100", review_id="r1", agent="U1")
        due[pid] = moment
    done = set(rng.sample(list(due), round(promises * DONE_SHARE)))
    to_mark = sorted((rng.uniform(clock(), due[pid]), pid) for pid in done)  # strictly before due
    steps = int((end - clock()) / step) + 1
    kill_steps = set(rng.sample(range(steps), restarts))

    marked = pending_kills = 0
    for number in range(steps):
        while marked < len(to_mark) and to_mark[marked][0] <= clock():
            agents.set_status(to_mark[marked][1], "done")
            marked += 1
        pending_kills += number in kill_steps
        if pending_kills and procs.kill():  # when every loop is dying already: at a later step
            pending_kills -= 1
        await procs.step()
        clock.now += step

    for process in list(procs.alive):  # the day is over: every loop stops
        process.dies, process.replace = None, False
        procs.die(process)
    drain = open_store(db)
    last_lease = max((send["lease_until"] for send in drain.sends() if send["state"] == "claimed"), default=0.0)
    clock.now = max(clock(), last_lease) + 1
    sender = ChatSender(procs.chat, clock, rng, failure_rate=0.0)
    drained = await Reminders(procs.config, drain, {"slack": sender}, clock, owner="drain").run_once()
    wall = time.perf_counter() - began

    expected = {(pid, 1) for pid in due if pid not in done}
    received = procs.chat.received
    delays = [procs.chat.first_at[key] - due[key[0]] for key in expected & set(received)]
    recorded = {(send["promise_id"], send["attempt"]) for send in drain.sends() if send["state"] == "sent"}
    drain.close()
    agents.close()
    figures = {
        **delivery_figures(due, done, received, recorded),
        "max delay after due (s)": round(max(delays, default=0.0)),
        f"late (> {MAX_DELAY:g} s after due)": sum(d > MAX_DELAY for d in delays),
        "failed sends (retried)": procs.chat.failures,
        "found sent after a crash": procs.chat.found,
        "drained at the end": drained,
        "restarts": procs.started - 1,
        "kills": ", ".join(f"{kind} {procs.kills[kind]}" for kind in KILLS),
        "replicas": replicas,
        "steps with a loop more than the replicas": procs.overlap_steps,
        "steps": steps,
        "wall time (s)": round(wall, 1),
    }
    print(f"config: {SETTINGS}, step {step:g} s, seed {seed}, {replicas} replica(s) on "
          f"{'PostgreSQL' if is_postgres_url(database) else 'SQLite'}")
    return report(figures, (*EXACTLY_ONCE, f"late (> {MAX_DELAY:g} s after due)"))


EXACTLY_ONCE = ("duplicates", "lost", "reminders for done promises", "unexpected reminders",
                "delivered but unrecorded")  # figures that must be 0


def delivery_figures(due: dict[str, float], done: set[str], received: Counter[tuple[str, int]],
                     recorded: set[tuple[str, int]]) -> dict[str, int]:
    """Every promise not done gets its first reminder once, and nothing else arrives."""
    expected = {(pid, 1) for pid in due if pid not in done}
    return {
        "promises": len(due),
        "done before due": len(done),
        "reminders expected": len(expected),
        "reminders delivered": sum(received.values()),
        "duplicates": sum(n - 1 for n in received.values() if n > 1),
        "lost": len(expected - set(received)),
        "reminders for done promises": sum(n for (pid, _), n in received.items() if pid in done),
        "unexpected reminders": sum(n for key, n in received.items() if key not in expected and key[0] not in done),
        "delivered but unrecorded": len(set(received) - recorded),
    }


def report(figures: dict[str, object], must_be_zero: tuple[str, ...]) -> int:
    """Print the figures; 1 when one that must be zero is not."""
    width = max(map(len, figures))
    for name, value in figures.items():
        print(f"{name:<{width}}  {value}")
    failed = [name for name in must_be_zero if figures[name]]
    print("FAIL: " + ", ".join(failed) if failed else "OK: every reminder exactly once")
    return 1 if failed else 0


def arrivals(api: SlackAPIServer, offset: float) -> tuple[Counter[tuple[str, int]], dict[tuple[str, int], float]]:
    """The reminders in the channel per (promise id, attempt), and when each was first posted."""
    received: Counter[tuple[str, int]] = Counter()
    for message in api.messages.get("CSOAK", {}).values():
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") == "webcare_reminder":
            received[(metadata["event_payload"]["promise"], metadata["event_payload"]["attempt"])] += 1
    first_at: dict[tuple[str, int], float] = {}
    for call in api.calls_to("chat.postMessage"):
        metadata = call.args.get("metadata") or {}
        metadata = json.loads(metadata) if isinstance(metadata, str) else metadata
        if metadata.get("event_type") == "webcare_reminder":
            key = (metadata["event_payload"]["promise"], metadata["event_payload"]["attempt"])
            first_at.setdefault(key, call.time + offset)
    return received, first_at


async def run_serve(promises: int, restarts: int, seconds: float, seed: int, workdir: Path, database: str,
                    replicas: int) -> int:
    """The soak with real `serve` processes and real time (see the module's docstring)."""
    rng = random.Random(seed)
    lease = 10
    (workdir / "app.yaml").write_text(yaml.safe_dump({"reminders": SETTINGS | {"lease_seconds": lease}}),
                                      encoding="utf-8")
    store = open_store(database)
    with SlackAPIServer() as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AZURE", "SLACK", "WEBCARE"))}
        env |= {"SLACK_BOT_TOKEN": "xoxb-soak", "SLACK_SIGNING_SECRET": "soak", "SLACK_API_URL": api.url,
                "WEBCARE_DB": database, "WEBCARE_CONFIG": str(workdir / "app.yaml"),
                "WEBCARE_LOG_LEVEL": "ERROR"}
        start = time.time() + 30 + promises / 1000  # time to store the promises and start the replicas
        due = {}
        for _ in range(promises):
            moment = rng.uniform(start, start + seconds)
            thread = api.add_message("CSOAK", "Ik bel je vandaag terug", user="U1")
            pid = store.add_promise(platform="slack", workspace="T1", channel="CSOAK", thread=thread, review_id="r1",
                                    agent="U1", customer="", text="ik bel je vandaag terug", kind="callback",
                                    due=moment, due_iso="…", explicit=True, next_at=moment)
            due[pid] = moment
        done = set(rng.sample(list(due), round(promises * DONE_SHARE)))
        # logged done at least 5 s before due: a done logged as the reminder goes out is no fault
        to_mark = sorted((rng.uniform(time.time(), due[pid] - 5), pid) for pid in done)
        servers = [Serve(env, free_port()) for _ in range(replicas)]
        await asyncio.gather(*(serve.start() for serve in servers))
        kill_at = sorted(rng.uniform(start, start + seconds) for _ in range(restarts))
        starting: set[asyncio.Task] = set()
        kills = 0
        expected = {(pid, 1) for pid in due if pid not in done}
        try:
            while time.time() < start + seconds + 120:
                while to_mark and to_mark[0][0] <= time.time():
                    await asyncio.to_thread(store.set_status, to_mark.pop(0)[1], "done")
                running = [serve for serve in servers if serve.alive and not any(
                    task.get_name() == str(serve.port) for task in starting)]
                if kill_at and kill_at[0] <= time.time() and running:
                    kill_at.pop(0)
                    victim = rng.choice(running)
                    victim.kill()
                    kills += 1
                    task = asyncio.create_task(victim.start(), name=str(victim.port))
                    starting.add(task)
                    task.add_done_callback(starting.discard)
                if not kill_at and time.time() > start + seconds and \
                        expected <= set(arrivals(api, time.time() - time.monotonic())[0]):
                    break
                await asyncio.sleep(0.05)
            await asyncio.gather(*starting)
            await asyncio.sleep(lease + 5)  # anything still on its way would be a duplicate
        finally:
            for serve in servers:
                serve.stop()
        received, first_at = arrivals(api, time.time() - time.monotonic())
    recorded = {(send["promise_id"], send["attempt"]) for send in store.sends() if send["state"] == "sent"}
    store.close()
    delays = [first_at[key] - due[key[0]] for key in expected & set(first_at)]
    figures = {
        **delivery_figures(due, done, received, recorded),
        "max delay after due (s)": round(max(delays, default=0.0), 1),
        "p99 delay after due (s)": round(sorted(delays)[int(0.99 * len(delays))] if delays else 0.0, 1),
        "kill -9 (restarted)": kills,
        "serve replicas": replicas,
        "wall time (s)": round(time.time() - start + 30 + promises / 1000),
    }
    print(f"config: {SETTINGS | {'lease_seconds': lease}}, due over {seconds:g} s, seed {seed}, "
          f"{replicas} serve processes on {'PostgreSQL' if is_postgres_url(database) else 'SQLite'}")
    return report(figures, EXACTLY_ONCE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--promises", type=int, default=10_000)
    parser.add_argument("--restarts", type=int, default=50)
    parser.add_argument("--step", type=float, default=30.0, help="simulated seconds per step")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--replicas", type=int, default=1, help="loops side by side, as serve replicas")
    parser.add_argument("--postgres", action="store_true", help="the database on a throwaway PostgreSQL server")
    parser.add_argument("--serve", action="store_true", help="real serve processes in real time")
    parser.add_argument("--seconds", type=float, default=300.0, help="--serve: the promises fall due over this")
    args = parser.parse_args()
    if args.replicas < 1:
        parser.error("--replicas: use at least 1")
    if args.seconds <= 0:
        parser.error("--seconds: use more than 0")
    logging.getLogger("webcare.reminders").setLevel(logging.ERROR)  # failed sends are expected here
    with tempfile.TemporaryDirectory(prefix="soak-reminders-") as workdir, \
            PostgresCluster() if args.postgres else contextlib.nullcontext() as cluster:
        database = cluster.create_database("soak") if cluster else None
        if args.serve:
            return asyncio.run(run_serve(args.promises, args.restarts, args.seconds, args.seed, Path(workdir),
                                         database or str(Path(workdir) / "soak.db"), args.replicas))
        return asyncio.run(run_day(args.promises, args.restarts, args.step, args.seed, Path(workdir),
                                   database, args.replicas))


if __name__ == "__main__":
    sys.exit(main())
