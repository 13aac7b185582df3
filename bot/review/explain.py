"""How a review came about, for `webcare-coach review --explain`: the draft clause by clause
(who acts, negation, time, mood), the complaint judgement with its signals, why each clause is
or is not a promise, and which rule matches were not reported and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.messages import t
from bot.review.analysis import Analysis
from bot.review.checks import Context, _answered, _span, _suppressed
from bot.review.complaint import ComplaintJudgement
from bot.review.promises import Judgement
from bot.review.rules import Rule

@dataclass(frozen=True)
class Silenced:
    """A rule match that was not reported, and why (a code: explain.not_reported.* in the catalogue)."""

    category: str
    rule: str
    excerpt: str
    reason: str


@dataclass(frozen=True)
class Explanation:
    analysis: Analysis
    judgements: list[Judgement]
    complaint: ComplaintJudgement
    context: Context
    rules_run: tuple[Rule, ...]  # the rules the review ran, in order
    rules_skipped: tuple[Rule, ...]  # rules of this language left out by the context (complaint or praise)

    def silenced(self) -> list[Silenced]:
        """Matches of presence rules with no finding (suppressed by their exceptions or by a
        promise), and the context-bound categories that were not checked."""
        ctx, found = self.context, {(f.category, f.start) for f in self.context.findings}
        result = []
        for rule in self.rules_run:
            if rule.check != "existence":
                continue
            for pattern in rule.patterns:
                for match in ctx.finditer(pattern):
                    start, end = _span(match)
                    if end > start and (rule.category, start) not in found and _suppressed(rule, ctx, start):
                        answered = _answered(rule, ctx, start)
                        result.append(Silenced(rule.category, rule.id, ctx.text[start:end],
                                               "answered" if answered else "unless"))
        for category in sorted({r.category for r in self.rules_skipped if r.complaint is not None}):
            result.append(Silenced(category, "", "", "not_in_context"))
        result += [Silenced(r.category, r.id, "", "not_for_praise") for r in self.rules_skipped if r.praise is False]
        return result

    def to_dict(self, language: str = "en") -> dict[str, Any]:
        text = self.analysis.text
        return {
            "context": {
                "kind": self.complaint.kind,
                "complaint": self.complaint.complaint,
                "reason": self.complaint.reason,
                "why_text": t(language, f"explain.context_why.{self.complaint.reason}"),
                "signals": [
                    {"source": e.source, "signal": e.signal, "kind": e.kind, "excerpt": e.excerpt, "strong": e.strong}
                    for e in self.complaint.signals
                ],
            },
            "clauses": [
                {
                    "text": text[c.start : c.end], "start": c.start, "end": c.end,
                    "actor": c.actor, "continues": c.continues, "negated": c.negated, "tense": c.tense,
                    "mood": c.mood, "times": [t.text for t in c.times], "markers": sorted(c.marks),
                    "evidence": [{"label": label, "excerpt": text[s:e]} for label, s, e in c.evidence if e > s],
                    "promise": j.promise, "why": j.reason, "why_text": t(language, f"explain.why.{j.reason}"),
                }
                for j in self.judgements
                for c in (j.clause,)
            ],
            "not_reported": [
                {"category": s.category, "rule": s.rule, "excerpt": s.excerpt, "why": s.reason,
                 "why_text": self._silenced_text(s, language)}
                for s in self.silenced()
            ],
        }

    def _silenced_text(self, item: Silenced, language: str) -> str:
        if item.reason == "not_in_context":
            kind = t(language, f"explain.kind.{self.complaint.kind}")
            return t(language, "explain.not_reported.not_in_context", kind=kind)
        return t(language, f"explain.not_reported.{item.reason}")
