"""Retention: rows older than their setting go, newer ones stay, open promises never go, and
per-rule feedback counts survive as totals."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from bot import cli
from bot.config import load_config
from bot.retention import DAY, purge, purge_daily
from bot.store import OutboxRow, ReviewRow, SQLiteStore, open_store
from tests.conftest import note_threads

NOW = 1_800_000_000.0  # the injected clock


def age(store: SQLiteStore, table: str, column: str, days: float, where: str = "1", args: tuple = ()) -> None:
    store.db.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", [NOW - days * DAY, *args])


def promise(store: SQLiteStore, review_id: str, status: str, days_old: float) -> str:
    promise_id = store.add_promise(
        platform="slack", workspace="T1", channel="C1", thread="1.1", review_id=review_id, agent="U1", customer="",
        text="ik bel je morgen", kind="callback", due=NOW, due_iso="", explicit=True, next_at=NOW,
    )
    if status != "open":
        store.set_status(promise_id, status)
    age(store, "promises", "created", days_old, "id = ?", (promise_id,))
    store.db.execute(
        "INSERT INTO reminder_sends (promise_id, attempt, kind, state, owner, lease_until, sent_at, message) "
        "VALUES (?, 1, 'reminder', 'sent', 'o', 0, ?, 'ts')", [promise_id, NOW - days_old * DAY],
    )
    return promise_id


def review(store: SQLiteStore, review_id: str, days_old: float) -> None:
    store.save_review(ReviewRow(id=review_id, platform="slack", workspace="T1", channel="C1", thread=review_id,
                                message=review_id, agent="U1", verdict="needs_work",
                                findings=[("nl.rule.a", "empathy"), ("nl.rule.b", "tone")]))
    age(store, "reviews", "created", days_old, "id = ?", (review_id,))


def request(message: str, received: float) -> OutboxRow:
    """A review request (an outbox row) for one Slack message."""
    return OutboxRow(key=f"slack:T1:C1:{message}", platform="slack", workspace="T1", channel="C1", thread=message,
                     message=message, agent="U1", request=json.dumps({"text": "mijn pakket is kwijt"}), address="",
                     review_id=f"rv-{message}", received=received, give_up_at=received + DAY)


def posted_request(store: SQLiteStore, message: str, received: float) -> None:
    """A review request whose review was posted: finished, its request text wiped."""
    assert store.enqueue(request(message, received))
    [claim] = store.claim_outbox(received, "o", 60, 1)
    assert store.mark_sending(claim, "o") and store.record_posted(claim, "o", "ts", None, [])
    assert store.outbox(claim.row.key).request == ""


@pytest.fixture
def filled(tmp_path):
    """A database with rows of every kind, old (past every default setting) and new."""
    store = open_store(tmp_path / "webcare.db")
    for name, days_old in (("old", 200), ("new", 1)):
        review(store, f"r-{name}", days_old)
        store.record_feedback(f"r-{name}", 0, "nl.rule.a", "empathy", "helpful", "U1")
        store.record_feedback(f"r-{name}", 1, "nl.rule.b", "tone", "wrong", "U2")
        age(store, "feedback", "created", days_old, "review_id = ?", (f"r-{name}",))
        posted_request(store, f"m-{name}", NOW - days_old * DAY)
        store.cache_answer(f"key-{name}", "m", {"findings": []})
        age(store, "llm_cache", "created", days_old / 100, "key = ?", (f"key-{name}",))  # 2 days and 15 minutes
        promise(store, f"r-{name}", "done", days_old)
        promise(store, f"r-{name}", "cancelled", days_old)
    review(store, "r-open", 200)
    promise(store, "r-open", "open", 200)
    assert store.enqueue(request("m-pending", NOW - 200 * DAY))  # never posted yet: never purged
    return store


def counts(store: SQLiteStore) -> dict[str, int]:
    tables = ("reviews", "feedback", "outbox", "llm_cache", "promises", "reminder_sends")
    return {t: store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}


def test_older_rows_go_newer_stay_open_promises_never(filled):
    stats = filled.rule_stats()
    removed = purge(filled, load_config(), NOW)
    assert removed == {"reminder_sends": 2, "promises": 2, "feedback": 2, "reviews": 1, "events": 1, "model_cache": 1}
    assert counts(filled) == {"reviews": 2, "feedback": 2, "outbox": 2, "llm_cache": 1, "promises": 3,
                              "reminder_sends": 3}
    assert {r["id"] for r in filled.db["reviews"].rows} == {"r-new", "r-open"}  # the open promise keeps its review
    [open_promise] = filled.promises(open_only=True)
    assert open_promise.review_id == "r-open" and filled.sends(open_promise.id)
    assert filled.rule_stats() == stats  # per-rule counts survive as totals
    assert purge(filled, load_config(), NOW) == dict.fromkeys(removed, 0)
    assert filled.outbox("slack:T1:C1:m-pending").state == "pending"
    assert filled.enqueue(request("m-old", NOW)) and not filled.enqueue(request("m-new", NOW))


def test_settings_per_kind(filled, tmp_path):
    (tmp_path / "app.yaml").write_text(json.dumps({"retention": {"feedback": 365, "events": 0.5}}), encoding="utf-8")
    removed = purge(filled, load_config(tmp_path / "app.yaml"), NOW)
    assert removed["feedback"] == 0 and removed["events"] == 2


def test_feedback_totals_add_up_across_purges(filled):
    purge(filled, load_config(), NOW)
    filled.record_feedback("r-new", 0, "nl.rule.a", "empathy", "wrong", "U3")
    age(filled, "feedback", "created", 200)
    purge(filled, load_config(), NOW)
    assert filled.db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 0
    stats = {s["rule"]: (s["helpful"], s["wrong"]) for s in filled.rule_stats()}
    assert stats == {"nl.rule.a": (2, 1), "nl.rule.b": (0, 2)}
    columns = {c.name for c in filled.db["rule_feedback_totals"].columns}
    assert columns == {"rule", "category", "helpful", "wrong"}  # nothing per agent


def test_purge_dry_run_changes_nothing_and_says_what_it_would_remove(tmp_path, monkeypatch, capsys):
    store = open_store(tmp_path / "webcare.db")
    review(store, "r-old", 0)
    store.db.execute("UPDATE reviews SET created = ?", [time.time() - 100 * DAY])
    posted_request(store, "m-old", time.time() - 100 * DAY)
    monkeypatch.setenv("WEBCARE_DB", str(tmp_path / "webcare.db"))
    monkeypatch.delenv("WEBCARE_CONFIG", raising=False)
    before = counts(store)

    assert cli.main(["purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "reviews: would remove 1 (older than 30 days)" in out and "events: would remove 1" in out
    assert counts(store) == before

    assert cli.main(["purge"]) == 0
    assert "reviews: removed 1" in capsys.readouterr().out
    assert counts(store)["reviews"] == 0 and counts(store)["outbox"] == 0


def test_bad_retention_setting_is_one_clear_line(tmp_path, capsys, monkeypatch):
    (tmp_path / "app.yaml").write_text("retention:\n  reviews: -1\n", encoding="utf-8")
    monkeypatch.setenv("WEBCARE_CONFIG", str(tmp_path / "app.yaml"))
    monkeypatch.setenv("WEBCARE_DB", str(tmp_path / "webcare.db"))
    assert cli.main(["purge"]) == 2
    assert "retention.reviews" in capsys.readouterr().err


async def test_serve_purges_at_start_with_its_clock(filled, monkeypatch):
    threads = note_threads(monkeypatch, filled, "purge")
    task = asyncio.create_task(purge_daily(filled, load_config(), clock=lambda: NOW))
    for _ in range(100):
        await asyncio.sleep(0.01)
        if counts(filled)["outbox"] == 2:
            break
    task.cancel()
    assert counts(filled)["outbox"] == 2 and counts(filled)["promises"] == 3
    assert threads and all(name.startswith("webcare-store") for name in threads)  # never on the event loop
