"""Offline evaluation: every expert step is sent with the expert's own history (teacher forcing),
and the answer is judged against the expert's action. Steps are independent, so they run
concurrently. The client retries 429/503 within its budget; what it still could not get is recorded as
unanswered (apart from accuracy), any other error answer as a wrong step.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from lam.client import AsyncLamClient, LamClientError
from lam.eval.kinds import task_kind
from lam.eval.metrics import StepJudgement, TaskJudgement, failure_of, judge_error, judge_step, offline_summary
from lam.tasks.expert import expert_trajectory
from lam.tasks.model import ExpertStep, Task
from lam.tasks.records import step_bodies
from lam.ufo import replayable
from service.protocol import PredictRequest


async def _judge(
    client: AsyncLamClient, body: PredictRequest, expected: ExpertStep, gate: asyncio.Semaphore
) -> StepJudgement:
    async with gate:
        start = time.perf_counter()
        try:
            response = await client.predict(body)
        except LamClientError as exc:
            error, unanswered = failure_of(exc)
            return judge_error(expected, error, time.perf_counter() - start, unanswered=unanswered)
        latency = time.perf_counter() - start
    action = response.action.model_dump() if response.action is not None else None
    return judge_step(expected, action, response.status, latency)


async def evaluate_task(client: AsyncLamClient, task: Task, gate: asyncio.Semaphore) -> TaskJudgement:
    trajectory = expert_trajectory(task)
    bodies = step_bodies(task, trajectory)
    steps = await asyncio.gather(*(_judge(client, b, s, gate) for b, s in zip(bodies, trajectory.steps, strict=True)))
    return TaskJudgement(task.task_id, task.family, task.request, list(steps), task_kind(task, trajectory))


async def evaluate_offline(client: AsyncLamClient, tasks: list[Task], concurrency: int = 6) -> dict[str, Any]:
    """Judge every step of every task; tasks with steps that carry no screen (unreplayable UFO
    imports) are skipped and listed, since a label cannot be judged without the screen it names."""
    gate = asyncio.Semaphore(max(1, concurrency))
    started = time.perf_counter()
    usable = [t for t in tasks if replayable(t)]
    judged = await asyncio.gather(*(evaluate_task(client, t, gate) for t in usable))
    return {
        "mode": "offline",
        **offline_summary(list(judged)),
        "skipped_tasks": [t.task_id for t in tasks if not replayable(t)],
        "wall_time_s": time.perf_counter() - started,
        "tasks": [
            {
                "task_id": t.task_id,
                "family": t.family,
                "kind": t.kind,
                "request": t.request,
                "success": t.success,
                "strict_success": t.strict_success,
                "steps": [s.to_dict() for s in t.steps],
            }
            for t in judged
        ],
    }
