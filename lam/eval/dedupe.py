"""Read a task file for evaluation, counting each distinct task once.

Generated or merged task files can hold the same task twice (a re-run family, two files
concatenated); a duplicate is counted twice in every rate and narrows the intervals without
adding evidence. Two tasks are the same when they have the identical request text, the identical
initial document and the same expected result (the checker's expected document, the kind, and the
recorded trajectory's actions if any); the task id does not matter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from lam.tasks.checker import expected_document
from lam.tasks.model import Task, iter_tasks, select_tasks


def identity(task: Task) -> str:
    """What makes two task lines the same task, as one comparable string."""
    recorded = None
    if task.trajectory is not None:
        recorded = [[s.action(), s.status] for s in task.trajectory.steps]
    prefix = [[s.action(), s.status] for s in task.prefix]
    parts = [task.request, task.app, task.doc, expected_document(task).state(), task.kind, recorded]
    if task.sim != "word" or prefix:  # word2 tasks: the screen width and the steps already taken count
        parts += [task.sim, task.width, prefix]
    return json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)


def unique_tasks(tasks: Iterable[Task], dropped: list[str]) -> Iterator[Task]:
    """The first of each distinct task, in order; the ids of the later copies go to ``dropped``."""
    seen: set[str] = set()
    for task in tasks:
        key = identity(task)
        if key in seen:
            dropped.append(task.task_id)
            continue
        seen.add(key)
        yield task


def read_eval_tasks(
    path: Path, limit: int | None = None, per_family: int | None = None
) -> tuple[list[Task], list[str]]:
    """The distinct tasks of the file (then ``per_family``/``limit`` as ``read_tasks``) and the dropped ids."""
    dropped: list[str] = []
    return select_tasks(unique_tasks(iter_tasks(path), dropped), limit, per_family), dropped
