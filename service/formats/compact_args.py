"""The args of the compact formats (``service.formats.compact``): how each arg is written, read and constrained.

An arg's kind and bounds come from the app's action space (a small JSON-schema subset); from them
come its regex for the per-request constraint (integers range-checked digit by digit, strings
JSON-quoted and length-bounded, enum values bare when they are plain words), its rendering for
training targets, and its reading back from the model's text. Args are positional: required ones
in schema order, then optional ones; trailing args equal to their defaults are left out, an unset
optional arg without a default in the middle is written ``_``. ``space_grammar`` joins an app's
functions and their args into the regex alternations the compact formats build on. Every format's
system prompt lists functions in this notation (``signature``), and the prompt's history writes past
args in it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import orjson

from service.action_space import ActionSpace, FunctionDef
from service.formats.base import IMPLICIT_STATUS, STATUS_WORDS, TOKENS_PER_CHAR
from service.formats.regex import int_range_regex, regex_escape

UNSET = "_"
_INT_LIMIT = 10**15 - 1
_BARE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_RESERVED = {*STATUS_WORDS, IMPLICIT_STATUS, UNSET, "true", "false"}  # bare, they would read as other tokens
_KIND_NAMES = {"string": "str", "integer": "int", "number": "num", "boolean": "bool", "enum": "enum"}


# ---------------------------------------------------------------- args of one function


@dataclass(frozen=True)
class ArgSpec:
    """One arg as the compact format sees it: its kind, bounds and default."""

    name: str
    kind: Literal["string", "integer", "number", "boolean", "enum"]
    required: bool
    default: Any
    has_default: bool
    enum: tuple[Any, ...] = ()
    minimum: int = -_INT_LIMIT
    maximum: int = _INT_LIMIT
    min_length: int = 0
    max_length: int = 100

    def render(self, value: Any) -> str:
        """Strings always quoted; enum values bare when they are plain words."""
        if self.kind == "string" and isinstance(value, str):
            return json.dumps(value, ensure_ascii=False)
        return render_value(value)

    def regex(self) -> str:
        if self.kind == "enum":
            return "|".join(regex_escape(render_value(v)) for v in self.enum)
        if self.kind == "boolean":
            return "true|false"
        if self.kind == "integer":
            return int_range_regex(self.minimum, self.maximum)
        if self.kind == "number":
            return r"-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,6})?"
        char = r'(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))'
        return f'"{char}{{{self.min_length},{self.max_length}}}"'

    def max_chars(self) -> int:
        """Longest rendering, in tokens (ASCII structure: at most one token a character)."""
        if self.kind == "enum":
            return max(len(render_value(v)) for v in self.enum)
        if self.kind == "boolean":
            return 5
        if self.kind == "integer":
            return max(len(str(self.minimum)), len(str(self.maximum)))
        if self.kind == "number":
            return 23
        return 2 + int(self.max_length * TOKENS_PER_CHAR)

    def read(self, token: str) -> Any:
        """The value of one lexed token; ``ValueError`` when it is not of this arg's kind."""
        if token == UNSET and not self.required and not self.has_default:
            return None
        if self.kind == "enum":
            for value in self.enum:
                if render_value(value) == token:
                    return value
            raise ValueError(f"{token!r} is not one of {list(self.enum)}")
        if self.kind == "string":
            if not token.startswith('"'):
                raise ValueError(f"{token!r} is not a quoted string")
            value = orjson.loads(token)
            if not isinstance(value, str):
                raise ValueError(f"{token!r} is not a string")
            return value
        if self.kind == "boolean":
            if token not in ("true", "false"):
                raise ValueError(f"{token!r} is not true or false")
            return token == "true"
        if self.kind == "integer":
            if not re.fullmatch(r"-?[0-9]+", token):
                raise ValueError(f"{token!r} is not an integer")
            return int(token)
        return float(token)


def render_value(value: Any) -> str:
    """One arg value as the compact format writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str) and _BARE.match(value) and value not in _RESERVED:
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _arg_spec(name: str, prop: dict[str, Any], required: bool, max_arg_chars: int) -> ArgSpec:
    has_default = "default" in prop
    common: dict[str, Any] = {
        "name": name,
        "required": required,
        "default": prop.get("default"),
        "has_default": has_default,
    }
    if "enum" in prop:
        return ArgSpec(kind="enum", enum=tuple(prop["enum"]), **common)
    kind = prop.get("type")
    if kind == "integer":
        return ArgSpec(
            kind="integer",
            minimum=int(prop.get("minimum", -_INT_LIMIT)),
            maximum=int(prop.get("maximum", _INT_LIMIT)),
            **common,
        )
    if kind in ("number", "boolean"):
        return ArgSpec(kind=kind, **common)
    max_length = min(int(prop.get("maxLength", max_arg_chars)), max_arg_chars)
    min_length = min(int(prop.get("minLength", 0)), max_length)
    return ArgSpec(kind="string", min_length=min_length, max_length=max_length, **common)


def arg_specs(fn: FunctionDef, max_arg_chars: int = 100) -> tuple[ArgSpec, ...]:
    """The function's args in compact order: required ones (schema order), then optional ones."""
    required = set(fn.args_schema.get("required", []))
    props: dict[str, Any] = fn.args_schema.get("properties") or {}
    specs = [_arg_spec(name, prop, name in required, max_arg_chars) for name, prop in props.items()]
    return tuple(sorted(specs, key=lambda s: not s.required))


