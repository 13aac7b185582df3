"""Retention: rows older than the team's setting (app.yaml `retention:`) are purged.

`serve` purges once a day; `webcare-coach purge [--dry-run]` on demand. Open promises, their
reminder sends and the reviews they belong to are never purged; feedback is added to per-rule
totals first, so `webcare-coach rules --stats` keeps its figures.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from bot.chat.offloop import in_store_thread
from bot.config import Config
from bot.store import RETENTION_KINDS, Store

log = logging.getLogger("webcare.retention")
DAY = 86400.0


def cutoffs(config: Config, now: float) -> dict[str, float]:
    """Per kind: rows from before this moment go. Expired model answers go whatever the setting."""
    before = {kind: now - config.retention.days(kind) * DAY for kind in RETENTION_KINDS}
    before["model_cache"] = max(before["model_cache"], now - config.llm.cache_hours * 3600)
    return before


def purge(store: Store, config: Config, now: float, dry_run: bool = False) -> dict[str, int]:
    """Rows removed (or, with dry_run, that would be) per kind."""
    return {kind: store.purge(kind, before, dry_run) for kind, before in cutoffs(config, now).items()}


async def purge_daily(store: Store, config: Config, clock: Callable[[], float] = time.time) -> None:
    """At start, then every 24 hours, for as long as `serve` runs (the purge in a store thread,
    so the event loop never waits for it)."""
    while True:
        try:
            removed = await in_store_thread(purge, store, config, clock())
            log.info("retention purge: %s", " ".join(f"{kind}={count}" for kind, count in removed.items()))
        except Exception:  # noqa: BLE001 - a locked database now is no reason to stop purging later
            log.exception("retention purge failed")
        await asyncio.sleep(DAY)
