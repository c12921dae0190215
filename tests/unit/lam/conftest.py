"""Shared fixtures of the lam tests: a small generated dataset and the expert test double."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from lam.tasks.generate import Dataset, generate
from lam.tasks.model import Task, Trajectory


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """Every family, every split (5 train / 2 val / 4 test tasks per family)."""
    return generate(seed=0, sizes={"train": 5, "val": 2, "test": 4})


@pytest.fixture(scope="session")
def small_tasks(dataset: Dataset) -> list[Task]:
    """One test-split task of each family."""
    seen: dict[str, Task] = {}
    for task in dataset.tasks["test"]:
        seen.setdefault(task.family, task)
    return list(seen.values())


@dataclass
class ExpertDoubleService:
    """TEST DOUBLE of the LAM service, for the evaluators' loop and arithmetic only.

    It answers ``POST /predict_action`` with the expert's own step, looked up by ``task_id`` and
    the number of memory steps; it never looks at the request text. ``faults`` maps
    (task_id, step) to an HTTP status to answer instead; ``wrong`` lists (task_id, step) answered
    with a wrong control label (same function and status).
    """

    trajectories: dict[str, Trajectory]
    faults: dict[tuple[str, int], int] = field(default_factory=dict)
    wrong: set[tuple[str, int]] = field(default_factory=set)
    calls: list[dict[str, object]] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.calls.append(body)
        task_id, step = body["task_id"], len(body["memory"]["steps"])
        request_id = uuid.uuid4().hex
        if (task_id, step) in self.faults:
            code = self.faults[(task_id, step)]
            error = {"type": "model_error", "message": "test double fault", "field": None, "request_id": request_id}
            return httpx.Response(code, json={"error": error})
        expected = self.trajectories[task_id].steps[step]
        action = expected.action()
        if action is not None and (task_id, step) in self.wrong:
            labels = [c["label"] for c in body["observation"]["controls"] if c["label"] != action["control_label"]]
            action = {**action, "control_label": labels[0]}
        return httpx.Response(
            200,
            json={
                "action": action,
                "status": expected.status,
                "plan": [],
                "thought": None,
                "model": "expert-test-double",
                "usage": {"prompt_tokens": 1, "completion_tokens": 1},
                "timing_ms": {"total": 1.0, "model": 0.5},
                "request_id": request_id,
                "prompt_format": "test-double",
            },
        )


@pytest.fixture
def expert_double(dataset: Dataset) -> Iterator[ExpertDoubleService]:
    trajectories = {
        t.task_id: j for s in dataset.tasks for t, j in zip(dataset.tasks[s], dataset.trajectories[s], strict=True)
    }
    yield ExpertDoubleService(trajectories)
