"""A disabled (greyed) control is on the screen and in the prompt, but never a choice.

UI Automation reports ``IsEnabled`` for each control (the protocol's ``enabled``); a click on a greyed button
does nothing, and a model that does not read the result repeats it. Checked where the rule lives (the
screen's ``choices``, every format), in the constraint the model server receives, and in the prompt.
"""

from __future__ import annotations

import re
import time
from typing import get_args

import jsonschema
import pytest

from bench.factories import controls, predict_body
from service.action_space import ActionSpace
from service.errors import ModelOutputError
from service.formats import ConstraintSpec, OutputFormatName, make_output_format
from service.formats.base import LeftOut
from service.formats.json_schema import build_output_schema
from service.protocol import Control, MemoryStep, PredictRequest
from service.repeat_guard import left_out
from tests.unit.service.upstream_double import UpstreamDouble, action, predictor_on


def _screen_items(disabled: set[str]) -> list[dict[str, object]]:
    items = controls(6)  # 1 Home, 2 Insert, 3 Design, 4 Layout, 5 Bold, 6 Italic
    for item in items:
        if item["label"] in disabled:
            item["enabled"] = False
    return items


def test_every_format_leaves_disabled_controls_out_of_the_choices_only() -> None:
    items = [Control.model_validate(c) for c in _screen_items({"2", "5"})]
    for setting in get_args(OutputFormatName):
        fmt = make_output_format(setting)
        screen = fmt.screen(items)
        assert set(screen.references.values()) == {"1", "2", "3", "4", "5", "6"}  # still read back
        assert sorted(screen.references[ref] for ref in screen.choices) == ["1", "3", "4", "6"]
        all_enabled = fmt.screen([c.model_copy(update={"enabled": True}) for c in items])
        assert all_enabled.choices == tuple(all_enabled.references)  # screen order, nothing else dropped


def test_the_json_schema_of_the_choices_refuses_a_disabled_label(word: ActionSpace) -> None:
    fmt = make_output_format("json")
    screen = fmt.screen([Control.model_validate(c) for c in _screen_items({"2"})])
    schema = build_output_schema(ConstraintSpec(word, screen.choices))
    validator = jsonschema.Draft202012Validator(schema)
    click = {"function": "click_input", "args": {}, "status": "CONTINUE"}
    assert not validator.is_valid({**click, "label": "2"})
    assert validator.is_valid({**click, "label": "3"})


def test_a_screen_of_disabled_controls_still_builds_a_constraint_with_the_endings(word: ActionSpace) -> None:
    items = [Control.model_validate(c) for c in _screen_items({"1", "2", "3", "4", "5", "6"})]
    for setting in get_args(OutputFormatName):
        fmt = make_output_format(setting)
        screen = fmt.screen(items)
        assert screen.choices == ()
        body = fmt.constraint(ConstraintSpec(word, screen.choices)).body
        if "structured_outputs" in body:
            regex = re.compile(body["structured_outputs"]["regex"])
            assert regex.fullmatch("FINISH") and regex.fullmatch('select_text "Title"')
            assert not regex.fullmatch("1 click_input")
        else:
            validator = jsonschema.Draft202012Validator(body["response_format"]["json_schema"]["schema"])
            assert validator.is_valid({"function": "", "label": "", "args": {}, "status": "FINISH"})
            assert not validator.is_valid({"function": "click_input", "label": "1", "args": {}, "status": "CONTINUE"})


async def test_a_step_never_offers_the_model_a_disabled_control() -> None:
    upstream = UpstreamDouble(lambda body: action("click_input", "3"))
    predictor, client = predictor_on(upstream.transport())
    body = PredictRequest.model_validate(predict_body(observation={"controls": _screen_items({"2"})}))
    try:
        response = await predictor.predict(body, "req-1", time.perf_counter())
    finally:
        await client.aclose()
    assert response.action is not None and response.action.control_label == "3"
    sent = upstream.bodies[0]
    regex = re.compile(sent["structured_outputs"]["regex"])
    assert not regex.fullmatch("2 click_input") and not regex.fullmatch('2 keyboard_input "^a"')
    assert regex.fullmatch("3 click_input") and regex.fullmatch("FINISH")
    prompt = "\n".join(m["content"] for m in sent["messages"])
    assert "2 Insert" in prompt  # listed as before, only not a choice


def test_a_shared_name_keeps_its_labels_when_one_of_them_is_disabled(word: ActionSpace) -> None:
    """compact-v2 counts names over every control: the prompt the model was trained on is unchanged."""
    items = [
        Control(label="1", control_type="Button", name="Bold", enabled=False),
        Control(label="2", control_type="Button", name="Bold"),
        Control(label="3", control_type="Button", name="Italic"),
    ]
    fmt = make_output_format("compact-v2")
    screen = fmt.screen(items)
    assert screen.choices == ("2", '"Italic"')
    regex = re.compile(fmt.constraint(ConstraintSpec(word, screen.choices)).body["structured_outputs"]["regex"])
    assert regex.fullmatch("2 click_input") and regex.fullmatch('"Italic" click_input')
    assert not regex.fullmatch("1 click_input") and not regex.fullmatch('"Bold" click_input')


def test_grounding_refuses_a_disabled_control_the_constraint_did_not_stop(word: ActionSpace) -> None:
    fmt = make_output_format("compact")
    screen = fmt.screen([Control.model_validate(c) for c in _screen_items({"2"})])
    with pytest.raises(ModelOutputError, match="disabled") as refused:
        fmt.read("2 click_input", word, screen)
    assert refused.value.reason == "ungrounded_label"
    assert fmt.read("3 click_input", word, screen).action is not None


def test_the_repeat_guard_has_nothing_to_leave_out_on_a_disabled_control(word: ActionSpace) -> None:
    fmt = make_output_format("compact")
    click = MemoryStep(control_label="2", control_text="Insert", function="click_input", result="ok")
    enabled = fmt.screen([Control.model_validate(c) for c in _screen_items(set())])
    assert left_out([click, click], word, enabled, 3) == LeftOut("click_input", ("2",))
    disabled = fmt.screen([Control.model_validate(c) for c in _screen_items({"2"})])
    assert left_out([click, click], word, disabled, 3) is None  # not a choice already
