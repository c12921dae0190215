"""Output formats: what the model generates and how it becomes an action (docs/design.md section 5).

One source of truth for serving and training: the layer asks vLLM for output constrained to the
format (``constraint``), reads it back (``parse``) and grounds it (``service.grounding``); the
training code writes its targets with ``render``, so the model learns exactly what is parsed here.
Three formats, chosen by ``LAM_OUTPUT_FORMAT``; the model card names the one the model was trained on.

``compact-v1`` (default): one line, defaults left implicit, about a third of JSON's tokens::

    12 click_input                  click control 12 (button left, single: both defaults)
    12 click_input right true       double right-click
    5 set_edit_text "Arial"         a control function: the label comes first
    select_text "Quarterly report"  an app-level function: no label
    insert_table 2 3                positional args: required ones first, then optional ones
    12 click_input FINISH           the last action of the task (status CONTINUE is implicit)
    FINISH                          done, no action left (or FAIL: cannot be done)

Its grammar, built per request as a regex for vLLM's ``structured_outputs`` (labels of *this*
observation, functions of *this* app, args typed and bounded as in the JSON schema)::

    output := ["Thought: " TEXT "\\n"] line ("\\nPlan: " TEXT){0,5}     thought/plan only when asked
    line   := (LABEL " " CONTROL_FN args | APP_FN args) [" " ("FINISH" | "FAIL" | "CONFIRM")]
            | "FINISH" | "FAIL"
    args   := (" " value)*          trailing args equal to their defaults are omitted
    value  := "JSON string" | integer (range-checked) | number | true | false | enum value | "_" (unset)

Label first is one token cheaper than function first in SmolLM2's tokenizer (the space merges into
the function's first token, while a space before a digit is a token of its own). Where a label is
also a function name, a line is read as a control action when its first word is a label and its
second a control function.

``compact-v2``: compact-v1 with each control written by its *name* as the prompt lists it, in JSON
quotes, where that name is on screen once; by its label where the name is empty or shared::

    "Light Blue" click_input        click the control named Light Blue (the layer grounds it to its label)
    14 click_input                  an unnamed control, or one whose name another control also has

Why: the request names its target ("... in Light Blue"), so a name is copied from the request, while
a label must be looked up in the control list. A small model that learnt labels finds the right row
and then writes the label of a name it already knows (``models/lam-smollm2-135m/RESULTS.md``).
The grammar admits only this screen's references, and ``parse`` maps each back to its label.

How each arg is written, read and constrained is ``service.compact_args``. ``json-v1``:
``{"function","label","args","status"}`` under the per-request JSON schema of ``service.output_schema``.
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict
from collections.abc import Container, Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Protocol

import orjson

from service.action_space import ActionSpace, FunctionDef
from service.compact_args import (
    STATUS_WORDS,
    TOKENS_PER_CHAR,
    UNSET,
    ArgSpec,
    arg_specs,
    args_regex,
    int_range_regex,
    kind_name,
    regex_escape,
    render_args,
    render_value,
)
from service.errors import ModelOutputError
from service.grounding import parse_output
from service.output_schema import (
    PLAN_ITEM_MAX_CHARS,
    PLAN_MAX_ITEMS,
    THOUGHT_MAX_CHARS,
    SchemaCache,
)
from service.protocol import Control
from service.text import display_name

__all__ = [
    "COMPACT_FORMAT",
    "COMPACT_NAME_FORMAT",
    "FORMAT_SETTINGS",
    "JSON_FORMAT",
    "PLAN_PREFIX",
    "STATUS_WORDS",
    "THOUGHT_PREFIX",
    "UNSET",
    "ArgSpec",
    "CompactFormat",
    "CompactNameFormat",
    "Constraint",
    "JsonFormat",
    "OutputFormat",
    "arg_specs",
    "function_arg_specs",
    "int_range_regex",
    "make_output_format",
    "render_args",
    "render_value",
]

COMPACT_FORMAT = "compact-v1"
COMPACT_NAME_FORMAT = "compact-v2"
JSON_FORMAT = "json-v1"
OutputFormatName = Literal["compact", "compact-v2", "json"]
# A model card's output_format (``models/<card>/card.yaml``) -> the LAM_OUTPUT_FORMAT that serves it.
FORMAT_SETTINGS: dict[str, OutputFormatName] = {
    COMPACT_FORMAT: "compact",
    COMPACT_NAME_FORMAT: "compact-v2",
    JSON_FORMAT: "json",
}

END_WORDS = ("FINISH", "FAIL")  # alone on the line: the task ends with no action
THOUGHT_PREFIX = "Thought: "
PLAN_PREFIX = "Plan: "
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^ "]+')
_TEXT = r"[^\x00-\x1f]"


@dataclass(frozen=True)
class Constraint:
    """What to merge into the chat request, and a ``max_tokens`` that always fits the output."""

    body: dict[str, Any]
    max_tokens: int


class OutputFormat(Hashable, Protocol):
    name: str

    def rules(self) -> str:
        """The output rules of the system prompt."""
        ...

    def signature(self, fn: FunctionDef) -> str:
        """How the system prompt lists a function."""
        ...

    def references(self, controls: Sequence[Control]) -> dict[str, str]:
        """How the model writes each on-screen control -> that control's label."""
        ...

    def constraint(
        self, space: ActionSpace, labels: tuple[str, ...], include_thought: bool, include_plan: bool
    ) -> Constraint: ...

    def parse(self, text: str, space: ActionSpace, labels: Container[str]) -> dict[str, Any]:
        """The model's text as ``{"function", "label", "args", "status", "thought", "plan"}`` for grounding.

        ``labels`` holds the references of ``references`` (a mapping for formats that write names).
        """
        ...

    def render(
        self,
        space: ActionSpace,
        function: str,
        label: str = "",
        args: dict[str, Any] | None = None,
        status: str = "CONTINUE",
        thought: str | None = None,
        plan: list[str] | None = None,
    ) -> str:
        """The text the model should generate for this action: what training teaches."""
        ...


