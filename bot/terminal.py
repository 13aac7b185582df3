"""Readable, coloured terminal output for `webcare-coach` (colour only on a terminal)."""

from __future__ import annotations

import os
import sys
import textwrap
from datetime import datetime
from typing import Any

from bot.corpus import Guideline
from bot.messages import category_name, language_of, moment, t
from bot.review.model import Review
from bot.review.tidy import listed

_COLOURS = {"error": "31", "warning": "33", "suggestion": "36", "ok": "32", "revise": "31", "dim": "2", "bold": "1"}


def _use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _paint(text: str, style: str) -> str:
    return f"\033[{_COLOURS[style]}m{text}\033[0m" if _use_colour() else text


def render_review(review: Review, text: str, language: str) -> str:
    lang = language_of(language)
    length = (t(lang, "review.length_of", length=review.length, limit=review.limit) if review.limit
              else t(lang, "review.length", length=review.length))
    lines = [
        _paint(t(lang, f"terminal.{review.verdict}"), review.verdict),
        _paint(f"{review.channel} · {review.language} · "
               f"{t(lang, f'review.{review.kind}')} · {length}", "dim"),
    ]
    if review.truncated_at is not None:
        lines.append(_paint(t(lang, "terminal.truncated", n=review.truncated_at), "warning"))
    if review.summary:
        lines.append(f"{t(lang, 'review.summary')}: {review.summary}")
    lines.append("")
    lines.append(_paint(t(lang, "terminal.findings"), "bold") if review.findings else t(lang, "terminal.none"))
    for item in listed(review):
        f = item.finding
        where = (f"“{item.excerpt}”" if item.excerpt else f"({t(lang, 'review.whole')})") + (
            f" ({item.count}×)" if item.count > 1 else "")
        source = f" {t(lang, 'review.by_model')}" if f.source == "llm" else ""
        lines.append(f"  {_paint(t(lang, f'severity.{f.severity}'), f.severity)} {category_name(f.category, lang)}"
                     f"{source} {where}")
        lines.append(f"    {t(lang, 'terminal.why')}: {f.message}")
        lines.append(f"    {t(lang, 'terminal.better')}: {f.suggestion}")
        if f.guideline:
            lines.append(_paint(f"    {t(lang, 'terminal.guideline')}: {f.guideline} · {f.rule}", "dim"))
    if review.promises:
        lines.append("")
        lines.append(_paint(t(lang, "review.promises"), "bold"))
        for p in review.promises:
            when = t(lang, "review.due", due=moment(p.due, lang))
            lines.append(f"  “{p.text}” → {when}" + ("" if p.explicit else f" ({t(lang, 'terminal.no_time')})"))
    if review.rewrite:
        lines += ["", _paint(t(lang, "review.rewrite"), "bold"), textwrap.indent(review.rewrite, "  ")]
    lines.append("")
    llm = review.llm
    if llm.used:
        used = "terminal.llm_cached" if llm.cached else "terminal.llm_used"
        lines.append(_paint(t(lang, used, model=llm.model, ms=llm.latency_ms), "dim"))
        if llm.note:  # with a model answer, the only note is why its rewrite was left out
            lines.append(_paint(t(lang, "review.rewrite_left_out"), "dim"))
    else:
        lines.append(_paint(t(lang, "terminal.llm_failed" if llm.error else "terminal.rules_only"), "dim"))
    return "\n".join(lines)


