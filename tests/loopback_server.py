"""An aiohttp app on a free 127.0.0.1 port, served from its own event loop on a daemon thread, so
sync tests and async tests (whose own loop may be busy awaiting the code under test) can both
use it. The test servers for Slack's Web API and for OpenAI build on it."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from types import TracebackType
from typing import Any, Self

from aiohttp import web


class LoopbackServer:
    name = "loopback-test-server"
    runner_options: dict[str, Any] = {}

    def __init__(self) -> None:
        self.origin = ""  # http://127.0.0.1:PORT once started
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None

    def add_routes(self, app: web.Application) -> None:
        raise NotImplementedError

    def start(self) -> Self:
        """Start serving on a free loopback port."""
        if self._thread is not None:
            raise RuntimeError("server already started")
        ready: concurrent.futures.Future[int] = concurrent.futures.Future()
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(ready),), name=self.name, daemon=True)
        self._thread.start()
        try:
            port = ready.result(timeout=10)
        except BaseException:
            self._thread.join(timeout=10)
            self._thread = None
            raise
        self.origin = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        """Stop serving; requests still running are cancelled, not awaited."""
        if self._thread is None:
            return
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(timeout=10)
        self._thread = self._loop = self._stopping = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    async def _serve(self, ready: concurrent.futures.Future[int]) -> None:
        app = web.Application()
        self.add_routes(app)
        # aiohttp reads a shutdown_timeout of 0 as "wait forever": give handlers a moment, then cancel
        runner = web.AppRunner(app, shutdown_timeout=0.05, access_log=None, **self.runner_options)
        try:
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            self._loop = asyncio.get_running_loop()
            self._stopping = asyncio.Event()
            ready.set_result(runner.addresses[0][1])
        except BaseException as exc:
            await runner.cleanup()
            ready.set_exception(exc)
            return
        try:
            await self._stopping.wait()
        finally:
            await runner.cleanup()
