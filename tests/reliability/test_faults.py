"""Model-server faults over real TCP (``stack.fault_upstream``): every one becomes a typed error in
the one shape, within the configured timeout, and ``/readyz`` follows vLLM without a layer restart."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bench.factories import predict_body
from service.protocol import PredictResponse
from tests.conftest import free_port
from tests.reliability.conftest import FaultUpstream, assert_error, layer_settings, metric, running_layer

TIMEOUT_S = 0.5


async def test_normal_mode_answers_a_grounded_action(upstream: FaultUpstream, tmp_path: Path) -> None:
    async with running_layer(layer_settings(upstream.url, tmp_path)) as layer:
        response = await layer.post("/predict_action", json=predict_body(4))
    assert response.status_code == 200, response.text
    result = PredictResponse.model_validate(response.json())
    assert result.action is not None and result.action.control_label == "1"
    assert (await upstream.stats())["chat_requests"] == 1


@pytest.mark.parametrize(
    ("mode", "status", "error_type", "invalid_reason"),
    [
        ("slow", 504, "timeout", None),
        ("hang", 504, "timeout", None),
        ("error500", 503, "unavailable", None),
        ("unavailable", 503, "unavailable", None),
        ("drop", 503, "unavailable", None),
        ("reset", 503, "unavailable", None),
        ("garbage", 502, "model_error", "invalid_response"),
        ("invalid_output", 502, "model_error", None),
        ("ungrounded", 502, "model_error", "ungrounded_label"),
        ("truncated", 502, "model_error", "truncated"),
    ],
)
async def test_fault_is_typed_and_bounded(
    upstream: FaultUpstream, tmp_path: Path, mode: str, status: int, error_type: str, invalid_reason: str | None
) -> None:
    await upstream.set(mode, delay_s=TIMEOUT_S + 2)
    before = metric("lam_invalid_outputs_total", reason=invalid_reason or "none")
    async with running_layer(layer_settings(upstream.url, tmp_path, request_timeout_s=TIMEOUT_S)) as layer:
        started = time.perf_counter()
        response = await layer.post("/predict_action", json=predict_body(3))
        elapsed = time.perf_counter() - started
    error = assert_error(response, status, error_type)
    assert error["message"]
    assert elapsed < TIMEOUT_S + 0.5, f"{mode} took {elapsed:.2f} s"
    if invalid_reason:
        assert metric("lam_invalid_outputs_total", reason=invalid_reason) == before + 1


async def test_refused_connection_is_503_and_retried_once(tmp_path: Path) -> None:
    settings = layer_settings(f"http://127.0.0.1:{free_port()}", tmp_path, upstream_retries=1)
    retries = metric("lam_upstream_retries_total")
    async with running_layer(settings) as layer:
        started = time.perf_counter()
        error = assert_error(await layer.post("/predict_action", json=predict_body(2)), 503, "unavailable")
    assert "could not connect" in error["message"]
    assert time.perf_counter() - started < 0.5
    assert metric("lam_upstream_retries_total") == retries + 1


async def _poll_readyz(layer, want: int, within_s: float) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    while time.perf_counter() - started < within_s:
        if (await layer.get("/readyz")).status_code == want:
            return time.perf_counter() - started
        await asyncio.sleep(0.02)
    raise AssertionError(f"/readyz did not turn {want} within {within_s} s")


async def test_readyz_follows_a_killed_and_restarted_upstream(tmp_path: Path) -> None:
    upstream = FaultUpstream().start()
    try:
        async with running_layer(layer_settings(upstream.url, tmp_path)) as layer:
            assert (await layer.get("/readyz")).status_code == 200
            assert (await layer.post("/predict_action", json=predict_body(2))).status_code == 200
            upstream.kill()
            assert await _poll_readyz(layer, 503, within_s=1.5) < 1.5  # <1 s when quiet; slack for busy CI
            assert_error(await layer.get("/readyz"), 503, "unavailable")
            assert_error(await layer.post("/predict_action", json=predict_body(2)), 503, "unavailable")
            upstream.start()  # same port, same layer: no restart
            await _poll_readyz(layer, 200, within_s=5.0)
            response = await layer.post("/predict_action", json=predict_body(2))
            assert response.status_code == 200, response.text
    finally:
        upstream.stop()


@pytest.mark.parametrize("mode", ["unavailable", "hang"])
async def test_readyz_503_within_a_second_when_engine_fails_or_stalls(
    upstream: FaultUpstream, tmp_path: Path, mode: str
) -> None:
    async with running_layer(layer_settings(upstream.url, tmp_path, readiness_timeout_s=0.5)) as layer:
        assert (await layer.get("/readyz")).status_code == 200
        await upstream.set(mode, all_endpoints=True)
        assert await _poll_readyz(layer, 503, within_s=1.5) < 1.5  # <1 s when quiet; slack for busy CI
        await upstream.set("normal")
        await _poll_readyz(layer, 200, within_s=2.0)
