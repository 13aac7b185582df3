"""Weekly team figures from the store (or from a batch of past replies): reviews and findings per
category with their trend, the most frequent findings with their guideline, promise outcomes and
the rules agents mark "not right". Team level only: the store's insight_rows select no agent or user.

A week is the seven days up to a moment (the digest's scheduled moment, or now for a report),
in the team's time zone; weeks before it are the seven days before that, and so on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from bot.config import Config
from bot.corpus import Corpus
from bot.review.rules import load_rules
from bot.store import Store

TREND_POINTS = 0.05  # a share that moves less than 5 percentage points counts as the same


@dataclass(frozen=True)
class ReviewFacts:
    """What insights need of one review: when, whether it was ready to post, what was found."""

    created: float
    ready: bool
    findings: tuple[tuple[str, str], ...]  # (rule, category) per finding


@dataclass(frozen=True)
class PromiseFacts:
    created: float
    due: float
    status: str  # open, done, cancelled; "unknown" for a batch of past replies
    closed_at: float | None  # when it was logged done or cancelled


@dataclass(frozen=True)
class Rating:
    """An agent's verdict on one finding (who gave it is not read)."""

    created: float
    rule: str
    category: str
    verdict: str  # helpful or wrong


@dataclass(frozen=True)
class PromiseOutcomes:
    """Promises made in a week and what became of them so far."""

    made: int = 0
    on_time: int = 0  # logged done at or before the due moment
    late: int = 0  # logged done after it
    untimed: int = 0  # logged done before the coach recorded when (older databases)
    open: int = 0
    overdue: int = 0  # of the open ones, past their due moment
    cancelled: int = 0


@dataclass(frozen=True)
class Week:
    start: datetime
    end: datetime
    reviews: int
    ready: int  # reviews with nothing to revise
    findings: dict[str, int]  # category -> findings
    reviews_with: dict[str, int]  # category -> reviews with at least one such finding
    rules: dict[str, int]  # rule -> findings
    promises: PromiseOutcomes
    enough: bool  # at least insights.min_reviews reviews: percentages are shown

    def share(self, category: str) -> float | None:
        """The part of this week's reviews with a `category` finding; None below the minimum."""
        return self.reviews_with.get(category, 0) / self.reviews if self.enough else None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class TopFinding:
    category: str
    count: int
    share: float | None
    trend: str | None  # more, fewer, same (against the weeks before); None without enough reviews
    guideline: str  # id of the guideline of the category's most frequent rule in these weeks
    guideline_title: str


@dataclass(frozen=True)
class RuleRating:
    rule: str
    category: str
    not_right: int
    helpful: int


@dataclass(frozen=True)
class Insights:
    weeks: list[Week]  # oldest first; the last one is the week reported on
    top: list[TopFinding]  # the week's most frequent finding categories, at most three
    not_right: list[RuleRating]  # over all weeks, most "not right" first, at most three
    min_reviews: int
    outcomes_known: bool  # False for a batch of past replies: what became of promises is unknown
    guideline_of: dict[str, tuple[str, str]]  # category -> (id, title) of the guideline of its most frequent rule

    @property
    def week(self) -> Week:
        return self.weeks[-1]

    @property
    def before(self) -> list[Week]:
        return self.weeks[:-1]

    def average_before(self, category: str) -> float | None:
        """Findings of `category` per week in the weeks before, or None when there are none."""
        return sum(w.findings.get(category, 0) for w in self.before) / len(self.before) if self.before else None

    def trend(self, category: str) -> str | None:
        reviews_before = sum(w.reviews for w in self.before)
        if not self.week.enough or reviews_before < self.min_reviews:
            return None
        before = sum(w.reviews_with.get(category, 0) for w in self.before) / reviews_before
        change = self.week.reviews_with.get(category, 0) / self.week.reviews - before
        return "more" if change >= TREND_POINTS else "fewer" if change <= -TREND_POINTS else "same"

    def categories(self) -> list[str]:
        """Every category found in these weeks, the week's most frequent first."""
        total: Counter[str] = Counter()
        for week in self.weeks:
            total.update(week.findings)
        return sorted(total, key=lambda c: (-self.week.findings.get(c, 0), -total[c], c))

    def to_dict(self) -> dict[str, Any]:
        return {
            "weeks": [w.to_dict() for w in self.weeks], "top": [asdict(t) for t in self.top],
            "not_right": [asdict(r) for r in self.not_right], "min_reviews": self.min_reviews,
            "outcomes_known": self.outcomes_known, "guidelines": {c: g[0] for c, g in self.guideline_of.items()},
            "trends": {c: self.trend(c) for c in self.categories()},
        }


class Guidelines:
    """Which guideline a finding belongs to: its rule's, or (for a language-model finding,
    rule "llm.<category>") the first guideline of its category."""

    def __init__(self, config: Config):
        self.folder = config.guidelines_dir

    @cached_property
    def corpus(self) -> Corpus:
        return Corpus.load(self.folder / "corpus")

    @cached_property
    def _of_rule(self) -> dict[str, str]:
        return {rule.id: rule.guideline for rule in load_rules(self.folder / "rules", set(self.corpus.guidelines))}

    def of(self, rule: str, category: str) -> str:
        if rule in self._of_rule:
            return self._of_rule[rule]
        matching = self.corpus.for_category(category)
        return matching[0].id if matching else ""

    def title(self, guideline_id: str) -> str:
        return self.corpus[guideline_id].title if guideline_id in self.corpus else guideline_id


