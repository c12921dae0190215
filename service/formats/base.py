"""What every output format is, and what the formats share (docs/design.md section 5).

A format is the whole contract between the model and the layer, so it lives in one class: the output
rules and function signatures of the system prompt, the per-request decoding constraint, the parser
of the model's text and the renderer of training targets. ``read`` (parse, then ground) is the one
way model text becomes an action, for serving and for training rollouts alike.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Container, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from service.action_space import ActionSpace, FunctionDef
from service.formats.grounding import GroundedAction, ground
from service.protocol import STATUSES, TERMINAL_STATUSES, Control, Status

# The protocol's statuses as the formats write them.
IMPLICIT_STATUS: Status = "CONTINUE"  # never written: an action without a status word continues the task
STATUS_WORDS: tuple[Status, ...] = tuple(s for s in STATUSES if s != IMPLICIT_STATUS)  # after an action
END_WORDS: tuple[Status, ...] = TERMINAL_STATUSES  # alone: the task ends with no action

THOUGHT_PREFIX = "Thought: "
PLAN_PREFIX = "Plan: "
THOUGHT_MAX_CHARS = 300
PLAN_MAX_ITEMS = 5
PLAN_ITEM_MAX_CHARS = 120
TOKENS_PER_CHAR = 1.5  # generous: escapes and byte-fallback tokens, so max_tokens never cuts an output

V = TypeVar("V")


@dataclass(frozen=True)
class Constraint:
    """What to merge into the chat request, and a ``max_tokens`` that always fits the output."""

    body: dict[str, Any]
    max_tokens: int


@dataclass(frozen=True)
class Target:
    """One action as a format writes it (``render``'s arguments): what training teaches."""

    function: str
    label: str
    args: dict[str, Any]
    status: str
    thought: str | None
    plan: list[str] | None


@dataclass(frozen=True)
class LeftOut:
    """An action this step's constraint leaves out: the repeat guard's (``service.repeat_guard``), or a
    function on the controls whose type it does not take (``untaken``).

    ``function`` on the controls the model writes as ``references``; for an app-level function
    (no references), the function itself. Everything else stays allowed, FINISH and FAIL always.
    """

    function: str
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConstraintSpec:
    """What one request's decoding constraint admits; also its cache key (agents resend screens).

    ``references``: the screen's choices, as the model writes them (``Screen.choices``: its enabled
    controls);
    ``include_thought``/``include_plan``: the optional lines the request asked for; ``left_out``: what
    else it leaves out (``untaken``'s, the repeat guard's), if anything.
    """

    space: ActionSpace
    references: tuple[str, ...]
    include_thought: bool = False
    include_plan: bool = False
    left_out: tuple[LeftOut, ...] = ()


@dataclass(frozen=True)
class Screen:
    """One observation as a format refers to it, built once per request.

    ``references`` (what the model writes -> label) are read back by ``parse``; ``choices`` are the
    references the constraint admits: those of the enabled controls, since a click on a disabled
    (greyed) control does nothing, the no-op a model then repeats; ``controls`` (label -> control) are
    what grounding checks the result against.
    """

    references: dict[str, str]
    controls: dict[str, Control]
    choices: tuple[str, ...]


def untaken(space: ActionSpace, screen: Screen) -> tuple[LeftOut, ...]:
    """Each function that lists ``control_types``, left out on the choices of other types.

    Why: a function on a control that cannot take it (Word's set_edit_text on a button) fails in the
    app, a step lost; the prompt still lists every function, so no trained model sees a change there.
    """
    left_out = []
    for fn in space.functions.values():
        if fn.targets_control and fn.control_types:
            refs = tuple(r for r in screen.choices if not fn.takes(screen.controls[screen.references[r]].control_type))
            if refs:
                left_out.append(LeftOut(fn.name, refs))
    return tuple(left_out)


class Lru(Generic[V]):
    """A small LRU: agents resend the same screen, and a constraint costs a millisecond or more to build."""

    def __init__(self, max_entries: int) -> None:
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._max = max_entries

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        entry = self._entries.get(key)
        if entry is None:
            entry = build()
            self._entries[key] = entry
            if len(self._entries) > self._max:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(key)
        return entry


class OutputFormat(ABC):
    """One output format. Hashed by identity: the system prompt is cached per (app, format)."""

    name: ClassVar[str]  # what a model card's ``output_format`` says

    def __init__(self, max_arg_chars: int = 100, max_entries: int = 512) -> None:
        self.max_arg_chars = max_arg_chars
        self._constraints: Lru[Constraint] = Lru(max_entries)

    @abstractmethod
    def rules(self) -> str:
        """The output rules of the system prompt."""

    @abstractmethod
    def signature(self, fn: FunctionDef) -> str:
        """How the system prompt lists a function."""

    def references(self, controls: Sequence[Control]) -> dict[str, str]:
        """How the model writes each on-screen control -> that control's label (here: the label itself)."""
        return {c.label: c.label for c in controls}

    def screen(self, controls: Sequence[Control]) -> Screen:
        references = self.references(controls)
        by_label = {c.label: c for c in controls}
        choices = tuple(ref for ref, label in references.items() if by_label[label].enabled)
        return Screen(references=references, controls=by_label, choices=choices)

    def constraint(self, spec: ConstraintSpec) -> Constraint:
        """The per-request constraint, cached by ``spec``."""
        return self._constraints.get(spec, lambda: self.build_constraint(spec))

    @abstractmethod
    def build_constraint(self, spec: ConstraintSpec) -> Constraint: ...

    @abstractmethod
    def parse(self, text: str, space: ActionSpace, labels: Container[str]) -> dict[str, Any]:
        """The model's text as ``{"function", "label", "args", "status", "thought", "plan"}`` for grounding.

        ``labels`` holds the references of ``references`` (a mapping for formats that write names).
        """

    def read(self, text: str, space: ActionSpace, screen: Screen) -> GroundedAction:
        """The model's text as a grounded action; ``ModelOutputError`` when it is not one."""
        return ground(self.parse(text, space, screen.references), space, screen.controls)

    def render(
        self,
        space: ActionSpace,
        function: str,
        label: str = "",
        args: dict[str, Any] | None = None,
        status: str = IMPLICIT_STATUS,
        thought: str | None = None,
        plan: list[str] | None = None,
    ) -> str:
        """The text the model should generate for this action: what training teaches, ``parse`` reads back."""
        return self.write(space, Target(function, label, args or {}, status, thought, plan))

    @abstractmethod
    def write(self, space: ActionSpace, target: Target) -> str: ...
