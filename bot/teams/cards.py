"""Adaptive Cards (schema 1.5) for Teams: a review with feedback and promise buttons, guidelines,
a how-to and reminders. The content, wording and order are those of the Slack messages.

Markdown: Teams reads the text of a TextBlock (and of a Fact) as Markdown — bold, italic, lists,
links — and backslash escapes are not honoured alike on every client (Android and iOS show the
backslash). So a TextBlock only ever holds this module's own labels, which contain no Markdown;
every text from a draft, a model, the guideline corpus, the store or the agent goes into a
TextRun of a RichTextBlock, whose text Adaptive Cards never read as Markdown. A draft's
"*sorry* [klik](http://x)" shows, and copies, exactly as typed.

Size: Teams refuses a message over 28 KB. Every outside text is cut to a number of bytes as JSON
escapes it (a non-ASCII character counts as its \\u escape, the most it can take on the wire), at
most 20 findings and 10 promises are shown, and findings go in, most severe first, only while the
card stays within 25,000 bytes; the ones left out are counted in "en nog N bevindingen".
"""

from __future__ import annotations

import json
from itertools import zip_longest
from typing import Any

from botbuilder.core import CardFactory
from botbuilder.schema import Attachment

from bot.corpus import Guideline
from bot.messages import category_name, language_of, llm_status, moment, t
from bot.review.model import Review
from bot.review.tidy import Listed, listed

MAX_CARD_BYTES = 25_000  # Teams' 28 KB counts the whole message: leave room for the envelope
MAX_FINDINGS = 20
MAX_PROMISES = 10
GUIDELINES_SHOWN = 3

# Bytes per outside text, as JSON escapes it
_SHORT = 200  # ids, titles, names, channel, query
_EXCERPT = 600
_REASON = 1000  # a finding's message and suggestion, the summary
_PROMISE = 400
_BODY = 2000  # a guideline's principle or summary
_EXAMPLE = 1200
_REWRITE = 4000

_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
_SEVERITY_COLOR = {"error": "Attention", "warning": "Warning", "suggestion": "Default"}

# The catalogue's labels (verdicts, headings) become TextBlocks and must stay free of Markdown.
# In its other texts, parts between backticks are shown in monospace.


def _json_size(value: Any) -> int:
    """Bytes of `value` as json.dumps writes it (ASCII with \\u escapes)."""
    return len(json.dumps(value))


def _clip(text: str, size: int) -> str:
    """`text`, cut with "…" when JSON would take more than `size` bytes for it."""
    if _json_size(text) - 2 <= size:
        return text
    room = size - 6  # "…" is written as \u2026
    kept: list[str] = []
    for ch in text:
        room -= _json_size(ch) - 2
        if room < 0:
            break
        kept.append(ch)
    return "".join(kept).rstrip() + "…"


