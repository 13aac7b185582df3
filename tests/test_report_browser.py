"""The HTML report in a real browser: headless Chromium (Debian's `chromium`, installed here when
missing and possible) opens the file offline, and a screenshot shows every chart rendered at
its size (not blank, in the chart colours)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from PIL import Image

from bot.config import load_config
from bot.insights.figures import from_store
from bot.insights.report import render
from tests.conftest import ROOT
from tests.insights_seed import END, NOW, seed

_WINDOW = (1000, 3200)
# After loading, write each image's state and place into the page, for --dump-dom to print.
_PROBE = """<script>window.addEventListener("load", () => {
  const images = [...document.images].map(i => ({complete: i.complete, natural: [i.naturalWidth, i.naturalHeight],
    box: [i.getBoundingClientRect().left, i.getBoundingClientRect().top, i.width, i.height], alt: i.alt}));
  const out = document.createElement("pre"); out.id = "probe"; out.textContent = JSON.stringify(images);
  document.body.appendChild(out);
});</script>"""


def _chromium() -> str:
    """The chromium binary; installs Debian's package when missing (CI runs as root), else skips."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip("chromium is not installed and this user cannot install it (apt-get install chromium as root)")
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, capture_output=True, timeout=900,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"chromium could not be installed with apt-get: {type(exc).__name__}")
    return shutil.which("chromium") or pytest.skip("apt-get ran but no chromium binary was found")


def _run(chromium: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
         "--no-first-run", "--disable-extensions", "--disable-background-networking",
         f"--window-size={_WINDOW[0]},{_WINDOW[1]}", *args],
        capture_output=True, timeout=120, check=True,
    )


def test_report_charts_render_in_headless_chromium(tmp_path):
    chromium = _chromium()
    config = load_config(ROOT / "app.yaml")
    store = seed(tmp_path / "webcare.db")
    page = render(from_store(store, config, end=END, weeks=4, now=NOW), config, made=END)
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing to fetch: it opens offline
    report = tmp_path / "report.html"
    report.write_text(page.replace("</body>", _PROBE + "</body>"), encoding="utf-8")

    dom = _run(chromium, "--dump-dom", report.as_uri()).stdout.decode()
    images = json.loads(re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S).group(1).replace("&quot;", '"'))
    screenshot = tmp_path / "shot.png"
    _run(chromium, f"--screenshot={screenshot}", report.as_uri())
    shot = Image.open(screenshot).convert("RGB")

    assert len(images) == 3  # findings, reviews, promises
    for image in images:
        assert image["complete"] and image["natural"][0] >= 1000 and image["alt"]
        left, top, width, height = (round(v) for v in image["box"])
        assert width == 720 and abs(height - round(image["natural"][1] * 720 / image["natural"][0])) <= 1
        assert top + height <= _WINDOW[1]
        crop = shot.crop((left, top, left + width, top + height))
        assert crop.size == (720, height)
        colours = crop.getcolors(maxcolors=1 << 16) or []
        non_white = sum(n for n, rgb in colours if sum(rgb) < 720)
        assert non_white / (width * height) > 0.05, "the chart area is blank"
        assert any(_near(rgb, target) for _, rgb in colours for target in ((0, 114, 178), (0, 158, 115), (86, 180, 233)))


def _near(rgb: tuple[int, int, int], target: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip(rgb, target))
