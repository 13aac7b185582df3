from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Config, load_config
from bot.review.engine import Reviewer
from bot.review.model import Draft, Review

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(ROOT / "app.yaml")


@pytest.fixture(scope="session")
def reviewer(config: Config) -> Reviewer:
    return Reviewer.from_config(config)


@pytest.fixture
def review(reviewer: Reviewer):
    """review("draft", customer=..., channel=..., at=...) -> Review"""

    def run(text: str, customer: str | None = None, channel: str | None = None, at: datetime | None = None) -> Review:
        at = at or datetime(2026, 11, 25, 14, 0, tzinfo=AMSTERDAM)
        return reviewer.review(Draft(text, customer, channel, at))

    return run
