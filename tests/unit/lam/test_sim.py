"""The simulated Word: each function's effect, tabs, galleries, dialogs, labels, invalid actions."""

from __future__ import annotations

import pytest

from lam.sim import Document, Table, WordApp, is_error
from lam.sim.document import paragraph
from lam.sim.keys import KeyPress, parse_keys
from lam.sim.ribbon import TAB_CONTROLS

CLICK = {"button": "left", "double": False}


@pytest.fixture
def app() -> WordApp:
    doc = Document(
        blocks=[
            paragraph("Quarterly Report", style="Title"),
            paragraph("Revenue grew by ten percent this quarter. Costs fell sharply."),
            paragraph("The team hired three engineers."),
            Table(2, 3),
            paragraph("Closing remarks follow here."),
        ]
    )
    return WordApp(doc, name="report.docx")


def click(app: WordApp, control_type: str, name: str) -> str:
    return app.execute("click_input", CLICK, app.label_of(control_type, name))


def chars(app: WordApp, text: str) -> list:
    span = app.doc.find(text)
    assert span is not None
    return app.doc.char_formats(span)


def test_observation_is_the_service_shape_with_sequential_labels(app: WordApp) -> None:
    obs = app.observation()
    assert obs["window_title"] == "report.docx - Word"
    assert [c["label"] for c in obs["controls"]] == [str(i) for i in range(1, len(obs["controls"]) + 1)]
    assert all(set(c) == {"label", "control_type", "name"} for c in obs["controls"])
    from service.protocol import Observation

    Observation.model_validate(obs)  # the service accepts it as is


def test_select_text_then_bold_toggles_only_the_selection(app: WordApp) -> None:
    assert app.execute("select_text", {"text": "ten percent"}) == "ok"
    assert click(app, "Button", "Bold") == "ok"
    assert all(f.bold for f in chars(app, "ten percent"))
    assert not any(f.bold for f in chars(app, "Revenue grew by"))
    click(app, "Button", "Bold")  # all bold -> off, as Word
    assert not any(f.bold for f in chars(app, "ten percent"))


def test_bold_on_partly_bold_selection_makes_all_bold(app: WordApp) -> None:
    app.execute("select_text", {"text": "ten"})
    click(app, "Button", "Bold")
    app.execute("select_text", {"text": "ten percent"})
    click(app, "Button", "Bold")
    assert all(f.bold for f in chars(app, "ten percent"))


@pytest.mark.parametrize(("keys", "attr"), [("^b", "bold"), ("^i", "italic"), ("^u", "underline")])
def test_keyboard_shortcuts_format_the_selection(app: WordApp, keys: str, attr: str) -> None:
    app.execute("select_text", {"text": "three engineers"})
    assert app.execute("keyboard_input", {"keys": keys}, app.label_of("Document", "Document")) == "ok"
    assert all(getattr(f, attr) for f in chars(app, "three engineers"))


def test_font_and_size_boxes_set_the_selection(app: WordApp) -> None:
    app.execute("select_text", {"text": "Costs fell"})
    assert app.execute("set_edit_text", {"text": "Arial"}, app.label_of("ComboBox", "Font")) == "ok"
    assert app.execute("set_edit_text", {"text": "14"}, app.label_of("ComboBox", "Font Size")) == "ok"
    assert {(f.font, f.size) for f in chars(app, "Costs fell")} == {("Arial", 14.0)}
    assert chars(app, "sharply")[0].font == "Calibri"
    assert app.execute("texts", {}, app.label_of("ComboBox", "Font")) == "Arial"


def test_bad_font_size_is_refused_without_effect(app: WordApp) -> None:
    app.execute("select_text", {"text": "Costs fell"})
    before = app.doc.state()
    result = app.execute("set_edit_text", {"text": "huge"}, app.label_of("ComboBox", "Font Size"))
    assert is_error(result)
    assert app.doc.state() == before


def test_highlight_gallery_opens_and_applies_a_colour(app: WordApp) -> None:
    app.execute("select_text", {"text": "Costs fell"})
    assert not any(c["name"] == "Bright Green" for c in app.observation()["controls"])
    click(app, "Button", "Text Highlight Color")
    assert click(app, "ListItem", "Bright Green") == "ok"
    assert {f.highlight for f in chars(app, "Costs fell")} == {"Bright Green"}
    assert not any(c["name"] == "Bright Green" for c in app.observation()["controls"])  # closed again


def test_switching_tabs_changes_controls_and_renumbers_labels(app: WordApp) -> None:
    home = {c["name"]: c["label"] for c in app.observation()["controls"]}
    assert "Bold" in home and "Page Borders" not in home
    click(app, "TabItem", "Design")
    design = {c["name"]: c["label"] for c in app.observation()["controls"]}
    assert "Page Borders" in design and "Bold" not in design
    assert home["Document"] != design["Document"]  # renumbered
    by_label = {c["label"]: c["name"] for c in app.observation()["controls"]}
    assert by_label.get(home["Bold"]) != "Bold"  # Bold's old label names something else now
    app.execute("select_text", {"text": "Costs"})
    app.execute("click_input", CLICK, home["Bold"])
    assert not any(f.bold for f in chars(app, "Costs"))


