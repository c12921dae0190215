"""Whole-request accounting of ``/predict_action``: one place that observes the outcome metrics.

Called on success by the route and on failure by the error handlers, so parse failures (which
never reach the route) are counted too. The start time comes from ``RequestContextMiddleware``.
"""

from __future__ import annotations

import time

from starlette.requests import Request

from service import metrics

PREDICT_PATH = "/predict_action"


def record_outcome(request: Request, outcome: str, *, reject_reason: str | None = None) -> None:
    if request.url.path != PREDICT_PATH:
        return
    state = request.scope.get("state", {})
    started = state.get("started", time.perf_counter())
    model = request.app.state.settings.model
    app_name = state.get("app_name", "unknown")
    metrics.STEP_LATENCY.labels(model, app_name, outcome).observe(time.perf_counter() - started)
    metrics.REQUESTS.labels(outcome).inc()
    if reject_reason:
        metrics.REJECTED.labels(reject_reason).inc()
