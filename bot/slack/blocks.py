"""Block Kit messages: a review with feedback buttons, guidelines, a how-to.

Everything stays within Slack's limits (50 blocks per message, 3000 characters per text,
75 per button text, 2000 per button value), so a long draft or many findings never make
Slack reject the message. Text from drafts and models is escaped for mrkdwn (&, <, >) and
cut at a character boundary that never splits an escape.
"""

from __future__ import annotations

import json
import math
from typing import Any

from bot.labels import LABELS, category_name, due_text, language_of, llm_status
from bot.corpus import Guideline
from bot.review.model import Review
from bot.review.tidy import Listed, listed

MAX_BLOCKS = 50
MAX_TEXT = 3000
GUIDELINES_SHOWN = 3
_LIST_LINES = 10  # guideline ids per section in the full list

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

# Static texts are mrkdwn: a literal <, > or & is written as its escape.
_TEXT = {
    "nl": {
        "do": "Wel", "dont": "Niet",
        "search_hint": "Zoek een richtlijn met `/richtlijn &lt;zoekterm&gt;`, bijvoorbeeld `/richtlijn beloftes`.",
        "list_hint": "`/richtlijn` zonder zoekterm toont alle richtlijnen.",
        "howto_review": (
            "*Concept laten checken*\nNoem de coach met je concept erachter:\n"
            "`@Webcare Coach x Hoi Sanne, wat vervelend dat je pakket nog niet binnen is…`"
        ),
        "howto_customer": (
            "*Bericht van de klant erbij*\nZet het bericht van de klant in hetzelfde bericht als citaat, "
            "elke regel beginnend met `&gt; `. Dan weet de coach of het om een klacht gaat."
        ),
        "howto_channel": (
            "*Kanaal*\nEen kanaalwoord vooraan is optioneel: `x`, `fb`, `insta`, `dm`, `whatsapp`, `mail` "
            "of `chat`. Zonder kanaalwoord geldt het standaardkanaal; lengte en privacy hangen ervan af."
        ),
        "howto_react": "*Bestaand bericht*\nReageer met 👀 op een bericht om het te laten beoordelen.",
        "howto_search": "Richtlijnen opzoeken",
        "no_text": (
            "Ik beoordeel alleen tekst, geen bestanden of afbeeldingen. Plak je concept als tekst in je "
            "bericht en noem mij erbij, bijvoorbeeld:\n`@Webcare Coach x Hoi Sanne, …`"
        ),
    },
    "en": {
        "do": "Do", "dont": "Don't",
        "search_hint": "Look a guideline up with `/guideline &lt;search term&gt;`, for example `/guideline promises`.",
        "list_hint": "`/guideline` without a search term lists all guidelines.",
        "howto_review": (
            "*Check a draft*\nMention the coach followed by your draft:\n"
            "`@Webcare Coach x Hi Sanne, sorry your parcel hasn't arrived yet…`"
        ),
        "howto_customer": (
            "*Add the customer's message*\nQuote the customer's message in the same message, every line "
            "starting with `&gt; `. Then the coach knows whether it is a complaint."
        ),
        "howto_channel": (
            "*Channel*\nA channel word up front is optional: `x`, `fb`, `insta`, `dm`, `whatsapp`, `mail` "
            "or `chat`. Without one the default channel applies; length and privacy depend on it."
        ),
        "howto_react": "*An existing message*\nReact with 👀 to a message to have it reviewed.",
        "howto_search": "Look up guidelines",
        "no_text": (
            "I only review text, not files or images. Paste your draft as text into your message and "
            "mention me, for example:\n`@Webcare Coach x Hi Sanne, …`"
        ),
    },
}
_TEXT = {lang: {**LABELS[lang], **texts} for lang, texts in _TEXT.items()}