# ---------------------------------------------------------------- the compact format


@dataclass(frozen=True)
class _SpaceGrammar:
    """Per-app parts of the regex and the arg specs, built once per action space."""

    specs: dict[str, tuple[ArgSpec, ...]]
    control_functions: str  # regex alternation: function name + its args
    app_functions: str
    control_max: int  # tokens of the longest control branch, label excluded
    app_max: int


def _function_max(fn: FunctionDef, specs: tuple[ArgSpec, ...]) -> int:
    return len(fn.name) + sum(1 + s.max_chars() for s in specs)


@lru_cache(maxsize=64)
def _space_grammar(space: ActionSpace, max_arg_chars: int) -> _SpaceGrammar:
    specs = {name: arg_specs(fn, max_arg_chars) for name, fn in space.functions.items()}
    control = [fn for fn in space.functions.values() if fn.targets_control]
    app = [fn for fn in space.functions.values() if not fn.targets_control]
    return _SpaceGrammar(
        specs=specs,
        control_functions="|".join(regex_escape(fn.name) + args_regex(specs[fn.name]) for fn in control),
        app_functions="|".join(regex_escape(fn.name) + args_regex(specs[fn.name]) for fn in app),
        control_max=max((_function_max(fn, specs[fn.name]) for fn in control), default=0),
        app_max=max((_function_max(fn, specs[fn.name]) for fn in app), default=0),
    )


def function_arg_specs(space: ActionSpace) -> dict[str, tuple[ArgSpec, ...]]:
    """Every function's args in compact order, built once per action space."""
    return _space_grammar(space, 100).specs


