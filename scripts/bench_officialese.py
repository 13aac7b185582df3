"""Benchmark: officialese recall on real sentences, false alarms on ordinary ones, and speed.

usage: python scripts/bench_officialese.py [--show]

tests/data/officialese/real_nl.txt holds real Dutch sentences with officialese (LanguageTool's
style-rule examples, see SOURCES.md there); ordinary_nl.txt holds everyday and webcare sentences
without it. A sentence counts as found (or as a false alarm) when its review has a `bureaucratic`
finding. Targets: recall >= 0.75, false alarms <= 5 %.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import load_config  # noqa: E402
from bot.review.engine import Reviewer  # noqa: E402
from bot.review.model import Draft  # noqa: E402

DATA = ROOT / "tests/data/officialese"
MIN_RECALL, MAX_FALSE_ALARMS = 0.75, 0.05


def load_sentences(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class Result:
    recall: float
    false_alarm_rate: float
    missed: list[str]
    false_alarms: list[tuple[str, list[str]]]  # sentence, flagged excerpts


def flagged(reviewer: Reviewer, sentence: str) -> list[str]:
    return [f.excerpt for f in reviewer.review(Draft(sentence)).findings if f.category == "bureaucratic"]


def measure(reviewer: Reviewer) -> Result:
    real, ordinary = load_sentences("real_nl.txt"), load_sentences("ordinary_nl.txt")
    missed = [s for s in real if not flagged(reviewer, s)]
    alarms = [(s, hits) for s in ordinary if (hits := flagged(reviewer, s))]
    return Result(1 - len(missed) / len(real), len(alarms) / len(ordinary), missed, alarms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list the missed sentences and the false alarms")
    args = parser.parse_args()

    reviewer = Reviewer.from_config(load_config(ROOT / "app.yaml"))
    result = measure(reviewer)
    real, ordinary = load_sentences("real_nl.txt"), load_sentences("ordinary_nl.txt")
    print(f"recall on {len(real)} real sentences with officialese: {result.recall:.3f} (target >= {MIN_RECALL})")
    print(f"false alarms on {len(ordinary)} ordinary sentences: {result.false_alarm_rate:.3f}"
          f" ({len(result.false_alarms)}) (target <= {MAX_FALSE_ALARMS})")

    lexicons = [r.lexicon for r in reviewer.rules if getattr(r, "lexicon", None) is not None]
    texts = (real + ordinary) * 20
    for lexicon in lexicons:
        start = time.perf_counter()
        for text in texts:
            lexicon.find(text)
        per = (time.perf_counter() - start) / len(texts) * 1e6
        print(f"lexicon {lexicon.name} ({len(lexicon.entries)} entries, {lexicon.size} forms):"
              f" {per:.1f} µs per sentence")
    latencies = []
    for text in texts[: len(real) + len(ordinary)]:
        t0 = time.perf_counter()
        reviewer.review(Draft(text))
        latencies.append((time.perf_counter() - t0) * 1000)
    print(f"whole review: median {statistics.median(latencies):.3f} ms per sentence")

    if args.show:
        print("\nmissed:")
        for sentence in result.missed:
            print(f"  {sentence}")
        print("\nfalse alarms:")
        for sentence, hits in result.false_alarms:
            print(f"  {hits}  {sentence}")


if __name__ == "__main__":
    main()
