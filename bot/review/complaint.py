"""Complaint context, from the signals in `guidelines/complaint.yaml`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.config import ConfigError
from bot.review.text import fold


@dataclass(frozen=True)
class ComplaintSignals:
    customer: tuple[re.Pattern[str], ...]
    draft_sympathy: tuple[re.Pattern[str], ...]
    draft_apology: tuple[re.Pattern[str], ...]
    complaint_examples: tuple[str, ...]
    question_examples: tuple[str, ...]

    def is_complaint(self, customer: str | None, folded_draft: str) -> bool:
        """The customer's message or the draft's sympathy; without a customer message, an apology too."""
        if any(p.search(folded_draft) for p in self.draft_sympathy):
            return True
        if customer and customer.strip():
            folded = fold(customer)
            return any(p.search(folded) for p in self.customer)
        return any(p.search(folded_draft) for p in self.draft_apology)


def load_complaint_signals(path: Path) -> ComplaintSignals:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError:
        raise ConfigError(f"{path}: missing (complaint signals)") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected the fields customer, draft_sympathy, draft_apology and examples")

    def patterns(key: str) -> tuple[re.Pattern[str], ...]:
        items = data.get(key)
        if not isinstance(items, list) or not items:
            raise ConfigError(f"{path}: field '{key}': expected a list of regular expressions")
        try:
            return tuple(re.compile(p, re.IGNORECASE) for p in items)
        except (re.error, TypeError) as exc:
            raise ConfigError(f"{path}: field '{key}': bad regular expression ({exc})") from None

    examples = data.get("examples")
    if not isinstance(examples, dict) or not examples.get("complaint") or not examples.get("question"):
        raise ConfigError(f"{path}: field 'examples': needs 'complaint' and 'question' examples")
    return ComplaintSignals(
        customer=patterns("customer"),
        draft_sympathy=patterns("draft_sympathy"),
        draft_apology=patterns("draft_apology"),
        complaint_examples=tuple(examples["complaint"]),
        question_examples=tuple(examples["question"]),
    )
