"""The adaptive admission limit: grows while latency stays near the unloaded baseline, shrinks past it."""

from __future__ import annotations

import pytest

from service.concurrency_limit import ConcurrencyLimit


def _window(limit: ConcurrencyLimit, latency_s: float, inflight: int, saturated: bool = True) -> None:
    for _ in range(limit.samples_per_window()):
        limit.on_sample(latency_s, inflight, saturated)


def test_pinned_limit_never_moves_but_latencies_are_measured() -> None:
    limit = ConcurrencyLimit(pinned=3, window=4)
    for latency in (0.1, 5.0, 0.1, 9.0):
        _window(limit, latency, 3)
    assert limit.limit == 3
    assert limit.baseline_s == 0.1 and limit.recent_s is not None and limit.recent_s > 0.1


def test_first_window_sets_the_baseline_then_slow_start_doubles_while_saturated() -> None:
    limit = ConcurrencyLimit(window=4, tolerance=2.0)
    assert limit.limit == 1 and limit.service_time_s() is None
    _window(limit, 0.2, 1)
    assert limit.baseline_s == 0.2 and limit.limit == 2
    _window(limit, 0.25, 2)
    _window(limit, 0.3, 4)
    assert limit.limit == 8


def test_no_growth_without_evidence_that_the_limit_is_in_use() -> None:
    limit = ConcurrencyLimit(window=4, initial=4)
    for _ in range(10):
        _window(limit, 0.2, 1, saturated=False)
    assert limit.limit == 4


def test_latency_past_tolerance_shrinks_in_proportion_at_most_halving_and_ends_slow_start() -> None:
    limit = ConcurrencyLimit(window=4, initial=16, tolerance=2.0, min_limit=2)
    _window(limit, 0.1, 1)  # baseline 0.1 (and one doubling, to 32)
    assert limit.limit == 32
    _window(limit, 0.25, 32)  # 1.25x over the 0.2 target: 32 * 0.8
    assert limit.limit == 25
    _window(limit, 10.0, 25)  # far over: halved, not more
    assert limit.limit == 12
    for _ in range(10):
        _window(limit, 10.0, 12)
    assert limit.limit == 2  # the floor
    _window(limit, 0.1, 2)
    assert limit.limit == 3  # growth after slow start is by sqrt(limit), not doubling


def test_baseline_moves_only_with_unloaded_windows() -> None:
    limit = ConcurrencyLimit(window=4, initial=8, tolerance=3.0)
    _window(limit, 0.2, 1)
    for _ in range(50):
        _window(limit, 0.5, 8)  # loaded, within tolerance: no drift up
    _window(limit, 0.1, 8)  # a lucky loaded window (a mixed workload): no ratchet down either
    assert limit.baseline_s == pytest.approx(0.2)
    for _ in range(30):
        _window(limit, 0.4, 1)  # unloaded windows move it: the model got slower
    assert limit.baseline_s is not None and abs(limit.baseline_s - 0.4) < 0.01


def test_first_window_is_full_then_slow_start_judges_small_windows_to_ramp_up_in_seconds() -> None:
    limit = ConcurrencyLimit(window=16)
    assert limit.samples_per_window() == 16  # the baseline, from a full window at limit 1
    assert limit.service_time_s() is None
    limit.on_sample(0.3, 1, True)
    limit.on_sample(0.1, 1, True)
    assert limit.service_time_s() == pytest.approx(0.2) and limit.baseline_s is None  # the samples so far
    finished = 0
    while limit.limit < 16:
        limit.on_sample(0.2, limit.limit, True)
        finished += 1
    assert finished + 2 == 16 + 4 + 4 + 8  # windows at limits 1, 2, 4 and 8
    _window(limit, 1.0, 16)  # past tolerance: slow start ends, full windows from now on
    assert limit.samples_per_window() == 16


def test_requests_admitted_under_an_earlier_limit_are_not_judged_against_the_new_one() -> None:
    limit = ConcurrencyLimit(window=4, initial=8, tolerance=2.0)
    _window(limit, 0.1, 1)  # baseline 0.1; doubled to 16
    started_under = limit.generation
    _window(limit, 1.0, 16)  # 5x over: halved to 8
    assert limit.limit == 8 and limit.generation == started_under + 1
    for _ in range(40):  # the slow requests still in flight from the 16 finish now: ignored
        limit.on_sample(1.0, 16, True, generation=started_under)
    assert limit.limit == 8
    for _ in range(limit.samples_per_window()):
        limit.on_sample(1.0, 8, True, generation=limit.generation)  # still slow under the new limit: shrink
    assert limit.limit == 4


def test_limit_settles_where_a_saturating_engine_keeps_latency_near_tolerance() -> None:
    """An engine that serves 4 at base latency and slows linearly past that: the limit must settle near
    the point where latency is ``tolerance`` x base (12 here), not run away to the ceiling."""
    base, knee, tolerance = 0.2, 4, 3.0
    limit = ConcurrencyLimit(window=16, tolerance=tolerance, max_limit=256)
    seen = []
    for _ in range(200):
        latency = base * max(1.0, limit.limit / knee)
        _window(limit, latency, limit.limit)
        seen.append(limit.limit)
    tail = seen[-100:]
    assert min(tail) >= 6 and max(tail) <= 16
    assert max(base * max(1.0, n / knee) for n in tail) <= tolerance * base * 1.35
