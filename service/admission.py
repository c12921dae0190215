"""Admission control: at most ``limit`` requests at the model, a queue bounded by predicted wait, 429 past it.

Why bounded here and not in vLLM: vLLM queues without limit, so under overload every request waits
longer and longer and clients time out after the work was spent anyway. Here a request either gets
a slot (at once, or after a short wait the gate can predict) or a 429 with ``Retry-After`` at once,
so admitted requests keep near-unloaded latency and callers back off.

The limit is a ``ConcurrencyLimit``: pinned by the operator (``LAM_MAX_CONCURRENCY``) or following
measured latency. A newcomer that finds every slot taken waits only if its predicted wait,
``(waiting ahead + 1) x service time / limit``, is within ``LAM_QUEUE_TIMEOUT_S`` and, when the limit
adapts, within ``max_wait_baselines`` x the unloaded service time. That defaults to 0, no queue in
front of an adaptive limit: the limit already sits where latency is at its tolerance, and a waiter
shed because the limit shrank under it got its 429 only after waiting (64 agents: 429 p99 ~270 ms
with half a baseline of queue, ~13 ms without). Otherwise it gets a 429 at once whose ``Retry-After``
is its predicted wait in whole seconds, counting the callers turned away who have not yet come back
as waiting ahead. When the limit shrinks or answers slow down, waiters whose predicted wait no longer
fits get their 429 then. ``queue_timeout_s`` is also the safety net for a stalled engine: a queued
request never waits longer than that.

After ``close()`` (SIGTERM) nothing new is admitted (503 ``ShuttingDown``); requests already
admitted or queued still run. Slots are handed straight from a finishing request to the oldest
waiter, so a newcomer cannot overtake the queue, and a waiter that is cancelled (client gone,
timeout) never leaks a slot.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from service import metrics
from service.concurrency_limit import ConcurrencyLimit
from service.errors import ModelUnavailable, Overloaded, ShuttingDown

MAX_RETRY_AFTER_S = 60


class AdmissionGate:
    def __init__(
        self, limit: ConcurrencyLimit, max_queue: int, queue_timeout_s: float, max_wait_baselines: float = 0.0
    ) -> None:
        self._limit = limit
        self._max_queue = max_queue
        self._queue_timeout_s = queue_timeout_s
        self._max_wait_baselines = max_wait_baselines
        self._turned_away: deque[float] = deque()  # when recent 429s were answered (within the last Retry-After)
        self._retry_after_s = 1
        self._inflight = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._closed = False
        self._idle = asyncio.Event()
        self._idle.set()
        self._publish()

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

    def estimated_wait_s(self, ahead: int) -> float:
        """Predicted wait for a slot with ``ahead`` requests queued in front (0 while a slot is free)."""
        service_s = self._limit.service_time_s()
        if service_s is None or self._inflight < self._limit.limit:
            return 0.0
        over = self._inflight - self._limit.limit  # a shrunk limit: these must finish before anyone gets in
        return (ahead + 1 + over) * service_s / self._limit.limit

    def _queue_budget_s(self) -> float:
        baseline = self._limit.unloaded_s()
        if self._limit.adaptive and baseline is not None:
            return min(self._queue_timeout_s, self._max_wait_baselines * baseline)
        return self._queue_timeout_s

    def _grant(self) -> None:
        """Hand free slots (the limit may have grown) to the oldest waiters."""
        while self._waiters and self._inflight < self._limit.limit:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self._inflight += 1
                waiter.set_result(None)

    def _shed(self) -> None:
        """Waiters whose predicted wait no longer fits (the limit shrank, answers got slower) get their
        429 now, newest first, rather than a 429 after waiting ``queue_timeout_s``."""
        budget = self._queue_budget_s()
        while self._waiters and self.estimated_wait_s(len(self._waiters) - 1) > budget:
            waiter = self._waiters.pop()
            if not waiter.done():
                wait_s = self.estimated_wait_s(len(self._waiters))
                message = f"over capacity: the predicted wait for a slot grew to {wait_s:.2f} s"
                waiter.set_exception(self._reject(wait_s, "overloaded", message))

    def _release(self) -> None:
        if self._inflight <= self._limit.limit:  # the slot passes to the oldest waiter: inflight unchanged
            while self._waiters:
                waiter = self._waiters.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return
        self._inflight -= 1
        if self._inflight == 0:
            self._idle.set()

    def _reject(self, wait_s: float, reason: str, message: str) -> Overloaded:
        """A 429 whose ``Retry-After`` is the predicted wait of the caller counted among those already
        turned away: the clients told to come back within the last Retry-After wait outside like a
        queue, and the model frees ``limit / service time`` slots a second. Without counting them,
        every rejected caller would hear "1 s" and all come back at once."""
        now = time.monotonic()
        horizon = now - self._retry_after_s
        while self._turned_away and self._turned_away[0] < horizon:
            self._turned_away.popleft()
        self._turned_away.append(now)
        service_s = self._limit.service_time_s()
        if service_s:
            wait_s = max(wait_s, (len(self._waiters) + len(self._turned_away)) * service_s / self._limit.limit)
        self._retry_after_s = min(MAX_RETRY_AFTER_S, max(1, math.ceil(wait_s)))
        return Overloaded(message, retry_after_s=self._retry_after_s, reason=reason)

    async def _wait_for_slot(self) -> None:
        ahead = len(self._waiters)
        wait_s = self.estimated_wait_s(ahead)
        no_queue = self._limit.adaptive and self._max_wait_baselines == 0
        if no_queue or ahead >= self._max_queue or wait_s > self._queue_budget_s():
            raise self._reject(
                wait_s,
                "overloaded",
                f"over capacity: {self._inflight} requests in flight (limit {self._limit.limit}), {ahead} waiting; "
                f"predicted wait {wait_s:.2f} s",
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
                raise self._reject(self.estimated_wait_s(len(self._waiters)), "queue_timeout", message) from exc
            raise

    @asynccontextmanager
    async def admit(self) -> AsyncIterator[None]:
        if self._closed:
            raise ShuttingDown("shutting down: not admitting new requests")
        if self._inflight < self._limit.limit and not self._waiters:
            self._inflight += 1
            self._idle.clear()
        else:
            await self._wait_for_slot()
        inflight_at_start, generation = self._inflight, self._limit.generation
        started = time.perf_counter()
        measured = True
        try:
            yield
        except (ModelUnavailable, asyncio.CancelledError):
            measured = False  # a refused connection or a client gone says nothing about the model's latency
            raise
        finally:
            if measured:
                saturated = self._inflight >= self._limit.limit or bool(self._waiters)
                elapsed = time.perf_counter() - started
                judged = self._limit.on_sample(elapsed, inflight_at_start, saturated, generation)
            self._release()
            if measured:
                self._grant()
                self._shed()
                if judged:  # the limit and its latencies change only when a window closes
                    self._publish()

    def _publish(self) -> None:
        metrics.ADMISSION_LIMIT.set(self._limit.limit)
        if self._limit.baseline_s is not None:
            metrics.ADMISSION_BASELINE.set(self._limit.baseline_s)
        if self._limit.recent_s is not None:
            metrics.ADMISSION_RECENT.set(self._limit.recent_s)