def test_page_border_dialog_is_modal_and_applies_on_ok(app: WordApp) -> None:
    click(app, "TabItem", "Design")
    click(app, "Button", "Page Borders")
    names = [c["name"] for c in app.observation()["controls"]]
    assert names == ["None", "Box", "Shadow", "3-D", "OK", "Cancel"]
    assert is_error(app.execute("select_text", {"text": "Costs"}))
    click(app, "ListItem", "Shadow")
    assert app.doc.page["page_border"] == "None"  # not before OK
    click(app, "Button", "OK")
    assert app.doc.page["page_border"] == "Shadow"
    assert "Bold" not in [c["name"] for c in app.observation()["controls"]]  # back on Design


def test_cancel_discards_the_dialog_choice(app: WordApp) -> None:
    click(app, "TabItem", "Design")
    click(app, "Button", "Page Borders")
    click(app, "ListItem", "Box")
    click(app, "Button", "Cancel")
    assert app.doc.page["page_border"] == "None"


def test_insert_table_goes_after_the_cursor_paragraph(app: WordApp) -> None:
    app.execute("select_text", {"text": "three engineers"})
    assert app.execute("insert_table", {"rows": 3, "columns": 4}) == "ok"
    assert app.doc.blocks[3] == Table(3, 4)
    assert len(app.doc.tables()) == 2


def test_insert_table_through_the_insert_tab_dialog(app: WordApp) -> None:
    click(app, "TabItem", "Insert")
    click(app, "Button", "Table")
    click(app, "MenuItem", "Insert Table...")
    app.execute("set_edit_text", {"text": "6"}, app.label_of("Edit", "Number of columns"))
    app.execute("set_edit_text", {"text": "2"}, app.label_of("Edit", "Number of rows"))
    click(app, "Button", "OK")
    assert Table(2, 6) in app.doc.blocks


def test_select_table_shows_the_contextual_tab_and_styles_it(app: WordApp) -> None:
    assert "Table Design" not in [c["name"] for c in app.observation()["controls"]]
    app.execute("select_table", {"number": 1})
    click(app, "TabItem", "Table Design")
    click(app, "ListItem", "Grid Table 4")
    assert app.doc.blocks[3] == Table(2, 3, "Grid Table 4")
    app.execute("select_text", {"text": "Costs"})  # leaving the table leaves the contextual tab
    assert "Table Design" not in [c["name"] for c in app.observation()["controls"]]


def test_delete_key_removes_selected_text_and_undo_restores(app: WordApp) -> None:
    before = app.doc.state()
    doc_label = app.label_of("Document", "Document")
    app.execute("select_text", {"text": " Costs fell sharply."})
    app.execute("keyboard_input", {"keys": "{DELETE}"}, doc_label)
    assert app.doc.find("Costs") is None
    assert app.execute("click_input", CLICK, app.label_of("Button", "Undo")) == "ok"
    assert app.doc.state() == before
    assert app.execute("click_input", CLICK, app.label_of("Button", "Redo")) == "ok"
    assert app.doc.find("Costs") is None


def test_keys_sent_to_a_button_only_act_as_shortcuts(app: WordApp) -> None:
    app.execute("select_text", {"text": "three"})
    before = app.doc.text()
    app.execute("keyboard_input", {"keys": "{DELETE}xyz"}, app.label_of("Button", "Save"))
    assert app.doc.text() == before
    app.execute("keyboard_input", {"keys": "^b"}, app.label_of("Button", "Save"))
    assert all(f.bold for f in chars(app, "three"))


def test_typing_replaces_the_selection(app: WordApp) -> None:
    app.execute("select_text", {"text": "three"})
    app.execute("keyboard_input", {"keys": "+four"}, app.label_of("Document", "Document"))
    assert "hired Four engineers" in app.doc.text()


def test_paragraph_commands_center_toggle_and_bullets(app: WordApp) -> None:
    app.execute("select_text", {"text": "The team"})
    click(app, "Button", "Center")
    assert app.doc.para(2).align == "center"
    click(app, "Button", "Center")  # Word: again -> back to left
    assert app.doc.para(2).align == "left"
    click(app, "Button", "Bullets")
    assert app.doc.para(2).list_style == "bullet"
    assert app.doc.para(1).list_style == ""


def test_layout_gallery_and_spacing_edit(app: WordApp) -> None:
    click(app, "TabItem", "Layout")
    click(app, "Button", "Orientation")
    click(app, "ListItem", "Landscape")
    assert app.doc.page["orientation"] == "Landscape"
    app.execute("select_text", {"text": "The team"})
    assert app.execute("set_edit_text", {"text": "12 pt"}, app.label_of("Edit", "Spacing After")) == "ok"
    assert app.doc.para(2).space_after == 12.0


