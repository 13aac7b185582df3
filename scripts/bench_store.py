"""Store throughput: claims per second on SQLite and PostgreSQL, side by side.

usage: python scripts/bench_store.py [--rows 3000] [--workers 1,4,8]

For each backend and number of workers (each worker a replica: its own store and connection, in
its own thread), the workers drain a queue of `--rows` due items, one claim at a time, as the
loops of `serve` do: the outbox (claim_outbox, then record_posted) and the reminders (claim_due,
then record_sent). A claim/s figure counts claim and record, both transactions. SQLite is a file
in a temp folder (WAL, synchronous FULL, its default); PostgreSQL is a throwaway local server
(tests/postgres_cluster.py) with fsync on, so both make every commit durable.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.store import OutboxRow, SQLStore, open_store  # noqa: E402
from tests.postgres_cluster import PostgresCluster  # noqa: E402

NOW = 1_000_000.0


def fill(store: SQLStore, rows: int) -> None:
    for index in range(rows):
        store.enqueue(OutboxRow(key=f"slack:T1:C1:{index}", platform="slack", workspace="T1", channel="C1",
                                thread=f"{index}.1", message=f"{index}.1", agent="U1", request='{"text": "x"}',
                                address="", review_id=f"r{index}", received=NOW - rows + index, give_up_at=NOW + 3600))
        store.add_promise(platform="slack", workspace="T1", channel="C1", thread=f"{index}.1", review_id=f"r{index}",
                          agent="U1", customer="", text="ik bel je morgen", kind="callback", due=NOW - rows + index,
                          due_iso="…", explicit=True, next_at=NOW - rows + index)


def post_reviews(store: SQLStore, owner: str) -> int:
    claimed = 0
    while claims := store.claim_outbox(NOW, owner, 60, limit=1):
        assert store.record_posted(claims[0], owner, "1.2", None, [])
        claimed += 1
    return claimed


def send_reminders(store: SQLStore, owner: str) -> int:
    claimed = 0
    while claims := store.claim_due(NOW, owner, 60, max_reminders=3, escalate=False):
        assert store.record_sent(claims[0], owner, NOW, "1.3", next_at=NOW + 3600)
        claimed += 1
    return claimed


def drain(location: Path | str, workers: int, work: Callable[[SQLStore, str], int], rows: int) -> float:
    """Claims per second of `workers` replicas draining the queue at once."""
    stores = [open_store(location) for _ in range(workers)]
    counts = [0] * workers
    start = threading.Barrier(workers + 1)

    def run(index: int) -> None:
        start.wait()
        counts[index] = work(stores[index], f"w{index}")

    threads = [threading.Thread(target=run, args=(index,)) for index in range(workers)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    for store in stores:
        store.close()
    assert sum(counts) == rows, f"{sum(counts)} claims of {rows} rows"  # each row claimed exactly once
    return rows / seconds


def measure(name: str, new_database: Callable[[], Path | str], rows: int, workers: list[int]) -> list[tuple]:
    results = []
    for count in workers:
        location = new_database()
        store = open_store(location)
        fill(store, rows)
        store.close()
        outbox = drain(location, count, post_reviews, rows)
        reminders = drain(location, count, send_reminders, rows)
        results.append((name, count, outbox, reminders))
        print(f"{name:<10} {count:>7}  {outbox:>14,.0f}  {reminders:>16,.0f}", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000, help="due items per queue")
    parser.add_argument("--workers", default="1,4,8", help="replicas draining at once, comma-separated")
    args = parser.parse_args()
    try:
        workers = [int(count) for count in args.workers.split(",")]
    except ValueError:
        parser.error(f"--workers: numbers separated by commas, not {args.workers!r}")
    if args.rows < 1 or not workers or min(workers) < 1:
        parser.error("--rows and --workers: use at least 1")
    print(f"{args.rows} rows per queue; claims per second (claim + record)")
    print(f"{'backend':<10} {'workers':>7}  {'outbox claims/s':>14}  {'reminder claims/s':>16}")
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        files = iter(range(len(workers)))
        measure("sqlite", lambda: Path(tmp) / f"bench{next(files)}.db", args.rows, workers)
    with PostgresCluster(durable=True) as cluster:
        measure("postgresql", cluster.create_database, args.rows, workers)


if __name__ == "__main__":
    main()
