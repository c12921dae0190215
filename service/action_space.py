"""Action spaces are data: one YAML file per app, loaded once at start-up.

Each function's ``args_schema`` (a small JSON-schema subset) is compiled into a pydantic model,
so that the args the model produced are validated, typed and completed with defaults in one call.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from service.protocol import ActionSpaceOut, FunctionSpec
from service.text import type_letters

_JSON_TYPES: dict[str, type] = {"string": str, "integer": int, "number": float, "boolean": bool}
_FIELD_KEYWORDS = {
    "minimum": "ge",
    "maximum": "le",
    "minLength": "min_length",
    "maxLength": "max_length",
}
_SUPPORTED = {"type", "enum", "default", "description", *_FIELD_KEYWORDS}


class ActionSpaceError(ValueError):
    """An action-space file is malformed: raised at start-up, never per request."""


class _ArgsBase(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


def _compile_args_model(app: str, name: str, schema: Mapping[str, Any]) -> type[BaseModel]:
    if schema.get("type", "object") != "object":
        raise ActionSpaceError(f"{app}.{name}: args_schema must be an object schema")
    required = set(schema.get("required", []))
    fields: dict[str, Any] = {}
    for arg, prop in (schema.get("properties") or {}).items():
        unknown = set(prop) - _SUPPORTED
        if unknown:
            raise ActionSpaceError(f"{app}.{name}.{arg}: unsupported keywords {sorted(unknown)}")
        py_type: Any = _JSON_TYPES.get(prop.get("type", ""))
        if "enum" in prop:
            py_type = Literal[tuple(prop["enum"])]
        if py_type is None:
            raise ActionSpaceError(f"{app}.{name}.{arg}: unsupported type {prop.get('type')!r}")
        constraints = {kw: prop[key] for key, kw in _FIELD_KEYWORDS.items() if key in prop}
        if arg in required:
            default: Any = ...
        elif "default" in prop:
            default = prop["default"]
        else:
            py_type, default = py_type | None, None
        fields[arg] = (py_type, Field(default, **constraints))
    return create_model(f"{app}_{name}_args", __base__=_ArgsBase, **fields)


@dataclass(frozen=True)
class FunctionDef:
    """One callable function of an app."""

    name: str
    description: str
    targets_control: bool
    args_schema: dict[str, Any]
    args_model: type[BaseModel] = field(repr=False, compare=False)
    # the control types it acts on (UI Automation's, as the observation reports them); empty: any. Word's
    # set_edit_text takes Edit, ComboBox and Spinner: on a button it fails, a step lost.
    control_types: frozenset[str] = frozenset()
    _type_keys: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_type_keys", frozenset(t.lower() for t in self.control_types))

    def takes(self, control_type: str) -> bool:
        """Whether it acts on a control of ``control_type`` (no ``control_types`` listed: on any).

        Compared as the prompt shows a type (letters only, any case); a control whose type the agent
        left out is taken, since the layer cannot tell what it is."""
        key = type_letters(control_type).lower()
        return not self.control_types or not key or key in self._type_keys

    def validate_args(self, args: Mapping[str, Any]) -> dict[str, Any]:
        """Typed, defaults filled; raises ``ValueError`` with pydantic's explanation."""
        try:
            return self.args_model.model_validate(dict(args)).model_dump(exclude_none=True)
        except ValidationError as exc:
            raise ValueError(exc.errors(include_url=False, include_context=False)) from exc


@dataclass(frozen=True)
class Repeatable:
    """Actions the repeat guard lets through again and again: each time does more (``service.repeat_guard``).

    By control name (a stepper: Increase Indent), by function or by an arg's whole value (Shift+Right,
    a selection that grows); the app's file lists them under ``repeatable``. Moving the view or the
    caret is not "more": it changes nothing a request asks for (Word's file leaves it out).
    """

    controls: frozenset[str] = frozenset()
    functions: frozenset[str] = frozenset()
    args: Mapping[str, Mapping[str, re.Pattern[str]]] = field(default_factory=dict)

    def allows(self, function: str, control_name: str, args: Mapping[str, Any]) -> bool:
        """Whether ``function`` with ``args`` on the control named ``control_name`` may repeat ("": no name)."""
        if function in self.functions or (control_name and control_name in self.controls):
            return True
        patterns = self.args.get(function, {})
        return any(isinstance(args.get(arg), str) and p.fullmatch(args[arg]) for arg, p in patterns.items())


@dataclass(frozen=True, eq=False)
class ActionSpace:
    """Hashed by identity: loaded once, used as a cache key by the prompt and schema builders."""

    app: str
    description: str
    functions: dict[str, FunctionDef]
    repeatable: Repeatable = field(default_factory=Repeatable)

    def public(self) -> ActionSpaceOut:
        return ActionSpaceOut(
            app=self.app,
            description=self.description,
            functions=[
                FunctionSpec(
                    name=f.name,
                    description=f.description,
                    targets_control=f.targets_control,
                    args_schema=f.args_schema,
                    control_types=sorted(f.control_types),
                )
                for f in self.functions.values()
            ],
        )


