"""Validate and ground what the model produced: decoding constraints have gaps, so trust nothing.

Grounding means: the function belongs to the app, a control-targeting function names a label that is
on screen (and gets that control's text), an app-level function carries label ``""``, the args are
typed and completed with defaults, and the status is one of the four. Anything else raises
``ModelOutputError`` with a ``reason`` for ``lam_invalid_outputs_total``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from service.action_space import ActionSpace
from service.errors import ModelOutputError
from service.protocol import STATUSES, TERMINAL_STATUSES, ActionCall, Control, Status


@dataclass(frozen=True)
class GroundedAction:
    action: ActionCall | None
    status: Status
    thought: str | None
    plan: list[str]


def parse_output(text: str) -> dict[str, Any]:
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ModelOutputError(f"model output is not JSON: {text[:200]!r}", reason="invalid_json") from exc
    if not isinstance(data, dict):
        raise ModelOutputError("model output is not a JSON object", reason="invalid_json")
    return data


def ground(raw: dict[str, Any], space: ActionSpace, controls: dict[str, Control]) -> GroundedAction:
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