class CompactFormat:
    """``compact-v1``: see the module docstring."""

    name = COMPACT_FORMAT

    def __init__(self, max_arg_chars: int = 100, max_entries: int = 512) -> None:
        self.max_arg_chars = max_arg_chars
        self._cache: OrderedDict[tuple[object, ...], Constraint] = OrderedDict()
        self._max_entries = max_entries

    def rules(self) -> str:
        return (
            "Reply: [label] function args [FINISH|CONFIRM|FAIL], or FINISH or FAIL alone. "
            "Strings quoted, defaults omitted."
        )

    def signature(self, fn: FunctionDef) -> str:
        """``name arg:type [opt:type=default]`` in compact order (bounds are the grammar's business)."""
        parts = [fn.name]
        for spec in arg_specs(fn, self.max_arg_chars):
            kind = kind_name(spec)
            if spec.required:
                parts.append(f"{spec.name}:{kind}")
            else:
                default = f"={render_value(spec.default)}" if spec.has_default else ""
                parts.append(f"[{spec.name}:{kind}{default}]")
        return " ".join(parts)

    def references(self, controls: Sequence[Control]) -> dict[str, str]:
        """compact-v1 writes labels: each control is referred to by its own label."""
        return {c.label: c.label for c in controls}

    def grammar(self, space: ActionSpace) -> _SpaceGrammar:
        return _space_grammar(space, self.max_arg_chars)

    def regex(self, space: ActionSpace, labels: tuple[str, ...], include_thought: bool, include_plan: bool) -> str:
        """The per-request regex: this observation's labels, this app's functions and args."""
        grammar = self.grammar(space)
        branches = []
        if labels and grammar.control_functions:
            label_alt = "|".join(regex_escape(label) for label in labels)
            branches.append(f"(?:{label_alt}) (?:{grammar.control_functions})")
        if grammar.app_functions:
            branches.append(grammar.app_functions)
        status = "|".join(STATUS_WORDS)
        actions = f"(?:{'|'.join(branches)})(?: (?:{status}))?|" if branches else ""
        line = f"(?:{actions}{'|'.join(END_WORDS)})"
        if include_thought:
            line = f"{THOUGHT_PREFIX}{_TEXT}{{1,{THOUGHT_MAX_CHARS}}}\\n{line}"
        if include_plan:
            line = f"{line}(?:\\n{PLAN_PREFIX}{_TEXT}{{1,{PLAN_ITEM_MAX_CHARS}}}){{0,{PLAN_MAX_ITEMS}}}"
        return line

    def max_tokens(self, space: ActionSpace, labels: tuple[str, ...], include_thought: bool, include_plan: bool) -> int:
        grammar = self.grammar(space)
        longest_label = max((len(label) for label in labels), default=0)
        line = max(grammar.app_max, grammar.control_max + 1 + longest_label if labels else 0, len("FINISH"))
        tokens = line + 1 + max(len(w) for w in STATUS_WORDS) + 1  # + status + end of sequence
        if include_thought:
            tokens += len(THOUGHT_PREFIX) + 1 + int(THOUGHT_MAX_CHARS * TOKENS_PER_CHAR)
        if include_plan:
            tokens += PLAN_MAX_ITEMS * (len(PLAN_PREFIX) + 1 + int(PLAN_ITEM_MAX_CHARS * TOKENS_PER_CHAR))
        return tokens

    def constraint(
        self, space: ActionSpace, labels: tuple[str, ...], include_thought: bool, include_plan: bool
    ) -> Constraint:
        key = (id(space), labels, include_thought, include_plan)
        entry = self._cache.get(key)
        if entry is None:
            entry = Constraint(
                body={"structured_outputs": {"regex": self.regex(space, labels, include_thought, include_plan)}},
                max_tokens=self.max_tokens(space, labels, include_thought, include_plan),
            )
            self._cache[key] = entry
            if len(self._cache) > self._max_entries:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return entry

    def render(
        self,
        space: ActionSpace,
        function: str,
        label: str = "",
        args: dict[str, Any] | None = None,
        status: str = "CONTINUE",
        thought: str | None = None,
        plan: list[str] | None = None,
    ) -> str:
        """The canonical text of an action: what training teaches and ``parse`` reads back."""
        if not function:
            line = status
        else:
            fn = space.functions[function]
            head = f"{label} {function}" if fn.targets_control else function
            line = head + render_args(self.grammar(space).specs[function], args or {})
            if status != "CONTINUE":
                line += f" {status}"
        lines = [f"{THOUGHT_PREFIX}{thought}"] if thought is not None else []
        lines.append(line)
        lines.extend(f"{PLAN_PREFIX}{item}" for item in plan or [])
        return "\n".join(lines)

    def parse(self, text: str, space: ActionSpace, labels: Container[str]) -> dict[str, Any]:
        lines = text.split("\n")
        thought = None
        if lines and lines[0].startswith(THOUGHT_PREFIX):
            thought = lines.pop(0)[len(THOUGHT_PREFIX) :]
        plan: list[str] = []
        while len(lines) > 1 and lines[-1].startswith(PLAN_PREFIX):
            plan.insert(0, lines.pop()[len(PLAN_PREFIX) :])
        if len(lines) != 1:
            raise ModelOutputError(f"model output is not one action line: {text[:200]!r}", reason="invalid_format")
        raw = self._parse_line(lines[0], space, labels)
        raw["thought"], raw["plan"] = thought, plan
        return raw

    def _parse_line(self, line: str, space: ActionSpace, labels: Container[str]) -> dict[str, Any]:
        tokens = _lex(line)
        if len(tokens) == 1 and tokens[0] in END_WORDS:
            return {"function": "", "label": "", "args": {}, "status": tokens[0]}
        status = "CONTINUE"
        if len(tokens) > 1 and tokens[-1] in STATUS_WORDS:
            status = tokens.pop()
        functions = space.functions
        first = functions.get(tokens[0])
        second = functions.get(tokens[1]) if len(tokens) > 1 else None
        if second is not None and (first is None or (second.targets_control and tokens[0] in labels)):
            label, fn, values = tokens[0], second, tokens[2:]  # grounding checks the label
        elif first is not None:
            label, fn, values = "", first, tokens[1:]
        else:
            raise ModelOutputError(f"unknown function in {line[:200]!r}", reason="unknown_function")
        specs = self.grammar(space).specs[fn.name]
        if len(values) > len(specs):
            raise ModelOutputError(f"too many args for {fn.name}: {line[:200]!r}", reason="invalid_args")
        args: dict[str, Any] = {}
        for spec, token in zip(specs, values, strict=False):
            try:
                value = spec.read(token)
            except (ValueError, orjson.JSONDecodeError) as exc:
                raise ModelOutputError(f"invalid {spec.name} for {fn.name}: {exc}", reason="invalid_args") from exc
            if value is not None:
                args[spec.name] = value
        return {"function": fn.name, "label": label, "args": args, "status": status}


