"""Readable, coloured terminal output for `webcare-coach` (colour only on a terminal)."""

from __future__ import annotations

import os
import sys
import textwrap
from typing import Any

from bot.corpus import Guideline
from bot.labels import category_name, due_text
from bot.review.model import Review
from bot.review.tidy import listed

_LABELS = {
    "nl": {
        "ok": "OK: klaar om te posten", "revise": "AANPASSEN voor je post",
        "error": "fout", "warning": "waarschuwing", "suggestion": "suggestie",
        "complaint": "klacht", "question": "vraag", "findings": "Bevindingen", "none": "Geen bevindingen.",
        "promises": "Beloftes", "due": "uiterlijk", "no_time": "geen tijd genoemd, standaardtermijn",
        "why": "waarom", "better": "beter", "guideline": "richtlijn", "length": "lengte",
        "truncated": "Let op: alleen de eerste {n} tekens zijn beoordeeld.",
        "rules_only": "Alleen regels (geen taalmodel gebruikt).",
        "llm_failed": "Alleen regels: het taalmodel gaf geen bruikbaar antwoord ({error}).",
        "llm_used": "Taalmodel {model}, {ms} ms{cached}.", "cached": ", uit de cache",
        "rewrite": "Voorstel", "summary": "Kern", "by_model": "taalmodel",
        "whole": "hele concept", "principle": "Principe", "do": "Wel", "dont": "Niet",
        "nothing": "Niets gevonden voor '{q}'. Probeer bijvoorbeeld: beloftes, excuses, grapjes, DM, empathie.",
        "error_line": "kon niet beoordelen",
    },
    "en": {
        "ok": "OK: ready to post", "revise": "REVISE before you post",
        "error": "error", "warning": "warning", "suggestion": "suggestion",
        "complaint": "complaint", "question": "question", "findings": "Findings", "none": "No findings.",
        "promises": "Promises", "due": "due", "no_time": "no time given, default window",
        "why": "why", "better": "better", "guideline": "guideline", "length": "length",
        "truncated": "Note: only the first {n} characters were reviewed.",
        "rules_only": "Rules only (no language model used).",
        "llm_failed": "Rules only: the language model gave no usable answer ({error}).",
        "llm_used": "Language model {model}, {ms} ms{cached}.", "cached": ", from the cache",
        "rewrite": "Suggested reply", "summary": "In short", "by_model": "language model",
        "whole": "whole draft", "principle": "Principle", "do": "Do", "dont": "Don't",
        "nothing": "Nothing found for '{q}'. Try for example: promises, apology, jokes, DM, empathy.",
        "error_line": "could not review",
    },
}
_COLOURS = {"error": "31", "warning": "33", "suggestion": "36", "ok": "32", "revise": "31", "dim": "2", "bold": "1"}


def _use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _paint(text: str, style: str) -> str:
    return f"\033[{_COLOURS[style]}m{text}\033[0m" if _use_colour() else text


def render_review(review: Review, text: str, language: str) -> str:
    t = _LABELS[language]
    lines = [
        _paint(t[review.verdict], review.verdict),
        _paint(
            f"{review.channel} · {review.language} · {t['complaint' if review.complaint else 'question']}"
            f" · {t['length']} {review.length}" + (f"/{review.limit}" if review.limit else ""),
            "dim",
        ),
    ]
    if review.truncated_at is not None:
        lines.append(_paint(t["truncated"].format(n=review.truncated_at), "warning"))
    if review.summary:
        lines.append(f"{t['summary']}: {review.summary}")
    lines.append("")
    lines.append(_paint(t["findings"], "bold") if review.findings else t["none"])
    for item in listed(review):
        f = item.finding
        where = (f"“{item.excerpt}”" if item.excerpt else f"({t['whole']})") + (f" ({item.count}×)" if item.count > 1 else "")
        source = f" ({t['by_model']})" if f.source == "llm" else ""
        lines.append(f"  {_paint(t[f.severity], f.severity)} {category_name(f.category, language)}{source} {where}")
        lines.append(f"    {t['why']}: {f.message}")
        lines.append(f"    {t['better']}: {f.suggestion}")
        if f.guideline:
            lines.append(_paint(f"    {t['guideline']}: {f.guideline} · {f.rule}", "dim"))
    if review.promises:
        lines.append("")
        lines.append(_paint(t["promises"], "bold"))
        for p in review.promises:
            when = f"{t['due']} {due_text(p.due, language)}"
            lines.append(f"  “{p.text}” → {when}" + ("" if p.explicit else f" ({t['no_time']})"))
    if review.rewrite:
        lines += ["", _paint(t["rewrite"], "bold"), textwrap.indent(review.rewrite, "  ")]
    lines.append("")
    llm = review.llm
    if llm.used:
        cached = t["cached"] if llm.cached else ""
        lines.append(_paint(t["llm_used"].format(model=llm.model, ms=llm.latency_ms, cached=cached), "dim"))
        if llm.note:
            lines.append(_paint(llm.note, "dim"))
    else:
        lines.append(_paint(t["llm_failed"].format(error=llm.error) if llm.error else t["rules_only"], "dim"))
    return "\n".join(lines)


