"""Whole-request accounting of /predict_action over HTTP (in-process): every request counted once, under the
outcome, app and model labels it had, whether it failed while parsing, at the key check or in the serving."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY

from bench.factories import predict_body
from service.app import create_app
from service.settings import Settings
from service.vllm_client import VllmClient
from tests.unit.service.upstream_double import UpstreamDouble, action

MODEL = "lam-smollm2-135m"  # Settings().model: the label of the whole-request metrics
SERVED = "served-model"  # the client's model: the label of the model and task metrics
ACCOUNTING = (
    "lam_requests_total",
    "lam_step_latency_seconds_count",
    "lam_rejected_requests_total",
    "lam_invalid_outputs_total",
    "lam_task_steps_count",
)
Snapshot = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def snapshot() -> Snapshot:
    values: Snapshot = {}
    for family in REGISTRY.collect():
        for sample in family.samples:
            if sample.name in ACCOUNTING:
                values[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return values


def delta(before: Snapshot) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    after = snapshot()
    changed = {key: value - before.get(key, 0.0) for key, value in after.items()}
    return {key: value for key, value in changed.items() if value}


def counted(outcome: str, app: str, reason: str | None = None) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """The series one request with this outcome moves, and by how much."""
    expected = {
        ("lam_requests_total", (("outcome", outcome),)): 1.0,
        ("lam_step_latency_seconds_count", (("app", app), ("model", MODEL), ("outcome", outcome))): 1.0,
    }
    if reason:
        expected[("lam_rejected_requests_total", (("reason", reason),))] = 1.0
    return expected


def inflight() -> float:
    return REGISTRY.get_sample_value("lam_inflight_requests") or 0.0


@asynccontextmanager
async def layer(
    double: UpstreamDouble | None = None, transport: httpx.AsyncBaseTransport | None = None, **overrides: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, FastAPI]]:
    settings = Settings(request_timeout_s=2, **overrides)
    client = VllmClient(
        settings.vllm_base_url,
        SERVED,
        request_timeout_s=2,
        connect_timeout_s=1,
        max_connections=4,
        http_transport=transport or (double or UpstreamDouble()).transport(),
    )
    app = create_app(settings, client=client)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://layer"
        ) as http,
    ):
        yield http, app
    await client.aclose()


async def test_success_is_counted_once_under_its_app() -> None:
    async with layer() as (http, _):
        before = snapshot()
        assert (await http.post("/predict_action", json=predict_body(3))).status_code == 200
    assert delta(before) == counted("ok", "word")
    assert inflight() == 0


@pytest.mark.parametrize(
    ("send", "status"),
    [
        (lambda http: http.post("/predict_action", json={**predict_body(3), "app": "nope"}), 404),
        (lambda http: http.post("/predict_action", json={"app": "word"}), 422),
        (lambda http: http.post("/predict_action", content=b"{not json", headers={"content-type": "x"}), 400),
        (lambda http: http.get("/predict_action"), 405),
        (lambda http: http.post("/predict_action", content=b"x" * 300_000), 413),
    ],
    ids=["unknown-app", "missing-fields", "not-json", "wrong-method", "too-large"],
)
async def test_refused_before_the_model_counts_as_invalid_under_unknown_app(
    send: Callable[[httpx.AsyncClient], Any], status: int
) -> None:
    async with layer(max_body_bytes=256 * 1024) as (http, _):
        before = snapshot()
        assert (await send(http)).status_code == status
    assert delta(before) == counted("invalid_request", "unknown")
    assert inflight() == 0


async def test_operator_limit_counts_as_invalid_under_its_app() -> None:
    async with layer(max_controls=2) as (http, _):
        before = snapshot()
        assert (await http.post("/predict_action", json=predict_body(3))).status_code == 422
    assert delta(before) == counted("invalid_request", "word")


@pytest.mark.parametrize(
    ("respond", "status", "outcome", "invalid"),
    [
        (lambda body: action("click_input", "999"), 502, "model_error", "ungrounded"),
        (lambda body: httpx.Response(500, text="boom"), 503, "unavailable", None),
        (lambda body: (_ for _ in ()).throw(httpx.ReadTimeout("slow")), 504, "timeout", None),
    ],
    ids=["ungrounded", "upstream-500", "timeout"],
)
async def test_model_failures_count_under_their_outcome_and_app(
    respond: Any, status: int, outcome: str, invalid: str | None
) -> None:
    double = UpstreamDouble(respond)
    async with layer(double, upstream_retries=0) as (http, _):
        before = snapshot()
        assert (await http.post("/predict_action", json=predict_body(3))).status_code == status
    expected = counted(outcome, "word")
    if invalid:
        changes = delta(before)
        assert {k: v for k, v in changes.items() if k[0] != "lam_invalid_outputs_total"} == expected
        assert [k for k in changes if k[0] == "lam_invalid_outputs_total"]  # the reason is the grounding's
    else:
        assert delta(before) == expected
    assert inflight() == 0


async def test_unexpected_error_counts_as_internal_under_its_app() -> None:
    def broken(body: dict[str, Any]) -> httpx.Response:
        raise RuntimeError("a bug")

    async with layer(UpstreamDouble(broken)) as (http, _):
        before = snapshot()
        response = await http.post("/predict_action", json=predict_body(3))
    assert response.status_code == 500 and response.json()["error"]["type"] == "internal_error"
    assert delta(before) == counted("internal_error", "word")
    assert inflight() == 0


async def test_missing_key_counts_as_unauthorized_under_unknown_app() -> None:
    async with layer(api_keys="k1") as (http, _):  # type: ignore[arg-type]
        before = snapshot()
        assert (await http.post("/predict_action", json=predict_body(3))).status_code == 401
        assert (await http.get("/v1/action-spaces")).status_code == 401  # not /predict_action: not counted
    assert delta(before) == counted("unauthorized", "unknown", reason="unauthorized")


async def test_other_routes_are_not_counted() -> None:
    async with layer() as (http, _):
        before = snapshot()
        assert (await http.get("/v1/action-spaces/nope")).status_code == 404
        assert (await http.get("/no-such-path")).status_code == 404
        assert (await http.get("/v1/action-spaces")).status_code == 200
    assert delta(before) == {}


async def test_shutting_down_counts_as_rejected_under_its_app() -> None:
    async with layer() as (http, app):
        app.state.context.serving.gate.close()
        before = snapshot()
        response = await http.post("/predict_action", json=predict_body(3))
    assert response.status_code == 503 and response.headers["retry-after"] == "1"
    assert delta(before) == counted("rejected", "word", reason="shutting_down")
    assert inflight() == 0


async def test_overload_counts_as_rejected_and_the_gauge_follows_the_slot() -> None:
    release = asyncio.Event()
    entered = asyncio.Event()
    double = UpstreamDouble()

    async def slow(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/chat/completions"):
            entered.set()
            await release.wait()
        return double.handler(request)

    async with layer(transport=httpx.MockTransport(slow), max_concurrency=1, max_queue=0) as (http, _):
        first = asyncio.ensure_future(http.post("/predict_action", json=predict_body(3)))
        await entered.wait()
        assert inflight() == 1
        before = snapshot()
        refused = await http.post("/predict_action", json=predict_body(3))
        assert refused.status_code == 429 and refused.headers["retry-after"].isdigit()
        assert delta(before) == counted("rejected", "word", reason="overloaded")
        assert inflight() == 1  # the refused one left the gauge as it found it
        release.set()
        assert (await first).status_code == 200
    assert inflight() == 0


async def test_a_finished_task_is_observed_under_the_served_model() -> None:
    double = UpstreamDouble(lambda body: action("", status="FINISH"))
    async with layer(double) as (http, _):
        before = snapshot()
        body = predict_body(3, task_id="t-1", memory={"steps": [], "plan": []})
        assert (await http.post("/predict_action", json=body)).status_code == 200
        assert (await http.post("/predict_action", json=predict_body(3))).status_code == 200  # no task id
    changes = delta(before)
    tasks = {k: v for k, v in changes.items() if k[0] == "lam_task_steps_count"}
    assert tasks == {("lam_task_steps_count", (("app", "word"), ("model", SERVED), ("status", "FINISH"))): 1.0}
    assert changes[("lam_requests_total", (("outcome", "ok"),))] == 2
