"""The repeat guard: what this step's constraint leaves out because the memory shows it repeated.

A model that does not read the result of its action sends the same click again and again until the
agent's step limit (the issue's "repeats a no-op instead of reading the result"). When the last
``limit - 1`` steps of the memory are one and the same action (function, args, control), that
action is left out of this step's choices, so the model gives its best other answer: another
action, FINISH or FAIL. Actions that do more each time (a stepper, a growing selection, Delete) are
listed as ``repeatable`` in the app's action-space file and never left out.

A control is known by its name (its label where the name is empty): agents renumber labels from
screen to screen (UFO does), and two controls may share a name (the first cell of two tables), so
the function is left out on every control of this screen with that name.

Stateless like the rest of the layer: it reads only the request's memory and screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from service.action_space import ActionSpace
from service.formats.base import LeftOut, Screen
from service.protocol import MemoryStep
from service.text import display_name


def _control_key(step: MemoryStep) -> tuple[str, str]:
    """How a step names its control: ("name", the name) or, with no name, ("label", the label)."""
    name = display_name(step.control_text)
    return ("name", name) if name else ("label", step.control_label)


def left_out(steps: Sequence[MemoryStep], space: ActionSpace, screen: Screen, limit: int) -> LeftOut | None:
    """What to leave out of this step, or None; ``limit`` 0 is off (``LAM_REPEAT_LIMIT``)."""
    if limit < 2 or len(steps) < limit - 1:
        return None
    last = steps[len(steps) - (limit - 1) :]
    first = last[0]
    fn = space.functions.get(first.function)
    key = _control_key(first)
    if fn is None or any(s.function != first.function or _control_key(s) != key for s in last[1:]):
        return None
    try:
        args = [fn.validate_args(s.args) for s in last]  # defaults filled: {} and {"button": "left"} are one click
    except ValueError:
        return None
    if any(a != args[0] for a in args[1:]):
        return None
    kind, value = key
    if space.repeatable.allows(fn.name, value if kind == "name" else "", args[0]):
        return None
    if not fn.targets_control:
        return LeftOut(fn.name)
    if kind == "name":
        labels = {label for label, control in screen.controls.items() if display_name(control.name) == value}
    else:  # an unnamed control by its label, while that label is still unnamed (a renumbered one is another)
        control = screen.controls.get(value)
        labels = {value} if control is not None and not display_name(control.name) else set()
    # among the choices only: a disabled control is no choice already, nothing to leave out there
    references = tuple(ref for ref in screen.choices if screen.references[ref] in labels)
    return LeftOut(fn.name, references) if references else None  # none on this screen: nothing repeats
