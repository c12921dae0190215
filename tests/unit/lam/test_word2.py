"""lam.sim.word2: WordWindow's screens from the catalog, values, navigation and effects as data."""

from __future__ import annotations

from typing import Any

import pytest

from lam.sim.document import Document, Paragraph, paragraph
from lam.sim.word2 import WordWindow, is_error
from lam.sim.word2.effects import WILDCARD_SUFFIX, load_effects
from lam.sim.word_ui import load_catalog


def _doc() -> Document:
    return Document(
        [
            paragraph("Quarterly report"),
            paragraph("Sales rose in the third quarter and costs fell."),
            paragraph("Next steps follow."),
        ]
    )


def _win(width: Any = "wide") -> WordWindow:
    return WordWindow(_doc(), width=width)


def _click(w: WordWindow, control_type: str, name: str, place: str | None = None) -> str:
    return w.execute("click_input", {}, w.label_of(control_type, name, place))


def _value(w: WordWindow, control_type: str, name: str, place: str | None = None) -> str | None:
    label = w.label_of(control_type, name, place)
    item = w.observation()["controls"][int(label) - 1]
    return item.get("value")


def _fmt(w: WordWindow, block: int = 1, offset: int = 0) -> Any:
    return w.doc.char_formats((block, offset, offset + 1))[0]


def test_labels_are_1_to_n_and_unique() -> None:
    w = _win()
    for step in (lambda: None, lambda: _click(w, "SplitButton", "Font Color"), lambda: _click(w, "TabItem", "Layout")):
        step()
        labels = [c["label"] for c in w.observation()["controls"]]
        assert labels == [str(i) for i in range(1, len(labels) + 1)]


def test_home_wide_screen_size_and_document_value() -> None:
    w = _win()
    obs = w.observation()
    assert obs["window_title"] == "Document1.docx - Word"
    assert len(obs["controls"]) >= 100
    doc = [c for c in obs["controls"] if c["control_type"] == "Document"]
    assert doc and doc[0]["value"] == w.doc.text()
    assert all("value" not in c or isinstance(c["value"], str) for c in obs["controls"])


def test_bold_value_and_effect() -> None:
    w = _win()
    assert _value(w, "Button", "Bold") == "off"
    assert w.execute("select_text", {"text": "third quarter"}) == "ok"
    assert _click(w, "Button", "Bold") == "ok"
    assert _value(w, "Button", "Bold") == "on"
    start = w.doc.para(1).text.index("third")
    assert _fmt(w, 1, start).bold and not _fmt(w, 1, 0).bold
    assert _click(w, "Button", "Bold") == "ok"  # Word's toggle: off again
    assert _value(w, "Button", "Bold") == "off"
    assert w.undo_stack  # undoable


def test_font_and_size_boxes() -> None:
    w = _win()
    w.execute("select_text", {"text": "Sales"})
    assert w.execute("set_edit_text", {"text": "Arial"}, w.label_of("ComboBox", "Font")) == "ok"
    assert w.execute("keyboard_input", {"keys": "14{ENTER}"}, w.label_of("ComboBox", "Font Size")) == "ok"
    assert _fmt(w).font == "Arial" and _fmt(w).size == 14.0
    assert _value(w, "ComboBox", "Font") == "Arial" and _value(w, "ComboBox", "Font Size") == "14"
    _click(w, "Button", "Increase Font Size")
    assert _fmt(w).size == 16.0
    assert is_error(w.execute("set_edit_text", {"text": "abc"}, w.label_of("ComboBox", "Font Size")))
    assert _fmt(w).size == 16.0


def test_alignment_and_style_values() -> None:
    w = _win()
    w.execute("select_text", {"text": "Quarterly"})
    _click(w, "Button", "Center")
    assert w.doc.para(0).align == "center"
    assert _value(w, "Button", "Center") == "on" and _value(w, "Button", "Align Left") == "off"
    _click(w, "ListItem", "Heading 1")
    assert w.doc.para(0).style == "Heading 1"
    assert _value(w, "ListItem", "Heading 1") == "selected" and _value(w, "ListItem", "Normal") is None


