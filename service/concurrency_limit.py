"""How many requests may be at the model at once: pinned by the operator, or following measured latency.

Why adaptive: the right number depends on the engine (a 2-core CPU batches a handful of sequences,
a GPU hundreds) and on the model's outputs (8 tokens or 100), so no constant fits both. The
adaptive limit works the way Netflix's concurrency-limits (Gradient2/Vegas) and Envoy's
adaptive-concurrency filter do: it compares the recent service latency with the *unloaded baseline*
and

- grows while the recent latency stays within ``tolerance`` x baseline and the limit is actually in
  use (doubling at first, like TCP's slow start, then by sqrt(limit) a window);
- shrinks in proportion to the overshoot (at most halving a window) once queueing inside the engine
  shows as latency above ``tolerance`` x baseline.

Latency is judged per *window* of samples (mean over ``window`` finished requests, or more when the
limit is higher; 4 during slow start once the baseline is known), so one long answer does not move
the limit. The baseline is the mean latency of windows that ran unloaded (at most 1.5 requests in
flight on average), smoothed; loaded windows never move it, so under sustained load it neither
drifts up with the latency it is meant to bound (Gradient2's drift) nor ratchets down on the lucky
windows of a mixed workload. The first window of a fresh process is a full one at ``initial`` (1 by
default), so the baseline is measured unloaded, on ``window`` requests, before the limit grows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

UNLOADED_INFLIGHT = 1.5  # mean requests in flight of a window that counts as unloaded
BASELINE_SMOOTHING = 0.2  # weight of a new window in the baseline
RECENT_SMOOTHING = 0.3  # weight of a new window in the recent latency


@dataclass
class _Window:
    samples: int = 0
    latency_sum: float = 0.0
    inflight_sum: float = 0.0
    saturated: bool = False  # the limit was reached (or someone waited) during the window

    def add(self, latency_s: float, inflight: int, saturated: bool) -> None:
        self.samples += 1
        self.latency_sum += latency_s
        self.inflight_sum += inflight
        self.saturated = self.saturated or saturated


@dataclass
class ConcurrencyLimit:
    """The admission limit and the latencies it is judged on.

    ``pinned`` (an operator's ``LAM_MAX_CONCURRENCY``) fixes the limit; the latencies are still
    measured, for the queue's wait estimate and for the dashboard.
    """

    initial: int = 1
    min_limit: int = 1
    max_limit: int = 256
    tolerance: float = 2.5
    window: int = 16
    pinned: int | None = None
    limit: int = field(init=False)
    baseline_s: float | None = field(default=None, init=False)
    recent_s: float | None = field(default=None, init=False)
    generation: int = field(default=0, init=False)  # counts limit changes: samples of older ones are not judged
    _slow_start: bool = field(default=True, init=False)
    _current: _Window = field(default_factory=_Window, init=False)

    def __post_init__(self) -> None:
        if self.pinned is not None:
            self.limit = self.pinned
        else:
            self.limit = min(self.max_limit, max(self.min_limit, self.initial))

    @property
    def adaptive(self) -> bool:
        return self.pinned is None

    def service_time_s(self) -> float | None:
        """Expected time one admitted request holds its slot now (None before any sample)."""
        return self.recent_s if self.recent_s is not None else self.unloaded_s()

    def unloaded_s(self) -> float | None:
        """The baseline; before the first window closes, the mean of the samples so far (None before any)."""
        if self.baseline_s is not None:
            return self.baseline_s
        if self._current.samples:
            return self._current.latency_sum / self._current.samples
        return None

    def on_sample(self, latency_s: float, inflight: int, saturated: bool, generation: int | None = None) -> bool:
        """One admitted request finished after ``latency_s`` at the model, ``inflight`` being at the model
        when it started (itself included); ``saturated``: the limit was full when it finished.
        ``generation``: the limit's generation when it started; a request admitted under an earlier
        limit says nothing about this one (judging it would shrink a just-shrunk limit again).
        True when the sample closed a window (the limit and the latencies may have changed)."""
        if generation is not None and generation != self.generation:
            return False
        self._current.add(latency_s, inflight, saturated)
        if self._current.samples < self.samples_per_window():
            return False
        window, self._current = self._current, _Window()
        self._close(window)
        return True

    def samples_per_window(self) -> int:
        """Samples per judgement: ``window``, or the limit when higher (each slot heard from once); in
        slow start, once the baseline is known, 4 (or the limit), so that a cold layer ramps up in seconds."""
        if not self.adaptive:
            return self.window
        if self._slow_start and self.baseline_s is not None:
            return max(min(4, self.window), self.limit)
        return max(self.window, self.limit)

    def _close(self, window: _Window) -> None:
        mean_s = window.latency_sum / window.samples
        mean_inflight = window.inflight_sum / window.samples
        self.recent_s = mean_s if self.recent_s is None else _ewma(self.recent_s, mean_s, RECENT_SMOOTHING)
        if self.baseline_s is None:
            self.baseline_s = mean_s
        elif mean_inflight <= UNLOADED_INFLIGHT:
            self.baseline_s = _ewma(self.baseline_s, mean_s, BASELINE_SMOOTHING)
        if self.adaptive:
            before = self.limit
            self._adapt(mean_s, window.saturated)
            if self.limit != before:
                self.generation += 1

    def _adapt(self, mean_s: float, saturated: bool) -> None:
        assert self.baseline_s is not None
        target_s = self.tolerance * self.baseline_s
        if mean_s > target_s:
            self._slow_start = False
            shrunk = math.floor(self.limit * max(0.5, target_s / mean_s))
            self.limit = max(self.min_limit, min(self.limit - 1, shrunk))
        elif saturated:  # within tolerance and in use: room to grow
            step = self.limit if self._slow_start else max(1, round(math.sqrt(self.limit)))
            self.limit = min(self.max_limit, self.limit + step)


def _ewma(old: float, new: float, weight: float) -> float:
    return (1 - weight) * old + weight * new
