"""Rollouts through the service (``models.train.served``): the same episode as in-process decoding would
play, a bad answer ends the episode, the service's own trouble stops the run; the lazy policy loads
nothing for a run whose episodes are on file."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from lam.client import LamClient, LamClientError, RetryPolicy
from lam.tasks.model import Task
from lam.tasks.v2.generate import feasible_task
from models.train.policy import Decision, LazyPolicy, Policy
from models.train.rollout import roll_out, run_episode
from models.train.served import ServedPolicy
from service.errors import ModelOutputError
from service.protocol import PredictRequest


def _task() -> Task:
    return feasible_task("italic", "train", 0, 1)[0]


def _answer(action: dict[str, Any] | None, status: str) -> dict[str, Any]:
    return {
        "action": action,
        "status": status,
        "model": "lam",
        "usage": {"prompt_tokens": 10, "completion_tokens": 3},
        "timing_ms": {"total": 1.0, "model": 1.0},
        "request_id": "r",
        "prompt_format": "compact-v2",
    }


def _policy(handler: Any) -> ServedPolicy:
    client = LamClient("http://lam", transport=httpx.MockTransport(handler), retry=RetryPolicy(max_retries=0))
    return ServedPolicy("http://lam", client)


def test_each_step_is_one_predict_call_and_the_answer_is_the_decision() -> None:
    seen: list[dict[str, Any]] = []
    answers = [
        _answer({"function": "click_input", "args": {}, "control_label": "1"}, "CONTINUE"),
        _answer(None, "FINISH"),
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=answers[len(seen) - 1])

    episode = run_episode(_policy(handler), _task(), max_steps=5)
    assert [s["status"] for s in episode["trajectory"]["steps"]] == ["CONTINUE", "FINISH"]
    assert episode["ended"] == "FINISH"
    assert [body["step"] for body in seen] == [0, 1]
    assert seen[1]["memory"]["steps"][0]["function"] == "click_input"  # the episode's memory is sent
    assert seen[0]["request"] == _task().request


def test_an_error_answer_ends_the_episode_as_a_model_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, json={"error": {"type": "model_output", "message": "no action"}})

    with pytest.raises(ModelOutputError) as caught:
        _policy(handler).act(PredictRequest.model_validate(_body()))
    assert caught.value.reason == "502 model_output"
    episode = run_episode(_policy(handler), _task(), max_steps=5)
    assert episode["ended"] == "error" and not episode["success"]


def test_the_service_not_answering_stops_the_run() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json={"error": {"type": "unavailable", "message": "down"}})

    with pytest.raises(LamClientError):
        run_episode(_policy(handler), _task(), max_steps=5)


def test_sampled_tries_are_refused() -> None:
    with pytest.raises(ValueError, match="greedily"):
        _policy(lambda r: httpx.Response(500)).act(PredictRequest.model_validate(_body()), temperature=0.7)


def _body() -> dict[str, Any]:
    return {"request": "Make it bold", "app": "word", "observation": {"controls": [{"label": "1", "name": "Bold"}]}}


def test_the_lazy_policy_builds_its_model_at_the_first_step_only() -> None:
    built: list[int] = []

    class Fixed:
        def act(self, req: PredictRequest, temperature: float = 0.0) -> Decision:
            return Decision(None, "FINISH", "")

    def build() -> Policy:
        built.append(1)
        return Fixed()

    lazy = LazyPolicy(build)
    assert built == []
    request = PredictRequest.model_validate(_body())
    assert lazy.act(request).status == "FINISH"
    lazy.act(request)
    assert built == [1]


def test_episodes_played_at_once_come_back_in_task_order_and_resume(tmp_path: Any) -> None:
    tasks = [feasible_task("italic", "train", 0, i)[0] for i in range(6)]
    played: list[str] = []

    class Slow:
        """Answers FINISH; the earlier a task, the slower its answer, so they finish out of order."""

        def act(self, req: PredictRequest, temperature: float = 0.0) -> Decision:
            time.sleep(0.05 * (len(tasks) - [t.task_id for t in tasks].index(req.task_id)))
            played.append(str(req.task_id))
            return Decision(None, "FINISH", "")

    out = tmp_path / "rollouts.jsonl"
    episodes = roll_out(Slow(), tasks, out, max_steps=3, workers=3)
    assert [e["task"]["task_id"] for e in episodes] == [t.task_id for t in tasks]
    assert played != [t.task_id for t in tasks]  # they did finish out of order
    assert len(out.read_text().splitlines()) == len(tasks)
    again = roll_out(Slow(), tasks, out, max_steps=3, workers=3)
    assert len(played) == len(tasks)  # every task was on file: nothing played twice
    assert [e["task"]["task_id"] for e in again] == [t.task_id for t in tasks]
