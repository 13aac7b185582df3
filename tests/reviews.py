"""Hand-built reviews for the rendering tests: Slack's blocks and Teams' cards show the same ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.review.model import Finding, LLMStatus, Promise, Review

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def finding(category: str, severity: str, excerpt: str, rule: str | None = None, source: str = "rule",
            guideline: str = "beloftes-nakomen", start: int = 0, message: str | None = None) -> Finding:
    return Finding(
        category=category, rule=rule or f"nl.{category}.test", severity=severity, start=start,
        end=start + len(excerpt), excerpt=excerpt, message=message or f"Uitleg bij {category}.",
        suggestion=f"Schrijf het beter ({category}).", guideline=guideline, source=source,
    )


def make_review(findings: list[Finding] | None = None, **changes: Any) -> Review:
    fields: dict[str, Any] = {
        "language": "nl", "complaint": True, "channel": "x", "findings": findings or [], "promises": [],
        "length": 120, "limit": 280,
    }
    fields.update(changes)
    return Review(**fields)


def sample_review(summary: str = "Loze belofte en geen volgende stap.") -> Review:
    """A Dutch complaint review with one finding of each severity, an LLM finding and two promises."""
    return make_review(
        [
            finding("inconsistent_address", "warning", "Stuur je", start=30),
            finding("empty_promise", "error", "we gaan ernaar kijken", rule="nl.empty_promise.ernaar_kijken", start=40),
            finding("impersonal", "suggestion", "Beste klant", guideline="persoonlijk", start=0),
            finding("missing_next_step", "warning", "", source="llm", guideline="durf-af-te-sluiten", start=0),
        ],
        promises=[
            Promise("ik bel je morgen", "callback", datetime(2026, 11, 27, 17, 0, tzinfo=AMSTERDAM), True, 60, 76),
            Promise("je hoort van ons", "message", datetime(2026, 11, 30, 9, 30, tzinfo=AMSTERDAM), False, 80, 96),
        ],
        summary=summary,
        rewrite="Hoi Sanne, wat vervelend! Ik bel je vrijdag voor 17:00 met een oplossing. ^Wendy",
        llm=LLMStatus(used=True, model="gpt-4o-mini"),
    )
