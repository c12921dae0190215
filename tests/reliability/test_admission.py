"""Admission control: bounded in flight, a FIFO queue bounded by predicted wait, an immediate 429 past it."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bench.factories import predict_body
from service.admission import AdmissionGate
from service.concurrency_limit import ConcurrencyLimit
from service.errors import Overloaded, ShuttingDown
from tests.reliability.conftest import FaultUpstream, assert_error, layer_settings, metric, running_layer


async def _hold(gate: AdmissionGate, release: asyncio.Event, order: list[int], i: int) -> None:
    async with gate.admit():
        order.append(i)
        await release.wait()


async def test_gate_bounds_inflight_and_queue_and_rejects_at_once() -> None:
    gate = AdmissionGate(ConcurrencyLimit(pinned=2), max_queue=2, queue_timeout_s=5)
    release = asyncio.Event()
    order: list[int] = []
    tasks = [asyncio.create_task(_hold(gate, release, order, i)) for i in range(4)]
    await asyncio.sleep(0.01)
    assert (gate.inflight, gate.queued, order) == (2, 2, [0, 1])
    started = time.perf_counter()
    with pytest.raises(Overloaded) as rejected:
        async with gate.admit():
            pass
    assert time.perf_counter() - started < 0.01
    assert rejected.value.reject_reason == "overloaded" and rejected.value.headers() == {"Retry-After": "1"}
    release.set()
    await asyncio.gather(*tasks)
    assert order == [0, 1, 2, 3]  # the queue is FIFO
    assert (gate.inflight, gate.queued) == (0, 0)


async def test_queue_timeout_is_a_429_and_leaks_no_slot() -> None:
    gate = AdmissionGate(ConcurrencyLimit(pinned=1), max_queue=1, queue_timeout_s=0.05)
    release = asyncio.Event()
    holder = asyncio.create_task(_hold(gate, release, [], 0))
    await asyncio.sleep(0)
    with pytest.raises(Overloaded) as rejected:
        async with gate.admit():
            pass
    assert rejected.value.reject_reason == "queue_timeout"
    assert gate.queued == 0
    release.set()
    await holder
    assert gate.inflight == 0
    async with gate.admit():
        assert gate.inflight == 1


async def test_cancelled_waiter_leaks_no_slot() -> None:
    gate = AdmissionGate(ConcurrencyLimit(pinned=1), max_queue=2, queue_timeout_s=5)
    release = asyncio.Event()
    order: list[int] = []
    holder = asyncio.create_task(_hold(gate, release, order, 0))
    waiter = asyncio.create_task(_hold(gate, release, order, 1))
    await asyncio.sleep(0.01)
    waiter.cancel()  # the client went away while queued
    await asyncio.gather(waiter, return_exceptions=True)
    assert gate.queued == 0
    release.set()
    await holder
    assert (gate.inflight, order) == (0, [0])


async def test_closed_gate_refuses_new_but_serves_queued_then_aborts_the_rest() -> None:
    gate = AdmissionGate(ConcurrencyLimit(pinned=1), max_queue=2, queue_timeout_s=5)
    release = asyncio.Event()
    order: list[int] = []
    holder = asyncio.create_task(_hold(gate, release, order, 0))
    queued = asyncio.create_task(_hold(gate, release, order, 1))
    late = asyncio.create_task(_hold(gate, release, order, 2))
    await asyncio.sleep(0.01)
    gate.close()
    with pytest.raises(ShuttingDown):
        async with gate.admit():
            pass
    assert gate.abort_waiters() == 2
    release.set()
    results = await asyncio.gather(holder, queued, late, return_exceptions=True)
    assert results[0] is None and all(isinstance(r, ShuttingDown) for r in results[1:])
    assert await gate.wait_idle(0.1) and gate.inflight == 0


def _measured(limit: ConcurrencyLimit, latency_s: float) -> ConcurrencyLimit:
    """``limit`` after one window of unloaded samples at ``latency_s`` (its baseline and service time)."""
    for _ in range(limit.window):
        limit.on_sample(latency_s, 1, False)
    return limit


async def test_queue_is_bounded_by_predicted_wait_and_retry_after_says_that_wait() -> None:
    # 2 slots, each request holds one ~1 s: a slot frees every 0.5 s, so the n-th waiter expects n x 0.5 s.
    gate = AdmissionGate(_measured(ConcurrencyLimit(pinned=2, window=4), 1.0), max_queue=100, queue_timeout_s=2.2)
    release = asyncio.Event()
    tasks = [asyncio.create_task(_hold(gate, release, [], i)) for i in range(6)]
    await asyncio.sleep(0.01)
    assert (gate.inflight, gate.queued) == (2, 4)  # waits of 0.5, 1.0, 1.5, 2.0 s fit under 2.2 s
    assert gate.estimated_wait_s(gate.queued) == pytest.approx(2.5)
    with pytest.raises(Overloaded) as rejected:
        async with gate.admit():
            pass
    assert rejected.value.headers() == {"Retry-After": "3"}  # 2.5 s, rounded up
    release.set()
    await asyncio.gather(*tasks)


async def test_adaptive_gate_queues_only_within_the_configured_share_of_the_baseline() -> None:
    limit = _measured(ConcurrencyLimit(initial=2, window=4), 1.0)  # baseline 1 s
    gate = AdmissionGate(limit, max_queue=100, queue_timeout_s=30, max_wait_baselines=1.0)
    assert limit.limit == 2
    release = asyncio.Event()
    tasks = [asyncio.create_task(_hold(gate, release, [], i)) for i in range(5)]
    await asyncio.sleep(0.01)
    assert (gate.inflight, gate.queued) == (2, 2)  # waits 0.5 and 1.0 s; 1.5 s > the 1 s baseline: 429
    assert sum(t.done() and isinstance(t.exception(), Overloaded) for t in tasks) == 1
    release.set()
    await asyncio.gather(*tasks, return_exceptions=True)


async def test_adaptive_gate_with_no_queue_answers_429_at_once_even_before_it_has_measured() -> None:
    gate = AdmissionGate(ConcurrencyLimit(initial=1), max_queue=100, queue_timeout_s=5, max_wait_baselines=0)
    release = asyncio.Event()
    holder = asyncio.create_task(_hold(gate, release, [], 0))
    await asyncio.sleep(0.01)
    started = time.perf_counter()
    with pytest.raises(Overloaded) as rejected:
        async with gate.admit():
            pass
    assert time.perf_counter() - started < 0.05 and gate.queued == 0
    assert rejected.value.headers() == {"Retry-After": "1"}  # nothing measured yet: the minimum
    release.set()
    await holder


async def test_callers_already_turned_away_count_as_waiting_so_retry_after_spreads_them() -> None:
    gate = AdmissionGate(_measured(ConcurrencyLimit(pinned=1, window=4), 1.0), max_queue=0, queue_timeout_s=5)
    release = asyncio.Event()
    holder = asyncio.create_task(_hold(gate, release, [], 0))
    await asyncio.sleep(0.01)
    retry_after = []
    for _ in range(4):
        with pytest.raises(Overloaded) as rejected:
            async with gate.admit():
                pass
        retry_after.append(rejected.value.headers()["Retry-After"])
    # one slot freeing every 1 s: the n-th caller turned away comes back after n s, not all after 1 s
    assert retry_after == ["1", "2", "3", "4"]
    release.set()
    await holder


async def test_waiters_whose_predicted_wait_grows_past_the_budget_get_their_429_at_once() -> None:
    limit = _measured(ConcurrencyLimit(pinned=4, window=4), 1.0)  # 4 slots of ~1 s: one frees every 0.25 s
    gate = AdmissionGate(limit, max_queue=100, queue_timeout_s=1.1)
    releases = [asyncio.Event() for _ in range(8)]
    tasks = [asyncio.create_task(_hold(gate, releases[i], [], i)) for i in range(8)]
    await asyncio.sleep(0.01)
    assert (gate.inflight, gate.queued) == (4, 4)  # waits 0.25 .. 1.0 s
    limit.limit = 2  # the limit shrinks: 2 in flight must finish first, a slot frees every 0.5 s
    started = time.perf_counter()
    releases[0].set()  # the finishing request re-judges the queue
    await asyncio.sleep(0.01)
    # 3 in flight, limit 2: waits now (1 + 1) x 0.5 = 1.0 s for the oldest, 1.5 s and more for the others
    assert (gate.inflight, gate.queued) == (3, 1)
    shed = [t for t in tasks[5:] if t.done()]
    assert len(shed) == 3 and all(isinstance(t.exception(), Overloaded) for t in shed)
    assert time.perf_counter() - started < 0.1  # told now, not after the 1.1 s queue timeout
    for event in releases:
        event.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    assert gate.inflight == 0 and gate.queued == 0


async def test_a_shrunk_limit_holds_waiters_back_and_a_grown_one_lets_them_in() -> None:
    limit = ConcurrencyLimit(pinned=3)
    gate = AdmissionGate(limit, max_queue=10, queue_timeout_s=5)
    releases = [asyncio.Event() for _ in range(5)]
    order: list[int] = []
    tasks = [asyncio.create_task(_hold(gate, releases[i], order, i)) for i in range(5)]
    await asyncio.sleep(0.01)
    assert (gate.inflight, gate.queued) == (3, 2)
    limit.limit = 2  # shrunk (as the adaptive limit does under latency)
    releases[0].set()
    await asyncio.sleep(0.01)
    assert (gate.inflight, gate.queued) == (2, 2)  # the freed slot is not handed on: 2 is the limit now
    limit.limit = 4
    releases[1].set()  # a finishing request lets the grown limit's free slots go to the oldest waiters
    await asyncio.sleep(0.01)
    assert (gate.inflight, gate.queued, order) == (3, 0, [0, 1, 2, 3, 4])
    for event in releases:
        event.set()
    await asyncio.gather(*tasks)
    assert gate.inflight == 0


async def test_over_capacity_gets_429_fast_and_admitted_ones_succeed(upstream: FaultUpstream, tmp_path: Path) -> None:
    await upstream.set("slow", delay_s=0.5)
    settings = layer_settings(upstream.url, tmp_path, max_concurrency=2, max_queue=1, request_timeout_s=5)
    rejected_before = metric("lam_rejected_requests_total", reason="overloaded")
    async with running_layer(settings) as layer:

        async def call() -> tuple[int, float, str | None]:
            started = time.perf_counter()
            response = await layer.post("/predict_action", json=predict_body(3))
            if response.status_code == 429:
                assert_error(response, 429, "overloaded")
            return response.status_code, time.perf_counter() - started, response.headers.get("retry-after")

        results = await asyncio.gather(*(call() for _ in range(8)))
    statuses = sorted(status for status, _, _ in results)
    assert statuses == [200] * 3 + [429] * 5
    assert all(elapsed < 0.1 and retry == "1" for status, elapsed, retry in results if status == 429)
    assert metric("lam_rejected_requests_total", reason="overloaded") == rejected_before + 5
    assert (await upstream.stats())["max_in_flight"] <= 2
