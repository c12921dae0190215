"""Per-request JSON schema for structured decoding (docs/design.md section 5).

The label is an enum of *this* observation's labels, the function an enum of the app's functions,
and the args are bound to the chosen function (one ``anyOf`` branch per function). Functions that act
on the app as a whole take label ``""``; a last branch lets the model end the task with no action
(function ``""``, status FINISH or FAIL). With no controls on screen, only app-level functions and
that last branch remain. Schemas are cached by (app, labels, options): agents resend the same screen.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from service.action_space import ActionSpace
from service.protocol import STATUSES

THOUGHT_MAX_CHARS = 300
PLAN_MAX_ITEMS = 5
PLAN_ITEM_MAX_CHARS = 120
# Worst-case tokens of the JSON around the values ({"function":...,"label":...,"args":{},"status":...}).
_STRUCTURE_TOKENS = 48
_TOKENS_PER_NUMBER = 6
_TOKENS_PER_CHAR = 1.5  # generous: escapes and byte-fallback tokens


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
        return 2 + int(int(prop.get("maxLength", 0)) * _TOKENS_PER_CHAR)
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
            tokens += int(THOUGHT_MAX_CHARS * _TOKENS_PER_CHAR)
        if "plan" in props:
            tokens += PLAN_MAX_ITEMS * (int(PLAN_ITEM_MAX_CHARS * _TOKENS_PER_CHAR) + 3)
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


def build_output_schema(
    space: ActionSpace, labels: tuple[str, ...], include_thought: bool, include_plan: bool, max_arg_chars: int = 100
) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    if include_thought:
        extras["thought"] = {"type": "string", "maxLength": THOUGHT_MAX_CHARS}
    if include_plan:
        extras["plan"] = {
            "type": "array",
            "items": {"type": "string", "maxLength": PLAN_ITEM_MAX_CHARS},
            "maxItems": PLAN_MAX_ITEMS,
        }
    all_statuses: list[str] = list(STATUSES)
    branches = []
    for fn in space.functions.values():
        if fn.targets_control and not labels:
            continue
        args = cap_strings(fn.args_schema, max_arg_chars)
        branches.append(_branch(fn.name, None if fn.targets_control else [""], args, all_statuses, extras))
    no_args = {"type": "object", "properties": {}, "additionalProperties": False}
    branches.append(_branch("", [""], no_args, ["FINISH", "FAIL"], extras))
    schema: dict[str, Any] = {"anyOf": branches}
    if labels:
        schema["$defs"] = {"label": {"enum": list(labels)}}
    return schema


class SchemaCache:
    """Small LRU of built schemas; the key is everything the schema depends on."""

    def __init__(self, max_entries: int = 512, max_arg_chars: int = 100) -> None:
        self._entries: OrderedDict[tuple[object, ...], tuple[dict[str, Any], int]] = OrderedDict()
        self._max = max_entries
        self._max_arg_chars = max_arg_chars

    def get(
        self, space: ActionSpace, labels: tuple[str, ...], include_thought: bool, include_plan: bool
    ) -> tuple[dict[str, Any], int]:
        """The schema and the ``max_tokens`` that always fits an instance of it."""
        key = (space.app, id(space), labels, include_thought, include_plan)
        entry = self._entries.get(key)
        if entry is None:
            schema = build_output_schema(space, labels, include_thought, include_plan, self._max_arg_chars)
            entry = (schema, max_tokens_for(schema))
            self._entries[key] = entry
            if len(self._entries) > self._max:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(key)
        return entry
