"""A function acts only on the control types its action space lists (``control_types``).

Word's ``set_edit_text`` takes an Edit, a ComboBox or a Spinner; on a button, a tab or a cell it fails in
the app, a step lost (10 to 30 steps a run in the development runs). Checked where the rule is read
(the action-space file), where it becomes the constraint (``untaken``, every format), in the constraint
the model server receives, in grounding, and in the public action space.
"""

from __future__ import annotations

import re
import time
from typing import Any, get_args

import jsonschema
import pytest

from bench.factories import predict_body
from service.action_space import ActionSpace, ActionSpaceError, parse_action_space
from service.errors import ModelOutputError
from service.formats import ConstraintSpec, OutputFormatName, make_output_format, untaken
from service.formats.base import LeftOut
from service.protocol import Control, MemoryStep, PredictRequest
from service.repeat_guard import left_out
from tests.unit.service.upstream_double import UpstreamDouble, action, predictor_on

ITEMS: list[dict[str, Any]] = [
    {"label": "1", "control_type": "Button", "name": "Bold"},
    {"label": "2", "control_type": "ComboBox", "name": "Font Size"},
    {"label": "3", "control_type": "Edit", "name": "Find what"},
    {"label": "4", "control_type": "TabItem", "name": "Insert"},
    {"label": "5", "control_type": "Edit", "name": "Replace with", "enabled": False},
    {"label": "6", "control_type": "Spinner", "name": "Before:"},
]
SCREEN = [Control.model_validate(item) for item in ITEMS]


def _space(**set_text: Any) -> dict[str, Any]:
    fn = {"name": "set_edit_text", "targets_control": True, "args_schema": {"type": "object", "properties": {}}}
    return {"app": "x", "functions": [{**fn, **set_text}]}


def test_the_word_file_gives_set_edit_text_its_text_boxes_only(word: ActionSpace) -> None:
    fn = word.functions["set_edit_text"]
    assert fn.control_types == {"Edit", "ComboBox", "Spinner"}
    assert fn.takes("ComboBox") and not fn.takes("Button") and not fn.takes("TabItem")
    assert word.functions["click_input"].control_types == frozenset()  # none listed: any type
    assert word.functions["click_input"].takes("Button") and word.functions["click_input"].takes("Edit")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"control_types": []}, "set_edit_text.control_types is empty"),
        ({"control_types": "Edit"}, "set_edit_text.control_types should be a list of strings"),
        ({"control_types": ["Edit"], "targets_control": False}, "on a function that takes no control"),
        ({"control_types": ["Edit box"]}, "are type names, letters only"),
    ],
)
def test_a_wrong_control_types_list_is_refused_at_start_up(extra: dict[str, Any], message: str) -> None:
    with pytest.raises(ActionSpaceError, match=re.escape(message)):
        parse_action_space(_space(**extra))


def test_a_type_is_read_as_the_prompt_shows_it_and_an_unknown_one_is_taken(word: ActionSpace) -> None:
    """The agent may leave ``control_type`` out (the protocol's default ""): the layer cannot tell, so it
    offers the function as it did before types were listed."""
    fn = word.functions["set_edit_text"]
    assert fn.takes("edit") and fn.takes(" Edit ") and fn.takes("")
    assert not fn.takes("Button") and not fn.takes("button")
    items = [Control(label="1", name="Title"), Control(label="2", control_type="Button", name="Bold")]
    screen = make_output_format("compact").screen(items)
    assert untaken(word, screen) == (LeftOut("set_edit_text", ("2",)),)
    grounded = make_output_format("compact").read('1 set_edit_text "x"', word, screen).action
    assert grounded is not None and grounded.control_text == "Title"


def test_untaken_leaves_the_function_out_on_the_choices_of_other_types(word: ActionSpace) -> None:
    for setting in get_args(OutputFormatName):
        fmt = make_output_format(setting)
        screen = fmt.screen(SCREEN)
        [out] = untaken(word, screen)
        assert out.function == "set_edit_text"
        assert sorted(screen.references[ref] for ref in out.references) == ["1", "4"]  # 5 is no choice already
    assert untaken(word, make_output_format("compact").screen(SCREEN[1:3])) == ()  # every choice takes text


@pytest.mark.parametrize("setting", ["compact", "compact-v2"])
def test_the_compact_constraint_keeps_every_other_function_on_those_controls(word: ActionSpace, setting: str) -> None:
    fmt = make_output_format(setting)
    screen = fmt.screen(SCREEN)
    spec = ConstraintSpec(word, screen.choices, left_out=untaken(word, screen))
    regex = re.compile(fmt.constraint(spec).body["structured_outputs"]["regex"])
    ref = {label: r for r, label in screen.references.items()}
    assert regex.fullmatch(f'{ref["2"]} set_edit_text "12"') and regex.fullmatch(f'{ref["6"]} set_edit_text "6 pt"')
    assert not regex.fullmatch(f'{ref["1"]} set_edit_text "12"')
    assert not regex.fullmatch(f'{ref["4"]} set_edit_text "x"')
    assert regex.fullmatch(f"{ref['1']} click_input") and regex.fullmatch(f'{ref["4"]} keyboard_input "^a"')
    assert regex.fullmatch('select_text "Title"') and regex.fullmatch("FAIL")


