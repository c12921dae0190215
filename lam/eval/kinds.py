"""What a task asks of the model (its kind), and how an online run of the status-judged kinds is judged.

The checker compares the final document with the expected one, which says nothing about a request
that cannot be done (the expected document is the initial one, so doing nothing and saying FINISH
would pass). So an ``infeasible`` task succeeds iff the run ends with FAIL and the document is
untouched, an ``already_done`` one iff it ends with FINISH and the document is untouched; the other
kinds are judged by the checker, as before. Results are broken down by kind because the kinds fail
differently and a mix of them in one TSR hides which.
"""

from __future__ import annotations

from lam.tasks.expert import expert_trajectory
from lam.tasks.model import Kind, Task, Trajectory

STATUS_JUDGED: dict[Kind, str] = {"infeasible": "FAIL", "already_done": "FINISH"}  # kind -> the right ending


def kind_of_trajectory(trajectory: Trajectory) -> Kind:
    """The kind of a task without one, from its expert (or recorded) trajectory: the right answer at
    once is FAIL (infeasible) or FINISH (already_done); a CONFIRM step makes it ``confirm``."""
    steps = trajectory.steps
    if steps and steps[0].is_terminal:
        return "infeasible" if steps[0].status == "FAIL" else "already_done"
    if any(s.status == "CONFIRM" for s in steps):
        return "confirm"
    return "feasible"


def task_kind(task: Task, trajectory: Trajectory | None = None) -> Kind:
    """The task's own ``kind`` if it carries one, else derived (running the expert if needed)."""
    if task.kind is not None:
        return task.kind
    return kind_of_trajectory(trajectory if trajectory is not None else expert_trajectory(task))


def online_success(kind: Kind, ended: str, checker_passed: bool, doc_unchanged: bool) -> bool:
    """The online verdict: status + untouched document for the status-judged kinds, else checker + FINISH."""
    if kind in STATUS_JUDGED:
        return ended == STATUS_JUDGED[kind] and doc_unchanged
    return checker_passed and ended == "FINISH"
