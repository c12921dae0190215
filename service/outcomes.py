"""Whole-request accounting of ``/predict_action``: each request counted once, where its fate is known.

``lam_step_latency_seconds`` / ``lam_requests_total`` (and ``lam_rejected_requests_total`` for a
refusal) are observed by ``ActionServing`` for every request that reached it, success or failure, under
the request's app; and at the HTTP boundary (error handlers, API-key middleware) for the requests that
never did (a body that does not parse, is too large or has no key, a wrong method), under app
``unknown``. A failure the serving counted is marked, so the handler that answers it does not count it
again. The model label is the configured model, given when the app is built (not read per request).
"""

from __future__ import annotations

import time

from starlette.requests import Request

from service import metrics
from service.errors import LamError

PREDICT_PATH = "/predict_action"
UNKNOWN_APP = "unknown"
_COUNTED = "_lam_outcome_counted"  # set on an exception whose request the serving already counted


class Outcomes:
    """Observes the outcome metrics of ``/predict_action`` with the model label of this deployment."""

    def __init__(self, model: str) -> None:
        self.model = model

    def record(self, started: float, app: str, outcome: str, reject_reason: str | None = None) -> None:
        """One finished request: ``started`` is its ``perf_counter`` time at arrival."""
        metrics.STEP_LATENCY.labels(self.model, app, outcome).observe(time.perf_counter() - started)
        metrics.REQUESTS.labels(outcome).inc()
        if reject_reason:
            metrics.REJECTED.labels(reject_reason).inc()

    def record_failure(self, started: float, app: str, exc: Exception) -> None:
        """A request that failed with ``exc``, counted as the error handler would answer it."""
        if isinstance(exc, LamError):
            self.record(started, app, exc.outcome, exc.reject_reason)
        else:
            self.record(started, app, LamError.outcome)  # anything unexpected: internal_error
        setattr(exc, _COUNTED, True)

    def record_unserved(
        self, request: Request, exc: BaseException, outcome: str, reject_reason: str | None = None
    ) -> None:
        """At the HTTP boundary: a ``/predict_action`` request answered ``exc`` that the serving did not count."""
        if request.scope["path"] != PREDICT_PATH or getattr(exc, _COUNTED, False):
            return
        started = request.scope.get("state", {}).get("started", time.perf_counter())
        self.record(started, UNKNOWN_APP, outcome, reject_reason)
