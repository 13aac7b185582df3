"""Personal data out of customer text, and back in what the agent sees.

The one place every text passes through before it leaves the process for the language model,
or is written to the database: `Redactor.redact` replaces phone numbers, e-mail addresses,
IBANs, addresses, BSNs, order/customer/booking numbers, dates of birth, @handles and names
with placeholders such as [TELEFOON_1]. Within one Redactor the same value always gets the
same placeholder, and a name learnt from one text (the customer's signature) is replaced in
every other (the draft), so the model can still reason about who is who; `restore` puts the
values back in what the model wrote.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from bot.privacy.detect import KINDS, Span, find_spans, name_forms

__all__ = ["KINDS", "Redactor", "Span", "find_spans", "redact"]

LABELS = {
    "phone": "TELEFOON", "email": "EMAIL", "iban": "IBAN", "address": "ADRES", "bsn": "BSN",
    "number": "NUMMER", "birthdate": "GEBOORTEDATUM", "handle": "HANDLE", "name": "NAAM",
}
_PLACEHOLDER = re.compile(r"\[[A-Z]+_\d+\]")
_PRIORITY = {kind: rank for rank, kind in enumerate(KINDS)}


@dataclass
class Redactor:
    """Placeholders for the personal data of one review, and the way back."""

    today: date | None = None  # for telling a date of birth from an appointment; None: today
    values: dict[str, str] = field(default_factory=dict)  # placeholder -> original value
    _by_value: dict[str, str] = field(default_factory=dict)
    _counts: Counter[str] = field(default_factory=Counter)  # placeholders given per kind
    _names: set[str] = field(default_factory=set)  # lower case, learnt from any text of this review

    def learn(self, *texts: str | None) -> None:
        """Remember the names in `texts`, to replace them wherever they occur (also alone:
        "de Vries" of "Sanne de Vries")."""
        for text in filter(None, texts):
            self._learn(text, find_spans(text, self.today, self._names))

    def _learn(self, text: str, spans: list[Span]) -> None:
        for span in spans:
            if span.kind == "name":
                self._names |= name_forms(text[span.start:span.end])

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """What `redact` replaces: (start, end, kind), sorted and not overlapping."""
        spans = find_spans(text, self.today, self._names)
        self._learn(text, spans)
        return _merged(spans)

    def redact(self, text: str) -> str:
        out, position = [], 0
        for start, end, kind in self.spans(text):
            out += [text[position:start], self._placeholder(kind, text[start:end])]
            position = end
        return "".join(out) + text[position:]

    def restore(self, text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: self.values.get(m.group(), m.group()), text)

    def _placeholder(self, kind: str, value: str) -> str:
        if value not in self._by_value:
            self._counts[kind] += 1
            placeholder = f"[{LABELS[kind]}_{self._counts[kind]}]"
            self._by_value[value], self.values[placeholder] = placeholder, value
        return self._by_value[value]


def _merged(spans: list[Span]) -> list[tuple[int, int, str]]:
    """Overlapping spans as one (nothing of a value may be left out); the kind of the longest."""
    merged: list[tuple[int, int, str]] = []
    best: Span | None = None
    for span in sorted(spans, key=lambda s: (s.start, -s.end, _PRIORITY[s.kind])):
        if merged and span.start < merged[-1][1]:
            start, end, _ = merged[-1]
            if best is None or (span.end - span.start, -_PRIORITY[span.kind]) > (best.end - best.start, -_PRIORITY[best.kind]):
                best = span
            merged[-1] = (start, max(end, span.end), best.kind)
        else:
            best = span
            merged.append((span.start, span.end, span.kind))
    return merged


def redact(text: str, today: date | None = None) -> str:
    """`text` with its personal data replaced: what the database may keep of customer text."""
    return Redactor(today).redact(text)
