"""``compact-v1`` and ``compact-v2``: one action line, about a third of JSON's tokens (docs/design.md section 5).

``compact-v1``: defaults left implicit, controls by label::

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
How each arg is written, read and constrained is ``service.formats.compact_args``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Mapping, Sequence
from typing import Any

import orjson

from service.action_space import ActionSpace, FunctionDef
from service.errors import ModelOutputError
from service.formats.base import (
    END_WORDS,
    IMPLICIT_STATUS,
    PLAN_ITEM_MAX_CHARS,
    PLAN_MAX_ITEMS,
    PLAN_PREFIX,
    STATUS_WORDS,
    THOUGHT_MAX_CHARS,
    THOUGHT_PREFIX,
    TOKENS_PER_CHAR,
    Constraint,
    ConstraintSpec,
    LeftOut,
    OutputFormat,
    Target,
)
from service.formats.compact_args import SpaceGrammar, render_args, signature, space_grammar
from service.formats.regex import regex_escape
from service.protocol import Control
from service.text import display_name

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^ "]+')
_TEXT = r"[^\x00-\x1f]"


class CompactFormat(OutputFormat):
    """``compact-v1``: see the module docstring."""

    name = "compact-v1"

    def rules(self) -> str:
        return (
            "Reply: [label] function args [FINISH|CONFIRM|FAIL], or FINISH or FAIL alone. "
            "Strings quoted, defaults omitted."
        )

    def signature(self, fn: FunctionDef) -> str:
        return signature(fn, self.max_arg_chars)

    def grammar(self, space: ActionSpace) -> SpaceGrammar:
        return space_grammar(space, self.max_arg_chars)

    def regex(self, spec: ConstraintSpec) -> str:
        """The per-request regex: this observation's references, this app's functions and args."""
        branches = _action_branches(self.grammar(spec.space), spec.references, spec.left_out)
        status = "|".join(STATUS_WORDS)
        actions = f"(?:{'|'.join(branches)})(?: (?:{status}))?|" if branches else ""
        line = f"(?:{actions}{'|'.join(END_WORDS)})"
        if spec.include_thought:
            line = f"{THOUGHT_PREFIX}{_TEXT}{{1,{THOUGHT_MAX_CHARS}}}\\n{line}"
        if spec.include_plan:
            line = f"{line}(?:\\n{PLAN_PREFIX}{_TEXT}{{1,{PLAN_ITEM_MAX_CHARS}}}){{0,{PLAN_MAX_ITEMS}}}"
        return line

    def max_tokens(self, spec: ConstraintSpec) -> int:
        grammar = self.grammar(spec.space)
        longest = max((len(reference) for reference in spec.references), default=0)
        line = max(grammar.app_max, grammar.control_max + 1 + longest if spec.references else 0, len("FINISH"))
        tokens = line + 1 + max(len(w) for w in STATUS_WORDS) + 1  # + status + end of sequence
        if spec.include_thought:
            tokens += len(THOUGHT_PREFIX) + 1 + int(THOUGHT_MAX_CHARS * TOKENS_PER_CHAR)
        if spec.include_plan:
            tokens += PLAN_MAX_ITEMS * (len(PLAN_PREFIX) + 1 + int(PLAN_ITEM_MAX_CHARS * TOKENS_PER_CHAR))
        return tokens

    def build_constraint(self, spec: ConstraintSpec) -> Constraint:
        return Constraint(body={"structured_outputs": {"regex": self.regex(spec)}}, max_tokens=self.max_tokens(spec))

    def write(self, space: ActionSpace, target: Target) -> str:
        if not target.function:
            line = target.status
        else:
            fn = space.functions[target.function]
            head = f"{target.label} {target.function}" if fn.targets_control else target.function
            line = head + render_args(self.grammar(space).specs[target.function], target.args)
            if target.status != IMPLICIT_STATUS:
                line += f" {target.status}"
        lines = [f"{THOUGHT_PREFIX}{target.thought}"] if target.thought is not None else []
        lines.append(line)
        lines.extend(f"{PLAN_PREFIX}{item}" for item in target.plan or [])
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
        status: str = IMPLICIT_STATUS
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


def _action_branches(grammar: SpaceGrammar, labels: tuple[str, ...], left_out: tuple[LeftOut, ...]) -> list[str]:
    """The alternatives of an action line: every label with every control function, and the app functions.

    ``left_out``: a control it names keeps every control function but the ones left out on it, the
    labels grouped by what they lose (one branch a group: a few at most); a left-out app-level
    function is dropped. An empty alternative is never written.
    """
    lost: dict[str, frozenset[str]] = {}
    for out in left_out:
        for label in out.references:
            lost[label] = lost.get(label, frozenset()) | {out.function}
    groups: dict[frozenset[str], list[str]] = {}
    for label in labels:
        groups.setdefault(lost.get(label, frozenset()), []).append(label)
    branches = []
    for functions_lost, members in groups.items():
        functions = grammar.functions_except(functions_lost, on_control=True)
        if functions:
            branches.append(f"(?:{'|'.join(regex_escape(label) for label in members)}) (?:{functions})")
    app_functions = grammar.functions_except(
        frozenset(out.function for out in left_out if not out.references), on_control=False
    )
    if app_functions:
        branches.append(app_functions)
    return branches


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

    name = "compact-v2"

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
