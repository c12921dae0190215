"""Admission control: at most ``max_inflight`` requests at the model, a small FIFO queue, 429 past it.

Why bounded here and not in vLLM: vLLM queues without limit, so under overload every request waits
longer and longer and clients time out after the work was spent anyway. Here a request either gets
a slot (soon: the queue is short) or a 429 with ``Retry-After`` at once, so admitted requests keep
near-unloaded latency and callers back off. ``queue_timeout_s`` is a safety net for when the model
slows down (long outputs, a stalled engine): a queued request never waits longer than that.

After ``close()`` (SIGTERM) nothing new is admitted (503 ``ShuttingDown``); requests already
admitted or queued still run. Slots are handed straight from a finishing request to the oldest
waiter, so a newcomer cannot overtake the queue, and a waiter that is cancelled (client gone,
timeout) never leaks a slot.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from service.errors import Overloaded, ShuttingDown


class AdmissionGate:
    def __init__(self, max_inflight: int, max_queue: int, queue_timeout_s: float, retry_after_s: int = 1) -> None:
        self._max_inflight = max_inflight
        self._max_queue = max_queue
        self._queue_timeout_s = queue_timeout_s
        self._retry_after_s = retry_after_s
        self._inflight = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._closed = False
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def inflight(self) -> int:
        """Requests holding a slot (at the model now)."""
        return self._inflight

    @property
    def queued(self) -> int:
        return len(self._waiters)

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Stop admitting; what holds a slot or waits for one carries on."""
        self._closed = True

    async def wait_idle(self, timeout_s: float) -> bool:
        """True once nothing is in flight or queued; False if ``timeout_s`` passed first."""
        try:
            async with asyncio.timeout(timeout_s):
                await self._idle.wait()
        except TimeoutError:
            return False
        return True

    def abort_waiters(self) -> int:
        """Shutdown deadline: every queued request gets a 503 now instead of a dropped connection."""
        aborted = 0
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_exception(ShuttingDown("shutting down: no slot freed within the grace period"))
                aborted += 1
        return aborted

    def _release(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot passes to the oldest waiter: inflight unchanged
                return
        self._inflight -= 1
        if self._inflight == 0:
            self._idle.set()

    async def _wait_for_slot(self) -> None:
        if len(self._waiters) >= self._max_queue:
            raise Overloaded(
                f"over capacity: {self._inflight} requests in flight and {len(self._waiters)} waiting",
                retry_after_s=self._retry_after_s,
            )
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(self._queue_timeout_s):
                await waiter
        except BaseException as exc:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release()  # granted just as we gave up: pass the slot on
            elif waiter in self._waiters:  # timed out or cancelled while queued (the future is cancelled too)
                self._waiters.remove(waiter)
            if isinstance(exc, TimeoutError):
                message = f"waited {self._queue_timeout_s:g} s for a slot"
                raise Overloaded(message, retry_after_s=self._retry_after_s, reason="queue_timeout") from exc
            raise

    @asynccontextmanager
    async def admit(self) -> AsyncIterator[None]:
        if self._closed:
            raise ShuttingDown("shutting down: not admitting new requests")
        if self._inflight < self._max_inflight and not self._waiters:
            self._inflight += 1
            self._idle.clear()
        else:
            await self._wait_for_slot()
        try:
            yield
        finally:
            self._release()
