"""A review's findings as an agent reads them, the same in the terminal, Slack and Teams.

One line per category and excerpt (the same words flagged three times are one line, "3×"),
most severe first and then in the order of the draft, each excerpt on one line, cut at a word
boundary to at most EXCERPT_CHARS characters with an ellipsis. The review's JSON keeps every
finding with its full excerpt and offsets; this is only how they are listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.review.model import SEVERITY_ORDER, Finding, Review
from bot.review.text import fold

EXCERPT_CHARS = 80
ELLIPSIS = "…"


@dataclass(frozen=True)
class Listed:
    """One finding as listed; `index` is its place in review.findings (feedback refers to it)."""

    finding: Finding
    index: int
    excerpt: str  # shortened for the listing; "" for a finding on the whole draft
    count: int = 1  # how often this category flagged these words


def short_excerpt(excerpt: str, limit: int = EXCERPT_CHARS) -> str:
    """`excerpt` on one line; when longer than `limit`, cut at the last word boundary that fits
    and closed with an ellipsis (a single word longer than `limit` is cut inside it)."""
    text = " ".join(excerpt.split())
    if len(text) <= limit:
        return text
    room = text[: limit - len(ELLIPSIS) + 1]  # one more: a space right after the cut is a boundary
    cut = room.rfind(" ")
    kept = room[:cut] if cut > 0 else room[:-1]
    return kept.rstrip(" ,;:-–") + ELLIPSIS


def listed(review: Review) -> list[Listed]:
    """The findings to list: one per category and words, by severity, then position."""
    order = sorted(
        range(len(review.findings)),
        key=lambda i: (SEVERITY_ORDER.get(review.findings[i].severity, len(SEVERITY_ORDER)),
                       review.findings[i].start, review.findings[i].source != "rule", i),
    )
    first: dict[tuple[str, str], int] = {}  # (category, folded words) -> place in `lines`
    lines: list[Listed] = []
    for i in order:
        finding = review.findings[i]
        key = (finding.category, " ".join(fold(finding.excerpt).split()))
        if key in first:
            seen = lines[first[key]]
            lines[first[key]] = Listed(seen.finding, seen.index, seen.excerpt, seen.count + 1)
            continue
        first[key] = len(lines)
        lines.append(Listed(finding, i, short_excerpt(finding.excerpt)))
    return lines
