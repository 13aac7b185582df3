"""Snapshot of rules-only reviews, to prove that a speed-up changes no result.

usage: python scripts/review_snapshot.py OUT.json

Reviews every item of ../shared/eval/dev.jsonl, ../shared/eval/dev-clauses.jsonl and
tests/data/independent/*.jsonl (with each item's `at`, `customer` and `channel`) and the drafts
of bench_review.py (reference time fixed, so promise deadlines do not depend on the clock), and
writes what each review says: findings, promises, language and context. Run it before and after
a change and compare the files byte for byte (`cmp`).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_review import build_drafts  # noqa: E402

from bot.config import load_config  # noqa: E402
from bot.review.engine import Reviewer  # noqa: E402
from bot.review.model import Draft, Review  # noqa: E402

BENCH_AT = datetime.fromisoformat("2026-03-11T10:30:00+01:00")  # a Wednesday, office hours


def labelled_drafts() -> list[tuple[str, Draft]]:
    paths = [ROOT.parent / "shared/eval/dev.jsonl", ROOT.parent / "shared/eval/dev-clauses.jsonl",
             *sorted((ROOT / "tests/data/independent").glob("*.jsonl"))]
    drafts = []
    for path in paths:
        for line in path.open(encoding="utf-8"):
            if line.strip():
                item = json.loads(line)
                at = datetime.fromisoformat(item["at"].replace("Z", "+00:00")) if item.get("at") else None
                drafts.append((f"{path.stem}/{item['id']}",
                               Draft(item["draft"], item.get("customer"), item.get("channel"), at)))
    return drafts


def summary(review: Review) -> dict:
    return {
        "language": review.language,
        "context": review.context,
        "findings": [{"category": f.category, "rule": f.rule, "start": f.start, "end": f.end,
                      "message": f.message, "suggestion": f.suggestion} for f in review.findings],
        "promises": [{"text": p.text, "due": p.due.isoformat(), "explicit": p.explicit} for p in review.promises],
    }


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/review_snapshot.py OUT.json")
    reviewer = Reviewer.from_config(load_config(ROOT / "app.yaml"))
    drafts = labelled_drafts() + [
        (f"bench/{index}", Draft(d.text, d.customer, d.channel, BENCH_AT)) for index, d in enumerate(build_drafts(3000))
    ]
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        for name, draft in drafts:
            out.write(json.dumps({"id": name, **summary(reviewer.review(draft))}, ensure_ascii=False) + "\n")
    print(f"{len(drafts)} reviews written to {sys.argv[1]}")


if __name__ == "__main__":
    main()
