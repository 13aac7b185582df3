"""The insights as PNG charts, rendered without a browser (matplotlib's Agg backend).

Okabe-Ito colours (safe for the common kinds of colour blindness), values written on the bars
(colour is never the only carrier), and large type: the digest chart is 1200 px wide and must
stay readable at Slack's preview size (about 360 px). Every chart comes with its alt text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display, no GUI toolkit

from matplotlib.figure import Figure  # noqa: E402 - after choosing the backend
from PIL import Image  # noqa: E402 - matplotlib's own dependency

from bot.insights.figures import Insights  # noqa: E402
from bot.labels import category_name, language_of  # noqa: E402

# Okabe & Ito (2008): blue, orange, bluish green, sky blue, vermillion, and a neutral grey
BLUE, ORANGE, GREEN, SKY, VERMILLION, GREY = "#0072B2", "#E69F00", "#009E73", "#56B4E9", "#D55E00", "#999999"
MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
_TEXT = {
    "nl": {
        "findings_title": "Bevindingen per categorie, week {week}",
        "this_week": "deze week", "before": "gemiddeld {n} weken ervoor",
        "nothing": "Geen bevindingen deze week",
        "findings_alt": "Staafdiagram: bevindingen per categorie in de week {week}{vs}. {items}.",
        "vs": ", naast het gemiddelde van de {n} weken ervoor",
        "item": "{name}: {now}", "item_vs": "{name}: {now} (eerder gemiddeld {before})",
        "none_alt": "Staafdiagram zonder staven: geen bevindingen in de week {week}.",
        "reviews_title": "Reviews per week", "reviews": "reviews", "ready": "klaar om te posten",
        "reviews_alt": "Staafdiagram: reviews per week, en hoeveel daarvan klaar om te posten. {items}.",
        "reviews_item": "{week}: {reviews} reviews, {ready} klaar",
        "promises_title": "Beloftes per week en wat ervan werd",
        "on_time": "op tijd", "late": "te laat", "open": "nog open", "cancelled": "geschrapt",
        "promises_alt": "Gestapeld staafdiagram: beloftes per week, op tijd nagekomen, te laat, nog open en geschrapt. {items}.",
        "promises_item": "{week}: {made} beloofd, {on_time} op tijd, {late} te laat, {open} open, {cancelled} geschrapt",
    },
    "en": {
        "findings_title": "Findings per category, week {week}",
        "this_week": "this week", "before": "average of {n} weeks before",
        "nothing": "No findings this week",
        "findings_alt": "Bar chart: findings per category in the week {week}{vs}. {items}.",
        "vs": ", next to the average of the {n} weeks before",
        "item": "{name}: {now}", "item_vs": "{name}: {now} (before, on average {before})",
        "none_alt": "Bar chart without bars: no findings in the week {week}.",
        "reviews_title": "Reviews per week", "reviews": "reviews", "ready": "ready to post",
        "reviews_alt": "Bar chart: reviews per week, and how many were ready to post. {items}.",
        "reviews_item": "{week}: {reviews} reviews, {ready} ready",
        "promises_title": "Promises per week and what became of them",
        "on_time": "on time", "late": "late", "open": "still open", "cancelled": "cancelled",
        "promises_alt": "Stacked bar chart: promises per week, kept on time, late, still open and cancelled. {items}.",
        "promises_item": "{week}: {made} made, {on_time} on time, {late} late, {open} open, {cancelled} cancelled",
    },
}
_MAX_CATEGORIES = 7


@dataclass(frozen=True)
class Chart:
    png: bytes
    alt: str
    width: int
    height: int


def week_label(start: datetime, end: datetime, language: str) -> str:
    """"23–29 nov": the week's first and last day."""
    months = MONTHS[language_of(language)]
    last = end - timedelta(microseconds=1)
    if start.month == last.month:
        return f"{start.day}–{last.day} {months[last.month - 1]}"
    return f"{start.day} {months[start.month - 1]} – {last.day} {months[last.month - 1]}"


def _number(value: float, language: str) -> str:
    text = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
    return text.replace(".", ",") if language_of(language) == "nl" else text


