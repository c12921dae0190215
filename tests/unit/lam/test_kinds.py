"""Task kinds: derived for today's families, and the online judge of the status-judged kinds,
against a SCRIPTED TEST DOUBLE of the service (it answers a fixed list of steps per task)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from lam.client import AsyncLamClient
from lam.eval.kinds import kind_of_trajectory, online_success, task_kind
from lam.eval.offline import evaluate_offline
from lam.eval.online import evaluate_online
from lam.tasks.checker import expected_document
from lam.tasks.expert import CANNOT, expert_trajectory
from lam.tasks.model import ExpertStep, Task, Trajectory

Answer = tuple[dict[str, Any] | None, str]  # (action, status)


def scripted(script: dict[str, list[Answer]]) -> AsyncLamClient:
    """A client whose service answers step i of task t with ``script[t][i]``."""

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        action, status = script[body["task_id"]][len(body["memory"]["steps"])]
        answer = {"action": action, "status": status, "model": "scripted", "usage": {}, "request_id": "r"}
        return httpx.Response(200, json={**answer, "timing_ms": {"total": 1.0, "model": 1.0}, "prompt_format": "p"})

    return AsyncLamClient("http://double", transport=httpx.MockTransport(handler))


@pytest.fixture
def bold(small_tasks: list[Task]) -> Task:
    return next(t for t in small_tasks if t.family == "bold")


def bold_actions(task: Task) -> list[Answer]:
    """The expert's own (document-changing) actions for the bold task, as CONTINUE steps."""
    return [(s.action(), "CONTINUE") for s in expert_trajectory(task).steps if not s.is_terminal]


def infeasible_like(task: Task) -> Task:
    update = {"task_id": "impossible", "request": "Email this to Ann from Outlook", "ops": [], "kind": "infeasible"}
    return task.model_copy(update=update)


def already_done_like(task: Task) -> Task:
    """The same request on a document that already has the bold: nothing to do (kind left to derive)."""
    return task.model_copy(update={"task_id": "done", "doc": expected_document(task).to_dict()})


def test_kinds_of_todays_families(small_tasks: list[Task]) -> None:
    kinds = {t.family: task_kind(t) for t in small_tasks}
    assert kinds["already_done"] == "already_done"
    assert kinds["delete_text"] == kinds["delete_table"] == "confirm"
    assert kinds["bold"] == kinds["page_setup"] == "feasible"
    assert {k for f, k in kinds.items() if f not in ("already_done", "delete_text", "delete_table")} == {"feasible"}


def test_explicit_kind_wins_and_a_recorded_fail_is_infeasible(bold: Task) -> None:
    assert task_kind(bold.model_copy(update={"kind": "recovery"})) == "recovery"
    fail = Trajectory(task_id="x", request="r", steps=[ExpertStep(step=0, status="FAIL")])
    assert kind_of_trajectory(fail) == "infeasible"


def test_the_expert_fails_an_infeasible_task_at_once(bold: Task) -> None:
    trajectory = expert_trajectory(infeasible_like(bold))
    assert [(s.status, s.action()) for s in trajectory.steps] == [("FAIL", None)]
    assert trajectory.plan == [CANNOT]


@pytest.mark.parametrize(
    ("kind", "ended", "checker", "unchanged", "success"),
    [
        ("infeasible", "FAIL", True, True, True),
        ("infeasible", "FAIL", False, False, False),
        ("infeasible", "FINISH", True, True, False),  # the checker alone would pass doing nothing
        ("already_done", "FINISH", True, True, True),
        ("already_done", "FAIL", True, True, False),
        ("already_done", "FINISH", False, False, False),
        ("feasible", "FINISH", True, False, True),
        ("confirm", "FAIL", True, False, False),
        ("recovery", "FINISH", False, False, False),
    ],
)
def test_online_success_rule(kind: Any, ended: str, checker: bool, unchanged: bool, success: bool) -> None:
    assert online_success(kind, ended, checker, unchanged) is success


