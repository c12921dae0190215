"""Graceful shutdown of a real ``python -m service`` process: on SIGTERM readiness turns 503 and new
requests are refused, requests in flight finish with 200, and past the grace period they get a 503
rather than a dropped connection; then the process exits."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bench.factories import predict_body
from stack.engine import stop, wait_ready
from tests.conftest import LOGS, free_port, start_layer
from tests.reliability.conftest import FaultUpstream

KEY = "sk-shutdown-test-7c2e9a41"
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture
def slow_upstream() -> Iterator[FaultUpstream]:
    upstream = FaultUpstream().start(mode="slow", delay_s=2.0)
    try:
        yield upstream
    finally:
        upstream.stop()


def _layer(upstream: FaultUpstream, **env: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env.setdefault("LAM_MAX_CONCURRENCY", "4")
    proc = start_layer(port, f"{upstream.url}/v1", LAM_API_KEYS=KEY, LAM_LOG_LEVEL="debug", **env)
    url = f"http://127.0.0.1:{port}"
    wait_ready(f"{url}/healthz", 30, proc)
    return proc, url


def _predict(url: str) -> httpx.Response:
    return httpx.post(f"{url}/predict_action", json=predict_body(3), headers=AUTH, timeout=30)


def _wait_in_flight(upstream: FaultUpstream, count: int) -> None:
    deadline = time.monotonic() + 10
    while httpx.get(f"{upstream.url}/admin/stats").json()["in_flight"] < count:
        assert time.monotonic() < deadline, "requests never reached the upstream"
        time.sleep(0.02)


def test_sigterm_refuses_new_work_and_finishes_in_flight(slow_upstream: FaultUpstream) -> None:
    proc, url = _layer(slow_upstream, LAM_SHUTDOWN_DRAIN_DELAY_S="0.6", LAM_SHUTDOWN_GRACE_S="10")
    try:
        with ThreadPoolExecutor(3) as pool:
            in_flight = [pool.submit(_predict, url) for _ in range(3)]
            _wait_in_flight(slow_upstream, 3)
            os.kill(proc.pid, signal.SIGTERM)
            sigterm = time.monotonic()
            # Drain delay: still listening, but not ready and not admitting.
            ready = httpx.get(f"{url}/readyz", timeout=5)
            refused = _predict(url)
            assert time.monotonic() - sigterm < 0.6, "checked too late: the socket may be closed"
            assert ready.status_code == 503 and ready.json()["error"]["type"] == "unavailable"
            assert refused.status_code == 503 and "shutting down" in refused.json()["error"]["message"]
            assert refused.headers["retry-after"] == "1"
            # Then the socket closes: new connections are refused (or reset, when one lands in the
            # listen backlog just as the socket closes: the server never answers it either).
            deadline = time.monotonic() + 3
            while True:
                try:
                    httpx.get(f"{url}/healthz", timeout=1)
                except (httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError):
                    break
                assert time.monotonic() < deadline, "still accepting connections"
                time.sleep(0.05)
            results = [f.result() for f in in_flight]
        assert [r.status_code for r in results] == [200, 200, 200], [r.text for r in results]
        assert proc.wait(timeout=10) in (0, -signal.SIGTERM)
    finally:
        stop(proc)
    log = (LOGS / f"layer-{url.rsplit(':', 1)[1]}.log").read_text()
    assert "SIGTERM" in log and KEY not in log


def test_past_the_grace_period_in_flight_requests_get_a_503(slow_upstream: FaultUpstream) -> None:
    httpx.post(f"{slow_upstream.url}/admin/mode", json={"mode": "hang"}).raise_for_status()
    proc, url = _layer(slow_upstream, LAM_SHUTDOWN_GRACE_S="0.5", LAM_REQUEST_TIMEOUT_S="30")
    try:
        with ThreadPoolExecutor(2) as pool:
            in_flight = [pool.submit(_predict, url) for _ in range(2)]
            _wait_in_flight(slow_upstream, 2)
            os.kill(proc.pid, signal.SIGTERM)
            sigterm = time.monotonic()
            results = [f.result() for f in in_flight]
        assert time.monotonic() - sigterm < 1.5
        for response in results:
            assert response.status_code == 503, response.text
            assert "grace period" in response.json()["error"]["message"]
        assert proc.wait(timeout=10) in (0, -signal.SIGTERM)
    finally:
        stop(proc)
