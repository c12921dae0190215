"""``ActionServing`` without HTTP: what a step does before, around and after the model call."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY
from starlette.requests import Request

from bench.factories import predict_body
from service.admission import AdmissionGate
from service.concurrency_limit import ConcurrencyLimit
from service.errors import InvalidRequest, ModelTimeout, Overloaded, ShuttingDown, UnknownApp
from service.limits import InputLimits
from service.outcomes import Outcomes
from service.protocol import PredictRequest
from service.serving import ActionServing
from service.task_tracker import TaskTracker
from tests.unit.service.upstream_double import UpstreamDouble, action, predictor_on

MODEL = "serving-unit-model"  # a label of its own: these tests read their own series


def steps(outcome: str, app: str = "word") -> float:
    labels = {"model": MODEL, "app": app, "outcome": outcome}
    return REGISTRY.get_sample_value("lam_step_latency_seconds_count", labels) or 0.0


def all_steps() -> float:
    return sum(
        s.value
        for family in REGISTRY.collect()
        for s in family.samples
        if s.name == "lam_step_latency_seconds_count" and s.labels.get("model") == MODEL
    )


def inflight() -> float:
    return REGISTRY.get_sample_value("lam_inflight_requests") or 0.0


def rejected(reason: str) -> float:
    return REGISTRY.get_sample_value("lam_rejected_requests_total", {"reason": reason}) or 0.0


@dataclass
class Upstream:
    """The model server, as an async MockTransport: ``during`` runs inside each chat call."""

    double: UpstreamDouble
    during: Callable[[], Awaitable[None]] | None = None
    chats: int = 0

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/chat/completions"):
            self.chats += 1
            if self.during is not None:
                await self.during()
        return self.double.handler(request)


@pytest.fixture
def upstream() -> Upstream:
    return Upstream(UpstreamDouble())


@pytest.fixture
async def serving(upstream: Upstream) -> AsyncIterator[ActionServing]:
    predictor, client = predictor_on(httpx.MockTransport(upstream.handle))
    yield ActionServing(
        predictor=predictor,
        gate=AdmissionGate(ConcurrencyLimit(pinned=1), max_queue=0, queue_timeout_s=1),
        limits=InputLimits(max_controls=10),
        tasks=TaskTracker(max_tasks=16, ttl_s=60),
        outcomes=Outcomes(MODEL),
    )
    await client.aclose()


def request(**overrides: Any) -> PredictRequest:
    return PredictRequest.model_validate({**predict_body(3), **overrides})


async def step(serving: ActionServing, body: PredictRequest) -> Any:
    return await serving.step(body, "req-1", time.perf_counter())


async def test_a_step_answers_and_counts_ok_once(serving: ActionServing, upstream: Upstream) -> None:
    before_ok, before_all = steps("ok"), all_steps()
    response = await step(serving, request())
    assert response.request_id == "req-1" and response.model == "served-model"
    assert steps("ok") == before_ok + 1 and all_steps() == before_all + 1
    assert upstream.chats == 1 and inflight() == 0 and serving.gate.inflight == 0


async def test_the_gauge_and_the_slot_are_held_only_around_the_model_call(
    serving: ActionServing, upstream: Upstream
) -> None:
    seen: list[tuple[float, int]] = []

    async def look() -> None:
        seen.append((inflight(), serving.gate.inflight))

    upstream.during = look
    before = inflight()
    await step(serving, request())
    assert seen == [(before + 1, 1)]
    assert inflight() == before


async def test_unknown_app_is_refused_before_a_slot_is_taken(serving: ActionServing, upstream: Upstream) -> None:
    """With the only slot held, an unknown app still gets its 404 (not a 429) and never reaches the model."""
    release = asyncio.Event()
    entered = asyncio.Event()

    async def hold() -> None:
        entered.set()
        await release.wait()

    upstream.during = hold
    holder = asyncio.create_task(step(serving, request()))
    await entered.wait()
    before = (steps("invalid_request", "unknown"), inflight())
    with pytest.raises(UnknownApp):
        await step(serving, request(app="nope"))
    assert (steps("invalid_request", "unknown"), inflight()) == (before[0] + 1, before[1])
    assert serving.gate.inflight == 1 and upstream.chats == 1  # only the holder's
    release.set()
    await holder


async def test_operator_limits_are_checked_before_the_app_and_the_slot(serving: ActionServing) -> None:
    serving.gate.close()  # a closed gate would answer 503: the limit's 422 comes first
    before = steps("invalid_request")
    with pytest.raises(InvalidRequest) as refused:
        await step(serving, request(observation={"controls": predict_body(11)["observation"]["controls"]}))
    assert not isinstance(refused.value, UnknownApp) and refused.value.field == "observation.controls"
    assert steps("invalid_request") == before + 1
    with pytest.raises(UnknownApp):
        await step(serving, request(app="nope"))


async def test_gauge_is_back_after_a_model_error_counted_once(serving: ActionServing, upstream: Upstream) -> None:
    def hang(body: dict[str, Any]) -> httpx.Response:
        raise httpx.ReadTimeout("slow")

    upstream.double.respond = hang
    before_gauge, before_all, before_timeout = inflight(), all_steps(), steps("timeout")
    with pytest.raises(ModelTimeout):
        await step(serving, request(task_id="t-err"))
    assert inflight() == before_gauge and serving.gate.inflight == 0
    assert steps("timeout") == before_timeout + 1 and all_steps() == before_all + 1
    assert "t-err" not in serving.tasks  # a failed step is not a step of the task


async def test_an_unexpected_error_counts_as_internal_error(serving: ActionServing, upstream: Upstream) -> None:
    def broken(body: dict[str, Any]) -> httpx.Response:
        raise RuntimeError("a bug")

    upstream.double.respond = broken
    before = steps("internal_error")
    with pytest.raises(RuntimeError):
        await step(serving, request())
    assert steps("internal_error") == before + 1 and inflight() == 0


async def test_refusals_count_as_rejected_with_their_reason(serving: ActionServing, upstream: Upstream) -> None:
    release = asyncio.Event()
    entered = asyncio.Event()

    async def hold() -> None:
        entered.set()
        await release.wait()

    upstream.during = hold
    holder = asyncio.create_task(step(serving, request()))
    await entered.wait()
    before = (steps("rejected"), rejected("overloaded"), inflight())
    with pytest.raises(Overloaded):
        await step(serving, request())
    assert (steps("rejected"), rejected("overloaded"), inflight()) == (before[0] + 1, before[1] + 1, before[2])
    release.set()
    await holder
    serving.gate.close()
    before_shutdown = rejected("shutting_down")
    with pytest.raises(ShuttingDown):
        await step(serving, request())
    assert rejected("shutting_down") == before_shutdown + 1 and inflight() == 0


async def test_a_cancelled_step_is_not_counted_and_gives_back_gauge_and_slot(
    serving: ActionServing, upstream: Upstream
) -> None:
    entered = asyncio.Event()

    async def stall() -> None:
        entered.set()
        await asyncio.sleep(30)

    upstream.during = stall
    before_gauge, before_all = inflight(), all_steps()
    task = asyncio.create_task(step(serving, request()))
    await entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (inflight(), all_steps(), serving.gate.inflight) == (before_gauge, before_all, 0)


async def test_task_steps_are_tracked_only_with_a_task_id(serving: ActionServing, upstream: Upstream) -> None:
    upstream.double.respond = lambda body: action("click_input", "1", {"double": False})  # CONTINUE
    await step(serving, request())
    assert len(serving.tasks) == 0
    await step(serving, request(task_id="t-1"))
    assert "t-1" in serving.tasks
    finished = {"model": "served-model", "app": "word", "status": "FINISH"}  # the task's model: the client's
    before = REGISTRY.get_sample_value("lam_task_steps_count", finished) or 0.0
    upstream.double.respond = lambda body: action("", status="FINISH")
    await step(serving, request(task_id="t-1"))
    assert "t-1" not in serving.tasks
    assert REGISTRY.get_sample_value("lam_task_steps_count", finished) == before + 1


def _scope_request(path: str) -> Request:
    return Request({"type": "http", "method": "POST", "path": path, "headers": [], "state": {"started": 0.0}})


async def test_a_failure_the_serving_counted_is_not_counted_again_at_the_boundary(
    serving: ActionServing, upstream: Upstream
) -> None:
    def hang(body: dict[str, Any]) -> httpx.Response:
        raise httpx.ReadTimeout("slow")

    upstream.double.respond = hang
    with pytest.raises(ModelTimeout) as failed:
        await step(serving, request())
    before = all_steps()
    serving.outcomes.record_unserved(_scope_request("/predict_action"), failed.value, "timeout")
    assert all_steps() == before  # the error handler answering it counts nothing more
    fresh = ModelTimeout("never reached the serving")
    serving.outcomes.record_unserved(_scope_request("/predict_action"), fresh, "timeout")
    serving.outcomes.record_unserved(_scope_request("/v1/action-spaces"), ModelTimeout("other route"), "timeout")
    assert all_steps() == before + 1 and steps("timeout", "unknown") >= 1
