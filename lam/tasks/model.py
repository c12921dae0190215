"""Task lines and expert trajectories, as validated models (task files are edited by hand)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.protocol import Status

# What a task asks of the model, so that results can be broken down by it (lam.eval.kinds derives it
# for tasks that do not say): do the work; FAIL (cannot be done); FINISH at once (already done); do it
# with a CONFIRM step (sensitive); do it from a disturbed start (recovery).
Kind = Literal["feasible", "infeasible", "already_done", "confirm", "recovery"]
KINDS: tuple[Kind, ...] = ("feasible", "infeasible", "already_done", "confirm", "recovery")


class Task(BaseModel):
    """One line of a task file. ``request`` is free text: the expert and the checker are rebuilt
    from ``doc`` and ``ops`` alone, so rephrasing the request never changes what counts as right."""

    model_config = ConfigDict(extra="allow")

    task_id: str
    family: str = "custom"
    request: str = Field(min_length=1)
    split: str = ""
    app: str = "word"
    doc_name: str = "Document1.docx"
    doc: dict[str, Any] = Field(default_factory=lambda: {"blocks": []})
    ops: list[dict[str, Any]] = Field(default_factory=list)
    kind: Kind | None = Field(None, description="What the task asks of the model; None: derived (lam.eval.kinds).")
    sim: Literal["word", "word2"] = Field(
        "word", description="The simulator: `word` (WordApp, ops by `op`) or `word2` (Word's screens, ops by `family`)."
    )
    width: Literal["wide", "medium", "narrow"] = Field("wide", description="word2's window width.")
    prefix: list[ExpertStep] = Field(
        default_factory=list,
        description="Steps already taken before the model's turn (a recovery task's wrong or no-op step): "
        "replayed on the simulator and sent as memory.",
    )
    trajectory: Trajectory | None = Field(
        None, description="A recorded trajectory (e.g. imported from UFO) used instead of the expert."
    )
    expert_looks: bool = Field(
        False,
        description="word2 already_done: the expert first takes its own steps that leave the document as it is "
        "(select the target, open the tab or menu), then FINISHes from a screen that shows the state.",
    )


class ExpertStep(BaseModel):
    """One step of a trajectory: what was on screen, what the expert did, and what came back."""

    step: int
    subtask: str = ""
    observation: dict[str, Any] = Field(default_factory=dict)
    control_label: str = ""
    control_text: str = ""
    function: str = ""
    args: dict[str, Any] = Field(default_factory=dict)
    status: Status = "CONTINUE"
    result: str = ""

    @property
    def is_terminal(self) -> bool:
        return self.status in ("FINISH", "FAIL") and not self.function

    def action(self) -> dict[str, Any] | None:
        """The expected ``action`` of the response (None for the terminal FINISH step)."""
        if self.is_terminal:
            return None
        return {
            "function": self.function,
            "args": self.args,
            "control_label": self.control_label,
            "control_text": self.control_text,
        }


class Trajectory(BaseModel):
    task_id: str
    request: str
    plan: list[str] = Field(default_factory=list)
    steps: list[ExpertStep] = Field(default_factory=list)


Task.model_rebuild()
WORD2_FIELDS = ("sim", "width", "prefix", "expert_looks")


def iter_tasks(path: Path) -> Iterator[Task]:
    """The task lines of a JSONL file, parsed one at a time."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield Task.model_validate_json(line)


def select_tasks(tasks: Iterable[Task], limit: int | None = None, per_family: int | None = None) -> list[Task]:
    """Tasks in order: at most ``per_family`` of each family (a stratified subset), then ``limit`` in all."""
    chosen: list[Task] = []
    seen: dict[str, int] = {}
    for task in tasks:
        if per_family is not None and seen.get(task.family, 0) >= per_family:
            continue
        seen[task.family] = seen.get(task.family, 0) + 1
        chosen.append(task)
        if limit is not None and len(chosen) >= limit:
            break
    return chosen


def read_tasks(path: Path, limit: int | None = None, per_family: int | None = None) -> list[Task]:
    """Tasks in file order: at most ``per_family`` of each family (a stratified subset), then ``limit`` in all."""
    return select_tasks(iter_tasks(path), limit, per_family)


def write_jsonl(path: Path, rows: Iterable[BaseModel | dict[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            data = row.model_dump(mode="json", exclude_none=True) if isinstance(row, BaseModel) else row
            if isinstance(row, Task):  # the word2 fields at their defaults are left out (v1 lines as before)
                for key in WORD2_FIELDS:
                    if data.get(key) == Task.model_fields[key].get_default(call_default_factory=True):
                        data.pop(key, None)
            fh.write(json.dumps(data, ensure_ascii=False) + "\n")
            count += 1
    return count
