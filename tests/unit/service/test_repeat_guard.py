"""The repeat guard: the action the memory repeated is left out of the next step's choices, and only it.

Checked at every level it touches: which memory counts as a repeat (``left_out``), what each output
format's constraint then admits, the action-space file's ``repeatable`` section, the setting, and a
step through ``ActionServing`` (the constraint the model server receives, the counter).
"""

from __future__ import annotations

import re
import time
from typing import Any

import jsonschema
import pytest
from prometheus_client import REGISTRY
from pydantic import ValidationError

from bench.factories import controls, predict_body
from service.action_space import ActionSpace, ActionSpaceError, load_action_spaces, parse_action_space
from service.formats import CompactFormat, CompactNameFormat, ConstraintSpec, JsonFormat
from service.formats.base import LeftOut, Screen
from service.formats.json_schema import build_output_schema
from service.protocol import Control, MemoryStep, PredictRequest
from service.repeat_guard import left_out
from service.settings import DEFAULT_ACTION_SPACES_DIR, Settings
from tests.unit.service.upstream_double import UpstreamDouble, action, predictor_on

V1 = CompactFormat()
V2 = CompactNameFormat()
SCREEN = controls(6)  # 1 Home, 2 Insert, 3 Design, 4 Layout, 5 Bold, 6 Italic


def click(label: str = "2", name: str = "Insert", **args: Any) -> MemoryStep:
    return MemoryStep(control_label=label, control_text=name, function="click_input", args=args, result="ok")


def screen_of(fmt: CompactFormat, items: list[dict[str, Any]] = SCREEN) -> Screen:
    return fmt.screen([Control.model_validate(c) for c in items])


def test_two_same_clicks_leave_that_click_out_by_the_formats_reference(word: ActionSpace) -> None:
    steps = [click(), click(button="left", double=False)]  # defaults written or not: the same click
    assert left_out(steps, word, screen_of(V1), 3) == LeftOut("click_input", ("2",))
    assert left_out(steps, word, screen_of(V2), 3) == LeftOut("click_input", ('"Insert"',))


def test_a_control_is_known_by_its_name_across_labels(word: ActionSpace) -> None:
    """Agents renumber labels between screens, and two controls may share a name: the name decides."""
    cells = [{"label": str(n), "control_type": "DataItem", "name": "Row 1, Column 1"} for n in (60, 62)]
    screen_v2 = screen_of(V2, [*SCREEN, *cells])
    steps = [click("60", "Row 1, Column 1"), click("62", "Row 1, Column 1")]
    assert left_out(steps, word, screen_v2, 3) == LeftOut("click_input", ("60", "62"))  # shared name: by label
    assert left_out([click("7", "Insert"), click("2", "Insert")], word, screen_of(V2), 3) == LeftOut(
        "click_input", ('"Insert"',)
    )
    unnamed = [{"label": "8", "control_type": "Button", "name": ""}, *SCREEN]
    assert left_out([click("8", ""), click("8", "")], word, screen_of(V1, unnamed), 3) == LeftOut("click_input", ("8",))
    assert left_out([click("8", ""), click("9", "")], word, screen_of(V1, unnamed), 3) is None
    assert left_out([click("2", ""), click("2", "")], word, screen_of(V1), 3) is None  # label 2 is named now
    padded = [click("2", "  Insert "), click("7", "Insert")]  # the name as the prompt shows it
    assert left_out(padded, word, screen_of(V1), 3) == LeftOut("click_input", ("2",))


@pytest.mark.parametrize(
    "steps",
    [
        [click()],  # one step only
        [click(), click(label="3", name="Design")],  # another control
        [click(), click(button="right")],  # other args
        [click(), MemoryStep(control_label="2", control_text="Insert", function="set_edit_text", args={"text": "x"})],
        [click(label="9", name="Gone"), click(label="9", name="Gone")],  # not on this screen
        [click(name="Was Insert"), click(name="Was Insert")],  # no control of that name any more
        [click(button="sideways"), click(button="sideways")],  # args the function refuses: never compared
    ],
)
def test_anything_but_the_same_action_twice_on_this_screen_leaves_nothing_out(
    word: ActionSpace, steps: list[MemoryStep]
) -> None:
    assert left_out(steps, word, screen_of(V1), 3) is None