def parse_action_space(data: Mapping[str, Any], *, source: str = "<data>") -> ActionSpace:
    try:
        app = str(data["app"])
        functions: dict[str, FunctionDef] = {}
        for raw in data["functions"]:
            name = str(raw["name"])
            schema = dict(raw.get("args_schema") or {"type": "object", "properties": {}})
            functions[name] = FunctionDef(
                name=name,
                description=str(raw.get("description", "")),
                targets_control=bool(raw["targets_control"]),
                args_schema=schema,
                args_model=_compile_args_model(app, name, schema),
                control_types=_control_types(raw, name, source),
            )
    except (KeyError, TypeError) as exc:
        raise ActionSpaceError(f"{source}: malformed action space ({exc!r})") from exc
    if not functions:
        raise ActionSpaceError(f"{source}: no functions")
    return ActionSpace(
        app=app,
        description=str(data.get("description", "")),
        functions=functions,
        repeatable=_parse_repeatable(data.get("repeatable") or {}, functions, source),
    )


def _control_types(raw: Mapping[str, Any], name: str, source: str) -> frozenset[str]:
    """A function's ``control_types``: a non-empty list, and only on a function that targets a control."""
    if "control_types" not in raw:
        return frozenset()
    types = _strings(raw["control_types"], f"{name}.control_types", source)
    if not types:
        raise ActionSpaceError(f"{source}: {name}.control_types is empty (leave it out: any type)")
    odd = [t for t in types if not t.isascii() or not t.isalpha()]
    if odd:
        raise ActionSpaceError(f"{source}: {name}.control_types are type names, letters only, not {odd}")
    if not raw["targets_control"]:
        raise ActionSpaceError(f"{source}: {name}.control_types on a function that takes no control")
    return frozenset(types)


def _strings(raw: Any, where: str, source: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ActionSpaceError(f"{source}: {where} should be a list of strings")
    return raw


def _parse_repeatable(raw: Any, functions: Mapping[str, FunctionDef], source: str) -> Repeatable:
    """The ``repeatable`` section, checked against the functions and compiled, at start-up."""
    if not isinstance(raw, Mapping):
        raise ActionSpaceError(f"{source}: repeatable should be a mapping of controls, functions and args")
    extra = sorted(set(raw) - {"controls", "functions", "args"})
    if extra:
        raise ActionSpaceError(f"{source}: repeatable takes controls, functions and args, not {extra}")
    controls = _strings(raw.get("controls") or [], "repeatable.controls", source)
    names = _strings(raw.get("functions") or [], "repeatable.functions", source)
    unknown = sorted(set(names) - set(functions))
    if unknown:
        raise ActionSpaceError(f"{source}: repeatable.functions names unknown functions {unknown}")
    by_function = raw.get("args") or {}
    if not isinstance(by_function, Mapping):
        raise ActionSpaceError(f"{source}: repeatable.args should map functions to {{arg: pattern}}")
    patterns: dict[str, dict[str, re.Pattern[str]]] = {}
    for name, by_arg in by_function.items():
        if name not in functions:
            raise ActionSpaceError(f"{source}: repeatable.args names an unknown function {name!r}")
        if not isinstance(by_arg, Mapping):
            raise ActionSpaceError(f"{source}: repeatable.args.{name} should map args to patterns")
        props = functions[name].args_schema.get("properties") or {}
        for arg, pattern in by_arg.items():
            if arg not in props:
                raise ActionSpaceError(f"{source}: repeatable.args.{name}.{arg}: no such arg")
            if not isinstance(pattern, str):
                raise ActionSpaceError(f"{source}: repeatable.args.{name}.{arg}: the pattern should be a string")
            try:
                patterns.setdefault(name, {})[arg] = re.compile(pattern)
            except re.error as exc:
                raise ActionSpaceError(f"{source}: repeatable.args.{name}.{arg}: bad pattern ({exc})") from exc
    return Repeatable(controls=frozenset(controls), functions=frozenset(names), args=patterns)


def action_space_paths(directory: Path) -> list[Path]:
    """The action-space files of ``directory`` (``*.yaml``, ``*.yml``, ``*.json``), in the order they load."""
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml"), *directory.glob("*.json")])


def load_action_spaces(directories: Iterable[Path]) -> dict[str, ActionSpace]:
    """Every action-space file of the directories, keyed by app (later files win)."""
    spaces: dict[str, ActionSpace] = {}
    for directory in directories:
        for path in action_space_paths(directory):
            space = parse_action_space(yaml.safe_load(path.read_text(encoding="utf-8")), source=str(path))
            spaces[space.app] = space
    return spaces