def render_explanation(explain: dict[str, Any], language: str) -> str:
    """`review --explain`: the complaint judgement, each clause with who/negation/time/mood and
    whether it is a promise, and the rule matches that were not reported."""
    from bot.review.explain import WORDS

    w = WORDS[language]
    context = explain["context"]
    signals = ", ".join(f"{s['signal']} “{s['excerpt']}” ({s['source']})" for s in context["signals"])
    kind = w["kinds"].get(context["kind"], context["kind"])
    lines = [_paint(w["context"], "bold"), f"  {kind}: {context['reason']}" + (f" — {signals}" if signals else ""), ""]
    lines.append(_paint(w["clauses"], "bold"))
    for number, c in enumerate(explain["clauses"], start=1):
        who = w[c["actor"]] + (f" ({w['continues']})" if c["continues"] else "")
        time = w[c["tense"]] + (f": {', '.join(c['times'])}" if c["times"] else "")
        negated = w["yes"] if c["negated"] else w["no"]
        facts = f"{w['who']}: {who} · {w['negated']}: {negated} · {w['time']}: {time} · {w['mood']}: {w[c['mood']]}"
        verdict = w["promise"] if c["promise"] else w["no_promise"]
        lines.append(f"  {number}. “{c['text']}”")
        lines.append(_paint(f"     {facts}", "dim"))
        lines.append(f"     → {_paint(verdict, 'ok' if c['promise'] else 'dim')}: {c['why_text']}")
    if explain["not_reported"]:
        lines += ["", _paint(w["silenced"], "bold")]
        for item in explain["not_reported"]:
            where = f" “{item['excerpt']}”" if item["excerpt"] else ""
            lines.append(f"  {item['category']}{where}: {item['why_text']}")
    return "\n".join(lines)


def render_batch_result(result: dict[str, Any], item: Any, language: str) -> str:
    t = _LABELS[language]
    head = _paint(f"── {result['id']}", "bold")
    if "error" in result:
        return f"{head}\n{_paint(t['error_line'], 'error')}: {result['error']}\n"
    findings = ", ".join(f["category"] for f in result["findings"]) or t["none"]
    promises = "; ".join(f"{p['text']} → {p['due']}" for p in result["promises"])
    return "\n".join(
        [head, _paint(t[result["verdict"]], result["verdict"]) + f": {findings}"]
        + ([f"{t['promises']}: {promises}"] if promises else [])
        + [""]
    )


def render_guidelines(found: list[Guideline], query: str, full: bool, language: str) -> str:
    t = _LABELS[language]
    if not found:
        return t["nothing"].format(q=query)
    if not full:
        width = max(len(g.id) for g in found)
        return "\n".join(f"{g.id:<{width}}  {g.title}" for g in found)
    blocks = []
    for g in found:
        wrap = lambda s: textwrap.fill(s, 96, initial_indent="  ", subsequent_indent="  ")  # noqa: E731
        blocks.append(
            "\n".join([
                _paint(f"{g.title}  [{g.id}]", "bold"),
                wrap(g.principle if language == "nl" else g.summary),
                _paint(f"  {t['do']}:", "ok"), wrap(g.do),
                _paint(f"  {t['dont']}:", "error"), wrap(g.dont),
            ])
        )
    return "\n\n".join(blocks)


def render_rules(rows: list[dict[str, Any]], stats: bool, language: str) -> str:
    if not rows:
        return "Nog geen feedback op bevindingen." if language == "nl" else "No feedback on findings yet."
    if not stats:
        return "\n".join(f"{r['rule']:<48} {r['category']:<22} {r['severity']}" for r in rows)
    head = "rule" if language == "en" else "regel"
    lines = [f"{head:<48} {'👍':>5} {'👎':>5} {'precision':>9}"]
    lines += [f"{r['rule']:<48} {r['helpful']:>5} {r['wrong']:>5} {r['precision']:>9.2f}" for r in rows]
    return "\n".join(lines)


def render_promises(rows: list[dict[str, Any]], language: str) -> str:
    nl = language == "nl"
    if not rows:
        return "Geen beloftes." if nl else "No promises."
    status = {"open": "open", "done": "gedaan" if nl else "done", "cancelled": "geschrapt" if nl else "cancelled"}
    lines = []
    for row in rows:
        late = row["overdue"]
        state = _paint(("TE LAAT" if nl else "OVERDUE") if late else status[row["status"]], "error" if late else "dim")
        lines.append(f"{row['id']}  {row['due'][:16].replace('T', ' ')}  {state:<8}  {row['text']}  "
                     + _paint(f"({row['platform']} {row['channel']}, {row['reminders']}x)", "dim"))
    return "\n".join(lines)
