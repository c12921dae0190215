"""End to end: a real Prometheus scrapes a real layer and a real vLLM (the session's ``layer_url`` and
``vllm_url``) while agents' steps go through, then every dashboard panel's query must return data.

A panel may come back empty only when the layer never produced the samples it reads (for instance
no task ended with FINISH/FAIL during the run): that is checked against the layer's own /metrics
text and reported as a warning, since the fast stand-in test (test_dashboard.py) covers those
queries on synthetic data. Anything else empty is a broken query and fails.
"""

from __future__ import annotations

import math
import re
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

pytestmark = pytest.mark.integration

CONTROLS = [
    {"label": "1", "control_type": "Button", "name": "Bold"},
    {"label": "2", "control_type": "Button", "name": "Italic"},
    {"label": "3", "control_type": "ComboBox", "name": "Font"},
    {"label": "4", "control_type": "TabItem", "name": "Insert"},
    {"label": "5", "control_type": "Edit", "name": "Search"},
    {"label": "6", "control_type": "Document", "name": "Page 1 content"},
]
REQUESTS = [
    "Make the title bold",
    "Insert a table with 2 rows and 3 columns",
    "Select the text 'Quarterly report'",
    "Italicize the first paragraph",
]


def valid_body(task: int, step: int) -> dict[str, Any]:
    memory_steps = [
        {
            "control_label": "",
            "control_text": "",
            "function": "select_text",
            "args": {"text": "Quarterly report"},
            "status": "CONTINUE",
            "result": "ok",
        }
    ] * step
    return {
        "request": REQUESTS[task % len(REQUESTS)],
        "app": "word",
        "observation": {"window_title": "report.docx - Word", "controls": CONTROLS},
        "memory": {"steps": memory_steps, "plan": []},
        "options": {"include_thought": False, "include_plan": False},
        "task_id": f"e2e-task-{task}",
        "step": step,
    }


def invalid_body(i: int) -> dict[str, Any]:
    bodies: list[dict[str, Any]] = [
        {"app": "word", "observation": {"controls": CONTROLS}},  # no request
        {"request": "x", "app": "word", "observation": {"controls": [CONTROLS[0], CONTROLS[0]]}},  # duplicate labels
        {"request": "x", "app": "word", "observation": {"controls": CONTROLS}, "surprise": 1},  # extra field
    ]
    return bodies[i % len(bodies)]


def send_traffic(layer_url: str) -> dict[int, int]:
    """~20 steps: 4 tasks of 4 steps, 4 at a time, with a 422 between rounds."""
    statuses: dict[int, int] = {}

    def post(body: dict[str, Any]) -> int:
        with httpx.Client(base_url=layer_url, timeout=60) as client:
            return client.post("/predict_action", json=body).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        for step in range(4):
            codes = list(pool.map(post, [valid_body(task, step) for task in range(4)]))
            codes.append(post(invalid_body(step)))
            for code in codes:
                statuses[code] = statuses.get(code, 0) + 1
            time.sleep(1.0)  # let Prometheus scrape between rounds: counters must move, not just appear
    return statuses


def families_with_samples(exposition: str) -> set[str]:
    names = set()
    for line in exposition.splitlines():
        if line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return {re.sub(r"_(bucket|sum|count|total|created)$", "", n) for n in names}


def has_data(result: list[dict[str, Any]]) -> bool:
    return bool(result) and all(not math.isnan(float(r["value"][1])) for r in result)


def test_every_dashboard_panel_has_data_from_real_traffic(
    layer_url: str,
    vllm_url: str,
    render_prom_config: Callable[..., str],
    start_prometheus: Callable[[str], Any],
    panel_queries: list[Any],
    grafana_substitute: Callable[[str, dict[str, str]], str],
) -> None:
    targets = {"lam-layer": urlsplit(layer_url).netloc, "vllm": urlsplit(vllm_url).netloc}
    prometheus = start_prometheus(render_prom_config(targets, interval="1s"))
    prometheus.wait_for_scrapes(list(targets), samples=2, timeout_s=30)

    statuses = send_traffic(layer_url)
    assert statuses.get(422, 0) == 4, statuses
    assert statuses.get(200, 0) > 0, f"no step succeeded: {statuses}"

    # Wait until Prometheus holds the layer's final count, then two more scrapes for the rates.
    expected = sum(statuses.values())
    deadline = time.monotonic() + 30
    while True:
        result = prometheus.query('sum(lam_requests_total{job="lam-layer"})')
        if result and float(result[0]["value"][1]) >= expected:
            break
        assert time.monotonic() < deadline, f"Prometheus never saw {expected} requests: {result}"
        time.sleep(0.5)
    time.sleep(2.5)

    exposition = httpx.get(f"{layer_url}/metrics", timeout=10).text
    produced = families_with_samples(exposition)
    values = {"__rate_interval": "1m", "app": ".*", "model": ".*", "datasource": "prometheus"}
    broken, not_exercised = [], []
    for query in panel_queries:
        expr = grafana_substitute(query.expr, values)
        if has_data(prometheus.query(expr)):
            continue
        layer_families = {
            re.sub(r"_(bucket|sum|count|total|created)$", "", name)
            for name in re.findall(r"(?<![\w:])(lam_[a-zA-Z0-9_]+)", expr)
        }
        if layer_families and not layer_families <= produced:
            not_exercised.append(f"{query} (no samples of {sorted(layer_families - produced)})")
        else:
            broken.append(f"{query}: {expr}")
    assert not broken, "panels without data although their metrics were produced:\n" + "\n".join(broken)
    if not_exercised:
        warnings.warn("panels not exercised by this run: " + "; ".join(not_exercised), stacklevel=1)

    # Recording rules computed on the real series, too.
    assert has_data(prometheus.query("model_app:lam_step_latency_seconds:p95_5m"))
    assert has_data(prometheus.query(":lam_requests:error_ratio_5m"))
