"""Circuit breaker and retry budget: fail fast while vLLM is down, recover without a restart, and
retry only connect failures, within a budget."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.factories import predict_body
from service.circuit import CircuitBreaker, CircuitState, RetryBudget
from service.errors import CircuitOpen
from service.settings import DEFAULT_MODEL
from stack.fault_upstream import valid_content
from tests.conftest import free_port
from tests.reliability.conftest import FaultUpstream, assert_error, layer_settings, metric, running_layer
from tests.unit.service.upstream_double import completion


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_after_threshold_and_probes_once_after_cooldown() -> None:
    clock = FakeClock()
    changes: list[CircuitState] = []
    breaker = CircuitBreaker(3, cooldown_s=5, clock=clock, on_change=changes.append)
    for _ in range(2):
        assert breaker.before_call() is False
        breaker.record_failure()
    breaker.record_success()  # consecutive failures only
    for _ in range(3):
        breaker.before_call()
        breaker.record_failure()
    assert breaker.state is CircuitState.OPEN
    with pytest.raises(CircuitOpen) as refused:
        breaker.before_call()
    assert refused.value.headers() == {"Retry-After": "5"} and refused.value.reject_reason == "circuit_open"
    clock.now += 5
    assert breaker.before_call() is True  # the one trial
    assert breaker.state is CircuitState.HALF_OPEN
    with pytest.raises(CircuitOpen):
        breaker.before_call()  # others still fail fast while it runs
    breaker.record_failure()
    assert breaker.state is CircuitState.OPEN  # a failed trial reopens at once
    clock.now += 5
    assert breaker.before_call() is True
    breaker.release_trial()  # cancelled: no verdict, the next call may probe
    assert breaker.before_call() is True
    breaker.record_success()
    assert breaker.state is CircuitState.CLOSED and breaker.before_call() is False
    assert changes == [CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.OPEN, CircuitState.HALF_OPEN,
                       CircuitState.CLOSED]  # fmt: skip


def test_retry_budget_caps_retries_at_a_fraction_of_calls() -> None:
    budget = RetryBudget(0.1, reserve=3)
    spent = 0
    for _ in range(1000):
        budget.record_attempt()
        spent += budget.try_spend()
    assert 100 <= spent <= 103


async def test_circuit_fails_fast_while_down_and_recovers_without_restart(tmp_path: Path) -> None:
    port = free_port()  # nothing listens yet: connection refused
    settings = layer_settings(
        f"http://127.0.0.1:{port}", tmp_path, circuit_failure_threshold=3, circuit_cooldown_s=0.3, upstream_retries=0
    )
    refused_before = metric("lam_rejected_requests_total", reason="circuit_open")
    upstream = FaultUpstream(port)
    try:
        async with running_layer(settings) as layer:
            for _ in range(3):
                error = assert_error(await layer.post("/predict_action", json=predict_body(2)), 503, "unavailable")
                assert "could not connect" in error["message"]
            assert metric("lam_circuit_state") == CircuitState.OPEN.value
            started = time.perf_counter()
            response = await layer.post("/predict_action", json=predict_body(2))
            assert "circuit open" in assert_error(response, 503, "unavailable")["message"]
            assert time.perf_counter() - started < 0.05 and response.headers["retry-after"] == "1"
            assert metric("lam_rejected_requests_total", reason="circuit_open") == refused_before + 1

            upstream.start()
            deadline = time.perf_counter() + 5
            while (response := await layer.post("/predict_action", json=predict_body(2))).status_code != 200:
                assert response.status_code == 503 and time.perf_counter() < deadline, response.text
                await asyncio.sleep(0.05)
            assert metric("lam_circuit_state") == CircuitState.CLOSED.value
    finally:
        upstream.stop()


async def test_readiness_probe_closes_the_circuit_before_the_cooldown(tmp_path: Path) -> None:
    port = free_port()
    settings = layer_settings(f"http://127.0.0.1:{port}", tmp_path, circuit_failure_threshold=2, circuit_cooldown_s=60)
    upstream = FaultUpstream(port)
    try:
        async with running_layer(settings) as layer:
            for _ in range(2):
                await layer.post("/predict_action", json=predict_body(2))
            assert "circuit open" in assert_error(await layer.post("/predict_action", json=predict_body(2)), 503,
                                                   "unavailable")["message"]  # fmt: skip
            upstream.start()
            deadline = time.perf_counter() + 3
            while (await layer.get("/readyz")).status_code != 200:
                assert time.perf_counter() < deadline
                await asyncio.sleep(0.05)
            assert (await layer.post("/predict_action", json=predict_body(2))).status_code == 200
    finally:
        upstream.stop()


class CountingTransport(httpx.AsyncBaseTransport):
    """Fails chat calls with ``failures`` in order, then answers validly; counts attempts."""

    def __init__(self, failures: list[Exception]) -> None:
        self.failures = failures
        self.attempts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/models"):
            return httpx.Response(200, json={"data": [{"id": DEFAULT_MODEL}]})
        self.attempts += 1
        if self.failures:
            raise self.failures.pop(0)
        body: dict[str, Any] = json.loads(request.content)
        return completion(valid_content(body))


@pytest.mark.parametrize(
    ("failure", "status", "attempts"),
    [
        (httpx.ConnectError("refused"), 200, 2),  # not sent: retried
        (httpx.ConnectTimeout("no SYN-ACK"), 200, 2),
        (httpx.ReadError("reset by peer"), 503, 1),  # sent: vLLM may be working on it, not retried
        (httpx.RemoteProtocolError("server disconnected"), 503, 1),
        (httpx.ReadTimeout("slow"), 504, 1),
    ],
)
async def test_only_unsent_calls_are_retried(tmp_path: Path, failure: Exception, status: int, attempts: int) -> None:
    transport = CountingTransport([failure])
    async with running_layer(layer_settings("http://upstream", tmp_path, upstream_retries=1), transport) as layer:
        response = await layer.post("/predict_action", json=predict_body(2))
    assert response.status_code == status, response.text
    assert transport.attempts == attempts


async def test_retries_stay_within_the_budget(tmp_path: Path) -> None:
    transport = CountingTransport([httpx.ConnectError("refused") for _ in range(1000)])
    settings = layer_settings(
        "http://upstream", tmp_path, upstream_retries=3, retry_budget_ratio=0.1, circuit_failure_threshold=10_000
    )
    async with running_layer(settings, transport) as layer:
        for _ in range(50):
            assert_error(await layer.post("/predict_action", json=predict_body(2)), 503, "unavailable")
    # 50 calls: the 3-token reserve plus 10 % of the calls, never 3 retries each.
    assert 50 + 3 <= transport.attempts <= 50 + 3 + 5
