"""Run the expert in the simulator and record its trajectory (the phase-2 data and the offline key).

The expert never reads the request: it works from the task's ops, skipping the ones the
document already satisfies, and ends with UFO's terminal step (status FINISH, no action). A task
marked ``kind: infeasible`` ends with FAIL instead: the right answer to an impossible request.
"""

from __future__ import annotations

import copy
from typing import Any, cast

from lam.sim import Document, WordApp, is_error
from lam.sim.word2 import WordWindow
from lam.tasks.catalog import load_catalog
from lam.tasks.checker import op_kind
from lam.tasks.model import ExpertStep, Task, Trajectory
from service.protocol import Status

NOTHING_TO_DO = "The document already does what the request asks; finish without acting"
CANNOT = "The request cannot be carried out in this application; fail without acting"
DONE = "The request is done"


class ExpertError(RuntimeError):
    """The expert's own action failed in the simulator: a bug in a task family, never a model error."""


def build_app(task: Task) -> WordApp | WordWindow:
    """The task's simulator with its document, after the task's ``prefix`` steps (already taken)."""
    doc = Document.from_dict(task.doc)
    app: WordApp | WordWindow = (
        WordWindow(doc, name=task.doc_name, width=task.width)
        if task.sim == "word2"
        else WordApp(doc, name=task.doc_name)
    )
    for step in task.prefix:
        app.execute_action(step.action())
    return app


def asks_before_destroying(task: Task) -> bool:
    """Whether the task's destructive step says CONFIRM: a ``confirm`` task, or any word2 task of a
    family that has ``confirm`` tasks (its recovery tasks too: the same step, the same answer)."""
    if task.kind == "confirm":
        return True
    family = load_catalog().families.get(task.family) if task.sim == "word2" else None
    return family is not None and "confirm" in family.kinds


def _status(act: Any, ask: bool) -> Status:
    """CONFIRM on a destructive step when the task asks first; other steps keep their status."""
    if ask and getattr(act, "destructive", False):
        return "CONFIRM"
    return cast(Status, act.status)


def _label(app: WordApp | WordWindow, act: Any, where: str) -> str:
    """The label of the act's control on this screen ("" for none); a control not on screen is a family
    bug, raised as an ExpertError."""
    try:
        return app.label_of(*act.control) if act.control else ""
    except KeyError as exc:
        raise ExpertError(f"{where}: {act}: {exc}") from exc


def looking_steps(app: WordApp | WordWindow, op: dict[str, Any]) -> int:
    """How many of the op's expert steps, from here, only bring its state onto the screen (select the
    target, open the tab, the menu, the dialog): the steps before the first that changes the document,
    types a value (``set_edit_text``) or is the op's last (the one that applies it; re-applying a value
    the document already has changes nothing, but it is doing the task, not looking). Played on a
    copy: the real window is not touched."""
    scratch = copy.deepcopy(app)
    before = scratch.doc.state()
    functions: list[str] = []
    last = True  # whether the op's expert ran to its end without changing the document
    for act in op_kind(op).expert(scratch, op):
        label = _label(scratch, act, f"looking at {op.get('family')}")
        scratch.execute(act.function, act.args, label)
        if scratch.doc.state() != before:
            last = False
            break
        functions.append(act.function)
    typed = functions.index("set_edit_text") if "set_edit_text" in functions else len(functions)
    return max(0, min(len(functions) - 1 if last else len(functions), typed))


def run_expert(task: Task) -> tuple[Trajectory, WordApp | WordWindow]:
    app = build_app(task)
    first = len(task.prefix)
    steps: list[ExpertStep] = []
    ask = asks_before_destroying(task)
    # Only a task whose every op is already satisfied looks (a DAgger continuation of a task the model
    # changed does the work instead), and a composition at its first op only: a half-open window would
    # mislead the next op's expert.
    looks_first = (
        task.expert_looks and task.kind == "already_done" and all(op_kind(op).satisfied(app.doc, op) for op in task.ops)
    )
    for op in task.ops:
        kind = op_kind(op)
        looks: int | None = None
        if kind.satisfied(app.doc, op):
            if not (looks_first and op is task.ops[0]):
                continue
            looks = looking_steps(app, op)
        for i, act in enumerate(kind.expert(app, op)):  # each op kind knows its own window class
            if looks is not None and i >= looks:
                break
            observation = app.observation()
            label = _label(app, act, task.task_id)
            result = app.execute(act.function, act.args, label)
            if is_error(result):
                raise ExpertError(f"{task.task_id}: {act} -> {result}")
            steps.append(
                ExpertStep(
                    step=first + len(steps),
                    subtask=act.subtask,
                    observation=observation,
                    control_label=label,
                    control_text=act.control[1] if act.control else "",
                    function=act.function,
                    args=act.args,
                    status=_status(act, ask),
                    result=result,
                )
            )
            if ask and getattr(act, "destructive", False):
                ask = False  # consent was given once: the rest of the deletion goes on without asking
    if task.kind == "infeasible":
        plan = [s.subtask for s in steps] or [CANNOT]
        steps.append(ExpertStep(step=first + len(steps), subtask=CANNOT, observation=app.observation(), status="FAIL"))
    else:
        # an already_done task that looked first: its look steps, then nothing to do
        done = [NOTHING_TO_DO] if looks_first or not steps else []
        plan = [*(s.subtask for s in steps), *done]
        steps.append(ExpertStep(step=first + len(steps), subtask=DONE, observation=app.observation(), status="FINISH"))
    return Trajectory(task_id=task.task_id, request=task.request, plan=plan, steps=steps), app


def expert_trajectory(task: Task) -> Trajectory:
    """The recorded trajectory if the task carries one, else the expert's, rebuilt from parameters."""
    if task.trajectory is not None:
        return task.trajectory.model_copy(update={"request": task.request})
    return run_expert(task)[0]
