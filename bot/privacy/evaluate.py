"""Recall and precision of a personal-data detector on a labelled span set (tests/data/pii_spans.jsonl).

A labelled value counts as found when the detector's spans cover every character of it,
whatever kind they give it (what matters is that the value does not leave). A detected span
counts as right when it overlaps a labelled value; one that overlaps none redacts ordinary
words ("Goedemorgen", "Bol", "Utrecht") and makes the prompt worse.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

Detector = Callable[[str], Iterable[tuple[str, int, int]]]  # text -> (kind, start, end)


@dataclass(frozen=True)
class Sample:
    id: str
    split: str  # "dev": the detector was tuned on it; "test": written afterwards, never tuned on
    text: str
    spans: list[tuple[str, int, int]]


@dataclass
class Score:
    found: Counter[str] = field(default_factory=Counter)  # per labelled kind
    labelled: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)  # per detected kind
    detected: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # sample id, kind, value
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)

    def recall(self, kind: str | None = None) -> float:
        found = self.found[kind] if kind else sum(self.found.values())
        labelled = self.labelled[kind] if kind else sum(self.labelled.values())
        return found / labelled if labelled else 1.0

    def precision(self, kind: str | None = None) -> float:
        right = self.right[kind] if kind else sum(self.right.values())
        detected = self.detected[kind] if kind else sum(self.detected.values())
        return right / detected if detected else 1.0


def load_samples(path: Path) -> list[Sample]:
    samples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            spans = [(s["kind"], s["start"], s["end"]) for s in item["spans"]]
            samples.append(Sample(item["id"], item["split"], item["text"], spans))
    return samples


def score(detector: Detector, samples: list[Sample]) -> Score:
    result = Score()
    for sample in samples:
        detected = list(detector(sample.text))
        covered = set()
        for _, start, end in detected:
            covered.update(range(start, end))
        for kind, start, end in sample.spans:
            result.labelled[kind] += 1
            if covered.issuperset(range(start, end)):
                result.found[kind] += 1
            else:
                result.misses.append((sample.id, kind, sample.text[start:end]))
        for kind, start, end in detected:
            result.detected[kind] += 1
            if any(start < b and a < end for _, a, b in sample.spans):
                result.right[kind] += 1
            else:
                result.false_alarms.append((sample.id, kind, sample.text[start:end]))
    return result