def _label(text: str, **style: Any) -> dict[str, Any]:
    """A TextBlock for this module's own, Markdown-free labels."""
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _run(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextRun", "text": text, **style}


def _rich(*inlines: dict[str, Any] | str, **props: Any) -> dict[str, Any]:
    """A RichTextBlock: its texts are shown as they are, never read as Markdown."""
    return {"type": "RichTextBlock", "inlines": [_run(i) if isinstance(i, str) else i for i in inlines], **props}


def _segments(template: str, **values: str) -> list[dict[str, Any]]:
    """One of our texts as runs, parts between backticks in monospace; values are filled in as they are."""
    return [
        _run(piece.format(**values), **({"fontType": "Monospace"} if number % 2 else {}))
        for number, piece in enumerate(template.split("`"))
        if piece
    ]


def _quote(text: str) -> dict[str, Any]:
    """A quoted text (an excerpt, an example) set off in an emphasis box."""
    return {"type": "Container", "style": "emphasis", "items": [_rich(_run(text, italic=True))]}


def _execute(title: str, verb: str, data: dict[str, Any], **style: Any) -> dict[str, Any]:
    return {"type": "Action.Execute", "title": title, "verb": verb, "data": data, **style}


def _card(body: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "AdaptiveCard", "$schema": _SCHEMA, "version": "1.5", "msteams": {"width": "Full"}, "body": body}



def _promise_buttons(promise_id: str, lang: str) -> dict[str, Any]:
    return {
        "type": "ActionSet",
        "actions": [
            _execute(f"✅ {t(lang, 'chat.callback_done')}", "callback_done", {"promise": promise_id}, style="positive"),
            _execute(t(lang, "chat.promise_cancel"), "promise_cancel", {"promise": promise_id}),
        ],
    }


def _finding(item: Listed, review_id: str, lang: str) -> dict[str, Any]:
    finding, index = item.finding, item.index
    count = f" ({item.count}×)" if item.count > 1 else ""
    items = [
        _rich(_run(_clip(category_name(finding.category, lang).capitalize(), _SHORT), weight="Bolder")),
        _quote(_clip(item.excerpt, _EXCERPT) + count) if item.excerpt
        else _rich(_run(t(lang, "review.whole"), italic=True, isSubtle=True)),
    ]
    if finding.message:
        items.append(_rich(_clip(finding.message, _REASON)))
    if finding.suggestion:
        items.append(_rich(_run(f"{t(lang, 'review.better')}: ", weight="Bolder"), _clip(finding.suggestion, _REASON)))
    origin = [t(lang, "review.guideline", id=_clip(finding.guideline, _SHORT))] if finding.guideline else []
    if finding.source == "llm":
        origin.append(t(lang, "review.by_model"))
    if origin:
        items.append(_rich(_run(" ".join(origin), isSubtle=True, size="Small")))
    data = {"review": review_id, "finding": index, "rule": finding.rule}
    items.append({
        "type": "ActionSet",
        "actions": [
            _execute(t(lang, "review.helpful"), "feedback", {**data, "verdict": "helpful"}),
            _execute(t(lang, "review.wrong"), "feedback", {**data, "verdict": "wrong"}),
        ],
    })
    return {"type": "Container", "separator": True, "items": items}


def _findings(review: Review, review_id: str, lang: str, room: int) -> list[dict[str, Any]]:
    """The listed findings (tidy.py) under a heading per severity, as many as fit in `room` bytes
    (at most 20). The ones left out, the least severe, are counted in a last line.
    """
    ordered = listed(review)
    more = _label(t(lang, "review.more", n=len(ordered)), isSubtle=True)
    room -= _json_size(more) + 2
    blocks: list[dict[str, Any]] = []
    severity = None
    shown = 0
    for item in ordered[:MAX_FINDINGS]:
        finding = item.finding
        new = [_finding(item, review_id, lang)]
        if finding.severity != severity:
            color = _SEVERITY_COLOR[finding.severity]
            new.insert(0, _label(t(lang, f"review.{finding.severity}"), weight="Bolder", color=color, separator=True))
        cost = sum(_json_size(block) + 2 for block in new)  # ", " between elements
        if cost > room:
            break
        blocks += new
        room -= cost
        severity = finding.severity
        shown += 1
    if shown < len(ordered):
        blocks.append(_label(t(lang, "review.more", n=len(ordered) - shown), isSubtle=True))
    return blocks


def _promises(review: Review, promise_ids: list[str], lang: str) -> list[dict[str, Any]]:
    """Each promise with its due moment, followed by the buttons of its stored id."""
    pairs = list(zip_longest(review.promises, promise_ids))
    if not pairs:
        return []
    blocks = [_label(t(lang, "review.promises"), weight="Bolder", separator=True)]
    for promise, promise_id in pairs[:MAX_PROMISES]:
        if promise is not None:
            line = f"“{_clip(promise.text, _PROMISE)}” → {t(lang, 'review.due', due=moment(promise.due, lang))}"
            blocks.append(_rich(line if promise.explicit else f"{line} ({t(lang, 'review.no_time')})"))
        if promise_id is not None:
            blocks.append(_promise_buttons(promise_id, lang))
    if len(pairs) > MAX_PROMISES:
        blocks.append(_label("…", isSubtle=True))
    return blocks


def _rewrite(rewrite: str, lang: str) -> list[dict[str, Any]]:
    """A title over the rewrite in monospace, in a box of its own, so it is easy to select and copy."""
    clipped = _clip(rewrite, _REWRITE)
    title = t(lang, "review.rewrite")
    title = title if clipped == rewrite else f"{title} ({t(lang, 'review.clipped')})"
    return [
        _label(title, weight="Bolder", separator=True),
        {"type": "Container", "style": "emphasis", "items": [_rich(_run(clipped, fontType="Monospace"))]},
    ]


def _footer(review: Review, lang: str, llm_pending: bool) -> dict[str, Any]:
    return _rich(_run(llm_status(review.llm, lang, llm_pending, _clip), isSubtle=True, size="Small"), separator=True)


def review_card(review: Review, *, language: str, review_id: str, promise_ids: list[str],
                llm_pending: bool = False) -> dict:
    """The review as an Adaptive Card. `review_id` goes into the feedback buttons' data;
    `promise_ids[i]` is the stored id of `review.promises[i]` and gets the promise buttons."""
    lang = language_of(language)
    facts = [
        _clip(review.channel, _SHORT), _clip(review.language, _SHORT),
        t(lang, f"review.{review.kind}"),
        t(lang, "review.length_of", length=review.length, limit=review.limit) if review.limit
        else t(lang, "review.length", length=review.length),
    ]
    if review.truncated_at is not None:
        facts.append(t(lang, "review.truncated", n=review.truncated_at))
    head = [
        _label(t(lang, f"review.{review.verdict}"), size="Medium", weight="Bolder",
               color="Good" if review.verdict == "ok" else "Attention"),
        _rich(_run(" · ".join(facts), isSubtle=True, size="Small"), spacing="None"),
    ]
    if review.summary:
        head.append(_rich(_run(f"{t(lang, 'review.summary')}: ", weight="Bolder"),
                          _clip(" ".join(review.summary.split()), _REASON)))
    tail = _promises(review, promise_ids, lang)
    if review.rewrite:
        tail += _rewrite(review.rewrite, lang)
    tail.append(_footer(review, lang, llm_pending))
    room = MAX_CARD_BYTES - _json_size(_card(head + tail))
    return _card(head + _findings(review, review_id, lang, room) + tail)


def review_attachment(review: Review, *, language: str, review_id: str, promise_ids: list[str],
                      llm_pending: bool = False) -> Attachment:
    return CardFactory.adaptive_card(
        review_card(review, language=language, review_id=review_id, promise_ids=promise_ids, llm_pending=llm_pending)
    )


def text_summary(review: Review, *, language: str) -> str:
    """The verdict and the categories found, most severe first: for notifications and clients without cards."""
    lang = language_of(language)
    categories = dict.fromkeys(category_name(item.finding.category, lang) for item in listed(review))
    verdict = t(lang, f"review.{review.verdict}")
    if not categories:
        return verdict
    text = f"{verdict}: {', '.join(categories)}"
    return text if len(text) <= 300 else text[:299].rstrip() + "…"


def _guideline(guideline: Guideline, lang: str) -> dict[str, Any]:
    return {
        "type": "Container",
        "separator": True,
        "items": [
            _rich(_run(_clip(guideline.title, _SHORT), weight="Bolder", size="Medium")),
            _rich(_clip(guideline.principle if lang == "nl" else guideline.summary, _BODY)),
            _label(f"{t(lang, 'guidelines.do')}:", weight="Bolder"),
            _quote(_clip(guideline.do, _EXAMPLE)),
            _label(f"{t(lang, 'guidelines.dont')}:", weight="Bolder"),
            _quote(_clip(guideline.dont, _EXAMPLE)),
            _rich(_run(_clip(guideline.id, _SHORT), fontType="Monospace", isSubtle=True, size="Small"),
                  _run(f" · {_clip(guideline.source, _SHORT)}", isSubtle=True, size="Small")),
        ],
    }


def guideline_card(guidelines: list[Guideline], query: str, *, language: str) -> dict:
    """Search results (the best three in full), or with an empty query the list of all guidelines."""
    lang = language_of(language)
    query = " ".join(query.split())
    if not query:
        return _card([
            _label(t(lang, "guidelines.all", n=len(guidelines)), weight="Bolder", size="Medium"),
            *(_rich(_run(_clip(g.id, _SHORT), fontType="Monospace"), f" — {_clip(g.title, _SHORT)}")
              for g in guidelines),
            _rich(*_segments(t(lang, "teams.search_hint")), separator=True),
        ])
    if not guidelines:
        return _card([
            # the query is filled in after the split at backticks, so its own backticks stay text
            _rich(*_segments(t(lang, "guidelines.nothing", q="{q}"), q=_clip(query, _SHORT))),
            _rich(*_segments(t(lang, "teams.list_hint"))),
        ])
    return _card([
        _rich(_run(t(lang, "guidelines.searched", q=_clip(query, _SHORT)), isSubtle=True)),
        *(_guideline(g, lang) for g in guidelines[:GUIDELINES_SHOWN]),
    ])


def guideline_preview(guideline: Guideline, *, language: str) -> dict:
    """A compact card for a search-extension result: title, principle (nl) or summary (en), id."""
    lang = language_of(language)
    return _card([
        _rich(_run(_clip(guideline.title, _SHORT), weight="Bolder")),
        _rich(_clip(guideline.principle if lang == "nl" else guideline.summary, _BODY)),
        _rich(_run(_clip(guideline.id, _SHORT), fontType="Monospace", isSubtle=True, size="Small")),
    ])


def howto_card(*, language: str) -> dict:
    lang = language_of(language)
    sections = (("howto.review_title", "teams.review"), ("howto.customer_title", "howto.customer"),
                ("howto.channel_title", "howto.channel"), ("howto.search_title", "teams.search"))
    body = [_label(t(lang, "howto.title"), size="Large", weight="Bolder")]
    for heading, text in sections:
        body += [_label(t(lang, heading), weight="Bolder", spacing="Medium"),
                 _rich(*_segments(t(lang, text)), spacing="Small")]
    body.append(_rich(_run(t(lang, "howto.feedback"), isSubtle=True), separator=True))
    return _card(body)


def reminder_card(promise_id: str, promise_text: str, *, language: str, kind: str, attempt: int, due_label: str,
                  agent_name: str, escalate_to: str | None) -> dict:
    """A reminder of a promise, or with kind "escalation" the message that it is still not done
    after `attempt - 1` reminders; both with the promise buttons. The wording is the chat flow's."""
    lang = language_of(language)
    values = {
        "text": _clip(promise_text, _PROMISE), "agent": _clip(agent_name, _SHORT),
        "due": _clip(due_label, _SHORT), "count": attempt - 1,
    }
    if kind == "escalation":
        body = [_label(t(lang, "chat.escalation_title"), weight="Bolder", color="Attention")]
        if escalate_to:
            body.append(_rich(_run(t(lang, "chat.for", to=_clip(escalate_to, _SHORT)), weight="Bolder")))
        body.append(_rich(t(lang, "chat.escalation", **values)))
    else:
        body = [_label(t(lang, "chat.reminder_title"), weight="Bolder"), _rich(t(lang, "chat.reminder", **values))]
    body.append(_promise_buttons(promise_id, lang))
    return _card(body)
