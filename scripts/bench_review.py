"""Benchmark: rules-only reviews per second and latency, next to proselint on the same texts.

usage: python scripts/bench_review.py [--drafts 3000] [--proselint-drafts 300]

Drafts are built from the labelled development set (../shared/eval/dev.jsonl): each one joins
sentences of several real drafts, so lengths and wording vary like real drafts. proselint
(about 100 English prose checks) lints the same texts in the same run; the targets are no lower a
ratio to it than before issue 9 (6.4-6.7x in the same runs), p99 under 2 ms, and
`webcare-coach review` under 1 s end to end. The
clause analysis with the promise judgement is timed on its own too (its share of a review).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import load_config  # noqa: E402
from bot.review.engine import Reviewer  # noqa: E402
from bot.review.model import Draft  # noqa: E402
from bot.review.prefilter import Scan  # noqa: E402
from bot.review.promises import judge  # noqa: E402
from bot.review.text import detect_language, fold, sentences  # noqa: E402
from bot.review.timeexpr import find_time_expressions  # noqa: E402
from bot.server import settle_heap  # noqa: E402


def build_drafts(count: int, seed: int = 7) -> list[Draft]:
    items = [json.loads(line) for line in (ROOT.parent / "shared/eval/dev.jsonl").open(encoding="utf-8")]
    pool = [item["draft"][s.start : s.end] for item in items for s in sentences(item["draft"])]
    rng = random.Random(seed)
    drafts = []
    for _ in range(count):
        item = rng.choice(items)
        text = " ".join(rng.sample(pool, rng.randint(2, 6)))
        drafts.append(Draft(text, item.get("customer"), item.get("channel"), None))
    return drafts


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def bench_coach(reviewer: Reviewer, drafts: list[Draft]) -> tuple[float, list[float]]:
    # as `serve` does at start: every pattern compiled, and kept out of the collector's full passes
    reviewer.compile_all()
    settle_heap()
    for draft in drafts[:50]:  # warm caches (holidays, stems) as a running bot would have them
        reviewer.review(draft)
    latencies = []
    start = time.perf_counter()
    for draft in drafts:
        t0 = time.perf_counter()
        reviewer.review(draft)
        latencies.append(time.perf_counter() - t0)
    return len(drafts) / (time.perf_counter() - start), latencies


def bench_analysis(reviewer: Reviewer, drafts: list[Draft]) -> float:
    """Mean µs per draft of the clause analysis and the promise judgement, as the engine runs them."""
    at = reviewer._reference_time(None)
    prepared = []
    for draft in drafts:
        scan = Scan(fold(draft.text))
        live = reviewer._prefilter.live(scan)
        prepared.append((draft.text, scan, live, detect_language(scan.words, draft.customer),
                         find_time_expressions(draft.text, scan.folded)))
    start = time.perf_counter()
    for text, scan, live, language, times in prepared:
        judge(reviewer.analyser.analyse(text, language, scan, times, live), at, reviewer.config.calendar)
    return (time.perf_counter() - start) / len(drafts) * 1e6


def proselint_linter():
    """A function that lints one text with all of proselint's checks, or None if not installed."""
    try:
        from proselint.checks import __register__
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
    except ImportError:
        return None
    CheckRegistry().register_many(__register__)
    return lambda text: LintFile("<draft>", text).lint()


def bench_ratio(reviewer: Reviewer, lint, drafts: list[Draft], rounds: int, size: int) -> tuple[list[float], list[float]]:
    """proselint's time over ours on the same `size` drafts, in `rounds` rounds that alternate
    the two (a busy machine slows both alike within a round); and proselint's latencies."""
    ratios, latencies = [], []
    for index in range(rounds):
        sample = drafts[index * size : (index + 1) * size]
        t0 = time.perf_counter()
        for _ in range(10):  # ours is fast: ten passes for a measurable time
            for draft in sample:
                reviewer.review(draft)
        ours = (time.perf_counter() - t0) / 10
        t0 = time.perf_counter()
        for draft in sample:
            t1 = time.perf_counter()
            lint(draft.text)
            latencies.append(time.perf_counter() - t1)
        ratios.append((time.perf_counter() - t0) / ours)
    return ratios, latencies


def bench_cli(runs: int = 5) -> list[float] | None:
    exe = shutil.which("webcare-coach") or str(Path(sys.executable).with_name("webcare-coach"))
    if not Path(exe).exists():
        return None
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(
            [exe, "review", "Hoi Sanne, sorry! We gaan ernaar kijken. ^Tom", "--customer", "Pakket kapot"],
            check=True, capture_output=True,
        )
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=3000)
    parser.add_argument("--proselint-drafts", type=int, default=300, help="proselint is slow; a sample suffices")
    args = parser.parse_args()

    drafts = build_drafts(args.drafts)
    mean_chars = statistics.mean(len(d.text) for d in drafts)
    print(f"{len(drafts)} drafts, mean {mean_chars:.0f} characters")

    reviewer = Reviewer.from_config(load_config(ROOT / "app.yaml"))
    rate, latencies = bench_coach(reviewer, drafts)
    ms = [x * 1000 for x in latencies]
    print(f"webcare-coach (rules only): {rate:8.0f} drafts/s   p50 {percentile(ms, 50):.2f} ms"
          f"   p99 {percentile(ms, 99):.2f} ms   max {max(ms):.2f} ms")
    print(f"  of which clause analysis + promise judgement: {bench_analysis(reviewer, drafts):.0f} µs per draft")

    lint = proselint_linter()
    if lint is None:
        print("proselint: not installed (pip install proselint)")
    else:
        rounds = max(1, min(args.proselint_drafts, len(drafts)) // 60)
        ratios, p_latencies = bench_ratio(reviewer, lint, drafts, rounds, 60)
        p_ms = [x * 1000 for x in p_latencies]
        print(f"proselint (same texts):     {len(p_ms) / sum(p_latencies):8.0f} drafts/s   p50 {percentile(p_ms, 50):.2f} ms"
              f"   p99 {percentile(p_ms, 99):.2f} ms   ({len(p_ms)} drafts)")
        print(f"speed-up: {statistics.median(ratios):.1f}x, median of {rounds} rounds alternating the two on the"
              f" same 60 drafts (range {min(ratios):.1f}-{max(ratios):.1f}x; before issue 9: 6.4-6.7x)")

    cli = bench_cli()
    if cli is not None:
        print(f"webcare-coach review, start to finish: median {statistics.median(cli):.2f} s, "
              f"max {max(cli):.2f} s over {len(cli)} runs (target < 1 s)")


if __name__ == "__main__":
    main()
