"""Ground what the model produced: decoding constraints have gaps, so trust nothing.

One implementation for every format: each format's ``parse`` yields the same raw dict
(``{"function", "label", "args", "status", "thought", "plan"}``, the label already mapped back from
what the model wrote), and grounding checks it against the app and the screen. The function belongs
to the app, a control-targeting function names a label that is on screen, enabled and of a type it
acts on (and gets that control's text), an app-level function carries label ``""``, the args are
typed and completed with defaults, and the status is one of the protocol's. Anything else raises
``ModelOutputError`` with a ``reason`` for ``lam_invalid_outputs_total``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.action_space import ActionSpace
from service.errors import ModelOutputError
from service.protocol import STATUSES, TERMINAL_STATUSES, ActionCall, Control, Status


@dataclass(frozen=True)
class GroundedAction:
    """A validated action (None: the task ends with no action), with the thought and plan as written."""

    action: ActionCall | None
    status: Status
    thought: str | None
    plan: list[str]


def ground(raw: dict[str, Any], space: ActionSpace, controls: dict[str, Control]) -> GroundedAction:
    """``raw`` (a format's ``parse``) checked against the app and the controls on screen (by label)."""
    status = raw.get("status")
    if status not in STATUSES:
        raise ModelOutputError(f"invalid status {status!r}", reason="invalid_status")
    function = raw.get("function", "")
    label = raw.get("label", "")
    args = raw.get("args") or {}
    if not isinstance(function, str) or not isinstance(label, str) or not isinstance(args, dict):
        raise ModelOutputError("function, label or args of the wrong type", reason="invalid_shape")
    thought = raw.get("thought")
    plan = raw.get("plan") or []
    if thought is not None and not isinstance(thought, str):
        raise ModelOutputError("thought is not a string", reason="invalid_shape")
    if not isinstance(plan, list) or not all(isinstance(p, str) for p in plan):
        raise ModelOutputError("plan is not a list of strings", reason="invalid_shape")

    if function == "":
        if status not in TERMINAL_STATUSES:
            raise ModelOutputError(f"no function with status {status}", reason="unknown_function")
        return GroundedAction(action=None, status=status, thought=thought, plan=plan)

    fn = space.functions.get(function)
    if fn is None:
        raise ModelOutputError(f"function {function!r} is not in app {space.app!r}", reason="unknown_function")
    if fn.targets_control:
        control = controls.get(label)
        if control is None:
            raise ModelOutputError(f"label {label!r} is not on screen", reason="ungrounded_label")
        if not control.enabled:  # the constraint never admits it; a server that ignored the constraint did
            raise ModelOutputError(f"control {label!r} is disabled", reason="ungrounded_label")
        if not fn.takes(control.control_type):  # nor this (the function's control_types)
            raise ModelOutputError(
                f"{function} does not act on a {control.control_type} (label {label!r})", reason="ungrounded_label"
            )
        control_text = control.name
    elif label:
        raise ModelOutputError(f"{function} acts on the app and takes no label", reason="ungrounded_label")
    else:
        control_text = ""
    try:
        typed_args = fn.validate_args(args)
    except ValueError as exc:
        raise ModelOutputError(f"invalid args for {function}: {exc}", reason="invalid_args") from exc
    return GroundedAction(
        action=ActionCall(function=function, args=typed_args, control_label=label, control_text=control_text),
        status=status,
        thought=thought,
        plan=plan,
    )
