"""The no-op repeat-loop detector on hand-made traces."""

from __future__ import annotations

from typing import Any

from lam.eval.loops import has_repeat_loop


def step(text: str = "Bold", changed: bool = False, **args: Any) -> dict[str, Any]:
    action = {"function": "click_input", "args": args, "control_label": "21", "control_text": text}
    return {"action": action, "doc_changed": changed}


def test_three_same_no_op_steps_in_a_row_are_a_loop() -> None:
    assert has_repeat_loop([step("Home", changed=True), step(), step(), step()])


def test_two_are_not_and_a_change_or_another_action_breaks_the_run() -> None:
    assert not has_repeat_loop([step(), step()])
    assert not has_repeat_loop([step(), step(), step(changed=True), step()])  # the third changed the document
    assert not has_repeat_loop([step(), step(), step("Italic"), step(), step()])
    assert not has_repeat_loop([step(button="left"), step(button="right"), step(button="left")])


def test_steps_without_an_action_never_loop() -> None:
    empty = {"action": None, "doc_changed": False}
    assert not has_repeat_loop([empty, empty, empty, empty])
