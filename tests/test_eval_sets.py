"""The labelled sets, scored as shared/eval/score.py scores them: the issue's bar as a guard.

dev.jsonl and dev-clauses.jsonl (the contract's clauses on complaint context, promises and
whole-draft judgement) are the shared development sets; tests/data/holdout*.jsonl were written
from the contract alone, without looking at the rules, to see how the rules generalise.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from bot.review.model import Draft
from tests.conftest import ROOT, SHARED

SETS = [SHARED / "eval/dev.jsonl", SHARED / "eval/dev-clauses.jsonl", *sorted((ROOT / "tests/data").glob("holdout*.jsonl"))]


def score(reviewer, path: Path) -> dict[str, float]:
    tp = fp = fn = promised = reported = found = due_ok = 0
    for line in path.open(encoding="utf-8"):
        item = json.loads(line)
        at = datetime.fromisoformat(item["at"])
        review = reviewer.review(Draft(item["draft"], item.get("customer"), item.get("channel"), at))
        got, expected = {f.category for f in review.findings}, set(item["expect"])
        tp, fp, fn = tp + len(got & expected), fp + len(got - expected), fn + len(expected - got)
        promised += len(item["promises"])
        reported += len(review.promises)
        found += min(len(item["promises"]), len(review.promises))
        due_ok += sum(
            abs((datetime.fromisoformat(g["due"]) - p.due).total_seconds()) <= 60
            for g, p in zip(item["promises"], review.promises)
        )
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return {
        "precision": precision,
        "f1": 2 * precision * recall / (precision + recall),
        "promise_precision": found / reported if reported else 1.0,
        "promise_recall": found / promised,
        "due": due_ok / promised,
    }


@pytest.mark.parametrize("path", [p for p in SETS if p.exists()], ids=lambda p: p.name)
def test_labelled_set_meets_the_bar(reviewer, path):
    result = score(reviewer, path)
    assert result["precision"] >= 0.95 and result["f1"] >= 0.90, result
    assert result["promise_precision"] >= 0.95 and result["promise_recall"] >= 0.95 and result["due"] >= 0.95, result


def test_the_development_sets_together_meet_the_issue_bar(reviewer, tmp_path):
    """shared/eval/README.md: dev.jsonl and dev-clauses.jsonl are scored together."""
    both = tmp_path / "all.jsonl"
    both.write_text("".join((SHARED / f"eval/{name}").read_text(encoding="utf-8") for name in ("dev.jsonl", "dev-clauses.jsonl")),
                    encoding="utf-8")
    result = score(reviewer, both)
    assert result["precision"] >= 0.97 and result["f1"] >= 0.95, result
    assert result["promise_precision"] >= 0.97 and result["promise_recall"] >= 0.97 and result["due"] >= 0.97, result
