"""Metric arithmetic on hand-made steps (docs/design.md section 8)."""

from __future__ import annotations

import pytest

from lam.eval.metrics import TaskJudgement, judge_error, judge_step, offline_summary
from lam.tasks.model import ExpertStep

CLICK_BOLD = ExpertStep(
    step=1, control_label="21", control_text="Bold", function="click_input", args={"button": "left", "double": False}
)
SELECT = ExpertStep(step=0, function="select_text", args={"text": "Quarterly Report"})
FINISH = ExpertStep(step=2, status="FINISH")


def act(function: str, label: str = "", **args: object) -> dict:
    return {"function": function, "control_label": label, "control_text": "", "args": args}


def test_right_step_with_defaults_filled_is_right_on_every_part() -> None:
    j = judge_step(CLICK_BOLD, act("click_input", "21"), "CONTINUE")  # args left to their defaults
    assert (j.object_ok, j.operation_ok, j.args_ok, j.status_ok, j.success, j.strict_success) == (True,) * 6


def test_wrong_label_only_breaks_object_and_success() -> None:
    j = judge_step(CLICK_BOLD, act("click_input", "22", button="left"), "CONTINUE")
    assert (j.object_ok, j.operation_ok, j.args_ok, j.status_ok, j.success) == (False, True, True, True, False)


def test_args_compare_case_and_space_insensitively_but_not_values() -> None:
    assert judge_step(SELECT, act("select_text", text="  quarterly   report "), "CONTINUE").args_ok
    wrong = judge_step(SELECT, act("select_text", text="Quarterly"), "CONTINUE")
    assert wrong.success and not wrong.args_ok and not wrong.strict_success


def test_wrong_status_breaks_success_only() -> None:
    j = judge_step(SELECT, act("select_text", text="Quarterly Report"), "FINISH")
    assert j.object_ok and j.operation_ok and j.args_ok and not j.status_ok and not j.success


@pytest.mark.parametrize(
    ("action", "status", "parts"),
    [
        (None, "FINISH", (True, True, True, True)),
        (act(""), "FINISH", (True, True, True, True)),
        (act("click_input", "21"), "FINISH", (False, False, False, True)),
        (None, "CONTINUE", (True, True, True, False)),
    ],
)
def test_terminal_step_wants_finish_and_no_action(action: dict | None, status: str, parts: tuple) -> None:
    j = judge_step(FINISH, action, status)
    assert (j.object_ok, j.operation_ok, j.args_ok, j.status_ok) == parts


def test_no_action_on_an_acting_step_is_wrong() -> None:
    j = judge_step(CLICK_BOLD, None, "CONTINUE")
    assert (j.object_ok, j.operation_ok, j.args_ok, j.status_ok) == (False, False, False, True)


def test_summary_arithmetic() -> None:
    a = TaskJudgement(
        "a",
        "bold",
        "r",
        [
            judge_step(SELECT, act("select_text", text="Quarterly Report"), "CONTINUE"),
            judge_step(CLICK_BOLD, act("click_input", "21"), "CONTINUE"),
            judge_step(FINISH, None, "FINISH"),
        ],
    )
    b = TaskJudgement(
        "b",
        "bold",
        "r",
        [
            judge_step(SELECT, act("select_text", text="Quarterly"), "CONTINUE"),  # args wrong only
            judge_error(CLICK_BOLD, "502 model_error"),
            judge_step(FINISH, None, "CONTINUE"),  # status wrong
        ],
    )
    s = offline_summary([a, b])
    assert s["n_steps"] == 6 and s["n_tasks"] == 2
    assert s["object_acc"] == pytest.approx(5 / 6)
    assert s["operation_acc"] == pytest.approx(5 / 6)
    assert s["args_acc"] == pytest.approx(4 / 6)
    assert s["status_acc"] == pytest.approx(4 / 6)
    assert s["ssr"] == pytest.approx(4 / 6)  # b: step 0 ok (args not in SSR), step 1 error, step 2 status
    assert s["ssr_strict"] == pytest.approx(3 / 6)
    assert s["tsr"] == pytest.approx(0.5) and s["tsr_strict"] == pytest.approx(0.5)
    assert s["errors"] == {"502 model_error": 1}
    assert s["per_family"]["bold"] == {"n_tasks": 2, "tsr": 0.5, "ssr": pytest.approx(4 / 6)}


def test_strict_and_lenient_ssr_intervals_and_groups() -> None:
    """``select_text`` of the wrong text: a right step for ssr (= ssr_lenient), a wrong one for ssr_strict."""
    from lam.eval.intervals import wilson

    wrong_text = TaskJudgement(
        "w",
        "bold",
        "r",
        [
            judge_step(SELECT, act("select_text", text="Quarterly"), "CONTINUE"),
            judge_step(CLICK_BOLD, act("click_input", "21"), "CONTINUE"),
            judge_step(FINISH, None, "FINISH"),
        ],
    )
    right = TaskJudgement("ok", "italic", "r", [judge_step(FINISH, None, "FINISH")], kind="already_done")
    unanswered = TaskJudgement("u", "italic", "r", [judge_error(SELECT, "503 model_error", unanswered=True)])
    s = offline_summary([wrong_text, right, unanswered])
    assert s["ssr"] == s["ssr_lenient"] == 1.0 and s["tsr"] == s["tsr_lenient"] == 1.0
    assert s["ssr_strict"] == pytest.approx(3 / 4) and s["tsr_strict"] == pytest.approx(1 / 2)
    assert s["n"]["ssr_strict"] == 4 and s["n"]["tsr_strict"] == 2  # the unanswered step and task left out
    assert s["intervals"]["ssr_strict"] == list(wilson(3, 4)) and s["intervals"]["tsr"] == list(wilson(2, 2))
    assert set(s["intervals"]) == set(s["n"]) == {
        "object_acc", "operation_acc", "args_acc", "status_acc",
        "ssr", "ssr_strict", "ssr_lenient", "tsr", "tsr_strict", "tsr_lenient",
    }  # fmt: skip
    assert list(s["by_kind"]) == ["feasible", "already_done"]
    assert s["by_kind"]["feasible"]["n_tasks"] == 2 and s["by_kind"]["feasible"]["ssr_strict"] == pytest.approx(2 / 3)
    assert s["by_kind"]["already_done"]["tsr_strict"] == 1.0
    assert s["by_family"]["italic"]["n"]["tsr"] == 1 and s["by_family"]["bold"]["args_acc"] == pytest.approx(2 / 3)