def test_replace_all_through_the_dialog(app: WordApp) -> None:
    click(app, "Button", "Replace")
    app.execute("set_edit_text", {"text": "the"}, app.label_of("Edit", "Find what"))
    app.execute("set_edit_text", {"text": "a"}, app.label_of("Edit", "Replace with"))
    assert click(app, "Button", "Replace All") == "ok: 1 replacement(s) made"
    assert app.doc.text().count("a team") == 1


@pytest.mark.parametrize(
    ("function", "args", "label", "needle"),
    [
        ("click_input", CLICK, "999", "no control"),
        ("click_input", {"button": "up"}, "4", "invalid args"),
        ("select_text", {"text": "not in the document"}, "", "not found"),
        ("select_table", {"number": 5}, "", "there is no table 5"),
        ("set_edit_text", {"text": "x"}, "1", "does not accept text"),
        ("keyboard_input", {"keys": "{ENTER"}, "1", "unclosed"),
        ("click_input", CLICK, "", "needs the label"),
        ("make_coffee", {}, "", "unknown function"),
    ],
)
def test_invalid_actions_give_an_error_result_and_no_effect(
    app: WordApp, function: str, args: dict, label: str, needle: str
) -> None:
    before = app.doc.state()
    result = app.execute(function, args, label)
    assert is_error(result) and needle in result
    assert app.doc.state() == before


def test_every_function_of_the_action_space_is_executable(app: WordApp) -> None:
    from lam.action_space import load_space

    doc_label = app.label_of("Document", "Document")
    samples = {
        "click_input": ({}, doc_label),
        "set_edit_text": ({"text": "Arial"}, app.label_of("ComboBox", "Font")),
        "keyboard_input": ({"keys": "{END}"}, doc_label),
        "wheel_mouse_input": ({"wheel_dist": -3}, doc_label),
        "texts": ({}, doc_label),
        "select_text": ({"text": "Closing"}, ""),
        "select_table": ({"number": 1}, ""),
        "insert_table": ({"rows": 1, "columns": 1}, ""),
        "summary": ({"text": "done"}, ""),
    }
    assert set(samples) == set(load_space("word").functions)
    for function, (args, label) in samples.items():
        assert not is_error(app.execute(function, args, label)), function


def test_ribbon_names_are_unique_across_tabs() -> None:
    names = [n for controls in TAB_CONTROLS.values() for t, n in controls if t != "ListItem"]
    assert len(names) == len(set(names))


def test_key_parser_handles_pywinauto_syntax() -> None:
    assert parse_keys("^b") == [KeyPress("b", frozenset({"ctrl"}))]
    assert parse_keys("{ENTER 2}") == [KeyPress("ENTER"), KeyPress("ENTER")]
    assert parse_keys("^(bi)") == [KeyPress("b", frozenset({"ctrl"})), KeyPress("i", frozenset({"ctrl"}))]
    assert parse_keys("{{}~") == [KeyPress("{"), KeyPress("ENTER")]


def test_random_actions_never_raise_and_keep_the_app_consistent(dataset) -> None:
    """Whatever a model sends, the app answers with a result string (the evaluator never crashes)."""
    import random

    from lam.tasks.expert import build_app

    rng = random.Random(0)
    keys = ["^b", "{DELETE}", "{BACKSPACE}", "abc{ENTER}", "^z", "^y", "^a", "{ESC}", "^{END}", "+(ab)", "^v", "{LEFT}"]
    texts = ["12", "Arial", "", "12 pt", "x", "the", "Yellow"]
    for task in dataset.tasks["train"][::4]:
        app = build_app(task)
        for _ in range(40):
            labels = [c["label"] for c in app.observation()["controls"]]
            function = rng.choice(
                [
                    "click_input",
                    "set_edit_text",
                    "keyboard_input",
                    "texts",
                    "wheel_mouse_input",
                    "select_text",
                    "select_table",
                    "insert_table",
                    "summary",
                ]
            )
            args = {
                "click_input": {"button": rng.choice(["left", "right"])},
                "set_edit_text": {"text": rng.choice(texts)},
                "keyboard_input": {"keys": rng.choice(keys)},
                "wheel_mouse_input": {"wheel_dist": rng.randint(-5, 5)},
                "texts": {},
                "select_text": {"text": rng.choice(app.doc.text().split() or ["x"])},
                "select_table": {"number": rng.randint(1, 3)},
                "insert_table": {"rows": rng.randint(1, 3), "columns": rng.randint(1, 3)},
                "summary": {"text": "s"},
            }[function]
            result = app.execute(function, args, rng.choice(labels))
            assert isinstance(result, str)
            app.doc.state()  # still a well-formed document
            assert 0 <= app.cursor[0] < len(app.doc.blocks)
