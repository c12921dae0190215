"""Table behaviour of the word2 window that the per-family checks do not see: cells as controls,
keys inside cells, what the Table Design / Layout controls show, dialogs refusing bad entries, and
the table model's renumbering of per-cell properties."""

from __future__ import annotations

from lam.sim.document import Document, Paragraph, Table, paragraph
from lam.sim.editing import TableSel
from lam.sim.word2 import WordWindow, is_error


def _doc() -> Document:
    cells = [["City", "Staff"], ["Oslo", "48"], ["Lisbon", "112"]]
    return Document([paragraph("Offices"), Table(3, 2, cells=cells), paragraph("Closing words.")])


def _value(win: WordWindow, control_type: str, name: str) -> str | None:
    return next(
        c.get("value") for c in win.observation()["controls"] if (c["control_type"], c["name"]) == (control_type, name)
    )


def _click(win: WordWindow, control_type: str, name: str, place: str | None = None) -> str:
    return win.execute("click_input", {}, win.label_of(control_type, name, place))


def test_cells_are_controls_and_typing_goes_into_the_clicked_cell() -> None:
    win = WordWindow(_doc())
    assert _value(win, "DataItem", "Row 2, Column 1") == "Oslo"
    assert _click(win, "DataItem", "Row 3, Column 2") == "ok"
    assert win.contextual() == ("Table Design", "Table Layout")
    win.execute("keyboard_input", {"keys": "{BACKSPACE}7"}, win.label_of("Document", win.name))
    table = win.doc.blocks[1]
    assert isinstance(table, Table) and table.cell(2, 1) == "117"


def test_tab_in_the_last_cell_adds_a_row() -> None:
    win = WordWindow(_doc())
    _click(win, "DataItem", "Row 3, Column 2")
    win.execute("keyboard_input", {"keys": "{TAB}Porto"}, win.label_of("Document", win.name))
    table = win.doc.blocks[1]
    assert isinstance(table, Table) and table.rows == 4 and table.cells == [
        ["City", "Staff"], ["Oslo", "48"], ["Lisbon", "112"], ["Porto", ""]
    ]  # fmt: skip


def test_table_controls_show_the_tables_state() -> None:
    win = WordWindow(_doc())
    _click(win, "DataItem", "Row 1, Column 1")
    _click(win, "TabItem", "Table Design")
    assert _value(win, "CheckBox", "Header Row") == "on"
    _click(win, "CheckBox", "Header Row")
    assert _value(win, "CheckBox", "Header Row") == "off"
    assert _value(win, "ListItem", "Table Grid") == "selected"
    _click(win, "TabItem", "Layout", "tabs:Table Tools")
    assert win.tab == "Table Layout"
    assert _value(win, "Button", "Repeat Header Rows") == "off"
    _click(win, "Button", "Repeat Header Rows")
    assert _value(win, "Button", "Repeat Header Rows") == "on"
    win.execute("set_edit_text", {"text": "1 cm"}, win.label_of("Spinner", "Table Row Height"))
    assert _value(win, "Spinner", "Table Row Height") == '0.39"'


def test_insert_table_goes_before_a_paragraph_when_the_caret_is_at_its_start() -> None:
    win = WordWindow(_doc())
    win.execute("select_text", {"text": "Closing words."})
    win.execute("keyboard_input", {"keys": "{HOME}"}, win.label_of("Document", win.name))
    win.insert_table(2, 2)
    kinds = [type(b).__name__ for b in win.doc.blocks]
    assert kinds == ["Paragraph", "Table", "Table", "Paragraph"]
    assert win.selection == TableSel(2, (0, 0), (0, 0), caret=True) and "Table Design" in win.contextual()


def test_convert_dialogs_refuse_other_without_a_character_and_convert_back() -> None:
    win = WordWindow(_doc())
    _click(win, "DataItem", "Row 1, Column 1")
    _click(win, "TabItem", "Layout", "tabs:Table Tools")
    _click(win, "Button", "Convert to Text")
    _click(win, "RadioButton", "Other:", "dialog:Convert Table To Text")
    win.execute("set_edit_text", {"text": ""}, win.label_of("Edit", "Other", "dialog:Convert Table To Text"))
    assert is_error(_click(win, "Button", "OK", "dialog:Convert Table To Text"))
    _click(win, "RadioButton", "Commas", "dialog:Convert Table To Text")
    assert _click(win, "Button", "OK", "dialog:Convert Table To Text") == "ok"
    texts = [b.text for b in win.doc.blocks if isinstance(b, Paragraph)]
    assert texts == ["Offices", "City,Staff", "Oslo,48", "Lisbon,112", "Closing words."]


def test_merged_cells_hide_their_other_cells_and_block_sorting() -> None:
    doc = _doc()
    table = doc.blocks[1]
    assert isinstance(table, Table)
    table.merge((1, 0, 2, 0))
    assert table.cells == [["City", "Staff"], ["Oslo\nLisbon", "48"], ["", "112"]]
    win = WordWindow(doc)
    names = [c["name"] for c in win.observation()["controls"] if c["control_type"] == "DataItem"]
    assert "Row 3, Column 1" not in names and "Row 3, Column 2" in names
    _click(win, "DataItem", "Row 1, Column 1")
    _click(win, "TabItem", "Layout", "tabs:Table Tools")
    _click(win, "Button", "Sort")
    assert is_error(_click(win, "Button", "OK", "dialog:Sort"))


def test_inserting_and_deleting_rows_renumbers_cell_properties() -> None:
    table = Table(3, 2, props={"shading.2.1": "Gold, Accent 4", "height.1": "20", "merged": "1,0,2,0"})
    table.insert_rows(1, 2)
    assert table.props == {"shading.4.1": "Gold, Accent 4", "height.3": "20", "merged": "3,0,4,0"}
    table.delete_rows(3, 3)
    assert table.props == {"shading.3.1": "Gold, Accent 4"}  # the merge shrank to one cell: gone


def test_an_untouched_table_and_one_of_empty_cells_compare_equal_and_the_checker_describes_cells() -> None:
    from lam.sim.document import Document, Table
    from lam.tasks.checker import _describe

    untouched, touched = Document([Table(2, 2)]), Document([Table(2, 2)])
    touched.blocks[0].grid()  # type: ignore[union-attr]
    assert untouched.state() == touched.state()
    typed = Document([Table(2, 2)])
    typed.blocks[0].set_cell(0, 1, "x")  # type: ignore[union-attr]
    want, got = untouched.state()["blocks"][0], typed.state()["blocks"][0]
    assert "cells" in _describe(want, got)
