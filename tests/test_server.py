"""`serve` start-up: what it builds stays out of the garbage collector's full passes."""

import gc

from bot.coach import Coach
from bot.server import settle_heap
from bot.store import open_store


def test_settle_heap_freezes_what_start_up_built(config, tmp_path):
    coach = Coach(config, open_store(tmp_path / "webcare.db"))
    coach.reviewer.compile_all()
    rules = coach.reviewer.rules
    try:
        settle_heap()
        assert gc.is_tracked(rules) and gc.get_freeze_count() > 0
        # the collector's generations, which a full pass walks, no longer hold the reviewer's objects
        assert not any(tracked is rules for tracked in gc.get_objects())
    finally:
        gc.unfreeze()
