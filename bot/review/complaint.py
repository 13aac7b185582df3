"""Complaint context: complaint, question, praise or tip, from the signals in `guidelines/complaint.yaml`.

`ComplaintSignals.judge(customer, draft)` returns a `ComplaintJudgement`: the context and the
signals it rests on, so `review --explain` can show why. The order in which the signals decide is
described at the top of complaint.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from bot.config import ConfigError, read_yaml
from bot.review.prefilter import Matcher, Prefilter, Scan
from bot.review.text import Span, fold, sentences

KINDS = ("complaint", "question", "praise", "tip")


@dataclass(frozen=True)
class Signal:
    """One kind of evidence, as declared in complaint.yaml."""

    id: str
    kind: str  # one of KINDS
    patterns: tuple[Matcher, ...]
    examples: tuple[str, ...]
    weak: bool = False  # a complaint signal that only decides when nothing else does
    in_question: bool = False  # a complaint signal that still counts inside a question
    decides: bool = False  # found, it decides the context before any other signal
    yields_to: frozenset[str] = frozenset()  # signal ids or kinds that, found too, make this one not count
    hypothetical: bool = False  # the customer asks how something would go, not about a case of theirs


@dataclass(frozen=True)
class Evidence:
    """A signal found in the customer's message or the draft."""

    source: str  # "customer" or "draft"
    signal: str  # the signal's id in complaint.yaml
    kind: str
    excerpt: str
    start: int
    end: int
    strong: bool = True  # False: a weak complaint signal, or a complaint signal inside a question


@dataclass(frozen=True)
class ComplaintJudgement:
    """What the customer's message is (`kind`), the evidence, and the step that decided it."""

    kind: str  # complaint, question, praise or tip
    signals: tuple[Evidence, ...]
    reason: str  # a code, e.g. "strong_signal": explain.context_why.* of the message catalogue says it in words
    # a question about how something would go ("hoe lang duurt het voordat ik mijn geld terug heb
    # als ik een retour stuur?"): what the reply promises on a condition describes how it works
    hypothetical: bool = False

    @property
    def complaint(self) -> bool:
        return self.kind == "complaint"