def test_the_json_schema_keeps_the_text_boxes_in_the_set_edit_text_branch_only(word: ActionSpace) -> None:
    fmt = make_output_format("json")
    screen = fmt.screen(SCREEN)
    body = fmt.constraint(ConstraintSpec(word, screen.choices, left_out=untaken(word, screen))).body
    validator = jsonschema.Draft202012Validator(body["response_format"]["json_schema"]["schema"])
    set_text = {"function": "set_edit_text", "args": {"text": "12"}, "status": "CONTINUE"}
    assert validator.is_valid({**set_text, "label": "2"}) and validator.is_valid({**set_text, "label": "3"})
    assert not validator.is_valid({**set_text, "label": "1"}) and not validator.is_valid({**set_text, "label": "4"})
    assert validator.is_valid({"function": "click_input", "label": "1", "args": {}, "status": "CONTINUE"})


def test_the_repeat_guard_and_the_types_leave_out_together(word: ActionSpace) -> None:
    """On the button the guard takes click_input and the type set_edit_text: the other functions stay."""
    fmt = make_output_format("compact")
    screen = fmt.screen(SCREEN)
    click = MemoryStep(control_label="1", control_text="Bold", function="click_input")
    repeated = left_out([click, click], word, screen, 3)
    assert repeated == LeftOut("click_input", ("1",))
    spec = ConstraintSpec(word, screen.choices, left_out=(*untaken(word, screen), repeated))
    regex = re.compile(fmt.constraint(spec).body["structured_outputs"]["regex"])
    assert not regex.fullmatch("1 click_input") and not regex.fullmatch('1 set_edit_text "x"')
    assert regex.fullmatch('1 keyboard_input "^b"') and regex.fullmatch("4 click_input")
    assert regex.fullmatch('3 set_edit_text "x"') and regex.fullmatch("3 click_input")


@pytest.mark.parametrize("setting", ["compact", "json"])
def test_two_exclusions_of_one_function_add_up(word: ActionSpace, setting: str) -> None:
    """The guard takes set_edit_text off an Edit it repeated, the types take it off the button: only the
    other text boxes keep it."""
    fmt = make_output_format(setting)
    screen = fmt.screen(SCREEN)
    typed = MemoryStep(control_label="3", control_text="Find what", function="set_edit_text", args={"text": "x"})
    repeated = left_out([typed, typed], word, screen, 3)
    assert repeated == LeftOut("set_edit_text", ("3",))
    body = fmt.constraint(ConstraintSpec(word, screen.choices, left_out=(*untaken(word, screen), repeated))).body
    if setting == "compact":
        regex = re.compile(body["structured_outputs"]["regex"])
        assert not regex.fullmatch('1 set_edit_text "x"') and not regex.fullmatch('3 set_edit_text "x"')
        assert regex.fullmatch('2 set_edit_text "x"') and regex.fullmatch("3 click_input")
        return
    validator = jsonschema.Draft202012Validator(body["response_format"]["json_schema"]["schema"])
    set_text = {"function": "set_edit_text", "args": {"text": "x"}, "status": "CONTINUE"}
    assert [label for label in "123456" if validator.is_valid({**set_text, "label": label})] == ["2", "6"]


def test_grounding_refuses_a_function_on_a_type_it_does_not_take(word: ActionSpace) -> None:
    fmt = make_output_format("compact")
    screen = fmt.screen(SCREEN)
    with pytest.raises(ModelOutputError, match="set_edit_text does not act on a Button") as refused:
        fmt.read('1 set_edit_text "12"', word, screen)
    assert refused.value.reason == "ungrounded_label"
    grounded = fmt.read('2 set_edit_text "12"', word, screen).action
    assert grounded is not None and grounded.control_text == "Font Size"


async def test_a_step_never_offers_the_model_text_on_a_button() -> None:
    upstream = UpstreamDouble(lambda body: action("set_edit_text", "2", {"text": "12"}))
    predictor, client = predictor_on(upstream.transport())
    body = PredictRequest.model_validate(predict_body(observation={"controls": ITEMS}))
    try:
        response = await predictor.predict(body, "req-1", time.perf_counter())
    finally:
        await client.aclose()
    assert response.action is not None and response.action.control_text == "Font Size"
    regex = re.compile(upstream.bodies[0]["structured_outputs"]["regex"])
    assert not regex.fullmatch('1 set_edit_text "12"') and regex.fullmatch('2 set_edit_text "12"')
    assert regex.fullmatch("1 click_input")


def test_the_public_action_space_lists_the_types(word: ActionSpace) -> None:
    functions = {f.name: f for f in word.public().functions}
    assert functions["set_edit_text"].control_types == ["ComboBox", "Edit", "Spinner"]
    assert functions["click_input"].control_types == []
