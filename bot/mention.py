"""What an agent asks when mentioning the coach, whatever the chat platform.

"@Webcare Coach fb Hoi Sanne, …" → the draft "Hoi Sanne, …" for facebook. Lines quoted with ">"
are the customer's message. The first word may name the channel (x, fb, insta, dm, wa, mail…).

Everything on one line ("@coach fb > klant… draft…") works too: the customer's message runs from
the ">" to the first separator " | ", " // " or " >> ", or, when it is in quotation marks, to the
closing mark, or else to the first greeting that opens a sentence ("Hoi", "Hallo", "Beste"…).
With none of these the coach cannot tell where the draft starts: the whole line is the customer's
and the draft is empty (the agent gets the how-to), so the customer's words never become the draft.
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
# Whitespace runs are taken whole from their start only ((?<!\s)…++): linear on long runs.
_SEPARATOR = re.compile(r"(?<!\s)\s++(?:\||//|>>)\s*")
_QUOTATION = re.compile(r'\s*(?:"(?P<straight>[^"]*)"|“(?P<curly>[^”]*)”|„(?P<low>[^”“]*)[”“])\s*(?P<rest>.*)', re.DOTALL)
_GREETINGS = "Hoi|Hallo|Hi|Hey|Hee|Beste|Dag|Goedemorgen|Goedemiddag|Goedenavond|Hello|Dear"
# A greeting opens the draft: after a sentence's end in any case, elsewhere with a capital.
_GREETING = re.compile(rf"(?<=[.!?…)])\s++(?=(?i:{_GREETINGS})\b)|(?<!\s)\s++(?=(?:{_GREETINGS})\b)")


@dataclass(frozen=True)
class Request:
    draft: str
    customer: str | None
    channel: str | None  # None: the default for this conversation


def parse_request(text: str) -> Request:
    """Split a mention (the coach's own mention already removed) into draft, customer, channel."""
    channel = None
    lines = text.strip().splitlines()
    if lines:
        word, _, rest = lines[0].strip().partition(" ")
        if _channel(word) and rest.lstrip().startswith(">"):  # "fb > klant…": the quote follows the channel
            channel, lines[0] = _channel(word), rest
    draft_lines, customer_lines = [], []
    for line in lines:
        quoted = _QUOTE.match(line)
        (customer_lines if quoted else draft_lines).append(quoted.group(1) if quoted else line)
    draft = "\n".join(draft_lines).strip()
    customer = "\n".join(customer_lines).strip()
    if not draft and customer:
        customer, draft = split_one_line(customer)
    if channel is None:
        first, _, rest = draft.partition(" ")
        if _channel(first) and (rest.strip() or "\n" not in draft):
            channel, draft = _channel(first), rest.strip()
        elif "\n" in draft and _channel(draft.split("\n", 1)[0].strip()):
            channel, draft = _channel(draft.split("\n", 1)[0].strip()), draft.split("\n", 1)[1].strip()
    return Request(draft, customer or None, channel)


def split_one_line(quoted: str) -> tuple[str, str]:
    """(customer's message, draft) from a quote that holds both; the draft "" when unclear."""
    if found := _SEPARATOR.search(quoted):
        return quoted[: found.start()].strip(), quoted[found.end() :].strip()
    if found := _QUOTATION.fullmatch(quoted):
        return (found["straight"] or found["curly"] or found["low"] or "").strip(), found["rest"].strip()
    if found := _GREETING.search(quoted):
        return quoted[: found.start()].strip(), quoted[found.end() :].strip()
    return quoted, ""


def _channel(word: str) -> str | None:
    return CHANNEL_WORDS.get(word.lower().rstrip(":"))
