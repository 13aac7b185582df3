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
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from bot.privacy.detect import _PARTICLES, KINDS, Span, find_spans, not_names

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
    _names: set[str] = field(default_factory=set)  # names learnt from any text of this review

    def learn(self, *texts: str | None) -> None:
        """Remember the names in `texts`, to replace them wherever they occur (also alone:
        "de Vries" of "Sanne de Vries")."""
        for text in filter(None, texts):
            for span in find_spans(text, self.today):
                if span.kind == "name":
                    self._learn_name(text[span.start:span.end])

    def _learn_name(self, name: str) -> None:
        words = name.split()
        forms = {name, words[0], *(" ".join(words[i:]) for i in range(1, len(words)))}
        skip = not_names() | set(_PARTICLES)
        self._names.update(f for f in forms if len(f) > 1 and f.lower() not in skip)

    def redact(self, text: str) -> str:
        self.learn(text)
        spans = find_spans(text, self.today)
        if self._names:
            spans += [Span("name", *m.span()) for m in _names_pattern(frozenset(self._names)).finditer(text)]
        out, position = [], 0
        for start, end, kind in _merged(spans):
            out += [text[position:start], self._placeholder(kind, text[start:end])]
            position = end
        return "".join(out) + text[position:]

    def restore(self, text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: self.values.get(m.group(), m.group()), text)

    def _placeholder(self, kind: str, value: str) -> str:
        if value not in self._by_value:
            label = LABELS[kind]
            count = sum(p.startswith(f"[{label}_") for p in self.values) + 1
            placeholder = f"[{label}_{count}]"
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


@cache
def _names_pattern(names: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?i)(?<![\w@-])(?:{alternatives})(?![\w-])")


def redact(text: str, today: date | None = None) -> str:
    """`text` with its personal data replaced: what the database may keep of customer text."""
    return Redactor(today).redact(text)