def render_explanation(explain: dict[str, Any], language: str) -> str:
    """`review --explain`: the complaint judgement, each clause with who/negation/time/mood and
    whether it is a promise, and the rule matches that were not reported."""
    lang = language_of(language)

    def w(key: str) -> str:
        return t(lang, f"explain.{key}")

    context = explain["context"]
    signals = ", ".join(f"{s['signal']} “{s['excerpt']}” ({w('source.' + s['source'])})" for s in context["signals"])
    kind = w(f"kind.{context['kind']}")
    lines = [_paint(w("context"), "bold"), f"  {kind}: {context['why_text']}" + (f" — {signals}" if signals else ""), ""]
    lines.append(_paint(w("clauses"), "bold"))
    for number, c in enumerate(explain["clauses"], start=1):
        who = w(f"actor.{c['actor']}") + (f" ({w('continues')})" if c["continues"] else "")
        time = w(f"tense.{c['tense']}") + (f": {', '.join(c['times'])}" if c["times"] else "")
        negated = w("yes") if c["negated"] else w("no")
        facts = (f"{w('who')}: {who} · {w('negated')}: {negated} · {w('time')}: {time} · "
                 f"{w('mood')}: {w('moods.' + c['mood'])}")
        verdict = w("promise") if c["promise"] else w("no_promise")
        lines.append(f"  {number}. “{c['text']}”")
        lines.append(_paint(f"     {facts}", "dim"))
        lines.append(f"     → {_paint(verdict, 'ok' if c['promise'] else 'dim')}: {c['why_text']}")
    if explain["not_reported"]:
        lines += ["", _paint(w("silenced"), "bold")]
        for item in explain["not_reported"]:
            where = f" “{item['excerpt']}”" if item["excerpt"] else ""
            lines.append(f"  {category_name(item['category'], lang)}{where}: {item['why_text']}")
    return "\n".join(lines)


def render_batch_result(result: dict[str, Any], item: Any, language: str) -> str:
    lang = language_of(language)
    head = _paint(f"── {result['id']}", "bold")
    if "error" in result:
        return f"{head}\n{_paint(t(lang, 'terminal.error_line'), 'error')}: {result['error']}\n"
    findings = ", ".join(category_name(f["category"], lang) for f in result["findings"]) or t(lang, "terminal.none")
    promises = "; ".join(f"{p['text']} → {moment(datetime.fromisoformat(p['due']), lang)}" for p in result["promises"])
    return "\n".join(
        [head, _paint(t(lang, f"terminal.{result['verdict']}"), result["verdict"]) + f": {findings}"]
        + ([f"{t(lang, 'review.promises')}: {promises}"] if promises else [])
        + [""]
    )


def render_guidelines(found: list[Guideline], query: str, full: bool, language: str) -> str:
    lang = language_of(language)
    if not found:
        return t(lang, "guidelines.nothing", q=query)
    if not full:
        width = max(len(g.id) for g in found)
        return "\n".join(f"{g.id:<{width}}  {g.title}" for g in found)
    blocks = []
    for g in found:
        wrap = lambda s: textwrap.fill(s, 96, initial_indent="  ", subsequent_indent="  ")  # noqa: E731
        blocks.append(
            "\n".join([
                _paint(f"{g.title}  [{g.id}]", "bold"),
                wrap(g.principle if lang == "nl" else g.summary),
                _paint(f"  {t(lang, 'guidelines.do')}:", "ok"), wrap(g.do),
                _paint(f"  {t(lang, 'guidelines.dont')}:", "error"), wrap(g.dont),
            ])
        )
    return "\n\n".join(blocks)


def render_rules(rows: list[dict[str, Any]], stats: bool, language: str) -> str:
    """The rules with their category and severity, or with `stats` how agents rated each rule's
    findings: 👍, 👎 and the share of 👍."""
    lang = language_of(language)
    if not rows:
        return t(lang, "terminal.no_feedback")
    if not stats:
        return "\n".join(f"{r['rule']:<48} {category_name(r['category'], lang):<34} {t(lang, 'severity.' + r['severity'])}"
                         for r in rows)
    lines = [f"{t(lang, 'terminal.rule'):<48} {'👍':>5} {'👎':>5} {t(lang, 'terminal.precision'):>14}"]
    lines += [f"{r['rule']:<48} {r['helpful']:>5} {r['wrong']:>5} {round(100 * r['precision']):>13}%" for r in rows]
    return "\n".join(lines)


def render_promises(rows: list[dict[str, Any]], language: str) -> str:
    lang = language_of(language)
    if not rows:
        return t(lang, "terminal.no_promises")
    lines = []
    for row in rows:
        late = row["overdue"]
        state = _paint(t(lang, "terminal.overdue" if late else f"terminal.{row['status']}"), "error" if late else "dim")
        reminded = t(lang, "terminal.reminders", n=row["reminders"])
        lines.append(f"{row['id']}  {moment(datetime.fromisoformat(row['due']), lang)}  {state:<8}  {row['text']}  "
                     + _paint(f"({row['platform']} {row['channel']}, {reminded})", "dim"))
    return "\n".join(lines)
