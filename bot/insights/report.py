"""The team report: one self-contained HTML page (charts as data URIs, styles inline, no script,
nothing fetched), for a team lead, from the store or from a batch of past replies (a baseline
before the coach goes live). Team level only, like everything in bot/insights.
"""

from __future__ import annotations

import base64
import html
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.coach import Coach
from bot.config import ConfigError, Config
from bot.insights.charts import Chart, findings_chart, promises_chart, reviews_chart
from bot.insights.digest import percent, summary_lines
from bot.insights.figures import Guidelines, Insights, PromiseFacts, ReviewFacts, build
from bot.messages import category_name, day, day_time, language_of, t, week_label
from bot.review.engine import ReviewError
from bot.review.model import Draft

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;background:#f6f6f4;color:#1d1d1b}
main{max-width:960px;margin:0 auto;padding:24px 32px 48px;background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:2px solid #0072B2;padding-bottom:4px}
h3{font-size:16px;margin:18px 0 4px}p.meta{color:#555;margin:0 0 4px}p.note{background:#eef5fb;padding:8px 12px;border-left:4px solid #0072B2}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{padding:6px 8px;border-bottom:1px solid #ddd;text-align:right}
th:first-child,td:first-child,td.text{text-align:left}th{background:#f0f0ee}
figure{margin:16px 0}figure img{display:block;max-width:100%;height:auto}figcaption{font-size:13px;color:#555;margin-top:4px}
code{background:#f0f0ee;padding:1px 4px;border-radius:3px}.trend-more{color:#D55E00}.trend-fewer{color:#009E73}
"""


@dataclass(frozen=True)
class Baseline:
    """A batch of past replies, reviewed rules-only."""

    replies: int
    skipped: list[str]  # one reason per line that could not be reviewed


def _image(chart: Chart, display_width: int) -> str:
    data = base64.b64encode(chart.png).decode("ascii")
    height = round(chart.height * display_width / chart.width)
    alt = html.escape(chart.alt)
    return (f'<figure><img src="data:image/png;base64,{data}" width="{display_width}" height="{height}" alt="{alt}">'
            f"<figcaption>{alt}</figcaption></figure>")


def render(insights: Insights, config: Config, *, made: datetime, baseline: Baseline | None = None,
           guidelines: Guidelines | None = None) -> str:
    lang = language_of(config.language)
    e = html.escape
    guidelines = guidelines or Guidelines(config)
    first, last = insights.weeks[0].start, insights.week.end - timedelta(microseconds=1)
    labels = [week_label(w.start, w.end, lang) for w in insights.weeks]
    title = t(lang, "report.baseline_title" if baseline else "report.title")
    period = t(lang, "report.period", first=day(first, lang), last=day(last, lang), weeks=len(insights.weeks),
               made=day_time(made, lang))
    out = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(title)}</title><style>{_STYLE}</style></head><body><main>",
           f"<h1>{e(title)}</h1>",
           f"<p class=\"meta\">{e(period)}</p>",
           f"<p class=\"note\">{e(t(lang, 'report.team_only'))}"]
    if baseline:
        out.append(" " + e(t(lang, "report.baseline", n=baseline.replies)))
        if baseline.skipped:
            out.append(" " + e(t(lang, "report.skipped", n=len(baseline.skipped), why="; ".join(baseline.skipped[:5]))))
    out.append("</p>")

    out.append(f"<h2>{e(t(lang, 'report.week', week=labels[-1]))}</h2>")
    for heading, lines in summary_lines(insights, lang):
        if heading:
            out.append(f"<h3>{e(heading)}</h3>")
        out.extend(f"<p>{_link_guidelines(e(line), insights)}</p>" for line in lines)

    out.append(f"<h2>{e(t(lang, 'report.charts'))}</h2>")
    out.append(_image(findings_chart(insights, lang), 720))
    out.append(_image(reviews_chart(insights, lang), 720))
    if insights.outcomes_known:
        out.append(_image(promises_chart(insights, lang), 720))

    out.append(f"<h2>{e(t(lang, 'report.per_category'))}</h2>")
    out.append(_category_table(insights, labels, lang))
    out.append(f"<p class=\"meta\">{e(t(lang, 'report.few', min=insights.min_reviews))}</p>")

    if insights.outcomes_known:
        out.append(f"<h2>{e(t(lang, 'report.promises'))}</h2>")
        out.append(_promise_table(insights, labels, lang))
        out.append(f"<h2>{e(t(lang, 'report.rulebook'))}</h2>")
        if insights.not_right:
            rows = "".join(
                f"<tr><td><code>{e(r.rule)}</code> ({e(category_name(r.category, lang))})</td><td>{r.not_right}</td>"
                f"<td>{r.helpful}</td></tr>" for r in insights.not_right
            )
            out.append(f"<table><tr><th>{e(t(lang, 'report.rule'))}</th><th>{e(t(lang, 'report.not_right'))}</th>"
                       f"<th>{e(t(lang, 'report.helpful'))}</th></tr>{rows}</table>")
        else:
            out.append(f"<p>{e(t(lang, 'report.no_ratings'))}</p>")

    linked = dict.fromkeys(g for g, _ in insights.guideline_of.values() if g in guidelines.corpus)
    if linked:
        out.append(f"<h2>{e(t(lang, 'report.guidelines'))}</h2>")
        for guideline_id in linked:
            g = guidelines.corpus[guideline_id]
            out.append(f'<section id="g-{e(g.id)}"><h3>{e(g.title)} <code>{e(g.id)}</code></h3>'
                       f"<p><strong>{e(t(lang, 'guidelines.principle'))}:</strong> {e(g.principle)}</p>"
                       f"<p><strong>{e(t(lang, 'guidelines.summary'))}:</strong> {e(g.summary)}</p></section>")
    out.append("</main></body></html>")
    return "\n".join(out)


def _link_guidelines(line: str, insights: Insights) -> str:
    """"(begrip-excuses-oplossing)" in a digest line becomes a link to the guideline below."""
    for guideline_id, _ in insights.guideline_of.values():
        line = line.replace(f"({guideline_id})", f'(<a href="#g-{guideline_id}">{guideline_id}</a>)')
    return line


def _category_table(insights: Insights, labels: list[str], lang: str) -> str:
    e = html.escape
    categories = insights.categories()
    if not categories:
        return f"<p>{e(t(lang, 'report.no_findings'))}</p>"
    head = "".join(f"<th>{e(label)}</th>" for label in labels)
    rows = [f"<tr><th>{e(t(lang, 'report.category'))}</th>{head}<th>{e(t(lang, 'report.trend'))}</th>"
            f"<th>{e(t(lang, 'report.guideline'))}</th></tr>"]

    def cell(count: int, part: int, whole: int, enough: bool) -> str:
        return t(lang, "report.cell", n=count, p=percent(part, whole)) if enough else str(count)

    rows.append(f"<tr><td>{e(t(lang, 'report.reviews_row'))}</td>" + "".join(f"<td>{w.reviews}</td>" for w in insights.weeks)
                + "<td></td><td></td></tr>")
    rows.append(f"<tr><td>{e(t(lang, 'report.ready_row'))}</td>"
                + "".join(f"<td>{cell(w.ready, w.ready, w.reviews, w.enough)}</td>" for w in insights.weeks)
                + "<td></td><td></td></tr>")
    for category in categories:
        trend = insights.trend(category)
        guideline_id, title = insights.guideline_of.get(category, ("", ""))
        cells = "".join(
            f"<td>{cell(w.findings.get(category, 0), w.reviews_with.get(category, 0), w.reviews, w.enough)}</td>"
            for w in insights.weeks
        )
        link = f'<a href="#g-{e(guideline_id)}">{e(title)}</a> <code>{e(guideline_id)}</code>' if guideline_id else ""
        rows.append(f"<tr><td>{e(category_name(category, lang))}</td>{cells}"
                    f"<td class=\"trend-{trend or 'none'}\">{e(t(lang, f'report.{trend}')) if trend else '–'}</td>"
                    f"<td class=\"text\">{link}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def _promise_table(insights: Insights, labels: list[str], lang: str) -> str:
    e = html.escape
    head = "".join(f"<th>{e(label)}</th>" for label in labels)
    rows = [f"<tr><th></th>{head}</tr>"]
    for key in ("made", "on_time", "late", "open", "overdue", "cancelled"):
        cells = []
        for w in insights.weeks:
            value = getattr(w.promises, key) + (w.promises.untimed if key == "on_time" else 0)
            share = key in ("on_time", "late") and w.enough and w.promises.made
            cells.append(f"<td>{t(lang, 'report.cell', n=value, p=percent(value, w.promises.made)) if share else value}</td>")
        rows.append(f"<tr><td>{e(t(lang, f'report.{key}'))}</td>{''.join(cells)}</tr>")
    return "<table>" + "".join(rows) + "</table>"


# -- a batch of past replies ------------------------------------------------------------------


def _posted_at(value: Any, zone: Any) -> datetime | None:
    """`at` of a batch line; without an offset, in the team's time zone (as a review reads it)."""
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise ReviewError(f"bad 'at' {value!r}: use ISO 8601, e.g. 2026-11-25T14:00:00+01:00") from None
    return at.replace(tzinfo=zone) if at.tzinfo is None else at


def baseline_insights(coach: Coach, items: Iterable[tuple[Any, dict[str, Any] | str]], *,
                      now: float | None = None) -> tuple[Insights, Baseline]:
    """Review past replies (the `review --file` lines) rules-only; each counts in the week of its
    `at` (the moment it was posted), a reply without `at` in the last week."""
    now = time.time() if now is None else now
    zone = coach.config.calendar.timezone
    reviews: list[ReviewFacts] = []
    promises: list[PromiseFacts] = []
    skipped: list[str] = []
    for item_id, item in items:
        if isinstance(item, str):
            skipped.append(f"{item_id}: {item}")
            continue
        try:
            at = _posted_at(item.get("at"), zone)
            draft = item.get("draft")
            if not isinstance(draft, str):
                raise ReviewError("missing 'draft' text")
            review = coach.review_rules(Draft(draft, item.get("customer"), item.get("channel"), at))
        except (ReviewError, ConfigError) as exc:
            skipped.append(f"{item_id}: {exc}")
            continue
        created = at.timestamp() if at else now
        reviews.append(ReviewFacts(created, review.verdict == "ok", tuple((f.rule, f.category) for f in review.findings)))
        promises.extend(PromiseFacts(created, p.due.timestamp(), "unknown", None) for p in review.promises)
    first = min((r.created for r in reviews), default=now)
    last = max((r.created for r in reviews), default=now)
    end = datetime.combine(datetime.fromtimestamp(last, zone).date() + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    weeks = min(max(math.ceil((end.timestamp() - first) / (7 * 86400)), 1), 52)
    insights = build(reviews, promises, [], end=end, weeks=weeks, now=now, min_reviews=coach.config.insights.min_reviews,
                     guidelines=Guidelines(coach.config), outcomes_known=False)
    return insights, Baseline(len(reviews), skipped)