def _clip(text: str, limit: int) -> str:
    """Plain text within `limit` characters, cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _esc(text: str, limit: int = MAX_TEXT) -> str:
    """Escape for mrkdwn; when too long, cut so that no escape is split and the result fits."""
    escaped = "".join(_ESCAPES.get(ch, ch) for ch in text)
    if len(escaped) <= limit:
        return escaped
    out: list[str] = []
    size = 0
    for ch in text:
        piece = _ESCAPES.get(ch, ch)
        if size + len(piece) > limit - 1:
            break
        out.append(piece)
        size += len(piece)
    return "".join(out).rstrip() + "…"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines() or [""])


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(text)}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [_mrkdwn(text)]}


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": _clip(text, 150), "emoji": True}}


def _button(text: str, action_id: str, value: str) -> dict[str, Any]:
    return {
        "type": "button", "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": action_id, "value": value,
    }



def _finding_blocks(item: Listed, review_id: str, lang: str) -> list[dict[str, Any]]:
    t = _TEXT[lang]
    finding, index = item.finding, item.index
    where = _quote(_esc(item.excerpt)) if item.excerpt else f"_({t['whole']})_"
    where += f" ({item.count}×)" if item.count > 1 else ""
    source = f"({t['by_model']})" if finding.source == "llm" else ""
    origin = f"{t['guideline']} `{_esc(finding.guideline, 100)}` {source}" if finding.guideline else source
    lines = [
        f"*{_esc(category_name(finding.category, lang).capitalize(), 100)}*", where, _esc(finding.message, 800),
        f"*{t['better']}:* {_esc(finding.suggestion, 800)}", origin.strip(),
    ]
    value = json.dumps({"review": review_id, "finding": index, "rule": finding.rule}, separators=(",", ":"))
    return [
        _section("\n".join(line for line in lines if line)),
        {
            "type": "actions", "block_id": f"feedback-{index}",
            "elements": [_button(t["helpful"], "feedback_helpful", value), _button(t["wrong"], "feedback_wrong", value)],
        },
    ]


def _findings_blocks(review: Review, review_id: str, lang: str, room: int) -> list[dict[str, Any]]:
    """The listed findings (tidy.py) under a heading per severity, within `room` blocks.

    When not all fit, the least severe are left out and a last line says how many.
    """
    t = _TEXT[lang]
    ordered = listed(review)
    groups = len({item.finding.severity for item in ordered})
    if 2 * len(ordered) + groups > room:
        room -= 1  # for the "and N more" line
    blocks: list[dict[str, Any]] = []
    severity = None
    shown = 0
    for item in ordered:
        heading = item.finding.severity != severity
        if len(blocks) + 2 + heading > room:
            break
        if heading:
            severity = item.finding.severity
            blocks.append(_section(f"*{t[severity]}*"))
        blocks += _finding_blocks(item, review_id, lang)
        shown += 1
    if shown < len(ordered):
        blocks.append(_context(t["more"].format(n=len(ordered) - shown)))
    return blocks


def _promises_block(review: Review, lang: str) -> dict[str, Any]:
    t = _TEXT[lang]
    text = f"*{t['promises']}*"
    for promise in review.promises:
        line = f"\n• “{_esc(promise.text, 300)}” → {t['due']} {due_text(promise.due, lang)}"
        line += "" if promise.explicit else f" ({t['no_time']})"
        if len(text) + len(line) > MAX_TEXT - 2:
            text += "\n…"
            break
        text += line
    return _section(text)


def _rewrite_block(rewrite: str, lang: str) -> dict[str, Any]:
    """A bold title over a code block, which Slack lets the agent copy in one go."""
    t = _TEXT[lang]
    clipped = _clip(rewrite, MAX_TEXT)
    title = [{"type": "text", "text": t["rewrite"], "style": {"bold": True}}]
    if clipped != rewrite:
        title.append({"type": "text", "text": f" ({t['clipped']})", "style": {"italic": True}})
    return {
        "type": "rich_text",
        "elements": [
            {"type": "rich_text_section", "elements": title},
            {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": clipped}]},
        ],
    }


def _footer(review: Review, lang: str, llm_pending: bool) -> dict[str, Any]:
    return _context(llm_status(review.llm, lang, llm_pending, _esc))


def review_blocks(review: Review, *, language: str, review_id: str, llm_pending: bool = False) -> list[dict]:
    """The review as a Slack message; `review_id` goes into the feedback buttons' values."""
    lang = language_of(language)
    t = _TEXT[lang]
    facts = [
        _esc(review.channel, 50), _esc(review.language, 10), t["complaint" if review.complaint else "question"],
        f"{t['length']} {review.length}" + (f"/{review.limit}" if review.limit else ""),
    ]
    if review.truncated_at is not None:
        facts.append(t["truncated"].format(n=review.truncated_at))
    head = [_header(t[review.verdict]), _context(" · ".join(facts))]
    if review.summary:
        head.append(_section(f"*{t['summary']}:* {_esc(' '.join(review.summary.split()), 1000)}"))
    tail = []
    if review.promises:
        tail.append(_promises_block(review, lang))
    if review.rewrite:
        tail.append(_rewrite_block(review.rewrite, lang))
    tail.append(_footer(review, lang, llm_pending))
    findings = _findings_blocks(review, review_id, lang, MAX_BLOCKS - len(head) - len(tail))
    return head + findings + tail