def _lex(line: str) -> list[str]:
    """Words and quoted strings separated by single spaces; anything else is not the format."""
    tokens, pos = [], 0
    while True:
        match = _TOKEN.match(line, pos)
        if match is None:
            raise ModelOutputError(f"model output is not the compact format: {line[:200]!r}", reason="invalid_format")
        tokens.append(match.group())
        pos = match.end()
        if pos == len(line):
            return tokens
        if line[pos] != " ":
            raise ModelOutputError(f"model output is not the compact format: {line[:200]!r}", reason="invalid_format")
        pos += 1


def _quote(name: str) -> str:
    """JSON string of a displayed name (no control characters left): orjson only where escapes are needed."""
    return f'"{name}"' if '"' not in name and "\\" not in name else orjson.dumps(name).decode()


class CompactNameFormat(CompactFormat):
    """``compact-v2``: compact-v1 that refers to a control by its quoted name (see the module docstring)."""

    name = COMPACT_NAME_FORMAT

    def rules(self) -> str:
        return (
            'Reply: ["control name"|label] function args [FINISH|CONFIRM|FAIL], or FINISH or FAIL alone. '
            "A control by its name in quotes, by its label if the name is empty or not unique. "
            "Strings quoted, defaults omitted."
        )

    def references(self, controls: Sequence[Control]) -> dict[str, str]:
        """The quoted name where it is non-empty and on screen once, else the label (labels have no quotes)."""
        names = [display_name(c.name) for c in controls]
        counts = Counter(names)
        return {
            (_quote(name) if name and counts[name] == 1 else c.label): c.label
            for c, name in zip(controls, names, strict=True)
        }

    def parse(self, text: str, space: ActionSpace, labels: Container[str]) -> dict[str, Any]:
        """As compact-v1, then the reference becomes its label (an unknown one is left for grounding to refuse)."""
        raw = super().parse(text, space, labels)
        if raw["label"] and isinstance(labels, Mapping):
            raw["label"] = labels.get(raw["label"], raw["label"])
        return raw


# ---------------------------------------------------------------- JSON, the alternative


class JsonFormat:
    """``json-v1``: JSON under the per-request schema of ``service.output_schema``."""

    name = JSON_FORMAT

    def __init__(self, max_arg_chars: int = 100) -> None:
        self.max_arg_chars = max_arg_chars
        self.schemas = SchemaCache(max_arg_chars=max_arg_chars)

    def rules(self) -> str:
        return (
            'Reply with JSON {"function","label","args","status"}; label is "" for app functions. '
            "status: CONTINUE if more steps follow, FINISH when the request is done "
            '(function "" if nothing is left to do), FAIL if it cannot be done, '
            "CONFIRM if the action needs the user's consent."
        )

    def signature(self, fn: FunctionDef) -> str:
        return CompactFormat(self.max_arg_chars).signature(fn)

    def references(self, controls: Sequence[Control]) -> dict[str, str]:
        return {c.label: c.label for c in controls}

    def constraint(
        self, space: ActionSpace, labels: tuple[str, ...], include_thought: bool, include_plan: bool
    ) -> Constraint:
        schema, max_tokens = self.schemas.get(space, labels, include_thought, include_plan)
        body = {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "action", "schema": schema, "strict": True},
            }
        }
        return Constraint(body=body, max_tokens=max_tokens)

    def render(
        self,
        space: ActionSpace,
        function: str,
        label: str = "",
        args: dict[str, Any] | None = None,
        status: str = "CONTINUE",
        thought: str | None = None,
        plan: list[str] | None = None,
    ) -> str:
        out: dict[str, Any] = {}
        if thought is not None:
            out["thought"] = thought
        out.update(function=function, label=label, args=args or {}, status=status)
        if plan is not None:
            out["plan"] = plan
        return orjson.dumps(out).decode()

    def parse(self, text: str, space: ActionSpace, labels: Container[str]) -> dict[str, Any]:
        return parse_output(text)


def make_output_format(name: OutputFormatName, max_arg_chars: int = 100) -> CompactFormat | JsonFormat:
    if name == "json":
        return JsonFormat(max_arg_chars)
    if name == "compact-v2":
        return CompactNameFormat(max_arg_chars)
    return CompactFormat(max_arg_chars)
