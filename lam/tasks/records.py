"""Training and evaluation records built from a trajectory: the exact bodies the service receives.

Phase 1 (task-plan pretraining): request -> plan. Phase 2 (imitation): for each expert step, the
full ``POST /predict_action`` body (observation + memory of the expert's previous steps) and the
expected answer. The offline evaluator sends these same bodies, so training and evaluation
cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from lam.tasks.model import ExpertStep, Task, Trajectory
from service.protocol import Memory, MemoryStep, PredictRequest


def memory_step(step: ExpertStep) -> MemoryStep:
    return MemoryStep(
        control_label=step.control_label,
        control_text=step.control_text,
        function=step.function,
        args=step.args,
        status=step.status,
        result=step.result[:2000],
    )


def request_body(task: Task, observation: dict[str, Any], history: list[MemoryStep], step: int) -> PredictRequest:
    return PredictRequest.model_validate(
        {
            "request": task.request,
            "app": task.app,
            "observation": observation,
            "memory": Memory(steps=history),
            "task_id": task.task_id,
            "step": step,
        }
    )


def step_bodies(task: Task, trajectory: Trajectory) -> list[PredictRequest]:
    """One body per expert step, memory = the expert's steps before it (teacher forcing)."""
    history = [memory_step(s) for s in [*task.prefix, *trajectory.steps]]
    first = len(task.prefix)  # a recovery task's steps already taken come first in memory
    return [request_body(task, s.observation, history[: first + i], first + i) for i, s in enumerate(trajectory.steps)]


def compact(body: PredictRequest) -> dict[str, Any]:
    """The body as JSON, without the per-control ``enabled: true`` default (most of a file's bulk)."""
    exclude = None
    if all(c.enabled for c in body.observation.controls):
        exclude = {"observation": {"controls": {"__all__": {"enabled"}}}}
    return body.model_dump(mode="json", exclude_none=True, exclude=exclude)


def phase1_record(task: Task, trajectory: Trajectory) -> dict[str, Any]:
    return {"task_id": task.task_id, "family": task.family, "request": task.request, "plan": trajectory.plan}


def phase2_records(task: Task, trajectory: Trajectory) -> list[dict[str, Any]]:
    return [
        {
            "task_id": task.task_id,
            "family": task.family,
            "step": step.step,
            "subtask": step.subtask,
            "body": compact(body),
            "expected": {"action": step.action(), "status": step.status},
        }
        for step, body in zip(trajectory.steps, step_bodies(task, trajectory), strict=True)
    ]