def test_the_limit_counts_the_steps(word: ActionSpace) -> None:
    screen = screen_of(V1)
    assert left_out([click()] * 2, word, screen, 0) is None  # off
    assert left_out([click()] * 2, word, screen, 4) is None  # needs three
    assert left_out([click()] * 3, word, screen, 4) == LeftOut("click_input", ("2",))
    assert left_out([click()], word, screen, 2) == LeftOut("click_input", ("2",))  # 2: never the same twice
    assert left_out([click(label="3", name="Design"), click(), click()], word, screen, 3) is not None  # the last two


def test_repeatable_actions_are_never_left_out(word: ActionSpace) -> None:
    stepper = [{"label": "7", "control_type": "Button", "name": "Increase Indent"}, *SCREEN]
    screen = screen_of(V1, stepper)
    assert left_out([click("7", "Increase Indent")] * 2, word, screen, 3) is None
    keys = MemoryStep(control_label="1", control_text="Home", function="keyboard_input", args={"keys": "+{RIGHT}"})
    assert left_out([keys] * 2, word, screen, 3) is None
    select_all = keys.model_copy(update={"args": {"keys": "^a"}})
    assert left_out([select_all] * 2, word, screen, 3) == LeftOut("keyboard_input", ("1",))
    delete = keys.model_copy(update={"args": {"keys": "{DELETE}"}})
    assert left_out([delete] * 2, word, screen, 3) is None


@pytest.mark.parametrize(
    ("function", "name", "args"),
    [
        ("wheel_mouse_input", "Home", {"wheel_dist": -5}),
        ("keyboard_input", "Home", {"keys": "{DOWN}"}),
        ("keyboard_input", "Home", {"keys": "%{DOWN}"}),
        ("keyboard_input", "Home", {"keys": "{PGDN}"}),
        ("keyboard_input", "Home", {"keys": "+{END}"}),
        ("click_input", "Page down", {}),
        ("click_input", "Line up", {}),
    ],
)
def test_moving_the_view_or_the_caret_is_not_repeatable_in_word(
    word: ActionSpace, function: str, name: str, args: dict[str, Any]
) -> None:
    """A third identical move changes nothing a request asks for (the development runs' loops were such
    moves)."""
    controls = [{"label": "7", "control_type": "Button", "name": name}, *SCREEN]
    screen = screen_of(V1, controls)
    label = "7" if name != "Home" else "1"
    step = MemoryStep(control_label=label, control_text=name, function=function, args=args)
    out = left_out([step] * 2, word, screen, 3)
    assert out is not None and out.function == function


def test_an_app_level_function_is_left_out_whole(word: ActionSpace) -> None:
    select = MemoryStep(function="select_text", args={"text": "Title"})
    assert left_out([select] * 2, word, screen_of(V1), 3) == LeftOut("select_text")


@pytest.mark.parametrize("fmt", [V1, V2], ids=["compact-v1", "compact-v2"])
def test_the_compact_constraint_admits_everything_but_the_left_out_action(
    word: ActionSpace, fmt: CompactFormat
) -> None:
    screen = screen_of(fmt)
    refs = tuple(screen.references)
    insert = next(r for r, label in screen.references.items() if label == "2")
    design = next(r for r, label in screen.references.items() if label == "3")
    spec = ConstraintSpec(word, refs, left_out=(LeftOut("click_input", (insert,)),))
    regex = re.compile(fmt.constraint(spec).body["structured_outputs"]["regex"])
    assert not regex.fullmatch(f"{insert} click_input")
    assert not regex.fullmatch(f"{insert} click_input right true FINISH")
    assert regex.fullmatch(f'{insert} keyboard_input "^a"')  # the control keeps its other functions
    assert regex.fullmatch(f"{design} click_input")  # the function stays on other controls
    assert regex.fullmatch('select_text "Title"')
    assert regex.fullmatch("FINISH") and regex.fullmatch("FAIL")
    plain = re.compile(fmt.constraint(ConstraintSpec(word, refs)).body["structured_outputs"]["regex"])
    assert plain.fullmatch(f"{insert} click_input")  # nothing left out without it


