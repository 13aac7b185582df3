"""What an agent asks when mentioning the coach, whatever the chat platform.

"@Webcare Coach fb Hoi Sanne, …" → the draft "Hoi Sanne, …" for facebook. Lines quoted with ">"
are the customer's message. The first word may name the channel (x, fb, insta, dm, wa, mail…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHANNEL_WORDS = {
    "x": "twitter", "twitter": "twitter", "tweet": "twitter", "fb": "facebook", "facebook": "facebook",
    "insta": "instagram", "instagram": "instagram", "ig": "instagram", "dm": "dm", "pb": "dm",
    "whatsapp": "whatsapp", "wa": "whatsapp", "email": "email", "mail": "email",
    "e-mail": "email", "chat": "chat",
}
_QUOTE = re.compile(r"^\s*>\s?(.*)$")


@dataclass(frozen=True)
class Request:
    draft: str
    customer: str | None
    channel: str | None  # None: the default for this conversation


def parse_request(text: str) -> Request:
    """Split a mention (the coach's own mention already removed) into draft, customer, channel."""
    draft_lines, customer_lines = [], []
    for line in text.strip().splitlines():
        quoted = _QUOTE.match(line)
        (customer_lines if quoted else draft_lines).append(quoted.group(1) if quoted else line)
    draft = "\n".join(draft_lines).strip()
    channel = None
    first, _, rest = draft.partition(" ")
    if first.lower().rstrip(":") in CHANNEL_WORDS and (rest.strip() or "\n" not in draft):
        channel, draft = CHANNEL_WORDS[first.lower().rstrip(":")], rest.strip()
    elif "\n" in draft and (word := draft.split("\n", 1)[0].strip().lower().rstrip(":")) in CHANNEL_WORDS:
        channel, draft = CHANNEL_WORDS[word], draft.split("\n", 1)[1].strip()
    customer = "\n".join(customer_lines).strip() or None
    return Request(draft, customer, channel)
