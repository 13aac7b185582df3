"""What goes into a review and what comes out, in the shape of the interface contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

SEVERITY_ORDER = {"error": 0, "warning": 1, "suggestion": 2}


@dataclass(frozen=True)
class Draft:
    text: str
    customer: str | None = None
    channel: str | None = None  # None: the team's default channel
    at: datetime | None = None  # reference time for promise deadlines; None: now


@dataclass(frozen=True)
class Finding:
    category: str
    rule: str
    severity: str
    start: int
    end: int
    excerpt: str
    message: str
    suggestion: str
    guideline: str
    source: str = "rule"


@dataclass(frozen=True)
class Promise:
    text: str
    kind: str  # callback, message, delivery, refund, repair, visit, followup
    due: datetime
    explicit: bool
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "due": self.due.isoformat()}


@dataclass(frozen=True)
class LLMStatus:
    """What the language model contributed: `used` when its answer is in the review."""

    used: bool = False
    model: str | None = None
    error: str | None = None  # why there is no (complete) model answer; the rules review stands
    cached: bool = False
    dropped: int = 0  # model findings left out: excerpt not in the draft, unknown category or guideline
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0
    note: str | None = None  # e.g. why the rewrite was left out


@dataclass(frozen=True)
class Review:
    language: str
    complaint: bool
    channel: str
    findings: list[Finding]
    promises: list[Promise]
    length: int
    limit: int | None
    truncated_at: int | None = None  # set when only the first N characters were reviewed
    context: str | None = None  # complaint, question, praise or tip (see complaint.py)
    llm: LLMStatus = field(default_factory=LLMStatus)
    summary: str | None = None  # the language model's one-line verdict
    rewrite: str | None = None  # a better draft, checked against the rules

    @property
    def kind(self) -> str:
        """complaint, question, praise or tip: the context, or what `complaint` says without one."""
        return self.context or ("complaint" if self.complaint else "question")

    @property
    def verdict(self) -> str:
        return "revise" if any(f.severity in ("error", "warning") for f in self.findings) else "ok"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "language": self.language,
            "complaint": self.complaint,
            **({"context": self.context} if self.context else {}),
            "channel": self.channel,
            "verdict": self.verdict,
            "findings": [asdict(f) for f in self.findings],
            "promises": [p.to_dict() for p in self.promises],
            "length": {"count": self.length, "limit": self.limit},
            "llm": asdict(self.llm),
        }
        if self.truncated_at is not None:
            data["truncated_at"] = self.truncated_at
        if self.summary is not None:
            data["summary"] = self.summary
        if self.rewrite is not None:
            data["rewrite"] = self.rewrite
        return data
