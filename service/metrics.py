"""Every Prometheus metric of the layer, declared once (docs/design.md section 7).

Code elsewhere only calls ``.labels(...).observe()`` / ``.inc()``. With several uvicorn workers the
process exports through prometheus-client's multiprocess mode: ``PROMETHEUS_MULTIPROC_DIR`` is set by
``python -m service`` before any worker imports this module, and ``render_latest`` aggregates.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

# Fine below one second (a step of a small LAM), coarse up to the 30 s timeout.
LATENCY_BUCKETS = (
    0.005,
    0.01,
    0.025,
    0.05,
    0.075,
    0.1,
    0.15,
    0.2,
    0.25,
    0.3,
    0.4,
    0.5,
    0.6,
    0.75,
    0.9,
    1.0,
    1.25,
    1.5,
    2.0,
    2.5,
    3.0,
    4.0,
    5.0,
    7.5,
    10.0,
    15.0,
    20.0,
    30.0,
    60.0,
)
STEP_BUCKETS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50)
TASK_SECONDS_BUCKETS = (0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600)


def _by_model_and_app(name: str, documentation: str, buckets: tuple[float, ...], *labels: str) -> Histogram:
    """Latency and task histograms are read per model and app (dashboards, alert rules), then by ``labels``."""
    return Histogram(name, documentation, ["model", "app", *labels], buckets=buckets)


STEP_LATENCY = _by_model_and_app(
    "lam_step_latency_seconds", "Whole /predict_action time, by outcome.", LATENCY_BUCKETS, "outcome"
)
MODEL_LATENCY = _by_model_and_app(
    "lam_model_latency_seconds", "Time spent waiting on the model server for one action.", LATENCY_BUCKETS
)
REQUESTS = Counter("lam_requests_total", "Finished /predict_action requests, by outcome.", ["outcome"])
INFLIGHT = Gauge("lam_inflight_requests", "/predict_action requests being served now.", multiprocess_mode="livesum")
ADMISSION_LIMIT = Gauge(
    "lam_admission_limit",
    "Requests the layer lets reach the model at once now (adaptive, or pinned by LAM_MAX_CONCURRENCY).",
    multiprocess_mode="livesum",
)
ADMISSION_BASELINE = Gauge(
    "lam_admission_latency_baseline_seconds",
    "Unloaded model latency the adaptive limit compares with (mean of windows at <= 1.5 in flight).",
    multiprocess_mode="livemax",
)
ADMISSION_RECENT = Gauge(
    "lam_admission_latency_recent_seconds",
    "Recent mean model latency of admitted requests (the limit shrinks past tolerance x baseline).",
    multiprocess_mode="livemax",
)
REJECTED = Counter("lam_rejected_requests_total", "Requests refused before any work, by reason.", ["reason"])
UPSTREAM_FAILURES = Counter(
    "lam_upstream_failures_total",
    "Failed calls to the model server, by kind (connect, broken, timeout, http_5xx).",
    ["kind"],
)
UPSTREAM_RETRIES = Counter("lam_upstream_retries_total", "Model-server calls retried after a connect failure.")
CIRCUIT_STATE = Gauge(
    "lam_circuit_state", "Model-server circuit breaker: 0 closed, 1 open, 2 half-open.", multiprocess_mode="livemax"
)
PROMPT_TOKENS = Counter("lam_prompt_tokens_total", "Prompt tokens sent to the model.", ["model", "app"])
COMPLETION_TOKENS = Counter("lam_completion_tokens_total", "Tokens the model generated.", ["model", "app"])
ACTIONS = Counter("lam_actions_total", "Actions returned to clients.", ["function", "status"])
REPEATS_LEFT_OUT = Counter(
    "lam_repeats_left_out_total",
    "Steps whose choices left out the action the memory repeated (LAM_REPEAT_LIMIT), by app and function.",
    ["app", "function"],
)
INVALID_OUTPUTS = Counter(
    "lam_invalid_outputs_total", "Model outputs that could not be turned into an action.", ["reason"]
)
TASK_STEPS = _by_model_and_app("lam_task_steps", "Steps of tasks that ended (FINISH/FAIL).", STEP_BUCKETS, "status")
TASK_DURATION = _by_model_and_app(
    "lam_task_duration_seconds", "First step to last of tasks that ended (FINISH/FAIL).", TASK_SECONDS_BUCKETS, "status"
)


def render_latest() -> tuple[bytes, str]:
    """Exposition text of this process, or of all workers in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
