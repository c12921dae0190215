"""``python -m bench.step_errors``: each wrong step lands in the first kind it fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.step_errors import first_answers, main, step_errors


def step(expected: dict[str, object], predicted: dict[str, object] | None, **ok: bool) -> dict[str, object]:
    flags = {"strict_success": False, "object_ok": True, "args_ok": True} | ok
    return {"expected": expected, "predicted": predicted, **flags}


def act(function: str, control: str = "", status: str = "CONTINUE") -> dict[str, object]:
    return {"action": {"function": function, "control_text": control}, "status": status}


FINISH = {"action": None, "status": "FINISH"}
STEPS = [
    step(act("click_input", "Bold"), act("click_input", "Bold"), strict_success=True),
    step(FINISH, act("click_input", "Insert")),
    step(act("select_text"), None),
    step(act("click_input", "Layout"), act("click_input", "Insert"), object_ok=False),
    step(act("set_edit_text", "Size"), act("set_edit_text", "Size"), args_ok=False),
    step(act("click_input", "OK"), act("click_input", "OK", status="FINISH")),
]


def test_each_step_is_counted_once_in_its_first_failing_kind() -> None:
    errors = step_errors({"tasks": [{"task_id": "t", "steps": STEPS}]})
    assert errors["kinds"] == {
        "right": 1,
        "wrong function": 2,
        "right function, wrong control": 1,
        "wrong args": 1,
        "wrong status": 1,
    }
    assert errors["functions"] == {("<FINISH>", "click_input"): 1, ("select_text", "<->"): 1}
    assert errors["controls"] == {("Layout", "Insert"): 1}


def test_the_command_prints_the_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"mode": "offline", "tasks": [{"task_id": "t", "steps": STEPS}]}))
    main([str(path)])
    out = capsys.readouterr().out
    assert out.startswith("6 steps: wrong function 2,") and "'Layout' -> 'Insert'" in out


def first(predicted: dict[str, object] | None) -> dict[str, object]:
    return {"steps": [step(act("click_input", "Bold"), predicted), step(FINISH, FINISH)]}


TASKS = [
    {"kind": "feasible", **first(act("click_input", "Bold"))},
    {"kind": "feasible", **first(FINISH)},
    {"kind": "feasible", **first({"action": None, "status": "FAIL"})},
    {"kind": "infeasible", **first({"action": None, "status": "FAIL"})},
    {"kind": "already_done", **first(None)},
    {"kind": "already_done", "steps": []},
]


def test_first_answers_count_each_task_once_by_its_first_step_only() -> None:
    answers = first_answers({"tasks": TASKS})
    assert answers == {
        "feasible": {"action": 1, "FINISH": 1, "FAIL": 1},
        "infeasible": {"FAIL": 1},
        "already_done": {"-": 1},
    }


def test_the_command_prints_the_first_answers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"mode": "offline", "tasks": TASKS}))
    main([str(path)])
    out = capsys.readouterr().out
    assert "  feasible         3: 1 / 1 / 1\n" in out
    assert "  already_done     1: 0 / 0 / 0 (other 1)\n" in out
