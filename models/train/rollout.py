"""Closed-loop episodes of the model in the simulator, recorded as trajectories (phases 3 and 4).

The loop is ``lam.eval.online.run_task``'s, with a ``policy.Policy`` in place of the HTTP client (the
in-process decoding of ``decode.py``, or the served model through ``served.py``): same request bodies
(``lam.tasks.records.request_body``), same memory (a recovery task's prefix first), CONFIRM consented,
same success rule (``lam.eval.kinds.online_success``: checker passed and FINISH, or the right
FAIL/FINISH on an untouched document for infeasible/already_done). Each step keeps its observation,
so a successful episode becomes phase-2 records exactly like the expert's
(``lam.tasks.records.phase2_records``), and a failed one becomes reward-model negatives.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lam.eval.kinds import online_success, task_kind
from lam.tasks.checker import check
from lam.tasks.expert import build_app
from lam.tasks.model import ExpertStep, Task, Trajectory
from lam.tasks.records import memory_step, phase2_records, request_body
from models.train.policy import Policy
from service.errors import ModelOutputError

MAX_STEPS = 30


def run_episode(policy: Policy, task: Task, max_steps: int = MAX_STEPS, temperature: float = 0.0) -> dict[str, Any]:
    app = build_app(task)
    initial = app.doc.state()
    prior = [memory_step(s) for s in task.prefix]  # a recovery task's step already taken, as the evaluation sends it
    steps: list[ExpertStep] = []
    ended, error = "step_limit", None
    started = time.perf_counter()
    for i in range(len(prior), len(prior) + max_steps):
        observation = app.observation()
        body = request_body(task, observation, prior + [memory_step(s) for s in steps], i)
        try:
            decision = policy.act(body, temperature)
        except ModelOutputError as exc:
            ended, error = "error", f"{exc.reason}: {exc}"
            break
        action = decision.action or {}
        result = app.execute_action(decision.action)
        steps.append(
            ExpertStep(
                step=i,
                observation=observation,
                control_label=action.get("control_label", ""),
                control_text=action.get("control_text", ""),
                function=action.get("function", ""),
                args=action.get("args", {}),
                status=decision.status,  # type: ignore[arg-type]
                result=result,
            )
        )
        if decision.status in ("FINISH", "FAIL"):
            ended = decision.status
            break
    verdict = check(task, app.doc)
    trajectory = Trajectory(task_id=task.task_id, request=task.request, steps=steps)
    return {
        "task": task.model_dump(mode="json", exclude_none=True),
        "temperature": temperature,
        "success": online_success(task_kind(task), ended, verdict.passed, app.doc.state() == initial),
        "ended": ended,
        "error": error,
        "differences": verdict.differences,
        "seconds": round(time.perf_counter() - started, 2),
        "trajectory": trajectory.model_dump(mode="json"),
    }


def roll_out(
    policy: Policy,
    tasks: Iterable[Task],
    out: Path,
    max_steps: int = MAX_STEPS,
    tries: int = 1,
    temperature: float = 0.7,
    workers: int = 1,
) -> list[dict[str, Any]]:
    """Episodes appended to ``out`` (JSONL) as they finish; tries already there are skipped (resumable).

    Each task gets up to ``tries`` episodes: the first greedy (as served), the others sampled at
    ``temperature``, stopping at the first success (the paper's self-boosting keeps what works).
    ``workers`` tasks are played at once (a served policy batches them; an in-process one wants 1).
    The episodes come back in the order of ``tasks`` and tries, however they finished, so their order
    in training does not depend on timing (episodes on file of tasks not asked for come last).
    """
    tasks = list(tasks)
    episodes = read_episodes(out) if out.exists() else []
    done = {(e["task"]["task_id"], e.get("try", 0)) for e in episodes}
    won = {e["task"]["task_id"] for e in episodes if e["success"]}
    lock = threading.Lock()

    with out.open("a", encoding="utf-8") as fh:

        def play(task: Task) -> None:
            for attempt in range(tries):
                if task.task_id in won:
                    break
                if (task.task_id, attempt) in done:
                    continue
                episode = run_episode(policy, task, max_steps, temperature if attempt else 0.0)
                episode["try"] = attempt
                with lock:
                    fh.write(json.dumps(episode, ensure_ascii=False) + "\n")
                    fh.flush()
                    episodes.append(episode)
                    if episode["success"]:
                        won.add(task.task_id)
                    mark = "ok " if episode["success"] else "ERR" if episode["ended"] == "error" else "no "
                    print(
                        f"[rollout] {mark} {task.task_id} try {attempt} "
                        f"({len(episode['trajectory']['steps'])} steps, {episode['seconds']:.1f}s, "
                        f"ended {episode['ended']})",
                        flush=True,
                    )

        if workers <= 1:
            for task in tasks:
                play(task)
        else:
            with ThreadPoolExecutor(workers) as pool:
                # list() re-raises the first failed task's exception once the iteration reaches it; the
                # episodes finished meanwhile are on file, so a rerun plays only what is missing.
                list(pool.map(play, tasks))
    order = {task.task_id: i for i, task in enumerate(tasks)}
    return sorted(episodes, key=lambda e: (order.get(e["task"]["task_id"], len(order)), e.get("try", 0)))


def read_episodes(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def episode_records(episode: dict[str, Any]) -> list[dict[str, Any]]:
    """The episode's steps as phase-2 records (body the service would receive + the action taken)."""
    task = Task.model_validate(episode["task"])
    return phase2_records(task, Trajectory.model_validate(episode["trajectory"]))


def success_records(episodes: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for episode in episodes:
        if episode["success"]:
            yield from episode_records(episode)
