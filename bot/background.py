"""The loops that run beside the server (reminders, the outbox): work, then sleep until the next
thing is due or something new arrives. They never poll every second."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.chat.offloop import in_store_thread

log = logging.getLogger("webcare.background")


async def run_forever(name: str, step: Callable[[], Awaitable[object]], next_at: Callable[[], float | None],
                      wake: asyncio.Event, clock: Callable[[], float], max_sleep: float) -> None:
    """Run `step`, then sleep until `next_at()` (a store call, run off the loop) or until `wake`
    is set, at most `max_sleep` seconds (another process may have added work)."""
    while True:
        wake.clear()  # before the work: a wake-up during it is not lost
        try:
            await step()
            due = await in_store_thread(next_at)
        except Exception:  # noqa: BLE001 - the loop must outlive a bad moment (e.g. a locked database)
            log.exception("%s: iteration failed", name)
            due = None
        delay = max_sleep if due is None else min(max(due - clock(), 0.0), max_sleep)
        # asyncio.timeout, not wait_for: Python 3.11's wait_for swallows a cancellation that
        # comes in the same turn as the wake-up, and `serve` then hung on SIGTERM.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await wake.wait()
