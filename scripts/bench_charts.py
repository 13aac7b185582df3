"""Digest chart: render time and the install size the chart library adds.

    .venv/bin/python scripts/bench_charts.py               # this venv: matplotlib (the choice)
    .venv/bin/python scripts/bench_charts.py --candidates  # also both candidates in fresh venvs

Render time: a fresh process imports the charts module (matplotlib) and renders the digest
chart of four busy weeks (cold, what a weekly digest pays), then the median of 10 more (warm). Install
size: the files of the chart library and of every package it pulls in that the rest of the
project does not need, as installed. --candidates builds throwaway venvs with matplotlib, and
with Altair + vl-convert, and renders a comparable chart in each (needs PyPI).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import venv
from importlib import metadata
from pathlib import Path

_RENDER = """
import statistics, time
from datetime import datetime
from zoneinfo import ZoneInfo
from bot.config import load_config
from bot.insights.figures import Guidelines, ReviewFacts, build
config = load_config()
end = datetime(2026, 12, 4, 16, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
categories = ["missing_apology", "empty_promise", "bureaucratic", "no_deadline", "shouting", "impersonal", "too_long"]
reviews = [ReviewFacts(end.timestamp() - 3600 * h, h % 3 == 0,
                       tuple((f"r.{c}", c) for c in categories[: (h * 7) % 5])) for h in range(1, 24 * 28)]
insights = build(reviews, [], [], end=end, weeks=4, now=end.timestamp(), min_reviews=5, guidelines=Guidelines(config))
started = time.perf_counter()
from bot.insights.charts import findings_chart
imported = time.perf_counter()
chart = findings_chart(insights, "nl")
first = time.perf_counter()
times = []
for _ in range(10):
    t = time.perf_counter(); findings_chart(insights, "nl"); times.append(time.perf_counter() - t)
print(f"{imported - started:.3f} {first - imported:.3f} {statistics.median(times):.3f} {len(chart.png)} {chart.width}x{chart.height}")
"""

_CANDIDATES = {
    "matplotlib (Agg)": (["matplotlib"], """
import io, time
t0 = time.perf_counter()
import matplotlib; matplotlib.use("Agg")
from matplotlib.figure import Figure
def render():
    figure = Figure(figsize=(6, 3.6)); axes = figure.add_subplot()
    axes.barh(range(7), [9, 7, 5, 4, 3, 2, 1], color="#0072B2")
    axes.set_yticks(range(7), ["geen excuses", "loze belofte", "ambtelijk", "geen termijn", "schreeuwerig", "onpersoonlijk", "te lang"])
    buffer = io.BytesIO(); figure.savefig(buffer, format="png", dpi=200); return buffer.getvalue()
render(); t1 = time.perf_counter()
for _ in range(10): render()
print(f"{t1 - t0:.3f} {(time.perf_counter() - t1) / 10:.3f}")
"""),
    "Altair + vl-convert": (["altair", "vl-convert-python"], """
import time
t0 = time.perf_counter()
import altair as alt, vl_convert as vlc
def render():
    values = [{"c": c, "n": n} for c, n in zip(["geen excuses", "loze belofte", "ambtelijk", "geen termijn", "schreeuwerig", "onpersoonlijk", "te lang"], [9, 7, 5, 4, 3, 2, 1])]
    chart = alt.Chart(alt.Data(values=values)).mark_bar(color="#0072B2").encode(y="c:N", x="n:Q").properties(width=500, height=300)
    return vlc.vegalite_to_png(chart.to_dict(), scale=2)
render(); t1 = time.perf_counter()
for _ in range(10): render()
print(f"{t1 - t0:.3f} {(time.perf_counter() - t1) / 10:.3f}")
"""),
}


def _name(requirement: str) -> str:
    return re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _closure(roots: list[str], skip: set[str] = frozenset()) -> set[str]:
    """The installed distributions `roots` need, without optional extras."""
    seen: set[str] = set()
    todo = [_name(r) for r in roots]
    while todo:
        name = todo.pop()
        if name in seen or name in skip:
            continue
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        seen.add(name)
        todo.extend(_name(r) for r in requires if "extra ==" not in r)
    return seen


def _size(names: set[str]) -> int:
    total = 0
    for name in names:
        dist = metadata.distribution(name)
        for file in dist.files or []:
            path = Path(dist.locate_file(file))
            if path.is_file():
                total += path.stat().st_size
    return total


def added_by(library: str) -> tuple[int, list[str]]:
    """Bytes installed for `library` beyond what the project's other dependencies need."""
    project = [r for r in metadata.requires("webcare-coach") or [] if "extra ==" not in r]
    others = _closure([r for r in project if _name(r) != library])
    added = _closure([library], skip=others)
    return _size(added), sorted(added)


def _site_size(prefix: Path) -> int:
    return sum(f.stat().st_size for f in prefix.glob("lib/python*/site-packages/**/*") if f.is_file())


def candidates() -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base"
        venv.create(base, with_pip=True)
        empty = _site_size(base)
        for label, (packages, script) in _CANDIDATES.items():
            prefix = Path(folder) / re.sub(r"\W+", "-", label)
            venv.create(prefix, with_pip=True)
            subprocess.run([prefix / "bin/pip", "install", "-q", *packages], check=True, capture_output=True)
            cold, warm = subprocess.run([prefix / "bin/python", "-c", script], check=True, capture_output=True,
                                        text=True).stdout.split()
            added = (_site_size(prefix) - empty) / 1e6
            print(f"{label:22} adds {added:6.1f} MB   first chart (import + render) {float(cold):.2f} s   "
                  f"then {float(warm) * 1000:.0f} ms per chart")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", action="store_true", help="also measure both candidates in fresh venvs")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", _RENDER], cwd=root, check=True, capture_output=True, text=True).stdout
    imports, first, warm, size, pixels = out.split()
    print(f"digest chart ({pixels}, {int(size) / 1000:.0f} KB PNG): import {float(imports):.2f} s, first render "
          f"{float(first):.2f} s, then {float(warm) * 1000:.0f} ms per chart; in all {float(imports) + float(first):.2f} s "
          f"(target < 1 s)")
    size_added, packages = added_by("matplotlib")
    print(f"matplotlib adds {size_added / 1e6:.1f} MB to the install: {', '.join(packages)}")
    if args.candidates:
        candidates()


if __name__ == "__main__":
    main()