def test_font_color_menu_colours_selection() -> None:
    w = _win()
    w.execute("select_text", {"text": "Sales"})
    n = len(w.observation()["controls"])
    assert _click(w, "SplitButton", "Font Color") == "ok"
    assert w.open_menu == "Font Color" and len(w.observation()["controls"]) > n + 60
    assert _click(w, "ListItem", "Red", "menu:Font Color") == "ok"
    assert _fmt(w).color == "Red" and w.open_menu is None
    assert len(w.observation()["controls"]) == n
    # Esc closes a drop-down; clicking elsewhere too
    _click(w, "SplitButton", "Text Highlight Color")
    assert w.execute("keyboard_input", {"keys": "{ESC}"}, "1") == "ok" and w.open_menu is None
    _click(w, "Button", "Change Case")
    _click(w, "Button", "Italic")
    assert w.open_menu is None and _fmt(w).italic


def test_change_case_and_highlight() -> None:
    w = _win()
    w.execute("select_text", {"text": "Sales rose"})
    _click(w, "Button", "Change Case")
    _click(w, "MenuItem", "UPPERCASE")
    assert w.doc.para(1).text.startswith("SALES ROSE in")
    _click(w, "SplitButton", "Text Highlight Color")
    _click(w, "ListItem", "Yellow", "menu:Text Highlight Color")
    assert _fmt(w).highlight == "Yellow"


def test_font_dialog_ok_and_cancel() -> None:
    w = _win()
    w.execute("select_text", {"text": "Sales"})
    assert _click(w, "Button", "Font Settings") == "ok"
    assert w.dialog is not None and w.dialog.key == "Font"
    assert _value(w, "Edit", "Size:") == "11"
    w.execute("set_edit_text", {"text": "18"}, w.label_of("Edit", "Size:"))
    assert _value(w, "Edit", "Size:") == "18"
    _click(w, "ListItem", "Bold", "dialog:Font")
    _click(w, "CheckBox", "Strikethrough")
    assert _value(w, "CheckBox", "Strikethrough") == "on"
    assert _fmt(w).size == 11.0  # nothing applied before OK
    assert _click(w, "Button", "OK") == "ok"
    assert w.dialog is None
    f = _fmt(w)
    assert f.size == 18.0 and f.bold and f.strike and not f.italic
    # Cancel discards
    _click(w, "Button", "Font Settings")
    w.execute("set_edit_text", {"text": "30"}, w.label_of("Edit", "Size:"))
    assert _click(w, "Button", "Cancel") == "ok"
    assert w.dialog is None and _fmt(w).size == 18.0
    # while a dialog is open the main window is blocked
    _click(w, "Button", "Font Settings")
    assert is_error(_click(w, "Button", "Bold"))
    assert w.dialog is not None and not _fmt(w).italic


def test_font_dialog_colour_dropdown_and_tabs() -> None:
    w = _win()
    w.execute("select_text", {"text": "Sales"})
    _click(w, "Button", "Font Settings")
    _click(w, "ComboBox", "Font color:")
    assert w.open_menu == "Font Color Dialog"
    _click(w, "ListItem", "Blue", "menu:Font Color Dialog")
    assert _value(w, "ComboBox", "Font color:") == "Blue"
    _click(w, "TabItem", "Advanced", "dialog:Font")
    assert _value(w, "TabItem", "Advanced", "dialog:Font") == "selected"
    w.execute("keyboard_input", {"keys": "{ENTER}"}, w.label_of("Button", "OK"))
    assert w.dialog is None and _fmt(w).color == "Blue"


def test_paragraph_dialog() -> None:
    w = _win()
    w.execute("select_text", {"text": "Sales"})
    _click(w, "Button", "Paragraph Settings")
    assert _value(w, "Spinner", "After:") == "8 pt"
    w.execute("set_edit_text", {"text": "Centered"}, w.label_of("ComboBox", "Alignment:"))
    w.execute("set_edit_text", {"text": "12 pt"}, w.label_of("Spinner", "Before:"))
    w.execute("set_edit_text", {"text": '0.5"'}, w.label_of("Spinner", "Left:"))
    _click(w, "ComboBox", "Line spacing:")
    _click(w, "ListItem", "Double", "menu:Line Spacing Dialog")
    _click(w, "Button", "OK")
    par = w.doc.para(1)
    assert (par.align, par.space_before, par.indent) == ("center", 12.0, 1)
    assert w.line_spacing(1) == 2.0 and w.state()["blocks"][1]["line_spacing"] == 2.0


