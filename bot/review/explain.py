"""How a review came about, for `webcare-coach review --explain`: the draft clause by clause
(who acts, negation, time, mood), the complaint judgement with its signals, why each clause is
or is not a promise, and which rule matches were not reported and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.review.analysis import Analysis
from bot.review.checks import Context, _span, _suppressed
from bot.review.complaint import ComplaintJudgement
from bot.review.promises import Judgement
from bot.review.rules import Rule

# What the codes of the analysis and of promises.judge() mean, for a team lead.
WORDS = {
    "nl": {
        "we": "wij", "for_us": "iemand namens ons", "customer": "de klant", "third_party": "een derde",
        "thing": "iets (geen persoon)",
        "done": "al gedaan", "planned": "gepland", "should_have": "had moeten gebeuren", "present": "nu / algemeen",
        "statement": "mededeling", "question": "vraag", "instruction": "verzoek of instructie aan de klant",
        "general": "algemene regel of hoe iets werkt", "condition": "belofte onder voorwaarde",
        "negated": "ontkend", "continues": "zonder eigen onderwerp, vervolgt de zin ervoor",
        "promise": "belofte", "no_promise": "geen belofte",
        "follow_up_time": "wij (of iemand namens ons) beloven een vervolg, met tijd",
        "follow_up": "wij (of iemand namens ons) beloven een vervolg, zonder tijd",
        "team_time": "wij (of iemand namens ons) zeggen wat we wanneer doen",
        "booked": "al geregeld, voor een later moment",
        "arranged_for_us": "wij hebben het geregeld, en wie het uitvoert doet het voor ons",
        "reaches_time": "het komt op een genoemd moment bij de klant",
        "reaches": "het komt bij de klant, met een vage termijn of van ons",
        "wants_time": "het komt bij de klant, maar niemand zegt wanneer of belooft het",
        "completes": "de tijd hoort bij de belofte ervoor", "continues_promise": "hoort bij de belofte ervoor",
        "no_follow_up": "geen vervolg voor de klant en geen tijd", "feeling": "een gevoel of toestand",
        "not_planned": "beschrijft wat er gebeurt, geen plan en geen tijd", "third_party": "een derde doet het",
        "nobody": "niemand van het team belooft iets", "done_reason": "al gedaan",
        "negated_reason": "ontkend", "should_have_reason": "had al moeten gebeuren",
        "question_reason": "een vraag", "instruction_reason": "een verzoek of instructie aan de klant",
        "general_reason": "een algemene regel of hoe iets werkt",
        "context": "Context", "clauses": "Zinsdelen", "silenced": "Niet gemeld",
        "found": "Gemeld", "who": "wie", "time": "tijd", "mood": "soort", "yes": "ja", "no": "nee",
        "answered": "beantwoord door een belofte met tijd in hetzelfde concept",
        "unless": "een uitzondering van de regel geldt hier",
        "not_in_context": "alleen bij een klacht, en dit is {kind}",
        "kinds": {"complaint": "een klacht", "question": "een vraag", "praise": "een compliment", "tip": "een tip"},
    },
    "en": {
        "we": "we", "for_us": "someone for us", "customer": "the customer", "third_party": "a third party",
        "thing": "a thing",
        "done": "done", "planned": "planned", "should_have": "should have happened", "present": "now / in general",
        "statement": "statement", "question": "question", "instruction": "request or instruction to the customer",
        "general": "general rule or how things work", "condition": "promise on a condition",
        "negated": "negated", "continues": "no subject of its own, continues the clause before",
        "promise": "promise", "no_promise": "no promise",
        "follow_up_time": "we (or someone for us) promise a follow-up, with a time",
        "follow_up": "we (or someone for us) promise a follow-up, without a time",
        "team_time": "we (or someone for us) say what we do when",
        "booked": "arranged already, for a later moment",
        "arranged_for_us": "we arranged it, so whoever carries it out acts for us",
        "reaches_time": "it reaches the customer at a stated moment",
        "reaches": "it reaches the customer, with a vague time or from us",
        "wants_time": "it reaches the customer, but nobody says when or commits to it",
        "completes": "its time belongs to the promise before it", "continues_promise": "part of the promise before it",
        "no_follow_up": "no follow-up for the customer and no time", "feeling": "a feeling or a state",
        "not_planned": "describes what happens, no plan and no time", "third_party": "a third party acts",
        "nobody": "nobody of the team commits to anything", "done_reason": "already done",
        "negated_reason": "negated", "should_have_reason": "should have happened",
        "question_reason": "a question", "instruction_reason": "a request or instruction to the customer",
        "general_reason": "a general rule or how things work",
        "context": "Context", "clauses": "Clauses", "silenced": "Not reported",
        "found": "Reported", "who": "who", "time": "time", "mood": "mood", "yes": "yes", "no": "no",
        "answered": "answered by a promise with a time in the same draft",
        "unless": "an exception of the rule applies here",
        "not_in_context": "only for a complaint, and this is {kind}",
        "kinds": {"complaint": "a complaint", "question": "a question", "praise": "praise", "tip": "a tip"},
    },
}
# promises.judge() codes that share a word with the analysis get their own wording
_REASON_KEYS = {"done": "done_reason", "negated": "negated_reason", "should_have": "should_have_reason",
                "question": "question_reason", "instruction": "instruction_reason", "general": "general_reason",
                "continues": "continues_promise"}


@dataclass(frozen=True)
class Silenced:
    """A rule match that was not reported, and why (a code of WORDS)."""

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
    rules_skipped: tuple[Rule, ...]  # rules of this language left out by the complaint context

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
                        answered = rule.unless_promise and any(p.explicit for p in ctx.promises)
                        result.append(Silenced(rule.category, rule.id, ctx.text[start:end],
                                               "answered" if answered else "unless"))
        for category in sorted({r.category for r in self.rules_skipped}):
            result.append(Silenced(category, "", "", "not_in_context"))
        return result

    def to_dict(self, language: str = "en") -> dict[str, Any]:
        words = WORDS[language]
        text = self.analysis.text
        return {
            "context": {
                "kind": self.complaint.kind,
                "complaint": self.complaint.complaint,
                "reason": self.complaint.reason,
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
                    "promise": j.promise, "why": j.reason, "why_text": words[_REASON_KEYS.get(j.reason, j.reason)],
                }
                for j in self.judgements
                for c in (j.clause,)
            ],
            "not_reported": [
                {"category": s.category, "rule": s.rule, "excerpt": s.excerpt, "why": s.reason,
                 "why_text": self._silenced_text(s, words)}
                for s in self.silenced()
            ],
        }

    def _silenced_text(self, item: Silenced, words: dict[str, Any]) -> str:
        if item.reason == "not_in_context":
            return words["not_in_context"].format(kind=words["kinds"].get(self.complaint.kind, self.complaint.kind))
        return words[item.reason]
