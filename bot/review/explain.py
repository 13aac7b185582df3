"""How a review came about, for `webcare-coach review --explain`: the draft clause by clause
(who acts, negation, time, mood), the complaint judgement with its signals, and why each
promise and finding was or was not made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.review.analysis import Analysis
from bot.review.complaint import ComplaintJudgement
from bot.review.promises import Judgement


@dataclass(frozen=True)
class Explanation:
    analysis: Analysis
    judgements: list[Judgement]
    complaint: ComplaintJudgement

    def clauses(self) -> list[dict[str, Any]]:
        text = self.analysis.text
        rows = []
        for judgement in self.judgements:
            c = judgement.clause
            rows.append({
                "text": text[c.start : c.end],
                "start": c.start,
                "end": c.end,
                "actor": c.actor,
                "continues": c.continues,
                "negated": c.negated,
                "tense": c.tense,
                "mood": c.mood,
                "times": [t.text for t in c.times],
                "markers": sorted(c.marks),
                "evidence": [{"label": label, "excerpt": text[s:e]} for label, s, e in c.evidence if e > s],
                "promise": judgement.promise,
                "why": judgement.reason,
            })
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.analysis.language,
            "context": {
                "kind": self.complaint.kind,
                "complaint": self.complaint.complaint,
                "reason": self.complaint.reason,
                "signals": [
                    {"source": e.source, "signal": e.signal, "kind": e.kind, "excerpt": e.excerpt, "strong": e.strong}
                    for e in self.complaint.signals
                ],
            },
            "clauses": self.clauses(),
        }
