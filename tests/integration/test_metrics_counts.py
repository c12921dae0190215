"""After N requests the step-latency series of /metrics sum to N, each outcome counted where it happened."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bench.factories import predict_body

pytestmark = pytest.mark.integration


def step_counts(layer_url: str) -> dict[str, float]:
    text = httpx.get(f"{layer_url}/metrics", timeout=10).text
    counts: dict[str, float] = {}
    for outcome, value in re.findall(
        r'^lam_step_latency_seconds_count\{[^}]*outcome="([a-z_]+)"[^}]*\} (\S+)$', text, flags=re.M
    ):
        counts[outcome] = counts.get(outcome, 0.0) + float(value)
    return counts


def test_fifty_requests_counted_by_outcome(layer_url: str) -> None:
    before = step_counts(layer_url)
    bodies = (
        [predict_body(10, request=f"Make paragraph {i} bold") for i in range(10)]
        + [{**predict_body(3), "app": "no-such-app"} for _ in range(15)]
        + [{"app": "word", "observation": {"controls": []}} for _ in range(25)]
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = list(
            pool.map(lambda b: httpx.post(f"{layer_url}/predict_action", json=b, timeout=120).status_code, bodies)
        )
    after = step_counts(layer_url)
    delta = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in after}
    assert sum(delta.values()) == 50
    assert codes.count(404) == 15 and codes.count(422) == 25
    assert delta.get("invalid_request") == 40
    served = [c for c in codes[:10]]
    assert delta.get("ok", 0) == served.count(200)
    assert delta.get("rejected", 0) == served.count(429)