def args_regex(specs: tuple[ArgSpec, ...]) -> str:
    out = "".join(f" (?:{s.regex()})" for s in specs if s.required)
    optional = [s for s in specs if not s.required]
    tail = ""
    for spec in reversed(optional):
        value = spec.regex() if spec.has_default else f"{spec.regex()}|{UNSET}"
        tail = f"(?: (?:{value}){tail})?"
    return out + tail


@dataclass(frozen=True)
class SpaceGrammar:
    """Per-app parts of the regex and the arg specs, built once per action space."""

    specs: dict[str, tuple[ArgSpec, ...]]
    control_functions: str  # regex alternation: function name + its args
    app_functions: str
    control_max: int  # tokens of the longest control branch, label excluded
    app_max: int
    branches: dict[str, str]  # each function: its name + its args, as a regex
    control_names: tuple[str, ...]  # the functions that act on a control, in the file's order
    app_names: tuple[str, ...]

    def functions_except(self, left_out: frozenset[str], *, on_control: bool) -> str:
        """``control_functions`` (or ``app_functions``) without those ``left_out``; "" when none is left."""
        if not left_out:
            return self.control_functions if on_control else self.app_functions
        names = self.control_names if on_control else self.app_names
        return "|".join(self.branches[name] for name in names if name not in left_out)


def _function_max(fn: FunctionDef, specs: tuple[ArgSpec, ...]) -> int:
    return len(fn.name) + sum(1 + s.max_chars() for s in specs)


@lru_cache(maxsize=64)
def space_grammar(space: ActionSpace, max_arg_chars: int) -> SpaceGrammar:
    specs = {name: arg_specs(fn, max_arg_chars) for name, fn in space.functions.items()}
    branches = {name: regex_escape(name) + args_regex(specs[name]) for name in space.functions}
    control = [fn for fn in space.functions.values() if fn.targets_control]
    app = [fn for fn in space.functions.values() if not fn.targets_control]
    return SpaceGrammar(
        specs=specs,
        control_functions="|".join(branches[fn.name] for fn in control),
        app_functions="|".join(branches[fn.name] for fn in app),
        control_max=max((_function_max(fn, specs[fn.name]) for fn in control), default=0),
        app_max=max((_function_max(fn, specs[fn.name]) for fn in app), default=0),
        branches=branches,
        control_names=tuple(fn.name for fn in control),
        app_names=tuple(fn.name for fn in app),
    )


def function_arg_specs(space: ActionSpace) -> dict[str, tuple[ArgSpec, ...]]:
    """Every function's args in compact order, built once per action space."""
    return space_grammar(space, 100).specs


def _same(value: Any, default: Any) -> bool:
    return bool(value == default) and type(value) is type(default)


def render_args(specs: tuple[ArgSpec, ...], args: dict[str, Any]) -> str:
    """Positional values; trailing ones that are unset or equal to their default are left out."""
    values: list[str | None] = []  # None: unset or the default, may be left out at the end
    for spec in specs:
        value = args.get(spec.name)
        unset = value is None or (spec.has_default and _same(value, spec.default))
        values.append(None if unset else spec.render(value))
    while values and values[-1] is None:
        values.pop()
    out = []
    for spec, rendered in zip(specs, values, strict=False):
        if rendered is None:
            rendered = spec.render(spec.default) if spec.has_default else UNSET
        out.append(f" {rendered}")
    return "".join(out)


def kind_name(spec: ArgSpec) -> str:
    """How the system prompt names an arg's type."""
    return "|".join(render_value(v) for v in spec.enum) if spec.kind == "enum" else _KIND_NAMES[spec.kind]


def signature(fn: FunctionDef, max_arg_chars: int = 100) -> str:
    """``name arg:type [opt:type=default]`` in compact order (bounds are the grammar's business)."""
    parts = [fn.name]
    for spec in arg_specs(fn, max_arg_chars):
        kind = kind_name(spec)
        if spec.required:
            parts.append(f"{spec.name}:{kind}")
        else:
            default = f"={render_value(spec.default)}" if spec.has_default else ""
            parts.append(f"[{spec.name}:{kind}{default}]")
    return " ".join(parts)
