"""``json-v1``: the action as JSON under a per-request JSON schema (docs/design.md section 5).

``{"function","label","args","status"}``, with ``thought`` first and ``plan`` last when asked: the
alternative to the compact formats (about three times their tokens), kept available as
``LAM_OUTPUT_FORMAT=json``. In the schema the label is an enum of *this* observation's labels, the
function an enum of the app's functions, and the args are bound to the chosen function (one ``anyOf``
branch per function). Functions that act on the app as a whole take label ``""``; a last branch lets
the model end the task with no action (function ``""``, status FINISH or FAIL). With no controls on
screen, only app-level functions and that last branch remain. Constraints are cached per screen by
``OutputFormat.constraint``: agents resend the same screen.
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

import orjson

from service.action_space import ActionSpace, FunctionDef
from service.errors import ModelOutputError
from service.formats.base import (
    END_WORDS,
    PLAN_ITEM_MAX_CHARS,
    PLAN_MAX_ITEMS,
    THOUGHT_MAX_CHARS,
    TOKENS_PER_CHAR,
    Constraint,
    ConstraintSpec,
    OutputFormat,
    Target,
)
from service.formats.compact_args import signature
from service.protocol import STATUSES

# Worst-case tokens of the JSON around the values ({"function":...,"label":...,"args":{},"status":...}).
_STRUCTURE_TOKENS = 48
_TOKENS_PER_NUMBER = 6


def cap_strings(args_schema: dict[str, Any], max_chars: int) -> dict[str, Any]:
    """Copy of an args schema whose string args are at most ``max_chars`` long (bounds generation)."""
    props = {}
    for name, prop in (args_schema.get("properties") or {}).items():
        if prop.get("type") == "string" and "enum" not in prop:
            prop = {**prop, "maxLength": min(int(prop.get("maxLength", max_chars)), max_chars)}
        props[name] = prop
    return {**args_schema, "properties": props}


def _value_tokens(prop: dict[str, Any]) -> int:
    if "enum" in prop:
        return 2 + max(len(str(v)) for v in prop["enum"])
    if prop.get("type") == "string":
        return 2 + int(int(prop.get("maxLength", 0)) * TOKENS_PER_CHAR)
    return _TOKENS_PER_NUMBER


def max_tokens_for(schema: dict[str, Any]) -> int:
    """Upper bound of the tokens any instance of ``schema`` needs, so output is never cut short."""
    worst = 0
    for branch in schema["anyOf"]:
        props = branch["properties"]
        tokens = _STRUCTURE_TOKENS + sum(
            _value_tokens(p) + len(name) for name, p in (props["args"].get("properties") or {}).items()
        )
        if "thought" in props:
            tokens += int(THOUGHT_MAX_CHARS * TOKENS_PER_CHAR)
        if "plan" in props:
            tokens += PLAN_MAX_ITEMS * (int(PLAN_ITEM_MAX_CHARS * TOKENS_PER_CHAR) + 3)
        worst = max(worst, tokens)
    labels = schema.get("$defs", {}).get("label", {}).get("enum", [""])
    return worst + max(len(label) for label in labels)


def _branch(
    function: str,
    labels: list[str] | None,
    args_schema: dict[str, Any],
    statuses: list[str],
    extras: dict[str, Any],
) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    if "thought" in extras:
        properties["thought"] = extras["thought"]
    properties["function"] = {"enum": [function]}
    properties["label"] = {"$ref": "#/$defs/label"} if labels is None else {"enum": labels}
    properties["args"] = args_schema
    properties["status"] = {"enum": statuses}
    if "plan" in extras:
        properties["plan"] = extras["plan"]
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def build_output_schema(spec: ConstraintSpec, max_arg_chars: int = 100) -> dict[str, Any]:
    """One ``anyOf`` branch per function; a left-out function loses those controls (app-level: its branch)."""
    labels = spec.references
    extras: dict[str, Any] = {}
    if spec.include_thought:
        extras["thought"] = {"type": "string", "maxLength": THOUGHT_MAX_CHARS}
    if spec.include_plan:
        extras["plan"] = {
            "type": "array",
            "items": {"type": "string", "maxLength": PLAN_ITEM_MAX_CHARS},
            "maxItems": PLAN_MAX_ITEMS,
        }
    all_statuses: list[str] = list(STATUSES)
    branches = []
    for fn in spec.space.functions.values():
        if fn.targets_control and not labels:
            continue
        fn_labels: list[str] | None = None if fn.targets_control else [""]
        outs = [out for out in spec.left_out if out.function == fn.name]
        if outs:
            if not fn.targets_control:
                continue
            lost = {label for out in outs for label in out.references}
            fn_labels = [label for label in labels if label not in lost]
            if not fn_labels:
                continue
        args = cap_strings(fn.args_schema, max_arg_chars)
        branches.append(_branch(fn.name, fn_labels, args, all_statuses, extras))
    no_args = {"type": "object", "properties": {}, "additionalProperties": False}
    branches.append(_branch("", [""], no_args, list(END_WORDS), extras))
    schema: dict[str, Any] = {"anyOf": branches}
    if labels:
        schema["$defs"] = {"label": {"enum": list(labels)}}
    return schema


def parse_output(text: str) -> dict[str, Any]:
    """The model's text as a JSON object; grounding checks the rest."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ModelOutputError(f"model output is not JSON: {text[:200]!r}", reason="invalid_json") from exc
    if not isinstance(data, dict):
        raise ModelOutputError("model output is not a JSON object", reason="invalid_json")
    return data


class JsonFormat(OutputFormat):
    """``json-v1``: see the module docstring. Functions are listed in the compact notation all the same."""

    name = "json-v1"

    def rules(self) -> str:
        return (
            'Reply with JSON {"function","label","args","status"}; label is "" for app functions. '
            "status: CONTINUE if more steps follow, FINISH when the request is done "
            '(function "" if nothing is left to do), FAIL if it cannot be done, '
            "CONFIRM if the action needs the user's consent."
        )

    def signature(self, fn: FunctionDef) -> str:
        return signature(fn, self.max_arg_chars)

    def build_constraint(self, spec: ConstraintSpec) -> Constraint:
        schema = build_output_schema(spec, self.max_arg_chars)
        body = {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "action", "schema": schema, "strict": True},
            }
        }
        return Constraint(body=body, max_tokens=max_tokens_for(schema))

    def write(self, space: ActionSpace, target: Target) -> str:
        out: dict[str, Any] = {}
        if target.thought is not None:
            out["thought"] = target.thought
        out.update(function=target.function, label=target.label, args=target.args, status=target.status)
        if target.plan is not None:
            out["plan"] = target.plan
        return orjson.dumps(out).decode()

    def parse(self, text: str, space: ActionSpace, labels: Container[str]) -> dict[str, Any]:
        return parse_output(text)
