"""A seeded store for the insights tests: four weeks of reviews, promises and feedback up to
Friday 4 December 2026 16:00 (Amsterdam), by agents whose ids and names must never show up in a
digest or report. The figures the tests expect are worked out by hand in the comments."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from bot.store import SQLiteStore, open_store
from tests.conftest import AMSTERDAM

END = datetime(2026, 12, 4, 16, 0, tzinfo=AMSTERDAM)  # the digest's moment: Friday 16:00
NOW = END.timestamp()
AGENTS = ("U0AGENTSANNE", "U0AGENTPIM", "29:agent-lot", "Sanne de Vries", "Pim Jansen")  # ids and display names
RATERS = ("U0RATERONE", "U0RATERTWO", "U0RATERTHREE")

A = ("nl.missing_apology.geen_excuses", "missing_apology")  # guideline begrip-excuses-oplossing
E = ("nl.empty_promise.ernaar_kijken", "empty_promise")  # guideline geen-loze-beloftes
B = ("nl.bureaucratic.ambtelijk", "bureaucratic")  # guideline geen-ambtelijke-taal

# Weeks end on Fridays at 16:00: week 4 = 27 Nov 16:00 - 4 Dec 16:00 (the digest's week).
WEEKS = {
    # week 1 (6-13 Nov): 2 reviews, below the minimum of 5
    1: [[], [A]],
    # week 2: 5 reviews; A in 1, E in 2
    2: [[A], [E], [E], [], []],
    # week 3: 5 reviews; A in 1, E in 2, B in 4
    3: [[A], [E, B], [E, B], [B], [B]],
    # week 4: 6 reviews, 2 ready; A 3 findings in 3 reviews (50%), E 2 in 2 (33%), B 1 in 1 (17%).
    # Before (weeks 1-3, 12 reviews): A in 3 (25%) -> more; E in 4 (33%) -> same; B in 4 (33%) -> fewer
    4: [[A, E], [A], [E, B], [A], [], []],
}


def week_moment(week: int, hours: float) -> float:
    """`hours` after the start of `week` (1-4)."""
    return (END - timedelta(weeks=5 - week) + timedelta(hours=hours)).timestamp()


def seed(path: Path, weeks: dict[int, list[list[tuple[str, str]]]] = WEEKS) -> SQLiteStore:
    store = open_store(path)
    for week, reviews in weeks.items():
        for index, findings in enumerate(reviews):
            store.db["reviews"].insert({
                "id": uuid.uuid4().hex[:16], "platform": "slack", "workspace": "T1", "channel": "C1",
                "thread": f"17000{week}{index}.0001", "message": f"17000{week}{index}.0001",
                "agent": AGENTS[index % len(AGENTS)], "created": week_moment(week, 10 + 20 * index),
                "verdict": "revise" if findings else "ok", "findings": json.dumps(findings),
            })
    # Promises made in week 4 (what became of them is logged with set_status at a given moment):
    #   p1 done exactly at its due moment -> on time;  p2 done one second late -> late;
    #   p3 done an hour early -> on time;  p4 open, due before now -> open and overdue;
    #   p5 open, due after now;  p6 cancelled;  p7 moved to a later due moment and done before
    #   it -> on time (the due moment counts, not the first one);  made 7, on time 3, late 1.
    # One more, made in week 3, is done late: it counts in week 3, never in week 4.
    def promise(week: int, hours: float, due_hours: float) -> tuple[str, float]:
        due = week_moment(week, due_hours)
        promise_id = store.add_promise(
            platform="slack", workspace="T1", channel="C1", thread="1700000000.0001", review_id="r",
            agent=AGENTS[0], customer="", text="ik bel je morgen", kind="callback", due=due,
            due_iso=datetime.fromtimestamp(due, AMSTERDAM).isoformat(), explicit=True, next_at=due,
        )
        store.db.execute("UPDATE promises SET created = ? WHERE id = ?", [week_moment(week, hours), promise_id])
        return promise_id, due

    p1, due1 = promise(4, 1, 20)
    store.set_status(p1, "done", at=due1)
    p2, due2 = promise(4, 2, 20)
    store.set_status(p2, "done", at=due2 + 1)
    p3, due3 = promise(4, 3, 20)
    store.set_status(p3, "done", at=due3 - 3600)
    promise(4, 4, 30)  # p4: due 30 h into the week, long before now
    promise(4, 5, 24 * 8)  # p5: due after the week, after now
    p6, _ = promise(4, 6, 20)
    store.set_status(p6, "cancelled", at=week_moment(4, 7))
    p7, due7 = promise(4, 7, 20)
    later = due7 + 86400
    store.set_due(p7, later, datetime.fromtimestamp(later, AMSTERDAM).isoformat(), later)
    store.set_status(p7, "done", at=due7 + 3600)  # after the first due moment, before the new one
    old, old_due = promise(3, 1, 20)
    store.set_status(old, "done", at=old_due + 7200)
    # Feedback: B's rule "not right" three times (weeks 3 and 4) and helpful once; A's rule
    # "not right" once; E's rule only helpful -> not_right: [B 3/1, A 1/0].
    def rate(week: int, hours: float, rule: tuple[str, str], verdict: str, user: str) -> None:
        store.db["feedback"].insert({"review_id": uuid.uuid4().hex[:8], "finding": 0, "rule": rule[0],
                                     "category": rule[1], "verdict": verdict, "user": user,
                                     "created": week_moment(week, hours)})

    for user in RATERS:
        rate(4 if user != RATERS[0] else 3, 50, B, "wrong", user)
    rate(4, 51, B, "helpful", "U0AGENTPIM")
    rate(4, 52, A, "wrong", "U0AGENTSANNE")
    rate(2, 52, E, "helpful", "U0AGENTSANNE")
    return store


def leaks(text: str) -> list[str]:
    """The agent and rater ids and names found in `text` (there must be none)."""
    return [who for who in (*AGENTS, *RATERS, "U0AGENT", "U0RATER", "agent-lot") if who.lower() in text.lower()]
