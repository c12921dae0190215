"""Fail fast while the model server is down, and retry only within a budget.

``CircuitBreaker``::

    closed ──N consecutive connection failures──▶ open ──cool-down elapsed──▶ half-open
      ▲                                             ▲                          │ one trial call
      └──────────────── trial (or a readiness probe) succeeds ─────────────────┤
                                                    └──────── trial fails ─────┘

While open, calls fail at once with ``CircuitOpen`` (503) instead of each waiting for a refused
connection or a connect timeout, so a dead vLLM costs clients microseconds, not seconds, and the
layer does not pile work on a server that is restarting. Only *connection-level* failures count
(refused, reset, no answer to connect, upstream 5xx): a slow model (504) or a bad output (502) is
not "down". A successful readiness probe closes the circuit too, so recovery does not wait for a
client request that the load balancer would not send while ``/readyz`` says 503.

``RetryBudget`` caps retries at a fraction of first attempts (the Finagle/Envoy idea): a retry storm
cannot multiply load on a struggling server. A small reserve lets a lone client's retry through.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import Enum

from service.errors import CircuitOpen


class CircuitState(Enum):
    CLOSED = 0
    OPEN = 1
    HALF_OPEN = 2


class CircuitBreaker:
    def __init__(
        self,
        failure_threshold: int,
        cooldown_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        on_change: Callable[[CircuitState], None] | None = None,
    ) -> None:
        self._threshold = failure_threshold
        self._cooldown_s = cooldown_s
        self._clock = clock
        self._on_change = on_change
        self._state = CircuitState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._trial_running = False

    @property
    def state(self) -> CircuitState:
        return self._state

    def _set(self, state: CircuitState) -> None:
        if state is not self._state:
            self._state = state
            if self._on_change is not None:
                self._on_change(state)

    def before_call(self) -> bool:
        """Raise ``CircuitOpen`` if the call must not go out; True if it is the half-open trial."""
        if self._state is CircuitState.CLOSED:
            return False
        if self._state is CircuitState.OPEN:
            remaining = self._opened_at + self._cooldown_s - self._clock()
            if remaining > 0:
                raise CircuitOpen(
                    f"model server unavailable (circuit open after {self._threshold} connection failures; "
                    f"next probe in {remaining:.1f} s)",
                    retry_after_s=max(1, round(remaining)),
                )
            self._set(CircuitState.HALF_OPEN)
        if self._trial_running:
            raise CircuitOpen("model server unavailable (circuit half-open: a probe is in flight)")
        self._trial_running = True
        return True

    def record_success(self) -> None:
        self._failures = 0
        self._trial_running = False
        self._set(CircuitState.CLOSED)

    def record_failure(self) -> None:
        """A connection-level failure: counts toward opening; a failed trial reopens at once."""
        self._trial_running = False
        self._failures += 1
        if self._state is CircuitState.HALF_OPEN or self._failures >= self._threshold:
            self._opened_at = self._clock()
            self._set(CircuitState.OPEN)

    def release_trial(self) -> None:
        """The trial ended without a verdict (cancelled, timed out): let the next call probe."""
        self._trial_running = False


class RetryBudget:
    """Token bucket: each first attempt deposits ``ratio`` tokens, each retry spends one."""

    def __init__(self, ratio: float, reserve: float = 3.0) -> None:
        self._ratio = ratio
        self._cap = max(reserve, 1.0)
        self._tokens = self._cap

    def record_attempt(self) -> None:
        self._tokens = min(self._cap, self._tokens + self._ratio)

    def try_spend(self) -> bool:
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False