def test_every_control_left_out_loses_the_function(word: ActionSpace) -> None:
    pattern = V1.constraint(ConstraintSpec(word, ("1", "2", "3"), left_out=(LeftOut("click_input", ("1", "3")),)))
    regex = re.compile(pattern.body["structured_outputs"]["regex"])
    assert not regex.fullmatch("1 click_input") and not regex.fullmatch("3 click_input")
    assert regex.fullmatch("2 click_input") and regex.fullmatch('3 keyboard_input "^a"')


def test_nothing_left_to_act_with_still_leaves_the_endings() -> None:
    """A space whose one control function is left out on the one control, and no app function left."""
    space = parse_action_space(
        {
            "app": "one",
            "functions": [
                {"name": "press", "targets_control": True},
                {"name": "wait", "targets_control": False},
            ],
        }
    )
    for thought, plan in ((False, False), (True, True)):
        on_control = V1.regex(ConstraintSpec(space, ("1",), thought, plan, (LeftOut("press", ("1",)),)))
        assert "(?:)" not in on_control and "||" not in on_control
        pattern = re.compile(on_control)
        prefix = "Thought: why\n" if thought else ""
        assert pattern.fullmatch(f"{prefix}FINISH") and pattern.fullmatch(f"{prefix}wait")
        assert not pattern.fullmatch(f"{prefix}1 press")
        app = re.compile(V1.regex(ConstraintSpec(space, (), thought, plan, (LeftOut("wait"),))))
        assert app.fullmatch(f"{prefix}FAIL") and not app.fullmatch(f"{prefix}wait")


def test_the_compact_constraint_drops_a_left_out_app_function(word: ActionSpace) -> None:
    spec = ConstraintSpec(word, ("1", "2"), left_out=(LeftOut("select_text"),))
    regex = re.compile(V1.constraint(spec).body["structured_outputs"]["regex"])
    assert not regex.fullmatch('select_text "Title"')
    assert regex.fullmatch("select_table 1") and regex.fullmatch("2 click_input")


def test_the_json_schema_admits_everything_but_the_left_out_action(word: ActionSpace) -> None:
    def valid(schema: dict[str, Any], function: str, label: str, args: dict[str, Any]) -> bool:
        instance = {"function": function, "label": label, "args": args, "status": "CONTINUE"}
        return jsonschema.Draft202012Validator(schema).is_valid(instance)

    schema = build_output_schema(ConstraintSpec(word, ("1", "2"), left_out=(LeftOut("click_input", ("2",)),)))
    assert not valid(schema, "click_input", "2", {})
    assert valid(schema, "click_input", "1", {}) and valid(schema, "keyboard_input", "2", {"keys": "^a"})
    app = build_output_schema(ConstraintSpec(word, ("1", "2"), left_out=(LeftOut("select_text"),)))
    assert not valid(app, "select_text", "", {"text": "Title"})
    assert valid(app, "click_input", "2", {})
    only = build_output_schema(ConstraintSpec(word, ("2",), left_out=(LeftOut("click_input", ("2",)),)))
    assert "click_input" not in {b["properties"]["function"]["enum"][0] for b in only["anyOf"]}
    body = JsonFormat().constraint(ConstraintSpec(word, ("1", "2"), left_out=(LeftOut("click_input", ("2",)),))).body
    assert body["response_format"]["json_schema"]["schema"] == schema


def test_the_constraint_cache_keeps_the_left_out_apart(word: ActionSpace) -> None:
    fmt = CompactFormat()
    plain = fmt.constraint(ConstraintSpec(word, ("1", "2")))
    assert fmt.constraint(ConstraintSpec(word, ("1", "2"), left_out=(LeftOut("click_input", ("2",)),))) != plain
    assert fmt.constraint(ConstraintSpec(word, ("1", "2"))) is plain


def _space(repeatable: Any) -> dict[str, Any]:
    fn = {
        "name": "keyboard_input",
        "targets_control": True,
        "args_schema": {"type": "object", "properties": {"keys": {"type": "string"}}},
    }
    return {"app": "x", "functions": [fn], "repeatable": repeatable}


