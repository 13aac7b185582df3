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

from bot.corpus import Guideline
from bot.messages import category_name, language_of, llm_status, moment, t
from bot.review.model import Review
from bot.review.tidy import Listed, listed

MAX_BLOCKS = 50
MAX_TEXT = 3000
GUIDELINES_SHOWN = 3
_LIST_LINES = 10  # guideline ids per section in the full list

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


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
    finding, index = item.finding, item.index
    where = _quote(_esc(item.excerpt, 600)) if item.excerpt else f"_({t(lang, 'review.whole')})_"
    where += f" ({item.count}×)" if item.count > 1 else ""
    source = t(lang, "review.by_model") if finding.source == "llm" else ""
    guideline = t(lang, "review.guideline", id=f"`{_esc(finding.guideline, 100)}`")
    origin = f"{guideline} {source}" if finding.guideline else source
    lines = [
        f"*{_esc(category_name(finding.category, lang).capitalize(), 100)}*", where, _esc(finding.message, 800),
        f"*{t(lang, 'review.better')}:* {_esc(finding.suggestion, 800)}", origin.strip(),
    ]
    value = json.dumps({"review": review_id, "finding": index, "rule": finding.rule}, separators=(",", ":"))
    return [
        _section("\n".join(line for line in lines if line)),
        {
            "type": "actions", "block_id": f"feedback-{index}",
            "elements": [_button(t(lang, "review.helpful"), "feedback_helpful", value),
                         _button(t(lang, "review.wrong"), "feedback_wrong", value)],
        },
    ]


def _findings_blocks(review: Review, review_id: str, lang: str, room: int) -> list[dict[str, Any]]:
    """The listed findings (tidy.py) under a heading per severity, within `room` blocks.

    When not all fit, the least severe are left out and a last line says how many.
    """
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
            blocks.append(_section(f"*{t(lang, f'review.{severity}')}*"))
        blocks += _finding_blocks(item, review_id, lang)
        shown += 1
    if shown < len(ordered):
        blocks.append(_context(t(lang, "review.more", n=len(ordered) - shown)))
    return blocks


def _promises_block(review: Review, lang: str) -> dict[str, Any]:
    text = f"*{t(lang, 'review.promises')}*"
    for promise in review.promises:
        line = f"\n• “{_esc(promise.text, 300)}” → {t(lang, 'review.due', due=moment(promise.due, lang))}"
        line += "" if promise.explicit else f" ({t(lang, 'review.no_time')})"
        if len(text) + len(line) > MAX_TEXT - 2:
            text += "\n…"
            break
        text += line
    return _section(text)


def _rewrite_block(rewrite: str, lang: str) -> dict[str, Any]:
    """A bold title over a code block, which Slack lets the agent copy in one go."""
    clipped = _clip(rewrite, MAX_TEXT)
    title = [{"type": "text", "text": t(lang, "review.rewrite"), "style": {"bold": True}}]
    if clipped != rewrite:
        title.append({"type": "text", "text": f" ({t(lang, 'review.clipped')})", "style": {"italic": True}})
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
    facts = [
        _esc(review.channel, 50), _esc(review.language, 10),
        t(lang, f"review.{review.kind}"),
        t(lang, "review.length_of", length=review.length, limit=review.limit) if review.limit
        else t(lang, "review.length", length=review.length),
    ]
    if review.truncated_at is not None:
        facts.append(t(lang, "review.truncated", n=review.truncated_at))
    head = [_header(t(lang, f"review.{review.verdict}")), _context(" · ".join(facts))]
    if review.summary:
        head.append(_section(f"*{t(lang, 'review.summary')}:* {_esc(' '.join(review.summary.split()), 1000)}"))
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
    verdict = t(lang, f"review.{review.verdict}")
    return _clip(f"{verdict}: {', '.join(categories)}", 300) if categories else verdict


def _guideline_blocks(guideline: Guideline, lang: str) -> list[dict[str, Any]]:
    body = guideline.principle if lang == "nl" else guideline.summary
    text = "\n".join([
        f"*{_esc(guideline.title, 150)}*", _esc(body, 1200),
        f"*{_esc(t(lang, 'guidelines.do'))}:*", _quote(_esc(guideline.do, 700)),
        f"*{_esc(t(lang, 'guidelines.dont'))}:*", _quote(_esc(guideline.dont, 700)),
    ])
    return [_section(text), _context(f"`{_esc(guideline.id, 100)}` · {_esc(guideline.source, 300)}")]


def guideline_blocks(guidelines: list[Guideline], query: str, *, language: str) -> list[dict]:
    """Search results (the best few in full), or with an empty query the list of all guidelines."""
    lang = language_of(language)
    query = " ".join(query.split())
    if not query:
        per_section = max(_LIST_LINES, math.ceil(len(guidelines) / (MAX_BLOCKS - 2)))
        lines = [f"`{_esc(g.id, 80)}` — {_esc(g.title, 120)}" for g in guidelines]
        return [
            _section(f"*{t(lang, 'guidelines.all', n=len(guidelines))}*"),
            *(_section("\n".join(lines[i : i + per_section])) for i in range(0, len(lines), per_section)),
            _context(_esc(t(lang, "slack.search_hint"))),
        ]
    if not guidelines:
        return [_section(_esc(t(lang, "guidelines.nothing", q=_clip(query, 200)))),
                _context(_esc(t(lang, "slack.list_hint")))]
    blocks: list[dict[str, Any]] = [_context(_esc(t(lang, "guidelines.searched", q=_clip(query, 200))))]
    for number, guideline in enumerate(guidelines[:GUIDELINES_SHOWN]):
        if number:
            blocks.append({"type": "divider"})
        blocks += _guideline_blocks(guideline, lang)
    return blocks


def howto_blocks(*, language: str) -> list[dict]:
    lang = language_of(language)
    sections = (("howto.review_title", "slack.review"), ("howto.customer_title", "howto.customer"),
                ("howto.channel_title", "howto.channel"), ("slack.react_title", "slack.react"),
                ("howto.search_title", "slack.search_hint"))
    return [
        _header(t(lang, "howto.title")),
        *(_section(_esc(f"*{t(lang, title)}*\n{t(lang, text)}")) for title, text in sections),
        _context(_esc(t(lang, "howto.feedback"))),
    ]


def no_text_blocks(*, language: str) -> list[dict]:
    """The answer to a file or image without text: the coach reviews text only."""
    return [_section(_esc(t(language, "slack.no_text")))]