def test_paragraph_group_commands() -> None:
    w = _win()
    w.execute("select_text", {"text": "Next"})
    _click(w, "SplitButton", "Bullets")
    assert w.doc.para(2).list_style == "bullet" and _value(w, "SplitButton", "Bullets") == "on"
    _click(w, "Button", "Increase Indent")
    assert w.doc.para(2).indent == 1
    _click(w, "Button", "Line and Paragraph Spacing")
    _click(w, "MenuItem", "1.5")
    assert w.line_spacing(2) == 1.5 and w.undo_stack
    _click(w, "Button", "Line and Paragraph Spacing")
    _click(w, "MenuItem", "Remove Space After Paragraph")
    assert w.doc.para(2).space_after == 0.0


def test_narrow_width_collapses_groups() -> None:
    wide, narrow = _win(), _win("narrow")
    assert len(narrow.observation()["controls"]) < len(wide.observation()["controls"])
    with pytest.raises(KeyError):
        narrow.label_of("Button", "Center")
    narrow.execute("select_text", {"text": "Quarterly"})
    assert _click(narrow, "Button", "Paragraph") == "ok"
    assert narrow.open_menu == "group:Paragraph"
    assert _value(narrow, "Button", "Align Left") == "on"
    assert _click(narrow, "Button", "Center") == "ok"
    assert narrow.doc.para(0).align == "center" and narrow.open_menu is None


def test_errors_leave_document_untouched() -> None:
    w = _win()
    w.execute("select_text", {"text": "Sales"})
    before = w.doc.copy()
    n = len(w.observation()["controls"])
    assert is_error(w.execute("click_input", {}, str(n + 1)))
    assert is_error(w.execute("click_input", {}, "abc"))
    assert is_error(w.execute("click_input", {}, ""))
    assert is_error(w.execute("fly", {}, "1"))
    assert is_error(w.execute("click_input", {"button": "up"}, "1"))
    assert is_error(w.execute("set_edit_text", {"text": "x"}, w.label_of("Button", "Bold")))
    assert is_error(w.execute("select_text", {"text": "not in there"}))
    assert w.execute_action({"function": "click_input", "args": {}, "control_label": "9999"}).startswith("error:")
    assert w.doc == before


def test_unmodelled_controls_are_ok_no_change() -> None:
    w = _win()
    before = w.doc.copy()
    for name in ("Format Painter", "Sort", "Editor", "Add-ins"):
        assert _click(w, "Button", name) == "ok"
    assert _click(w, "SplitButton", "Dictate") == "ok"
    assert w.doc == before


def test_file_tab_shows_backstage() -> None:
    w = _win()
    assert _click(w, "TabItem", "File") == "ok"
    obs = w.observation()
    names = {c["name"] for c in obs["controls"]}
    assert "Back" in names and not any(c["control_type"] == "Document" for c in obs["controls"])
    assert _value(w, "ListItem", "Info") == "selected"
    _click(w, "ListItem", "Print")
    assert _value(w, "ListItem", "Print") == "selected"
    _click(w, "Button", "Back")
    assert w.tab == "Home"


def test_layout_menus_and_breaks() -> None:
    w = _win()
    _click(w, "TabItem", "Layout")
    _click(w, "Button", "Orientation")
    _click(w, "ListItem", "Landscape")
    _click(w, "Button", "Margins")
    _click(w, "ListItem", "Narrow")
    _click(w, "Button", "Size")
    _click(w, "ListItem", "A4")
    _click(w, "Button", "Columns")
    _click(w, "ListItem", "Two")
    assert {k: w.doc.page[k] for k in ("orientation", "margins", "page_size", "columns")} == {
        "orientation": "Landscape", "margins": "Narrow", "page_size": "A4", "columns": "Two"
    }  # fmt: skip
    n = len(w.doc.blocks)
    # a break goes at the cursor: at the end of the first paragraph it follows it (at its start, before it)
    w.execute("keyboard_input", {"keys": "{END}"}, w.label_of("Document", "Document1.docx"))
    _click(w, "Button", "Breaks")
    _click(w, "MenuItem", "Page")
    assert len(w.doc.blocks) == n + 1 and type(w.doc.blocks[1]).__name__ == "PageBreak"
    w.execute("select_text", {"text": "Next"})
    w.execute("set_edit_text", {"text": "6 pt"}, w.label_of("Spinner", "Spacing Before"))
    assert w.doc.para(w.target_paragraphs()[0]).space_before == 6.0
    assert _value(w, "Spinner", "Spacing Before") == "6 pt"


