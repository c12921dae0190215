"""compact-v1: the regex binds labels, functions and typed args; every expressible action round-trips."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from service.action_space import ActionSpace, parse_action_space
from service.errors import ModelOutputError
from service.formats import (
    CompactFormat,
    ConstraintSpec,
    GroundedAction,
    JsonFormat,
    ground,
    int_range_regex,
    make_output_format,
    render_value,
)
from service.protocol import Control

FMT = CompactFormat()
LABELS = ("1", "2", "12", "btn_1", "ctl:2.a", "a-b")
CONTROLS = {label: Control(label=label, control_type="Edit", name=f"name of {label}") for label in LABELS}

# An app with the arg shapes word lacks: numbers, optional args without defaults, odd enum values.
ODD = parse_action_space(
    {
        "app": "odd",
        "functions": [
            {
                "name": "zoom",
                "targets_control": True,
                "args_schema": {
                    "type": "object",
                    "properties": {
                        "factor": {"type": "number"},
                        "note": {"type": "string", "maxLength": 10},
                        "mode": {"type": "string", "enum": ["fit width", "FINISH", "_", "true", "a"], "default": "a"},
                        "level": {"type": "integer", "minimum": -5, "maximum": 5},
                    },
                    "required": ["factor"],
                },
            },
            {
                "name": "go",
                "targets_control": False,
                "args_schema": {"type": "object", "properties": {"to": {"type": "integer", "enum": [1, 20]}}},
            },
        ],
    }
)


def regex(
    space: ActionSpace, labels: tuple[str, ...] = LABELS, thought: bool = False, plan: bool = False
) -> re.Pattern:
    return re.compile(FMT.regex(ConstraintSpec(space, labels, thought, plan)))


def parse_and_ground(space: ActionSpace, text: str) -> GroundedAction:
    return ground(FMT.parse(text, space, set(LABELS)), space, CONTROLS)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("12 click_input", True),
        ("12 click_input right", True),
        ("12 click_input left true", True),
        ("btn_1 texts FINISH", True),
        ('ctl:2.a set_edit_text "Arial"', True),
        ('a-b keyboard_input "^b"', True),
        ("1 wheel_mouse_input -100", True),
        ('select_text "Quarterly report"', True),
        ('select_text "Quarterly report" CONFIRM', True),
        ("insert_table 2 3", True),
        ("insert_table 100 60 FAIL", True),
        ("FINISH", True),
        ("FAIL", True),
        ("99 click_input", False),  # not on screen
        ("1 delete_all", False),  # not a function of the app
        ("format_disk", False),
        ("click_input", False),  # a control function needs a label
        ('12 select_text "x"', False),  # an app function takes no label
        ("12 click_input sideways", False),
        ("12 click_input true", False),  # positional: button first
        ("insert_table 2", False),  # required arg missing
        ("insert_table 0 3", False),  # under the minimum
        ("insert_table 2 61", False),  # over the maximum
        ("insert_table 02 3", False),
        ("1 wheel_mouse_input -101", False),
        ("select_text Quarterly", False),  # strings are quoted
        ('select_text ""', False),  # minLength 1
        ('select_text "' + "x" * 101 + '"', False),  # capped at max_arg_chars
        ("12 click_input CONTINUE", False),  # CONTINUE is implicit
        ("CONFIRM", False),
        ("12 click_input  left", False),
        ("12 click_input\n", False),
    ],
)
def test_regex_binds_labels_functions_and_args(word: ActionSpace, text: str, ok: bool) -> None:
    assert bool(regex(word).fullmatch(text)) is ok


def test_regex_without_controls_offers_only_app_functions(word: ActionSpace) -> None:
    pattern = regex(word, ())
    assert pattern.fullmatch("insert_table 2 3") and pattern.fullmatch("FINISH")
    assert not pattern.fullmatch("1 click_input")


def _word_actions(word: ActionSpace) -> list[dict[str, Any]]:
    args_by_function: dict[str, list[dict[str, Any]]] = {
        "click_input": [{}, {"button": "right"}, {"double": True}, {"button": "middle", "double": True}],
        "set_edit_text": [{"text": ""}, {"text": "Arial"}, {"text": 'say "hi" \\ now\n\ttab'}, {"text": "x" * 100}],
        "keyboard_input": [{"keys": "^b"}, {"keys": "{ENTER}"}, {"keys": "ünïcødé ✓ 表"}],
        "wheel_mouse_input": [{"wheel_dist": -100}, {"wheel_dist": 0}, {"wheel_dist": 7}, {"wheel_dist": 100}],
        "texts": [{}],
        "select_text": [{"text": "Quarterly report"}, {"text": "FINISH"}, {"text": "_"}],
        "select_table": [{"number": 1}, {"number": 1000}],
        "insert_table": [{"rows": 1, "columns": 60}, {"rows": 100, "columns": 1}, {"rows": 2, "columns": 3}],
        "summary": [{"text": "The report has 3 sections."}],
    }
    assert set(args_by_function) == set(word.functions)
    actions = []
    for function, arg_sets in args_by_function.items():
        labels = LABELS if word.functions[function].targets_control else ("",)
        for args, label, status in itertools.product(arg_sets, labels, ("CONTINUE", "FINISH", "FAIL", "CONFIRM")):
            actions.append({"function": function, "label": label, "args": args, "status": status})
    actions += [{"function": "", "label": "", "args": {}, "status": s} for s in ("FINISH", "FAIL")]
    return actions


def test_every_word_action_round_trips(word: ActionSpace) -> None:
    pattern = regex(word)
    actions = _word_actions(word)
    assert len(actions) > 300
    for raw in actions:
        text = FMT.render(word, raw["function"], raw["label"], raw["args"], raw["status"])
        assert pattern.fullmatch(text), text
        assert parse_and_ground(word, text) == ground({**raw, "thought": None, "plan": []}, word, CONTROLS), text


def test_defaults_are_left_implicit(word: ActionSpace) -> None:
    assert FMT.render(word, "click_input", "12", {"button": "left", "double": False}) == "12 click_input"
    assert FMT.render(word, "click_input", "12", {"button": "left", "double": True}) == "12 click_input left true"
    assert FMT.render(word, "insert_table", "", {"rows": 2, "columns": 3}, "FINISH") == "insert_table 2 3 FINISH"
    assert FMT.render(word, "", status="FAIL") == "FAIL"
    grounded = parse_and_ground(word, "12 click_input")
    assert grounded.action is not None and grounded.action.args == {"button": "left", "double": False}
    assert grounded.action.control_text == "name of 12" and grounded.status == "CONTINUE"


@pytest.mark.parametrize(
    "args",
    [
        {"factor": 1.5},
        {"factor": -0.25, "note": "hi"},
        {"factor": 2.0, "level": -5},
        {"factor": 3.0, "mode": "fit width"},
        {"factor": 3.0, "mode": "FINISH", "level": 5},
        {"factor": 3.0, "mode": "_"},
        {"factor": 3.0, "mode": "true", "note": ""},
        {"factor": 1.0, "level": 0},
    ],
)
def test_odd_arg_shapes_round_trip(args: dict[str, Any]) -> None:
    raw = {"function": "zoom", "label": "a-b", "args": args, "status": "FINISH", "thought": None, "plan": []}
    text = FMT.render(ODD, "zoom", "a-b", args, "FINISH")
    assert regex(ODD).fullmatch(text), text
    assert parse_and_ground(ODD, text) == ground(raw, ODD, CONTROLS), text


def test_unset_middle_args_and_quoted_enum_values() -> None:
    assert FMT.render(ODD, "zoom", "1", {"factor": 1.5, "level": 2}) == "1 zoom 1.5 _ a 2"
    assert FMT.render(ODD, "zoom", "1", {"factor": 1.5, "mode": "FINISH"}) == '1 zoom 1.5 _ "FINISH"'
    assert FMT.render(ODD, "go", "", {"to": 20}) == "go 20" and regex(ODD).fullmatch("go 20")
    assert not regex(ODD).fullmatch("go 3") and not regex(ODD).fullmatch("1 zoom 1.5 _ FINISH FINISH")
    assert render_value("fit width") == '"fit width"' and render_value("left") == "left"


def test_thought_and_plan_only_when_asked(word: ActionSpace) -> None:
    text = FMT.render(word, "texts", "1", {}, thought="read it first", plan=["read", "summarise it; then stop"])
    assert text == "Thought: read it first\n1 texts\nPlan: read\nPlan: summarise it; then stop"
    assert regex(word, thought=True, plan=True).fullmatch(text)
    assert not regex(word).fullmatch(text)
    assert not regex(word, thought=True, plan=True).fullmatch("1 texts")  # the thought is required when asked
    grounded = parse_and_ground(word, text)
    assert grounded.thought == "read it first" and grounded.plan == ["read", "summarise it; then stop"]
    assert regex(word, plan=True).fullmatch("FINISH\nPlan: nothing left")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "invalid_format"),
        ("I think you should click Bold", "unknown_function"),
        ('{"function": "texts"}', "invalid_format"),
        ("12 click_input  left", "invalid_format"),
        ("12 texts\n13 texts", "invalid_format"),
        ("99 click_input", "ungrounded_label"),
        ('12 select_text "x"', "ungrounded_label"),
        ("click_input", "ungrounded_label"),
        ("1 delete_all", "unknown_function"),
        ("12 click_input sideways", "invalid_args"),
        ("12 click_input left false 3", "invalid_args"),
        ("insert_table 2", "invalid_args"),
        ("insert_table 0 3", "invalid_args"),
        ("insert_table two 3", "invalid_args"),
        ('select_text "unterminated', "invalid_format"),
        ('select_text "bad \\q escape"', "invalid_args"),
        ("CONTINUE", "unknown_function"),
    ],
)
def test_unusable_outputs_are_typed_errors(word: ActionSpace, text: str, reason: str) -> None:
    with pytest.raises(ModelOutputError) as err:
        parse_and_ground(word, text)
    assert err.value.reason == reason and err.value.status_code == 502


def test_max_tokens_covers_the_longest_output(word: ActionSpace) -> None:
    labels = ("x" * 32, "1")
    longest = FMT.render(word, "set_edit_text", "x" * 32, {"text": "w" * 100}, "CONFIRM")
    budget = FMT.constraint(ConstraintSpec(word, labels)).max_tokens
    assert len(longest) + 1 <= budget < 300  # ASCII: at most one token a character, plus end of sequence
    rich = FMT.constraint(ConstraintSpec(word, labels, True, True)).max_tokens
    assert rich > budget + 300


def test_constraint_is_cached_by_screen(word: ActionSpace) -> None:
    fmt = CompactFormat(max_entries=2)
    first = fmt.constraint(ConstraintSpec(word, ("1", "2")))
    assert fmt.constraint(ConstraintSpec(word, ("1", "2"))) is first
    assert fmt.constraint(ConstraintSpec(word, ("1", "3"))) is not first
    assert set(first.body) == {"structured_outputs"} and "regex" in first.body["structured_outputs"]


def test_int_range_regex_is_exact() -> None:
    for lo, hi in [(1, 100), (-100, 100), (0, 0), (-5, -1), (7, 1234), (-1000, 60), (99, 101)]:
        pattern = re.compile(f"(?:{int_range_regex(lo, hi)})")
        for x in range(-1500, 1500):
            assert bool(pattern.fullmatch(str(x))) is (lo <= x <= hi), (lo, hi, x)
        assert not any(pattern.fullmatch(s) for s in ("-0", "00", "01", "", "+1"))


def test_json_format_is_the_alternative(word: ActionSpace) -> None:
    fmt = make_output_format("json")
    assert isinstance(fmt, JsonFormat) and fmt.name == "json-v1"
    constraint = fmt.constraint(ConstraintSpec(word, ("1",)))
    assert constraint.body["response_format"]["type"] == "json_schema"
    text = fmt.render(word, "insert_table", "", {"rows": 2, "columns": 3}, "FINISH")
    assert ground(fmt.parse(text, word, {"1"}), word, CONTROLS).action is not None
    assert make_output_format("compact").name == "compact-v1"


def test_excel_actions_round_trip() -> None:
    from service.action_space import load_action_spaces
    from service.settings import DEFAULT_ACTION_SPACES_DIR

    excel = load_action_spaces([DEFAULT_ACTION_SPACES_DIR])["excel"]
    actions = [
        (
            "select_table_range",
            "",
            {"sheet_name": "Q3 Sales", "start_row": 1, "start_col": 1, "end_row": 20, "end_col": 4},
        ),
        ("set_cell_value", "", {"sheet_name": "Sheet1", "row": 20, "col": 2, "value": "=SUM(B2:B19)"}),
        ("table2markdown", "", {"sheet_name": "Summary"}),
        ("click_input", "ctl:2.a", {"button": "right", "double": False}),
    ]
    pattern = regex(excel)
    for function, label, args in actions:
        text = FMT.render(excel, function, label, args)
        assert pattern.fullmatch(text), text
        raw = {"function": function, "label": label, "args": args, "status": "CONTINUE", "thought": None, "plan": []}
        assert parse_and_ground(excel, text) == ground(raw, excel, CONTROLS)
    assert FMT.render(excel, *actions[0][:3]) == 'select_table_range "Q3 Sales" 1 1 20 4'
    assert not pattern.fullmatch('select_table_range "Sheet1" 0 1 2 2')  # rows are 1-based
    assert not pattern.fullmatch('set_cell_value "Sheet1" 1 16385 "x"')  # past Excel's last column
