"""The insights as PNG charts, rendered without a browser (matplotlib's Agg backend).

Okabe-Ito colours (safe for the common kinds of colour blindness), values written on the bars
(colour is never the only carrier), and large type: the digest chart is 1200 px wide and must
stay readable at Slack's preview size (about 360 px). Every chart comes with its alt text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display, no GUI toolkit

from matplotlib.axes import Axes  # noqa: E402 - after choosing the backend
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402 - matplotlib's own dependency

from bot.insights.figures import Insights  # noqa: E402
from bot.messages import category_name, language_of, number, t, week_label  # noqa: E402

# Okabe & Ito (2008): blue, orange, bluish green, sky blue, vermillion, and a neutral grey
BLUE, ORANGE, GREEN, SKY, VERMILLION, GREY = "#0072B2", "#E69F00", "#009E73", "#56B4E9", "#D55E00", "#999999"
_MAX_CATEGORIES = 7


@dataclass(frozen=True)
class Chart:
    png: bytes
    alt: str
    width: int
    height: int


def _figure(width: float, height: float, title: str) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    figure.set_facecolor("white")
    figure.suptitle(title, x=0.01, ha="left", fontsize=14, fontweight="bold")
    return figure


def _count_axes(axes: Axes) -> None:
    """Whole numbers on the y axis, no top or right frame: the look of the two bar charts."""
    axes.yaxis.get_major_locator().set_params(integer=True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=10)


def _png(figure: Figure, dpi: int, colours: int) -> tuple[bytes, int, int]:
    """The figure as a PNG with a small palette: flat colours quantise without loss you can see,
    and the file stays small enough for a Teams card (about 28 KB in all)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    image = Image.open(buffer).convert("RGB").quantize(colors=colours, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue(), image.width, image.height


def findings_chart(insights: Insights, language: str, *, dpi: int = 200, colours: int = 64) -> Chart:
    """The digest's chart: this week's findings per category next to the average of the weeks
    before. 6 x 3.6 inches: 1200 x 720 px at the default dpi, 600 x 360 px at dpi 100 (Teams)."""
    lang = language_of(language)
    week = insights.week
    label = week_label(week.start, week.end, lang)
    categories = [c for c in insights.categories() if week.findings.get(c) or insights.average_before(c)]
    categories = categories[:_MAX_CATEGORIES]
    figure = _figure(6, 3.6, t(lang, "chart.findings_title", week=label))
    axes = figure.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    before_weeks = len(insights.before)
    if not categories:
        axes.text(0.5, 0.5, t(lang, "chart.nothing"), ha="center", va="center", fontsize=14, transform=axes.transAxes)
        axes.set_axis_off()
        png, width, height = _png(figure, dpi, colours)
        return Chart(png, t(lang, "chart.none_alt", week=label), width, height)
    positions = list(range(len(categories)))[::-1]  # the most frequent at the top
    now = [week.findings.get(c, 0) for c in categories]
    bar = 0.4 if before_weeks else 0.6
    bars = axes.barh([p + (bar / 2 if before_weeks else 0) for p in positions], now, height=bar, color=BLUE,
                     label=t(lang, "chart.this_week"))
    axes.bar_label(bars, labels=[number(v, lang) for v in now], padding=3, fontsize=13)
    before = [insights.average_before(c) or 0.0 for c in categories]
    if before_weeks:
        bars = axes.barh([p - bar / 2 for p in positions], before, height=bar, color=ORANGE, hatch="//",
                         edgecolor="white", label=t(lang, "chart.before", n=before_weeks))
        axes.bar_label(bars, labels=[number(round(v, 1), lang) for v in before], padding=3, fontsize=12,
                       color="#444444")
        figure.legend(loc="outside lower center", ncols=2, fontsize=12, frameon=False)
    axes.set_yticks(positions, [category_name(c, lang) for c in categories], fontsize=13)
    axes.tick_params(axis="x", labelsize=11)
    axes.set_xlim(0, max(now + before) * 1.18 + 0.5)
    axes.xaxis.get_major_locator().set_params(integer=True)
    png, width, height = _png(figure, dpi, colours)
    items = "; ".join(
        t(lang, "chart.item_vs", name=category_name(c, lang), now=n, before=number(round(b, 1), lang)) if before_weeks
        else t(lang, "chart.item", name=category_name(c, lang), now=n)
        for c, n, b in zip(categories, now, before)
    )
    alt = (t(lang, "chart.findings_alt_vs", week=label, n=before_weeks, items=items) if before_weeks
           else t(lang, "chart.findings_alt", week=label, items=items))
    return Chart(png, alt, width, height)


def reviews_chart(insights: Insights, language: str, *, dpi: int = 150) -> Chart:
    """Reviews per week, with the part ready to post."""
    lang = language_of(language)
    labels = [week_label(w.start, w.end, lang) for w in insights.weeks]
    figure = _figure(7, 3.4, t(lang, "chart.reviews_title"))
    axes = figure.add_subplot()
    reviews = [w.reviews for w in insights.weeks]
    ready = [w.ready for w in insights.weeks]
    bars = axes.bar(labels, reviews, color=SKY, label=t(lang, "chart.reviews"))
    axes.bar_label(bars, padding=2, fontsize=10)
    axes.bar(labels, ready, color=BLUE, width=0.4, label=t(lang, "chart.ready"))
    axes.legend(fontsize=10, frameon=False, loc="upper left")
    axes.set_ylim(0, max(reviews + [1]) * 1.25)
    _count_axes(axes)
    png, width, height = _png(figure, dpi, 64)
    items = "; ".join(t(lang, "chart.reviews_item", week=l, reviews=w.reviews, ready=w.ready)
                      for l, w in zip(labels, insights.weeks))
    return Chart(png, t(lang, "chart.reviews_alt", items=items), width, height)


def promises_chart(insights: Insights, language: str, *, dpi: int = 150) -> Chart:
    """Promises made per week, stacked by what became of them."""
    lang = language_of(language)
    labels = [week_label(w.start, w.end, lang) for w in insights.weeks]
    figure = _figure(7, 3.4, t(lang, "chart.promises_title"))
    axes = figure.add_subplot()
    bottom = [0] * len(labels)
    parts = (("on_time", GREEN, ""), ("late", ORANGE, "//"), ("open", SKY, ".."), ("cancelled", GREY, "xx"))
    for key, colour, hatch in parts:
        values = [getattr(w.promises, key) + (w.promises.untimed if key == "on_time" else 0) for w in insights.weeks]
        axes.bar(labels, values, bottom=bottom, color=colour, hatch=hatch, edgecolor="white", label=t(lang, f"chart.{key}"))
        bottom = [b + v for b, v in zip(bottom, values)]
    for x, total in enumerate(bottom):
        axes.annotate(str(total), (x, total), ha="center", va="bottom", fontsize=10, xytext=(0, 2),
                      textcoords="offset points")
    axes.legend(fontsize=9, frameon=False, ncols=4, loc="upper left")
    axes.set_ylim(0, max(bottom + [1]) * 1.35)
    _count_axes(axes)
    png, width, height = _png(figure, dpi, 64)
    items = "; ".join(
        t(lang, "chart.promises_item", week=l, made=w.promises.made, on_time=w.promises.on_time + w.promises.untimed,
          late=w.promises.late, open=w.promises.open, cancelled=w.promises.cancelled)
        for l, w in zip(labels, insights.weeks)
    )
    return Chart(png, t(lang, "chart.promises_alt", items=items), width, height)
