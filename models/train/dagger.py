"""Learning on the model's own states: the full expert labels the next action where the model stands.

Imitation only ever shows the expert's states; once the model strays (a wrong tab, a dialog left
open, a no-op) it is somewhere it was never taught, and it repeats itself. Here (DAgger, Ross et al.
2011, applied as the paper's phase 3 asks: "learn on the model's own states") each state of a
model's episode becomes a training step whose answer is the full expert's next action *from that
state*: the episode's steps so far become the task's ``prefix`` (replayed by ``build_app`` and sent as
memory, exactly as a ``recovery`` task's already-taken step is), and ``lam.tasks.expert.run_expert``
continues from there. A label is kept only when the expert, so continued, reaches a document the
checker accepts: a state the model has made unrecoverable by the expert's means (a deletion it
cannot undo) teaches nothing right.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from lam.tasks.checker import check
from lam.tasks.expert import ExpertError, run_expert
from lam.tasks.model import ExpertStep, Task, Trajectory
from lam.tasks.records import phase2_records
from models.train.rollout import episode_records


def _same(model: ExpertStep, expert: ExpertStep) -> bool:
    """The model's step is the expert's answer (action and status)."""
    return model.action() == expert.action() and model.status == expert.status


def expert_from(task: Task, taken: list[ExpertStep]) -> tuple[Task, Trajectory] | None:
    """The task continued after ``taken`` and the full expert's trajectory from there, or ``None``
    where the expert cannot finish it so that the checker passes (or fails to act at all)."""
    continued = task.model_copy(update={"prefix": [*task.prefix, *taken]})
    try:
        trajectory, app = run_expert(continued)
    except (ExpertError, KeyError, ValueError):
        return None
    if task.kind != "infeasible" and not check(task, app.doc).passed:
        return None
    return continued, trajectory


def _record(continued: Task, task: Task, wanted: ExpertStep) -> dict[str, Any]:
    """The phase-2 record of the expert's ``wanted`` step after the continued task's prefix."""
    return phase2_records(continued, Trajectory(task_id=task.task_id, request=task.request, steps=[wanted]))[0]


def relabel(episode: dict[str, Any], all_states: bool = False) -> Iterator[dict[str, Any]]:
    """Phase-2 records for the states of a model's episode, answered by the full expert.

    By default only the states from the model's first departure from the expert on (the one it got
    wrong and every later one: the recovery states); ``all_states`` keeps the agreeing ones too.
    A label ends the episode's relabelling once the expert's answer is terminal (FINISH/FAIL) and
    the model went on, or once the expert cannot recover.
    """
    task = Task.model_validate(episode["task"])
    steps = [ExpertStep.model_validate(s) for s in episode["trajectory"]["steps"]]
    strayed = False
    for i, step in enumerate(steps):
        found = expert_from(task, steps[:i])
        if found is None:
            return
        continued, trajectory = found
        wanted = trajectory.steps[0]
        strayed = strayed or not _same(step, wanted)
        if strayed or all_states:
            yield _record(continued, task, wanted)
        if wanted.is_terminal:
            return  # the expert would have stopped here: later states are past the task's end
    if steps and steps[-1].status in ("FINISH", "FAIL"):
        return
    found = expert_from(task, steps)  # the step limit came first: what should have come next
    if found is not None and strayed:
        continued, trajectory = found
        yield _record(continued, task, trajectory.steps[0])


def relabel_all(episodes: Iterable[dict[str, Any]], all_states: bool = False) -> list[dict[str, Any]]:
    """The expert's labels on every failed episode's states (a successful one needs no correction)."""
    return [r for e in episodes if not e["success"] for r in relabel(e, all_states)]


def distinct_states(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per (task, screen, expert's answer), the first, order kept.

    A model that loops on a no-op stands on the same screen step after step, and the expert gives the
    same answer each time: only the memory grows. Kept as they come, such repeats are most of the
    relabelled states (word2, LAM2k: 1,559 states, 328 distinct), nearly all one CONTINUE action, and
    they crowd the expert's ends of tasks (FINISH, FAIL) out of training.
    """
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for record in records:
        key = (
            str(record["task_id"]),
            json.dumps(record["body"].get("observation"), sort_keys=True),
            json.dumps(record["expected"], sort_keys=True),
        )
        if key not in seen:
            seen.add(key)
            kept.append(record)
    return kept


def _state_key(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True)


def expert_pairs(episodes: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Same-state preference pairs from failed episodes: the full expert's action over the model's.

    For every relabelled state (``relabel``, one per distinct screen and answer: ``distinct_states``)
    where the model's action differs from the expert's, a record with the served ``body``,
    ``chosen`` (the expert's {action, status}) and ``rejected`` (what the model did there). The
    environment ranks the two: the expert's continuation passes the checker, the model's episode
    failed. A state past the model's last step (the step limit came first) has no taken action and
    gives no pair.
    """
    pairs = []
    for episode in episodes:
        if episode["success"]:
            continue
        taken = {_state_key(r["body"]): r["expected"] for r in episode_records(episode)}
        for record in distinct_states(relabel(episode)):
            rejected = taken.get(_state_key(record["body"]))
            if rejected is not None and rejected != record["expected"]:
                pairs.append(
                    {
                        "task_id": record["task_id"],
                        "family": record["family"],
                        "body": record["body"],
                        "chosen": record["expected"],
                        "rejected": rejected,
                    }
                )
    return pairs