def review_text(review: Review, *, language: str) -> str:
    """The notification text: the verdict and the categories found, most severe first."""
    lang = language_of(language)
    categories = dict.fromkeys(category_name(item.finding.category, lang) for item in listed(review))
    verdict = _TEXT[lang][review.verdict]
    return _clip(f"{verdict}: {', '.join(categories)}", 300) if categories else verdict


def _guideline_blocks(guideline: Guideline, lang: str) -> list[dict[str, Any]]:
    t = _TEXT[lang]
    body = guideline.principle if lang == "nl" else guideline.summary
    text = "\n".join([
        f"*{_esc(guideline.title, 150)}*", _esc(body, 1200),
        f"*{t['do']}:*", _quote(_esc(guideline.do, 700)),
        f"*{t['dont']}:*", _quote(_esc(guideline.dont, 700)),
    ])
    return [_section(text), _context(f"`{_esc(guideline.id, 100)}` · {_esc(guideline.source, 300)}")]


def guideline_blocks(guidelines: list[Guideline], query: str, *, language: str) -> list[dict]:
    """Search results (the best few in full), or with an empty query the list of all guidelines."""
    lang = language_of(language)
    t = _TEXT[lang]
    query = " ".join(query.split())
    if not query:
        per_section = max(_LIST_LINES, math.ceil(len(guidelines) / (MAX_BLOCKS - 2)))
        lines = [f"`{_esc(g.id, 80)}` — {_esc(g.title, 120)}" for g in guidelines]
        return [
            _section(f"*{t['all'].format(n=len(guidelines))}*"),
            *(_section("\n".join(lines[i : i + per_section])) for i in range(0, len(lines), per_section)),
            _context(t["search_hint"]),
        ]
    if not guidelines:
        return [_section(t["nothing"].format(q=_esc(query, 200))), _context(t["list_hint"])]
    blocks: list[dict[str, Any]] = [_context(t["searched"].format(q=_esc(query, 200)))]
    for number, guideline in enumerate(guidelines[:GUIDELINES_SHOWN]):
        if number:
            blocks.append({"type": "divider"})
        blocks += _guideline_blocks(guideline, lang)
    return blocks


def howto_blocks(*, language: str) -> list[dict]:
    t = _TEXT[language_of(language)]
    return [
        _header(t["howto_title"]),
        _section(t["howto_review"]),
        _section(t["howto_customer"]),
        _section(t["howto_channel"]),
        _section(t["howto_react"]),
        _section(f"*{t['howto_search']}*\n{t['search_hint']}"),
        _context(t["howto_feedback"]),
    ]


def no_text_blocks(*, language: str) -> list[dict]:
    """The answer to a file or image without text: the coach reviews text only."""
    return [_section(_TEXT[language_of(language)]["no_text"])]