async def test_infeasible_online(bold: Task) -> None:
    task = infeasible_like(bold)
    cases = {
        "fail_at_once": [(None, "FAIL")],
        "act_then_fail": [*bold_actions(bold), (None, "FAIL")],
        "finish_at_once": [(None, "FINISH")],
        "select_then_fail": [bold_actions(bold)[0], (None, "FAIL")],  # a selection leaves the document as it was
    }
    tasks = [task.model_copy(update={"task_id": name}) for name in cases]
    async with scripted(cases) as client:
        result = await evaluate_online(client, tasks)
    by_id = {r["task_id"]: r for r in result["tasks"]}
    assert all(r["kind"] == "infeasible" for r in by_id.values())
    assert by_id["fail_at_once"]["success"] and by_id["fail_at_once"]["doc_unchanged"]
    assert not by_id["act_then_fail"]["success"] and not by_id["act_then_fail"]["doc_unchanged"]
    assert by_id["act_then_fail"]["ended"] == "FAIL"
    assert not by_id["finish_at_once"]["success"] and by_id["finish_at_once"]["checker_passed"]
    assert by_id["select_then_fail"]["success"]
    assert result["tsr"] == 0.5 and result["by_kind"]["infeasible"]["tsr"] == 0.5
    assert result["by_kind"]["infeasible"]["n"]["tsr"] == 4


async def test_already_done_online(bold: Task) -> None:
    task = already_done_like(bold)
    cases = {
        "finish_at_once": [(None, "FINISH")],
        "change_then_finish": [*bold_actions(bold), (None, "FINISH")],  # Bold again: unbolds the phrase
        "fail_at_once": [(None, "FAIL")],
    }
    tasks = [task.model_copy(update={"task_id": name}) for name in cases]
    async with scripted(cases) as client:
        result = await evaluate_online(client, tasks)
    by_id = {r["task_id"]: r for r in result["tasks"]}
    assert {r["kind"] for r in by_id.values()} == {"already_done"}
    assert by_id["finish_at_once"]["success"]
    assert not by_id["change_then_finish"]["success"] and not by_id["change_then_finish"]["doc_unchanged"]
    assert not by_id["fail_at_once"]["success"]
    assert list(result["by_kind"]) == ["already_done"] and result["by_kind"]["already_done"]["n_tasks"] == 3


async def test_feasible_stays_judged_by_the_checker(bold: Task) -> None:
    cases = {bold.task_id: [*bold_actions(bold), (None, "FINISH")], "fail": [(None, "FAIL")]}
    async with scripted(cases) as client:
        result = await evaluate_online(client, [bold, bold.model_copy(update={"task_id": "fail"})])
    by_id = {r["task_id"]: r for r in result["tasks"]}
    assert by_id[bold.task_id]["success"] and by_id[bold.task_id]["kind"] == "feasible"
    assert not by_id["fail"]["success"] and by_id["fail"]["doc_unchanged"]


async def test_offline_reports_every_kind(small_tasks: list[Task], expert_double: Any, bold: Task) -> None:
    impossible = infeasible_like(bold)
    expert_double.trajectories[impossible.task_id] = expert_trajectory(impossible)
    async with AsyncLamClient("http://double", transport=httpx.MockTransport(expert_double)) as client:
        result = await evaluate_offline(client, [*small_tasks, impossible])
    by_kind = result["by_kind"]
    assert list(by_kind) == ["feasible", "infeasible", "already_done", "confirm"]
    assert by_kind["infeasible"]["n_tasks"] == 1 and by_kind["infeasible"]["ssr"] == 1.0
    assert by_kind["confirm"]["n_tasks"] == 2 and by_kind["already_done"]["n_tasks"] == 1
    assert by_kind["feasible"]["n_tasks"] == len(small_tasks) - 3
    assert sum(row["n_steps"] for row in by_kind.values()) == result["n_steps"]
    assert {t["kind"] for t in result["tasks"] if t["task_id"] == impossible.task_id} == {"infeasible"}
    assert by_kind["confirm"]["intervals"]["tsr"] == [pytest.approx(0.3424, abs=1e-4), 1.0]  # Wilson 2/2
