"""Admission control: a bounded number of requests in flight plus a small bounded queue.

Past both, the request is refused at once with 429 rather than queued behind vLLM's unbounded
queue, so an overloaded service answers fast and clients back off (``Retry-After``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from service.errors import Overloaded


class AdmissionGate:
    def __init__(self, max_inflight: int, max_queue: int, queue_timeout_s: float, retry_after_s: int = 1) -> None:
        self._slots = asyncio.Semaphore(max_inflight)
        self._max_queue = max_queue
        self._queue_timeout_s = queue_timeout_s
        self._retry_after_s = retry_after_s
        self._waiting = 0
        self._inflight = 0
        self.closed = False

    @property
    def inflight(self) -> int:
        return self._inflight

    @asynccontextmanager
    async def admit(self) -> AsyncIterator[None]:
        if self.closed:
            raise Overloaded("shutting down: not admitting new requests", retry_after_s=self._retry_after_s)
        if self._slots.locked():
            if self._waiting >= self._max_queue:
                raise Overloaded("too many requests in flight", retry_after_s=self._retry_after_s)
            self._waiting += 1
            try:
                async with asyncio.timeout(self._queue_timeout_s):
                    await self._slots.acquire()
            except TimeoutError as exc:
                raise Overloaded("waited too long for a slot", retry_after_s=self._retry_after_s) from exc
            finally:
                self._waiting -= 1
        else:
            await self._slots.acquire()
        self._inflight += 1
        try:
            yield
        finally:
            self._inflight -= 1
            self._slots.release()