def _figure(width: float, height: float, title: str) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    figure.set_facecolor("white")
    figure.suptitle(title, x=0.01, ha="left", fontsize=14, fontweight="bold")
    return figure


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
    t, lang = _TEXT[language_of(language)], language_of(language)
    week = insights.week
    label = week_label(week.start, week.end, lang)
    categories = [c for c in insights.categories() if week.findings.get(c) or insights.average_before(c)]
    categories = categories[:_MAX_CATEGORIES]
    figure = _figure(6, 3.6, t["findings_title"].format(week=label))
    axes = figure.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    before_weeks = len(insights.before)
    if not categories:
        axes.text(0.5, 0.5, t["nothing"], ha="center", va="center", fontsize=14, transform=axes.transAxes)
        axes.set_axis_off()
        png, width, height = _png(figure, dpi, colours)
        return Chart(png, t["none_alt"].format(week=label), width, height)
    positions = list(range(len(categories)))[::-1]  # the most frequent at the top
    now = [week.findings.get(c, 0) for c in categories]
    bar = 0.4 if before_weeks else 0.6
    bars = axes.barh([p + (bar / 2 if before_weeks else 0) for p in positions], now, height=bar, color=BLUE,
                     label=t["this_week"])
    axes.bar_label(bars, labels=[_number(v, lang) for v in now], padding=3, fontsize=13)
    before = [insights.average_before(c) or 0.0 for c in categories]
    if before_weeks:
        bars = axes.barh([p - bar / 2 for p in positions], before, height=bar, color=ORANGE, hatch="//",
                         edgecolor="white", label=t["before"].format(n=before_weeks))
        axes.bar_label(bars, labels=[_number(round(v, 1), lang) for v in before], padding=3, fontsize=12,
                       color="#444444")
        figure.legend(loc="outside lower center", ncols=2, fontsize=12, frameon=False)
    axes.set_yticks(positions, [category_name(c, lang) for c in categories], fontsize=13)
    axes.tick_params(axis="x", labelsize=11)
    axes.set_xlim(0, max(now + before) * 1.18 + 0.5)
    axes.xaxis.get_major_locator().set_params(integer=True)
    png, width, height = _png(figure, dpi, colours)
    items = "; ".join(
        (t["item_vs"] if before_weeks else t["item"]).format(name=category_name(c, lang), now=n, before=_number(round(b, 1), lang))
        for c, n, b in zip(categories, now, before)
    )
    vs = t["vs"].format(n=before_weeks) if before_weeks else ""
    return Chart(png, t["findings_alt"].format(week=label, vs=vs, items=items), width, height)


def reviews_chart(insights: Insights, language: str, *, dpi: int = 150) -> Chart:
    """Reviews per week, with the part ready to post."""
    t, lang = _TEXT[language_of(language)], language_of(language)
    labels = [week_label(w.start, w.end, lang) for w in insights.weeks]
    figure = _figure(7, 3.4, t["reviews_title"])
    axes = figure.add_subplot()
    reviews = [w.reviews for w in insights.weeks]
    ready = [w.ready for w in insights.weeks]
    bars = axes.bar(labels, reviews, color=SKY, label=t["reviews"])
    axes.bar_label(bars, padding=2, fontsize=10)
    axes.bar(labels, ready, color=BLUE, width=0.4, label=t["ready"])
    axes.legend(fontsize=10, frameon=False, loc="upper left")
    axes.set_ylim(0, max(reviews + [1]) * 1.25)
    axes.yaxis.get_major_locator().set_params(integer=True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=10)
    png, width, height = _png(figure, dpi, 64)
    items = "; ".join(t["reviews_item"].format(week=l, reviews=w.reviews, ready=w.ready)
                      for l, w in zip(labels, insights.weeks))
    return Chart(png, t["reviews_alt"].format(items=items), width, height)


def promises_chart(insights: Insights, language: str, *, dpi: int = 150) -> Chart:
    """Promises made per week, stacked by what became of them."""
    t, lang = _TEXT[language_of(language)], language_of(language)
    labels = [week_label(w.start, w.end, lang) for w in insights.weeks]
    figure = _figure(7, 3.4, t["promises_title"])
    axes = figure.add_subplot()
    bottom = [0] * len(labels)
    parts = (("on_time", GREEN, ""), ("late", ORANGE, "//"), ("open", SKY, ".."), ("cancelled", GREY, "xx"))
    for key, colour, hatch in parts:
        values = [getattr(w.promises, key) + (w.promises.untimed if key == "on_time" else 0) for w in insights.weeks]
        axes.bar(labels, values, bottom=bottom, color=colour, hatch=hatch, edgecolor="white", label=t[key])
        bottom = [b + v for b, v in zip(bottom, values)]
    for x, total in enumerate(bottom):
        axes.annotate(str(total), (x, total), ha="center", va="bottom", fontsize=10, xytext=(0, 2),
                      textcoords="offset points")
    axes.legend(fontsize=9, frameon=False, ncols=4, loc="upper left")
    axes.set_ylim(0, max(bottom + [1]) * 1.35)
    axes.yaxis.get_major_locator().set_params(integer=True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=10)
    png, width, height = _png(figure, dpi, 64)
    items = "; ".join(
        t["promises_item"].format(week=l, made=w.promises.made, on_time=w.promises.on_time + w.promises.untimed,
                                  late=w.promises.late, open=w.promises.open, cancelled=w.promises.cancelled)
        for l, w in zip(labels, insights.weeks)
    )
    return Chart(png, t["promises_alt"].format(items=items), width, height)