def week_bounds(end: datetime, weeks: int) -> list[tuple[datetime, datetime]]:
    """(start, end) of `weeks` seven-day periods up to `end` (time zone aware), oldest first.
    Wall-clock days, so a week across a daylight-saving change still runs midnight to midnight."""
    zone = end.tzinfo
    bounds = []
    for back in range(weeks - 1, -1, -1):
        stop = (end.replace(tzinfo=None) - timedelta(days=7 * back)).replace(tzinfo=zone)
        bounds.append(((stop.replace(tzinfo=None) - timedelta(days=7)).replace(tzinfo=zone), stop))
    return bounds


def build(
    reviews: Iterable[ReviewFacts], promises: Iterable[PromiseFacts], ratings: Iterable[Rating], *,
    end: datetime, weeks: int, now: float, min_reviews: int, guidelines: Guidelines, outcomes_known: bool = True,
) -> Insights:
    bounds = week_bounds(end, weeks)
    starts = [start.timestamp() for start, _ in bounds]
    stops = [stop.timestamp() for _, stop in bounds]

    def week_of(moment: float) -> int | None:
        for index, (start, stop) in enumerate(zip(starts, stops)):
            if start <= moment < stop:
                return index
        return None

    counts = [_WeekCounts() for _ in bounds]
    for review in reviews:
        if (index := week_of(review.created)) is not None:
            counts[index].add_review(review)
    for promise in promises:
        if (index := week_of(promise.created)) is not None:
            counts[index].add_promise(promise, now)
    rated: dict[str, Counter[str]] = {}
    category_of: dict[str, str] = {}
    for rating in ratings:
        if week_of(rating.created) is not None:
            rated.setdefault(rating.rule, Counter())[rating.verdict] += 1
            category_of[rating.rule] = rating.category or category_of.get(rating.rule, "")

    week_list = [c.week(start, stop, min_reviews) for c, (start, stop) in zip(counts, bounds)]
    rule_totals: Counter[tuple[str, str]] = Counter()
    for week_counts in counts:
        rule_totals.update({(r, week_counts.rule_category[r]): n for r, n in week_counts.rules.items()})
    guideline_of: dict[str, tuple[str, str]] = {}
    for (rule, category), _ in sorted(rule_totals.items(), key=lambda item: (-item[1], item[0])):
        if category not in guideline_of:
            guideline = guidelines.of(rule, category)
            guideline_of[category] = (guideline, guidelines.title(guideline))
    insights = Insights(week_list, [], [], min_reviews, outcomes_known, guideline_of)
    current = insights.week
    top = [
        TopFinding(category, count, current.share(category), insights.trend(category), *guideline_of[category])
        for category, count in sorted(current.findings.items(), key=lambda item: (-item[1], item[0]))[:3]
    ]
    not_right = sorted(
        (RuleRating(rule, category_of.get(rule, ""), verdicts["wrong"], verdicts["helpful"])
         for rule, verdicts in rated.items() if verdicts["wrong"]),
        key=lambda r: (-r.not_right, r.helpful, r.rule),
    )[:3]
    return Insights(week_list, top, not_right, min_reviews, outcomes_known, guideline_of)


class _WeekCounts:
    def __init__(self) -> None:
        self.reviews = self.ready = 0
        self.findings: Counter[str] = Counter()
        self.reviews_with: Counter[str] = Counter()
        self.rules: Counter[str] = Counter()
        self.rule_category: dict[str, str] = {}
        self.promises: Counter[str] = Counter()

    def add_review(self, review: ReviewFacts) -> None:
        self.reviews += 1
        self.ready += review.ready
        for rule, category in review.findings:
            self.findings[category] += 1
            self.rules[rule] += 1
            self.rule_category[rule] = category
        self.reviews_with.update({category for _, category in review.findings})

    def add_promise(self, promise: PromiseFacts, now: float) -> None:
        self.promises["made"] += 1
        if promise.status == "done":
            kept = "untimed" if promise.closed_at is None else "on_time" if promise.closed_at <= promise.due else "late"
            self.promises[kept] += 1
        elif promise.status == "open":
            self.promises["open"] += 1
            self.promises["overdue"] += promise.due < now
        elif promise.status == "cancelled":
            self.promises["cancelled"] += 1

    def week(self, start: datetime, end: datetime, min_reviews: int) -> Week:
        return Week(start, end, self.reviews, self.ready, dict(self.findings), dict(self.reviews_with),
                    dict(self.rules), PromiseOutcomes(**self.promises), self.reviews >= min_reviews)


def from_store(store: Store, config: Config, *, end: datetime, weeks: int, now: float,
               guidelines: Guidelines | None = None) -> Insights:
    """The figures of the `weeks` weeks up to `end` from the store."""
    rows = store.insight_rows(week_bounds(end, weeks)[0][0].timestamp(), end.timestamp())
    reviews = (ReviewFacts(created, verdict == "ok", tuple(findings)) for created, verdict, findings in rows["reviews"])
    promises = (PromiseFacts(*row) for row in rows["promises"])
    ratings = (Rating(*row) for row in rows["feedback"])
    return build(reviews, promises, ratings, end=end, weeks=weeks, now=now, min_reviews=config.insights.min_reviews,
                 guidelines=guidelines or Guidelines(config))
