"""After a plain `pip install .`, the project's app.yaml, guidelines and prompts are the defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    if done.returncode != 0:
        pytest.fail(f"building the wheel failed: {done.stderr[-2000:]}")
    return next(out.glob("*.whl"))


def test_wheel_ships_the_defaults(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "bot/defaults/app.yaml" in names
    assert {"bot/messages/nl.yaml", "bot/messages/en.yaml"} <= set(names)
    assert "bot/defaults/guidelines/complaint.yaml" in names
    assert sum(n.startswith("bot/defaults/guidelines/corpus/") for n in names) >= 15
    assert sum(n.startswith("bot/defaults/guidelines/rules/") for n in names) >= 16


def test_installed_package_reviews_with_its_defaults(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "WEBCARE_CONFIG"} | {"PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "review", "Beste klant, we gaan ernaar kijken.", "--json"],
        capture_output=True, text=True, cwd=empty, env=env, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert {"impersonal", "empty_promise"} <= {f["category"] for f in json.loads(done.stdout)["findings"]}
