"""Blocking work off the event loop, so acknowledgements and /healthz never wait for it: store
calls in a small pool of threads (each with its own SQLite connection), reviews in another."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")

_STORE = ThreadPoolExecutor(max_workers=4, thread_name_prefix="webcare-store")
_REVIEWS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="webcare-review")


async def in_store_thread(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A store call (SQLite) in a store thread."""
    return await asyncio.get_running_loop().run_in_executor(_STORE, partial(call, *args, **kwargs))


async def in_review_thread(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A review (CPU work) in a review thread: a long draft never holds the loop."""
    return await asyncio.get_running_loop().run_in_executor(_REVIEWS, partial(call, *args, **kwargs))
