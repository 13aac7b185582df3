"""Personal data out before anything leaves the process, and back in what the agent sees.

Phone numbers, e-mail addresses, IBANs, postcodes with house numbers and BSNs (review.pii),
order and customer numbers, @handles and the customer's name (from the greeting of the draft)
become placeholders such as [TELEFOON_1]; the same value gets the same placeholder in the draft
and the customer message, so the model can still reason about them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.review.pii import find_personal_data

_KIND_LABELS = {
    "phone": "TELEFOON", "email": "EMAIL", "iban": "IBAN", "postcode_house": "ADRES", "bsn": "BSN",
    "number": "NUMMER", "handle": "HANDLE", "name": "NAAM",
}
# Order, customer, booking, policy numbers: a run of 6+ digits, or letters and digits mixed.
_NUMBER = re.compile(
    r"(?<![\w@.])#?(?!\d{1,4}-\d{1,2}-\d{1,4}\b)(?=[A-Za-z-]*\d)[A-Za-z0-9][A-Za-z0-9-]{5,}(?![\w@])"
)  # not dates like 2026-11-25
_HANDLE = re.compile(r"(?<![\w@])@\w{2,}")
_PARTICLE = r"(?:van|de|der|den|ten|ter|te|el|al|da|di|le|la|'t)"
_GREETING = re.compile(
    r"^\s*(?:hoi|hallo|hey|hi|hello|beste|dear|lieve|goedemorgen|goedemiddag|goedenavond|good\s+morning"
    r"|good\s+afternoon)\s+(?:(?:meneer|mevrouw|mevr\.?|dhr\.?|mr\.?|mrs\.?|ms\.?|miss)\s+)?"
    rf"(?P<name>(?:{_PARTICLE}\s+)*[A-Z][\w'-]+(?:\s+(?:{_PARTICLE}\s+)*[A-Z][\w'-]+)?)",
    re.IGNORECASE,
)
_NOT_NAMES = frozenset({"klant", "customer", "allemaal", "all", "there", "team", "heer", "sir", "madam"})


@dataclass
class Redactor:
    """Placeholders for the personal data of one review, and the way back."""

    values: dict[str, str] = field(default_factory=dict)  # placeholder -> original value
    _by_value: dict[str, str] = field(default_factory=dict)

    def _placeholder(self, kind: str, value: str) -> str:
        if value not in self._by_value:
            label = _KIND_LABELS[kind]
            count = sum(p.startswith(f"[{label}_") for p in self.values) + 1
            placeholder = f"[{label}_{count}]"
            self._by_value[value], self.values[placeholder] = placeholder, value
        return self._by_value[value]

    def learn_name(self, draft: str) -> None:
        """The customer's name from the greeting ("Hoi Sanne,", "Beste mevrouw de Boer")."""
        match = _GREETING.match(draft)
        if match and match["name"].lower() not in _NOT_NAMES:
            name = match["name"]
            self._placeholder("name", name)
            parts = [p for p in name.split() if p[0].isupper() and len(p) > 2]
            for part in parts if len(parts) > 1 else ():
                self._placeholder("name", part)

    def redact(self, text: str) -> str:
        spans = [(p.start, p.end, p.kind) for p in find_personal_data(text)]
        for pattern, kind in ((_HANDLE, "handle"), (_NUMBER, "number")):
            spans += [(m.start(), m.end(), kind) for m in pattern.finditer(text)]
        names = [v for v in sorted(self._by_value, key=len, reverse=True) if self._by_value[v].startswith("[NAAM_")]
        for name in names:
            spans += [(m.start(), m.end(), "name") for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
        out, position = [], 0
        for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
            if start < position:
                continue  # inside a longer span already replaced
            out += [text[position:start], self._placeholder(kind, text[start:end])]
            position = end
        return "".join(out) + text[position:]

    def restore(self, text: str) -> str:
        return re.sub(r"\[[A-Z]+_\d+\]", lambda m: self.values.get(m.group(), m.group()), text)