@pytest.mark.parametrize(
    ("repeatable", "message"),
    [
        ({"functions": ["scroll"]}, "unknown functions ['scroll']"),
        ({"args": {"scroll": {"keys": "a"}}}, "unknown function 'scroll'"),
        ({"args": {"keyboard_input": {"text": "a"}}}, "keyboard_input.text: no such arg"),
        ({"args": {"keyboard_input": {"keys": "("}}}, "bad pattern"),
        ({"steppers": ["Next"]}, "takes controls, functions and args, not ['steppers']"),
        ({"controls": "Zoom In"}, "repeatable.controls should be a list of strings"),
        ({"functions": "keyboard_input"}, "repeatable.functions should be a list of strings"),
        ({"args": ["keyboard_input"]}, "repeatable.args should map functions"),
        ({"args": {"keyboard_input": {"keys": None}}}, "the pattern should be a string"),
        (["Next"], "repeatable should be a mapping"),
    ],
)
def test_a_wrong_repeatable_section_is_refused_at_start_up(repeatable: Any, message: str) -> None:
    with pytest.raises(ActionSpaceError, match=re.escape(message)):
        parse_action_space(_space(repeatable))


@pytest.mark.parametrize(
    ("keys", "repeatable"),
    [
        ("+{RIGHT}", True),
        ("^+{LEFT}", True),
        ("+^{DOWN 2}", True),
        ("{BACKSPACE}", True),
        ("^{DELETE}", True),
        ("{ENTER}", True),
        ("^{ENTER}", True),
        ("{TAB}", True),
        ("+{TAB}", False),
        ("^{TAB}", False),
        ("{RIGHT}", False),
        ("^{END}", False),
        ("+{PGDN}", False),
        ("%{ENTER}", False),
    ],
)
def test_word_keys_repeat_where_each_time_grows_the_selection_or_changes_the_text(
    word: ActionSpace, keys: str, repeatable: bool
) -> None:
    assert word.repeatable.allows("keyboard_input", "", {"keys": keys}) is repeatable


def test_the_shipped_files_list_word_and_excel_steppers() -> None:
    spaces = load_action_spaces([DEFAULT_ACTION_SPACES_DIR])
    assert spaces["word"].repeatable.allows("click_input", "Insert Above", {})
    assert spaces["excel"].repeatable.allows("click_input", "Increase Decimal", {})
    assert not spaces["word"].repeatable.allows("click_input", "Insert", {})
    assert parse_action_space(_space(None)).repeatable.allows("keyboard_input", "", {"keys": "{DOWN}"}) is False


def test_the_setting_refuses_one_and_defaults_to_three(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LAM_REPEAT_LIMIT", raising=False)
    assert Settings().repeat_limit == 3  # on since its gate (evaluations/lam-smollm2-135m/word2-dev/README.md)
    assert Settings(repeat_limit=0).repeat_limit == 0
    with pytest.raises(ValidationError, match="0 \\(off\\) or at least 2"):
        Settings(repeat_limit=1)


def _left_out_count(function: str) -> float:
    return REGISTRY.get_sample_value("lam_repeats_left_out_total", {"app": "word", "function": function}) or 0.0


@pytest.mark.parametrize(("limit", "left"), [(3, True), (0, False)])
async def test_a_step_sends_the_model_server_the_narrower_constraint_and_counts_it(limit: int, left: bool) -> None:
    upstream = UpstreamDouble(lambda body: action("", status="FINISH"))
    predictor, client = predictor_on(upstream.transport(), repeat_limit=limit)
    memory = {"steps": [click().model_dump(), click().model_dump()]}
    body = PredictRequest.model_validate(predict_body(6, memory=memory))
    before = _left_out_count("click_input")
    try:
        response = await predictor.predict(body, "req-1", time.perf_counter())
    finally:
        await client.aclose()
    assert response.status == "FINISH"
    regex = re.compile(upstream.bodies[0]["structured_outputs"]["regex"])
    assert bool(regex.fullmatch("2 click_input")) is not left
    assert regex.fullmatch("3 click_input")
    assert _left_out_count("click_input") - before == (1 if left else 0)