@dataclass(frozen=True)
class ComplaintSignals:
    customer: tuple[Signal, ...]
    draft: tuple[Signal, ...]
    examples: dict[str, tuple[str, ...]]  # kind -> whole customer messages of that kind
    _customer_prefilter: Prefilter = field(init=False, repr=False, compare=False)
    _decisive: frozenset[str] = field(init=False, repr=False, compare=False)
    _yields: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)
    _hypothetical: frozenset[str] = field(init=False, repr=False, compare=False)
    _customer_evidence: Callable[[str], tuple[Evidence, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        matchers = [m for s in self.customer for m in s.patterns]
        object.__setattr__(self, "_customer_prefilter", Prefilter(matchers))
        object.__setattr__(self, "_decisive", frozenset(s.id for s in self.customer if s.decides))
        object.__setattr__(self, "_yields", {s.id: s.yields_to for s in self.customer})
        object.__setattr__(self, "_hypothetical", frozenset(s.id for s in self.customer if s.hypothetical))
        # An agent often reviews several versions of a reply to the same message: reuse its evidence
        # (kept in memory only, never logged or stored).
        object.__setattr__(self, "_customer_evidence", lru_cache(maxsize=64)(self._find_customer_evidence))

    @property
    def draft_matchers(self) -> tuple[Matcher, ...]:
        """For the caller's Prefilter over the draft."""
        return tuple(m for s in self.draft for m in s.patterns)

    @property
    def matchers(self) -> tuple[Matcher, ...]:
        return tuple(m for s in self.customer for m in s.patterns) + self.draft_matchers

    def judge(
        self, customer: str | None, draft: str | Scan, live: frozenset[Matcher] | None = None
    ) -> ComplaintJudgement:
        """The context of the reply. `draft` is its text or its Scan; `live`, the draft matchers a
        Prefilter let through (None: all). Cap the customer's text before calling."""
        judgement = self._judge(customer, draft if isinstance(draft, Scan) else Scan(fold(draft)), live)
        if judgement.kind == "question" and not self._hypothetical.isdisjoint(e.signal for e in judgement.signals):
            return replace(judgement, hypothetical=True)
        return judgement

    def _judge(self, customer: str | None, scan: Scan, live: frozenset[Matcher] | None) -> ComplaintJudgement:
        draft_found = self._draft_evidence(scan, live)
        draft_complaint = tuple(e for e in draft_found if e.kind == "complaint")
        draft_praise = tuple(e for e in draft_found if e.kind == "praise")
        if not customer or not customer.strip():
            if draft_praise and not draft_complaint:
                return ComplaintJudgement("praise", draft_praise, "no_customer_thanks")
            if draft_complaint:
                return ComplaintJudgement("complaint", draft_complaint, "no_customer_apology")
            return ComplaintJudgement("question", (), "no_customer")
        found = self._customer_evidence(customer)
        present = {e.signal for e in found} | {e.kind for e in found}
        found = tuple(e for e in found if not self._yields[e.signal] & present)
        decisive = self._decisive.intersection(e.signal for e in found)
        if decisive:
            kind = next(s.kind for s in self.customer if s.id in decisive)
            return ComplaintJudgement(kind, found, "decisive")
        kinds = {e.kind for e in found}
        strong_complaint = any(e.kind == "complaint" and e.strong for e in found)
        weak_complaint = "complaint" in kinds and not strong_complaint
        if strong_complaint:
            return ComplaintJudgement("complaint", found, "strong_signal")
        if "tip" in kinds:
            return ComplaintJudgement("tip", found, "tip")
        if "praise" in kinds:
            apology = tuple(e for e in draft_found if e.signal == "apology")
            if weak_complaint and apology and "?" not in customer:  # sarcasm the agent recognised
                return ComplaintJudgement("complaint", found + apology, "sarcasm")
            return ComplaintJudgement("praise", found + draft_praise, "praise")
        if draft_praise and not draft_complaint:
            return ComplaintJudgement("praise", found + draft_praise, "draft_thanks")
        if "question" in kinds:
            return ComplaintJudgement("question", found, "question")
        if weak_complaint:
            return ComplaintJudgement("complaint", found, "weak_signal")
        if draft_complaint:
            return ComplaintJudgement("complaint", found + draft_complaint, "statement_apology")
        # Precision first: without a clear complaint signal the coach does not assume one.
        return ComplaintJudgement("question", found, "statement")

    def _find_customer_evidence(self, customer: str) -> tuple[Evidence, ...]:
        scan = Scan(fold(customer))
        live = self._customer_prefilter.live(scan)
        questions = [s for s in sentences(customer) if _is_question(customer, s)] if "?" in customer else []
        found = []
        for signal in self.customer:
            for matcher in signal.patterns:
                if matcher not in live:
                    continue
                best = None  # one piece of evidence per pattern: the first strong match, else the first
                for match in matcher.finditer(scan):
                    start, end = match.span()
                    strong = signal.kind != "complaint" or not signal.weak and (
                        signal.in_question or not any(s.start <= start < s.end for s in questions)
                    )
                    if best is None or strong:
                        best = Evidence("customer", signal.id, signal.kind, customer[start:end], start, end, strong)
                    if strong or signal.weak:
                        break
                if best:
                    found.append(best)
        return tuple(found)

    def _draft_evidence(self, scan: Scan, live: frozenset[Matcher] | None) -> tuple[Evidence, ...]:
        found = []
        for signal in self.draft:
            for matcher in signal.patterns:
                match = matcher.search(scan) if live is None or matcher in live else None
                if match:
                    found.append(Evidence("draft", signal.id, signal.kind, match.group(), *match.span()))
        return tuple(found)


def _is_question(text: str, sentence: Span) -> bool:
    """A sentence that asks: it ends in one "?" (not the "??" or "?!" of an angry one)."""
    end = text[sentence.start : sentence.end].rstrip(" \"')")
    return end.endswith("?") and not end.endswith(("??", "!?", "?!"))


def _signals(path: Path, data: dict, key: str) -> tuple[Signal, ...]:
    items = data.get(key)
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{path}: field '{key}': expected a list of signals (id, kind, patterns, examples)")
    result = []
    for item in items:
        name = item.get("id") if isinstance(item, dict) else None
        where = f"{path}: {key} signal '{name or '?'}'"
        if not isinstance(name, str) or not isinstance(item.get("patterns"), list) or not item["patterns"]:
            raise ConfigError(f"{where}: needs an id and a list of patterns")
        if item.get("kind") not in KINDS:
            raise ConfigError(f"{where}: field 'kind': use one of {', '.join(KINDS)}")
        examples = item.get("examples")
        if not isinstance(examples, list) or not examples or not all(isinstance(e, str) for e in examples):
            raise ConfigError(f"{where}: field 'examples': every signal needs example texts it finds")
        unknown = set(item) - {"id", "kind", "patterns", "examples", "weak", "in_question", "decides", "yields_to",
                               "hypothetical"}
        yields_to = item.get("yields_to") or []
        if not isinstance(yields_to, list) or not all(isinstance(y, str) for y in yields_to):
            raise ConfigError(f"{where}: field 'yields_to': expected a list of signal ids or kinds")
        if unknown:
            raise ConfigError(f"{where}: unknown field {sorted(unknown)[0]!r}")
        try:
            patterns = tuple(Matcher.compile(p) for p in item["patterns"])
        except (re.error, TypeError) as exc:
            raise ConfigError(f"{where}: bad regular expression ({exc})") from None
        result.append(
            Signal(
                name, item["kind"], patterns, tuple(examples),
                bool(item.get("weak")), bool(item.get("in_question")), bool(item.get("decides")), frozenset(yields_to),
                bool(item.get("hypothetical")),
            )
        )
    return tuple(result)


def load_complaint_signals(path: Path) -> ComplaintSignals:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected the fields customer, draft and examples")
    examples = data.get("examples")
    if not isinstance(examples, dict) or set(examples) - set(KINDS) or not all(
        isinstance(v, list) and v for v in examples.values()
    ):
        raise ConfigError(f"{path}: field 'examples': lists of whole messages per kind ({', '.join(KINDS)})")
    return ComplaintSignals(
        customer=_signals(path, data, "customer"),
        draft=_signals(path, data, "draft"),
        examples={kind: tuple(texts) for kind, texts in examples.items()},
    )