def test_insert_table_grid_dialog_and_contextual_tabs() -> None:
    w = _win()
    _click(w, "TabItem", "Insert")
    _click(w, "Button", "Table")
    _click(w, "ListItem", "3x2 Table")
    tables = w.doc.tables()
    assert len(tables) == 1
    t = w.doc.blocks[tables[0]]
    assert (t.rows, t.columns) == (2, 3)  # type: ignore[union-attr]
    _click(w, "Button", "Table")
    _click(w, "MenuItem", "Insert Table...")
    w.execute("set_edit_text", {"text": "4"}, w.label_of("Spinner", "Number of columns:"))
    w.execute("set_edit_text", {"text": "5"}, w.label_of("Spinner", "Number of rows:"))
    _click(w, "Button", "OK")
    assert len(w.doc.tables()) == 2
    w.execute("select_table", {"number": 1})
    names = [c["name"] for c in w.observation()["controls"] if c["control_type"] == "TabItem"]
    assert "Table Design" in names
    _click(w, "TabItem", "Table Design")
    _click(w, "ListItem", "Grid Table 4")
    assert w.doc.blocks[w.doc.tables()[0]].style == "Grid Table 4"  # type: ignore[union-attr]
    w.execute("select_text", {"text": "Sales"})
    assert w.tab == "Home"


def test_find_and_replace_all() -> None:
    w = _win()
    _click(w, "Button", "Replace")
    assert w.dialog is not None and w.dialog.key == "Find and Replace"
    w.execute("set_edit_text", {"text": "quarter"}, w.label_of("Edit", "Find what:"))
    w.execute("set_edit_text", {"text": "period"}, w.label_of("Edit", "Replace with:"))
    assert _click(w, "Button", "Replace All").startswith("ok: 2")
    assert "Quarterly" not in w.doc.text() and "third period" in w.doc.text()
    assert any(c["name"] == "All done. We made 2 replacements." for c in w.observation()["controls"])
    _click(w, "Button", "OK")
    assert w.dialog is not None and w.dialog.key == "Find and Replace"
    _click(w, "Button", "Cancel", "dialog:Find and Replace")
    assert w.dialog is None


def test_quick_access_undo_redo_save() -> None:
    w = _win()
    w.execute("select_text", {"text": "Sales"})
    _click(w, "Button", "Bold")
    assert not w.saved
    _click(w, "SplitButton", "Undo")
    assert not _fmt(w).bold
    _click(w, "Button", "Redo")
    assert _fmt(w).bold
    _click(w, "Button", "Save")
    assert w.saved


def test_typing_in_document() -> None:
    w = _win()
    label = w.label_of("Document", "Document1.docx")
    w.execute("keyboard_input", {"keys": "^{END}"}, label)
    w.execute("keyboard_input", {"keys": "{ENTER}Done"}, label)
    assert w.doc.text().endswith("\nDone")
    assert _value(w, "Document", "Document1.docx") == w.doc.text()


def test_every_effect_names_a_control_of_the_catalog() -> None:
    cat = load_catalog()
    problems = []
    for place, entries in load_effects().items():
        kind, _, key = place.partition(":")
        if kind == "tab":
            specs = [(c.control_type, c.name) for g in cat.tabs[key].groups for c in g.controls]
        elif kind == "menu":
            specs = [(c.control_type, c.name) for c in cat.menus[key].items]
        elif kind == "dialog":
            d = cat.dialogs[key]
            specs = [(c.control_type, c.name) for p in d.pages for c in p.controls + d.footer]
        elif kind == "chrome":
            specs = [(c.control_type, c.name) for s in cat.sections if s.name == key for c in s.controls]
            if any(s.name == key and s.place == "document" for s in cat.sections):  # contextual tabs' boxes
                specs += [(c.control_type, c.name) for t in cat.tabs.values() for c in t.document]
        elif kind == "document":
            continue  # controls the document's content adds at run time (comment cards): no catalog entry
        else:
            assert kind == "backstage"
            pages = [c for cs in cat.backstage.pages.values() for c in cs]  # page controls sit at "backstage" too
            specs = [(c.control_type, c.name) for c in [*cat.backstage.navigation, *pages]]
        for name in entries:
            if name.endswith(WILDCARD_SUFFIX):
                ok = any(t == name.removesuffix(WILDCARD_SUFFIX) for t, _ in specs)
            else:
                ok = any(n == name for _, n in specs)
            if not ok:
                problems.append(f"{place}: {name}")
    assert not problems, problems


def test_wordapp_untouched_api_shape() -> None:
    w = WordWindow(Document([Paragraph()]))
    assert w.execute_action(None) == ""
    assert w.execute_action({"function": "summary", "args": {"text": "hi"}}) == "ok"
