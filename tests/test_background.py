"""The loops beside the server: they stop when cancelled, also when woken at that same moment."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.background import run_forever


async def test_a_loop_woken_as_it_is_cancelled_still_stops():
    """Python 3.11's wait_for returned the wake-up and swallowed the cancellation when both came
    in one turn of the loop: `serve` then hung on SIGTERM while a posted review woke the outbox."""
    wake = asyncio.Event()
    steps = 0

    async def step() -> None:
        nonlocal steps
        steps += 1

    task = asyncio.create_task(run_forever("test", step, lambda: None, wake, time.time, max_sleep=60))
    while steps == 0:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # now waiting to be woken
    wake.set()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=2)
    assert steps == 1


async def test_a_wake_up_runs_the_next_step_at_once():
    wake = asyncio.Event()
    stepped = asyncio.Queue()

    async def step() -> None:
        stepped.put_nowait(time.monotonic())

    task = asyncio.create_task(run_forever("test", step, lambda: None, wake, time.time, max_sleep=60))
    await stepped.get()
    woken = time.monotonic()
    wake.set()
    assert await asyncio.wait_for(stepped.get(), timeout=2) - woken < 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
