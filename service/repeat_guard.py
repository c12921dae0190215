"""The repeat guard: what this step's constraint leaves out because the memory shows it repeated.

A model that does not read the result of its action sends the same click again and again until the
agent's step limit (the issue's "repeats a no-op instead of reading the result"). When the last
``limit - 1`` steps of the memory are one and the same action (function, args, control), that
action is left out of this step's choices, so the model gives its best other answer: another
action, FINISH or FAIL. Actions that do more each time (a stepper, scrolling, a movement key) are
listed as ``repeatable`` in the app's action-space file and never left out.

Stateless like the rest of the layer: it reads only the request's memory and screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from service.action_space import ActionSpace
from service.formats.base import LeftOut, Screen
from service.protocol import MemoryStep
from service.text import display_name


def left_out(steps: Sequence[MemoryStep], space: ActionSpace, screen: Screen, limit: int) -> LeftOut | None:
    """What to leave out of this step, or None; ``limit`` 0 is off (``LAM_REPEAT_LIMIT``)."""
    if limit < 2 or len(steps) < limit - 1:
        return None
    last = steps[len(steps) - (limit - 1) :]
    first = last[0]
    fn = space.functions.get(first.function)
    if fn is None or any(
        (s.function, s.control_label, s.control_text) != (first.function, first.control_label, first.control_text)
        for s in last[1:]
    ):
        return None
    try:
        args = [fn.validate_args(s.args) for s in last]  # defaults filled: {} and {"button": "left"} are one click
    except ValueError:
        return None
    if any(a != args[0] for a in args[1:]):
        return None
    if not fn.targets_control:
        return None if space.repeatable.allows(fn.name, "", args[0]) else LeftOut(fn.name)
    control = screen.controls.get(first.control_label)
    if control is None:
        return None  # the control is gone: nothing on this screen repeats it
    name = display_name(control.name)
    if first.control_text and display_name(first.control_text) != name:
        return None  # the label now names another control
    if space.repeatable.allows(fn.name, name, args[0]):
        return None
    reference = next((ref for ref, label in screen.references.items() if label == control.label), None)
    return None if reference is None else LeftOut(fn.name, reference)
