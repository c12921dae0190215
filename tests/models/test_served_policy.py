"""Rollouts through the service (``models.train.served``): each step is one call with the episode's
memory, an unusable output ends the episode, any other failure stops the run (and a rerun plays only
what is missing); the lazy policy loads nothing for a run whose episodes are on file."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from lam.client import LamClient, LamClientError, RetryPolicy
from lam.tasks.model import ExpertStep, Task
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


def test_an_unusable_output_ends_the_episode_as_a_model_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, json={"error": {"type": "model_error", "message": "no action"}})

    with pytest.raises(ModelOutputError) as caught:
        _policy(handler).act(PredictRequest.model_validate(_body()))
    assert caught.value.reason == "502 model_error"
    episode = run_episode(_policy(handler), _task(), max_steps=5)
    assert episode["ended"] == "error" and not episode["success"]


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (503, "unavailable"),
        (429, "overloaded"),
        (504, "timeout"),
        (401, "unauthorized"),
        (422, "invalid_request"),
        (500, "internal_error"),
    ],
)
def test_any_other_failure_stops_the_run(status: int, kind: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": {"type": kind, "message": "not the model"}})

    with pytest.raises(LamClientError):
        run_episode(_policy(handler), _task(), max_steps=5)


def test_no_connection_stops_the_run() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(LamClientError):
        run_episode(_policy(handler), _task(), max_steps=5)


def test_a_recovery_task_is_played_after_its_prefix_as_the_evaluation_sends_it() -> None:
    task, _ = feasible_task("italic", "train", 0, 1)
    prefix = ExpertStep(step=0, observation={}, function="click_input", args={}, status="CONTINUE")
    recovery = task.model_copy(update={"prefix": [prefix]})
    answers = [
        _answer({"function": "click_input", "args": {}, "control_label": "1"}, "CONTINUE"),
        _answer(None, "FINISH"),
    ]
    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=answers[len(seen) - 1])

    episode = run_episode(_policy(handler), recovery, max_steps=5)
    assert [body["step"] for body in seen] == [1, 2]
    assert [len(body["memory"]["steps"]) for body in seen] == [1, 2]
    assert len(episode["trajectory"]["steps"]) == 2  # the prefix is the task's, not the episode's


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


def test_a_failed_task_among_several_at_once_stops_the_run_and_a_rerun_plays_only_the_rest(tmp_path: Any) -> None:
    tasks = [feasible_task("italic", "train", 0, i)[0] for i in range(5)]
    broken = {tasks[1].task_id}
    played: list[str] = []

    class Flaky:
        def act(self, req: PredictRequest, temperature: float = 0.0) -> Decision:
            if str(req.task_id) in broken:
                raise LamClientError("the service went away")
            played.append(str(req.task_id))
            return Decision(None, "FINISH", "")

    out = tmp_path / "rollouts.jsonl"
    with pytest.raises(LamClientError):
        roll_out(Flaky(), tasks, out, max_steps=3, workers=2)
    on_file = {json.loads(line)["task"]["task_id"] for line in out.read_text().splitlines()}
    assert tasks[1].task_id not in on_file and tasks[0].task_id in on_file
    broken.clear()
    before = len(played)
    episodes = roll_out(Flaky(), tasks, out, max_steps=3, workers=2)
    assert [e["task"]["task_id"] for e in episodes] == [t.task_id for t in tasks]
    assert sorted(played[before:]) == sorted(t.task_id for t in tasks if t.task_id not in on_file)
