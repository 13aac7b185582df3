"""Benchmark: reviews of crafted worst-case texts, to show every pattern runs in linear time.

usage: python scripts/bench_crafted.py [--size 10000]

Each text (long runs of one character, digit-dash runs, repeated word fragments that patterns
start on…) is reviewed as the draft and as the customer's message. A pattern that backtracks
(nested or adjacent unbounded repeats over the same characters) shows up here as seconds instead
of milliseconds. Prints the time per text and the slowest; exits 1 when one takes over 50 ms.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import load_config  # noqa: E402
from bot.review.engine import Reviewer  # noqa: E402
from bot.review.model import Draft  # noqa: E402

LIMIT_MS = 50.0


def crafted(size: int) -> dict[str, str]:
    """Name -> text of about `size` characters."""
    def fill(piece: str) -> str:
        return (piece * (size // len(piece) + 1))[:size]

    return {
        "one letter": fill("a"),
        "one digit": fill("1"),
        "digit-dash": fill("1-"),
        "digit-space": fill("1 "),
        "spaces": "a" + fill(" ") + "a",
        "question marks": fill("?"),
        "exclamation": fill("!"),
        "dots": fill("."),
        "quotes": fill("'"),
        "euro digits": fill("€1"),
        "ge-prefix": "ik heb " + fill("ge"),
        "ver-prefix": "we hebben " + fill("ver"),
        "word runs": fill("sorry "),
        "dutch words": fill("je kunt het beste de fabrikant "),
        "english words": fill("you will need to contact the "),
        "no dot sentence": fill("wij zijn afhankelijk van de "),
        "capitals": fill("NIET "),
        "emoji": fill("😂"),
        "time-like": fill("10:0"),
        "mixed punctuation": fill("a.b!c?d;e:f-"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    reviewer = Reviewer.from_config(load_config(ROOT / "app.yaml"))
    reviewer.review(Draft("Hoi, sorry! Ik stuur je vandaag een nieuwe.", "Kapot!"))  # warm up
    slowest = ("", 0.0)
    for name, text in crafted(args.size).items():
        for role, draft in (("draft", Draft(text, "Mijn pakket is kapot")), ("customer", Draft("Sorry, balen!", text))):
            start = time.perf_counter()
            reviewer.review(draft)
            ms = (time.perf_counter() - start) * 1000
            print(f"{name:18} as {role:8} {ms:8.2f} ms")
            slowest = max(slowest, (f"{name} as {role}", ms), key=lambda x: x[1])
    print(f"slowest: {slowest[0]} {slowest[1]:.2f} ms (limit {LIMIT_MS:.0f} ms)")
    return 0 if slowest[1] <= LIMIT_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
