"""Complaint context, from the signals in `guidelines/complaint.yaml`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.config import ConfigError, read_yaml
from bot.review.prefilter import Matcher, Prefilter, Scan
from bot.review.text import fold


@dataclass(frozen=True)
class ComplaintSignals:
    customer: tuple[Matcher, ...]
    customer_positive: tuple[Matcher, ...]
    customer_request: tuple[Matcher, ...]
    draft_sympathy: tuple[Matcher, ...]
    draft_apology: tuple[Matcher, ...]
    complaint_examples: tuple[str, ...]
    question_examples: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_customer", Prefilter(self.customer + self.customer_positive + self.customer_request))

    @property
    def draft_matchers(self) -> tuple[Matcher, ...]:
        """For the caller's Prefilter over the draft."""
        return self.draft_sympathy + self.draft_apology

    def is_complaint(self, customer: str | None, draft: Scan, live: frozenset[Matcher]) -> bool:
        """The customer's message (see complaint.yaml) or the draft's sympathy; an apology in the
        draft too, unless the customer asked a question ("sorry voor de late reactie").

        `live`: the draft matchers a Prefilter over draft_matchers let through.
        """
        if any(m.search(draft) for m in self.draft_sympathy if m in live):
            return True
        if customer and customer.strip():
            scan = Scan(fold(customer))
            customer_live = self._customer.live(scan)
            if any(m.search(scan) for m in self.customer if m in customer_live):
                return True
            if "?" not in customer and any(m.search(draft) for m in self.draft_apology if m in live):
                return True  # the agent apologises for something the customer said (sarcasm, too)
            return not (
                "?" in customer
                or any(m.search(scan) for m in self.customer_positive + self.customer_request if m in customer_live)
            )
        return any(m.search(draft) for m in self.draft_apology if m in live)


def load_complaint_signals(path: Path) -> ComplaintSignals:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected the fields customer, draft_sympathy, draft_apology and examples")

    def patterns(key: str) -> tuple[Matcher, ...]:
        items = data.get(key)
        if not isinstance(items, list) or not items:
            raise ConfigError(f"{path}: field '{key}': expected a list of regular expressions")
        try:
            return tuple(Matcher.compile(p) for p in items)
        except (re.error, TypeError) as exc:
            raise ConfigError(f"{path}: field '{key}': bad regular expression ({exc})") from None

    examples = data.get("examples")
    if not isinstance(examples, dict) or not examples.get("complaint") or not examples.get("question"):
        raise ConfigError(f"{path}: field 'examples': needs 'complaint' and 'question' examples")
    return ComplaintSignals(
        customer=patterns("customer"),
        customer_positive=patterns("customer_positive"),
        customer_request=patterns("customer_request"),
        draft_sympathy=patterns("draft_sympathy"),
        draft_apology=patterns("draft_apology"),
        complaint_examples=tuple(examples["complaint"]),
        question_examples=tuple(examples["question"]),
    )
