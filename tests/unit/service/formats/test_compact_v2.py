"""compact-v2: controls written by their quoted name where it is unique, by label otherwise; parsed back to labels."""

from __future__ import annotations

import re

import pytest

from service.action_space import ActionSpace
from service.errors import ModelOutputError
from service.formats import CompactNameFormat, ConstraintSpec, ground, make_output_format
from service.prompt import render_controls
from service.protocol import Control

FMT = CompactNameFormat()
CONTROLS = [
    Control(label="1", control_type="Button", name="Bold"),
    Control(label="2", control_type="ListItem", name="Blue"),
    Control(label="3", control_type="ListItem", name="Light Blue"),
    Control(label="4", control_type="Button", name="OK"),
    Control(label="5", control_type="Button", name="OK"),  # shared name: both by label
    Control(label="6", control_type="Pane", name=""),  # no name: by label
    Control(label="7", control_type="Edit", name='Say "hi" \\ there'),  # quotes and a backslash
    Control(label="8", control_type="Button", name="12"),  # a name that looks like a label
    Control(label="12", control_type="Button", name="click_input"),  # a name that is a function
    Control(label="9", control_type="Text", name="two\nlines <|im_start|>"),  # as the prompt squashes it
]
BY_LABEL = {c.label: c for c in CONTROLS}


def test_references_are_quoted_unique_names_else_labels() -> None:
    refs = FMT.references(CONTROLS)
    assert refs == {
        '"Bold"': "1",
        '"Blue"': "2",
        '"Light Blue"': "3",
        "4": "4",
        "5": "5",
        "6": "6",
        '"Say \\"hi\\" \\\\ there"': "7",
        '"12"': "8",
        '"click_input"': "12",
        '"two lines < |im_start|>"': "9",
    }


def test_written_name_is_the_name_the_prompt_lists() -> None:
    """The model copies what it reads: each quoted reference is a name exactly as in the Controls block."""
    listed = render_controls(CONTROLS)
    for ref, label in FMT.references(CONTROLS).items():
        if ref.startswith('"'):
            name = ref[1:-1].replace('\\"', '"').replace("\\\\", "\\")
            assert f"{label} {name}" in listed


@pytest.mark.parametrize(
    ("function", "args", "status"),
    [("click_input", {}, "CONTINUE"), ("click_input", {"button": "right", "double": True}, "FINISH"),
     ("keyboard_input", {"keys": 'a "quoted" text'}, "CONTINUE")],
)  # fmt: skip
def test_every_control_round_trips(word: ActionSpace, function: str, args: dict, status: str) -> None:
    refs = FMT.references(CONTROLS)
    pattern = re.compile(FMT.constraint(ConstraintSpec(word, tuple(refs))).body["structured_outputs"]["regex"])
    for ref, label in refs.items():
        text = FMT.render(word, function, ref, args, status)
        assert pattern.fullmatch(text), text
        grounded = ground(FMT.parse(text, word, refs), word, BY_LABEL)
        assert grounded.action is not None
        assert grounded.action.control_label == label, text
        assert grounded.action.control_text == BY_LABEL[label].name
        assert grounded.status == status


def test_grammar_refuses_labels_of_named_controls_and_names_not_on_screen(word: ActionSpace) -> None:
    refs = FMT.references(CONTROLS)
    pattern = re.compile(FMT.constraint(ConstraintSpec(word, tuple(refs))).body["structured_outputs"]["regex"])
    assert pattern.fullmatch('"Light Blue" click_input')
    assert not pattern.fullmatch("3 click_input")  # Light Blue has a name: written by it, not by label
    assert not pattern.fullmatch('"Dark Blue" click_input')
    assert not pattern.fullmatch('"OK" click_input')  # two OKs: by label only
    assert pattern.fullmatch("5 click_input")
    assert pattern.fullmatch('select_text "Bold"')  # app functions and end words are compact-v1's
    assert pattern.fullmatch("FINISH")


def test_a_bare_label_still_parses(word: ActionSpace) -> None:
    """The grammar asks for the name, but a label (a model served unconstrained, a client's double) still grounds."""
    refs = FMT.references(CONTROLS)
    grounded = ground(FMT.parse("3 click_input", word, refs), word, BY_LABEL)
    assert grounded.action is not None and grounded.action.control_text == "Light Blue"


def test_unknown_reference_is_refused_by_grounding(word: ActionSpace) -> None:
    """Decoding constraints have gaps: a name not on screen must fail as an ungrounded label, not crash."""
    refs = FMT.references(CONTROLS)
    with pytest.raises(ModelOutputError) as err:
        ground(FMT.parse('"Dark Blue" click_input', word, refs), word, BY_LABEL)
    assert err.value.reason == "ungrounded_label"


def test_setting_names_the_format() -> None:
    assert make_output_format("compact-v2").name == "compact-v2"
    assert "name in quotes" in make_output_format("compact-v2").rules()
    assert make_output_format("compact").references(CONTROLS) == {c.label: c.label for c in CONTROLS}


@pytest.mark.parametrize("name", ["Bold", "Größe 1/2", "tab\tand\\slash", 'a "b"', "emoji 🙂", "x\u2028y"])
def test_quoted_reference_is_the_json_string_of_the_displayed_name(name: str) -> None:
    import orjson

    from service.text import display_name

    (ref,) = FMT.references([Control(label="1", name=name)])
    assert ref == orjson.dumps(display_name(name)).decode()
