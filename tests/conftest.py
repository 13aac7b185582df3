from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Config, load_config
from bot.review.engine import Reviewer
from bot.review.model import Draft, Review
from tests.postgres_cluster import PostgresCluster, server_binaries
from tests.slack_api import SlackAPIServer

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SLACK_SECRET = "test-signing-secret"


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(ROOT / "app.yaml")


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL server for the session (see tests/postgres_cluster.py)."""
    if server_binaries() is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl, postgres) on this machine: "
                    "apt-get install postgresql")
    with PostgresCluster() as cluster:
        yield cluster


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path: Path):
    """A new, empty database on each backend: a SQLite file, or a database on the throwaway
    PostgreSQL server (its URL, dropped after the test)."""
    if request.param == "sqlite":
        yield tmp_path / "db.sqlite"
        return
    cluster = request.getfixturevalue("postgres_cluster")
    url = cluster.create_database()
    yield url
    cluster.drop_database(url)


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


@pytest.fixture(scope="module")
def slack_api():
    """The local Slack Web API stand-in (tests/slack_api.py)."""
    with SlackAPIServer() as server:
        yield server


@pytest.fixture
def slack_env(slack_api, tmp_path, monkeypatch):
    """`serve` configured for Slack over HTTP against the stand-in, rules only, a fresh database."""
    slack_api.reset()
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "SLACK_APP_TOKEN", "WEBCARE_CONFIG",
                 "MicrosoftAppId"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SLACK_SECRET)
    monkeypatch.setenv("SLACK_API_URL", slack_api.url)
    monkeypatch.setenv("WEBCARE_DB", str(tmp_path / "webcare.db"))
    return tmp_path


def note_threads(monkeypatch, store, *methods: str) -> list[str]:
    """The names of the threads `store`'s `methods` are called in, as they are called."""
    threads: list[str] = []
    for name in methods:
        def noted(*args, _call=getattr(store, name), **kwargs):
            threads.append(threading.current_thread().name)
            return _call(*args, **kwargs)

        monkeypatch.setattr(store, name, noted)
    return threads
