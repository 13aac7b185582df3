"""Redaction benchmark: recall and precision per kind, drafts per second, crafted worst cases.

    python scripts/bench_redaction.py            # the project's detector (bot.privacy)
    pip install deduce && python scripts/bench_redaction.py   # also deduce, the one not chosen

On the labelled span set tests/data/pii_spans.jsonl ("dev": the detector was tuned on it;
"test": written afterwards and never tuned on). A labelled value counts as found when the
detector covers all of it; a detected span counts as right when it overlaps a labelled value.
Then the time per crafted 10,000-character input (runs of one character, digit-dash runs,
dotted runs, e-mail-like runs…): linear-time patterns keep each to milliseconds.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.privacy import KINDS, Redactor  # noqa: E402
from bot.privacy.evaluate import Sample, Score, load_samples, score  # noqa: E402

SPANS = ROOT / "tests" / "data" / "pii_spans.jsonl"
Detector = Callable[[str], Iterable[tuple[str, int, int]]]

# Crafted inputs that make backtracking patterns quadratic: (name, unit repeated to the length).
CRAFTED = [
    ("one letter", "a"), ("one capital", "A"), ("spaces", " "), ("dashes", "-"), ("digits", "1"),
    ("digit-dash", "1-"), ("digit-dot", "1."), ("letter-dot", "a."), ("e-mail-like", "a@"),
    ("e-mail-like 2", "a.b@c"), ("dotted domain", "a@b."), ("digit-space", "1 "), ("plus-digit", "+1 "),
    ("paren-zero", "(0"), ("postcodes", "1234 AB "), ("street words", "Kerkstraat "),
    ("greetings", "Hoi Sanne "), ("signatures", "^Aa "), ("titles", "mevrouw "), ("particles", "van "),
    ("capitalised words", "Aa "), ("initials", "J. "), ("dates", "12-03-"), ("handles", "@aa "),
    ("hash numbers", "#1"), ("newlines", "\n"), ("order cues", "order 12 "), ("word-dash", "ab-"),
]


def own_detector() -> Detector:
    return lambda text: [(kind, start, end) for start, end, kind in Redactor().spans(text)]


_DEDUCE_KINDS = {"persoon": "name", "patient": "name", "locatie": "address", "datum": "birthdate",
                 "telefoonnummer": "phone", "emailadres": "email", "bsn": "bsn", "id": "number",
                 "patientnummer": "number"}


def deduce_detector() -> tuple[Detector, float] | None:
    """deduce (Dutch de-identification, LGPL) and its load time, if installed."""
    try:
        from deduce import Deduce
    except ImportError:
        return None
    started = time.perf_counter()
    deduce = Deduce()
    loaded = time.perf_counter() - started

    def detect(text: str) -> list[tuple[str, int, int]]:
        annotations = deduce.deidentify(text).annotations
        return [(_DEDUCE_KINDS.get(a.tag, f"other:{a.tag}"), a.start_char, a.end_char) for a in annotations]

    return detect, loaded


def drafts_per_second(detect: Detector, texts: list[str], seconds: float = 2.0) -> float:
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for text in texts:
            detect(text)
        done += len(texts)
    return done / (time.perf_counter() - started)


def print_scores(name: str, detect: Detector, samples: list[Sample]) -> None:
    for split in ("dev", "test"):
        part = [s for s in samples if s.split == split]
        result: Score = score(detect, part)
        labelled = sum(result.labelled.values())
        print(f"\n{name}, {split} set ({len(part)} texts, {labelled} labelled values)")
        print(f"  {'kind':<10} {'recall':>16} {'precision':>16}")
        kinds = list(KINDS) + sorted(k for k in result.detected if k not in KINDS)
        for kind in kinds:
            recall = f"{result.recall(kind):.3f} ({result.found[kind]}/{result.labelled[kind]})"
            precision = f"{result.precision(kind):.3f} ({result.right[kind]}/{result.detected[kind]})"
            print(f"  {kind:<10} {recall:>16} {precision:>16}")
        print(f"  {'all':<10} {result.recall():>16.3f} {result.precision():>16.3f}")
        for sample_id, kind, value in result.misses:
            print(f"    missed {kind} in {sample_id}: {value!r}")
        for sample_id, kind, value in result.false_alarms:
            print(f"    redacted no personal data in {sample_id} ({kind}): {value!r}")


def main() -> None:
    samples = load_samples(SPANS)
    texts = [s.text for s in samples]
    own = own_detector()
    print("Chosen: the project's own detector (bot.privacy: review.pii, context, first-name and surname lists)")
    print_scores("bot.privacy", own, samples)
    print(f"\n  speed: {drafts_per_second(own, texts):,.0f} texts/s")

    found = deduce_detector()
    if found is None:
        print("\nNot chosen: deduce is not installed here (pip install deduce) -- no figures for it.")
    else:
        detect, loaded = found
        print(f"\nNot chosen: deduce (loaded in {loaded:.1f} s; all its dates count as birthdate, "
              "its locations as address)")
        print_scores("deduce", detect, samples)
        print(f"\n  speed: {drafts_per_second(detect, texts):,.0f} texts/s")

    print("\nCrafted inputs, 10,000 characters each (and 80,000: linear time means ~8x):")
    Redactor().redact("Hoi Sanne")  # the word lists are read once, on first use
    worst = 0.0
    for name, unit in CRAFTED:
        timings = []
        for length in (10_000, 80_000):
            text = (unit * (length // len(unit) + 1))[:length]
            started = time.perf_counter()
            Redactor().redact(text)
            timings.append((time.perf_counter() - started) * 1000)
        worst = max(worst, timings[0])
        print(f"  {name:<18} {timings[0]:7.1f} ms   80k: {timings[1]:7.1f} ms ({timings[1] / timings[0]:.1f}x)")
    print(f"  slowest 10k input: {worst:.1f} ms")


if __name__ == "__main__":
    main()
