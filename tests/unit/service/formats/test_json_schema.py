"""The per-request schema: only on-screen labels, only the app's functions, args bound to function."""

from __future__ import annotations

import jsonschema
import pytest

from service.action_space import ActionSpace
from service.formats import ConstraintSpec, JsonFormat
from service.formats.json_schema import build_output_schema, max_tokens_for


def _valid(schema: dict, instance: dict) -> bool:
    return jsonschema.Draft202012Validator(schema).is_valid(instance)


def test_schema_is_valid_json_schema(word: ActionSpace) -> None:
    schema = build_output_schema(ConstraintSpec(word, ("1", "2"), include_thought=True, include_plan=True))
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    ("instance", "ok"),
    [
        (
            {
                "function": "click_input",
                "label": "2",
                "args": {"button": "left", "double": False},
                "status": "CONTINUE",
            },
            True,
        ),
        ({"function": "click_input", "label": "9", "args": {}, "status": "CONTINUE"}, False),  # not on screen
        ({"function": "click_input", "label": "", "args": {}, "status": "CONTINUE"}, False),  # needs a label
        ({"function": "select_text", "label": "", "args": {"text": "Title"}, "status": "CONTINUE"}, True),
        ({"function": "select_text", "label": "1", "args": {"text": "Title"}, "status": "CONTINUE"}, False),
        ({"function": "insert_table", "label": "", "args": {"rows": 2}, "status": "CONTINUE"}, False),  # missing
        (
            {
                "function": "insert_table",
                "label": "",
                "args": {"rows": 2, "text": "x", "columns": 2},
                "status": "CONTINUE",
            },
            False,
        ),  # args of another function
        ({"function": "delete_all", "label": "", "args": {}, "status": "CONTINUE"}, False),  # invented function
        ({"function": "", "label": "", "args": {}, "status": "FINISH"}, True),
        ({"function": "", "label": "", "args": {}, "status": "CONTINUE"}, False),
        ({"function": "texts", "label": "1", "args": {}, "status": "DONE"}, False),
    ],
)
def test_schema_binds_labels_functions_and_args(word: ActionSpace, instance: dict, ok: bool) -> None:
    assert _valid(build_output_schema(ConstraintSpec(word, ("1", "2"))), instance) is ok


def test_no_controls_allows_only_app_level_functions_or_ending(word: ActionSpace) -> None:
    schema = build_output_schema(ConstraintSpec(word, ()))
    functions = {b["properties"]["function"]["enum"][0] for b in schema["anyOf"]}
    app_level = {f.name for f in word.functions.values() if not f.targets_control}
    assert functions == app_level | {""}
    assert not _valid(schema, {"function": "click_input", "label": "", "args": {}, "status": "CONTINUE"})


def test_optional_outputs_are_required_only_when_asked(word: ActionSpace) -> None:
    plain = build_output_schema(ConstraintSpec(word, ("1",)))
    rich = build_output_schema(ConstraintSpec(word, ("1",), True, True))
    action = {"function": "texts", "label": "1", "args": {}, "status": "CONTINUE"}
    assert _valid(plain, action)
    assert not _valid(plain, {**action, "thought": "x"})
    assert _valid(rich, {"thought": "read it", **action, "plan": ["a", "b"]})
    assert not _valid(rich, action)


def _schema(fmt: JsonFormat, space: ActionSpace, labels: tuple[str, ...]) -> tuple[dict, int]:
    constraint = fmt.constraint(ConstraintSpec(space, labels))
    return constraint.body["response_format"]["json_schema"]["schema"], constraint.max_tokens


def test_cache_returns_same_object_for_same_screen(word: ActionSpace) -> None:
    cache = JsonFormat(max_entries=2)  # the constraint cache of every format (OutputFormat.constraint)
    first, max_tokens = _schema(cache, word, ("1", "2"))
    assert 48 < max_tokens < 600
    assert _schema(cache, word, ("1", "2"))[0] is first
    assert _schema(cache, word, ("1", "3"))[0] is not first
    _schema(cache, word, ("4",))
    _schema(cache, word, ("5",))
    assert _schema(cache, word, ("1", "2"))[0] is not first  # evicted (LRU of 2)


def test_string_args_capped_and_max_tokens_covers_them(word: ActionSpace) -> None:
    schema = build_output_schema(ConstraintSpec(word, ("1",)), max_arg_chars=40)
    summary = next(b for b in schema["anyOf"] if b["properties"]["function"]["enum"] == ["summary"])
    assert summary["properties"]["args"]["properties"]["text"]["maxLength"] == 40
    assert max_tokens_for(schema) >= 40 * 1.5
    rich = build_output_schema(ConstraintSpec(word, ("1",), True, True), max_arg_chars=40)
    assert max_tokens_for(rich) > max_tokens_for(schema) + 300
