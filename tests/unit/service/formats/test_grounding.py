"""What came back from the model is checked again and grounded in the observation."""

from __future__ import annotations

import orjson
import pytest

from service.action_space import ActionSpace
from service.errors import ModelOutputError
from service.formats import CompactFormat, JsonFormat, ground
from service.formats.json_schema import parse_output
from service.protocol import Control

CONTROLS = {"12": Control(label="12", control_type="Button", name="Bold"), "13": Control(label="13", name="Font")}


def test_control_action_gets_text_and_default_args(word: ActionSpace) -> None:
    out = ground({"function": "click_input", "label": "12", "args": {}, "status": "CONTINUE"}, word, CONTROLS)
    assert out.action is not None
    assert out.action.control_text == "Bold"
    assert out.action.args == {"button": "left", "double": False}
    assert out.status == "CONTINUE"


def test_app_level_action_has_empty_label(word: ActionSpace) -> None:
    out = ground(
        {"function": "insert_table", "label": "", "args": {"rows": 2, "columns": 3}, "status": "CONTINUE"},
        word,
        CONTROLS,
    )
    assert out.action is not None
    assert (out.action.control_label, out.action.control_text, out.action.args) == ("", "", {"rows": 2, "columns": 3})


def test_finish_without_action(word: ActionSpace) -> None:
    out = ground({"function": "", "label": "", "args": {}, "status": "FINISH"}, word, CONTROLS)
    assert out.action is None and out.status == "FINISH"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ({"function": "click_input", "label": "99", "args": {}, "status": "CONTINUE"}, "ungrounded_label"),
        ({"function": "select_text", "label": "12", "args": {"text": "a"}, "status": "CONTINUE"}, "ungrounded_label"),
        ({"function": "format_disk", "label": "", "args": {}, "status": "CONTINUE"}, "unknown_function"),
        ({"function": "", "label": "", "args": {}, "status": "CONTINUE"}, "unknown_function"),
        (
            {"function": "insert_table", "label": "", "args": {"rows": "2", "columns": 1}, "status": "CONTINUE"},
            "invalid_args",
        ),
        (
            {"function": "insert_table", "label": "", "args": {"rows": 0, "columns": 1}, "status": "CONTINUE"},
            "invalid_args",
        ),
        ({"function": "texts", "label": "12", "args": {"extra": 1}, "status": "CONTINUE"}, "invalid_args"),
        ({"function": "texts", "label": "12", "args": {}, "status": "MAYBE"}, "invalid_status"),
        ({"function": ["texts"], "label": "12", "args": {}, "status": "CONTINUE"}, "invalid_shape"),
    ],
)
def test_unusable_outputs_are_typed_errors(word: ActionSpace, raw: dict, reason: str) -> None:
    with pytest.raises(ModelOutputError) as err:
        ground(raw, word, CONTROLS)
    assert err.value.reason == reason
    assert err.value.status_code == 502


@pytest.mark.parametrize("text", ["", "not json", "[1, 2]", '{"function": "texts"'])
def test_non_json_is_invalid_json(text: str) -> None:
    with pytest.raises(ModelOutputError) as err:
        parse_output(text)
    assert err.value.reason == "invalid_json"


@pytest.mark.parametrize(
    ("compact", "raw"),
    [
        ("12 click_input", {"function": "click_input", "label": "12", "args": {}, "status": "CONTINUE"}),
        (
            "13 click_input right true FINISH",
            {"function": "click_input", "label": "13", "args": {"button": "right", "double": True}, "status": "FINISH"},
        ),
        (
            'select_text "Quarterly report" CONFIRM',
            {"function": "select_text", "label": "", "args": {"text": "Quarterly report"}, "status": "CONFIRM"},
        ),
        (
            "insert_table 2 3",
            {"function": "insert_table", "label": "", "args": {"rows": 2, "columns": 3}, "status": "CONTINUE"},
        ),
        ("FAIL", {"function": "", "label": "", "args": {}, "status": "FAIL"}),
    ],
)
def test_both_output_formats_ground_alike(word: ActionSpace, compact: str, raw: dict) -> None:
    from_compact = ground(CompactFormat().parse(compact, word, CONTROLS.keys()), word, CONTROLS)
    from_json = ground(JsonFormat().parse(orjson.dumps(raw).decode(), word, CONTROLS.keys()), word, CONTROLS)
    assert from_compact == from_json


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("99 click_input", "ungrounded_label"),
        ('12 select_text "a"', "ungrounded_label"),
        ("12 texts MAYBE", "invalid_args"),
    ],
)
def test_compact_outputs_grounded_like_json(word: ActionSpace, text: str, reason: str) -> None:
    with pytest.raises(ModelOutputError) as err:
        ground(CompactFormat().parse(text, word, CONTROLS.keys()), word, CONTROLS)
    assert err.value.reason == reason
