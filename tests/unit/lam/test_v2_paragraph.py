"""Paragraph and list behaviour the family checks cannot see: what the screen shows of it (values),
what dialogs refuse, Word's rules for indent steps, mixed selections and computed list numbers."""

from __future__ import annotations

from lam.sim.document import Document, paragraph
from lam.sim.word2 import WordWindow, is_error
from lam.sim.word2 import dialogs as dlg
from lam.sim.word2.behaviours import paragraph as lists


def _win(*texts: str) -> WordWindow:
    return WordWindow(Document([paragraph(t) for t in texts or ("Title", "First item", "Second item", "Third item")]))


def _do(
    w: WordWindow, function: str, args: dict[str, object], control_type: str, name: str, place: str | None = None
) -> str:
    return w.execute(function, args, w.label_of(control_type, name, place))


def _click(w: WordWindow, control_type: str, name: str, place: str | None = None) -> str:
    return _do(w, "click_input", {"button": "left", "double": False}, control_type, name, place)


def _value(w: WordWindow, control_type: str, name: str, place: str | None = None) -> str | None:
    for s in w.controls():
        if s.control_type == control_type and s.name == name and (place is None or s.place == place):
            return s.value
    raise KeyError(name)


def _select(w: WordWindow, text: str, extra: int = 0) -> None:
    w.execute("select_text", {"text": text})
    for _ in range(extra):
        w.execute("keyboard_input", {"keys": "+{DOWN}"}, w.label_of("Document", w.name))


def test_layout_indent_boxes_take_units_and_show_the_exact_length() -> None:
    w = _win()
    _select(w, "First item")
    _click(w, "TabItem", "Layout")
    assert _do(w, "set_edit_text", {"text": "1.27 cm"}, "Spinner", "Indent Left") == "ok"
    assert w.doc.para(1).indent == 1 and not w.doc.para(1).props  # 1.27 cm is exactly half an inch
    _do(w, "set_edit_text", {"text": '0.3"'}, "Spinner", "Indent Right")
    _do(w, "set_edit_text", {"text": "1 cm"}, "Spinner", "Indent Left")
    assert _value(w, "Spinner", "Indent Left") == '0.39"' and _value(w, "Spinner", "Indent Right") == '0.3"'
    assert w.doc.para(1).props == {"indent_left": "28.35", "indent_right": "21.6"}
    assert is_error(_do(w, "set_edit_text", {"text": "wide"}, "Spinner", "Indent Left"))


def test_increase_indent_moves_to_the_next_half_inch() -> None:
    w = _win()
    _select(w, "First item")
    dlg.set_left_indent(w.doc.para(1), 21.6)  # 0.3"
    _click(w, "Button", "Increase Indent")
    assert dlg.left_indent(w.doc.para(1)) == 36.0 and w.doc.para(1).props == {}
    dlg.set_left_indent(w.doc.para(1), 21.6)
    _click(w, "Button", "Decrease Indent")
    _click(w, "Button", "Decrease Indent")
    assert dlg.left_indent(w.doc.para(1)) == 0.0


def test_paragraph_dialog_reads_and_sets_special_indent_and_line_rule() -> None:
    w = _win()
    _select(w, "Second item")
    _click(w, "Button", "Paragraph Settings")
    _click(w, "ComboBox", "Special:")
    _click(w, "ListItem", "Hanging", "menu:Special Indent Dialog")
    _click(w, "ComboBox", "Line spacing:")
    _click(w, "ListItem", "At least", "menu:Line Spacing Dialog")
    _do(w, "set_edit_text", {"text": "15 pt"}, "Spinner", "At:")
    _click(w, "Button", "OK")
    par = w.doc.para(2)
    assert dlg.special_indent(par) == ("Hanging", 36.0)  # By: left empty takes Word's 0.5"
    assert (par.line_spacing, par.prop("line_rule")) == (15.0, "at least")
    _click(w, "Button", "Paragraph Settings")
    assert (_value(w, "ComboBox", "Special:"), _value(w, "Spinner", "By:")) == ("Hanging", '0.5"')
    assert (_value(w, "ComboBox", "Line spacing:"), _value(w, "Spinner", "At:")) == ("At least", "15 pt")
    _click(w, "ComboBox", "Line spacing:")
    _click(w, "ListItem", "Exactly", "menu:Line Spacing Dialog")
    _do(w, "set_edit_text", {"text": "0.2 pt"}, "Spinner", "At:")
    assert is_error(_click(w, "Button", "OK"))  # Exactly needs at least 0.7 pt
    assert par.prop("line_rule") == "at least"


def test_a_mixed_check_box_shows_neither_state_and_a_click_ticks_it() -> None:
    w = _win()
    w.doc.para(2).set_prop("keep_with_next", "on")
    _select(w, "First item", extra=1)
    _click(w, "Button", "Paragraph Settings")
    _click(w, "TabItem", "Line and Page Breaks")
    assert _value(w, "CheckBox", "Keep with next") == dlg.MIXED
    assert _value(w, "CheckBox", "Widow/Orphan control") == "on"
    _click(w, "CheckBox", "Keep with next")
    _click(w, "Button", "OK")
    assert w.doc.para(1).prop("keep_with_next") == w.doc.para(2).prop("keep_with_next") == "on"


def test_galleries_and_border_items_show_the_selection_state() -> None:
    w = _win()
    _select(w, "First item", extra=1)
    w.execute("keyboard_input", {"keys": "%{DOWN}"}, w.label_of("SplitButton", "Bullets"))
    assert _value(w, "ListItem", "None", "menu:Bullets") == "selected"
    _click(w, "ListItem", "Four Diamonds Bullet", "menu:Bullets")
    assert lists.bullet_of(w.doc.para(1)) == lists.bullet_of(w.doc.para(2)) == "\u2756"
    w.execute("keyboard_input", {"keys": "%{DOWN}"}, w.label_of("SplitButton", "Bullets"))
    assert _value(w, "ListItem", "Four Diamonds Bullet", "menu:Bullets") == "selected"
    assert _value(w, "ListItem", "Filled Round Bullet", "menu:Bullets") is None
    w.execute("keyboard_input", {"keys": "{ESC}"}, w.label_of("Document", w.name))
    _click(w, "SplitButton", "Borders")
    _click(w, "MenuItem", "Outside Borders")
    assert lists.borders_of(w.doc.para(1)) == {"top", "bottom", "left", "right"}
    _click(w, "SplitButton", "Borders")
    assert _value(w, "MenuItem", "Top Border") == "on" and _value(w, "MenuItem", "Inside Horizontal Border") == "off"
    _click(w, "MenuItem", "Top Border")  # on everywhere already: Word takes it off
    assert lists.borders_of(w.doc.para(2)) == {"bottom", "left", "right"}


def test_numbers_continue_restart_and_follow_set_values() -> None:
    w = _win()
    for b in (1, 2, 3):
        lists.make_numbered(w.doc.para(b), "1. 2. 3.")
    assert lists.numbering(w.doc) == {1: (1, False), 2: (2, True), 3: (3, True)}
    _select(w, "Second item")
    w.execute("keyboard_input", {"keys": "%{DOWN}"}, w.label_of("SplitButton", "Numbering"))
    _click(w, "MenuItem", "Set Numbering Value...")
    assert _value(w, "RadioButton", "Continue from previous list") == "on"
    assert _value(w, "Spinner", "Set value to:") == "2"
    _click(w, "RadioButton", "Start new list")
    _do(w, "set_edit_text", {"text": "ten"}, "Spinner", "Set value to:")
    assert is_error(_click(w, "Button", "OK"))
    _do(w, "set_edit_text", {"text": "10"}, "Spinner", "Set value to:")
    _click(w, "Button", "OK")
    assert lists.numbering(w.doc)[3] == (11, True)


def test_set_numbering_value_needs_a_numbered_item() -> None:
    w = _win()
    _select(w, "First item")
    w.execute("keyboard_input", {"keys": "%{DOWN}"}, w.label_of("SplitButton", "Numbering"))
    assert is_error(_click(w, "MenuItem", "Set Numbering Value..."))
    assert w.dialog is None


def test_symbol_dialog_names_the_code_and_refuses_a_bad_one() -> None:
    w = _win()
    _select(w, "First item")
    w.execute("keyboard_input", {"keys": "%{DOWN}"}, w.label_of("SplitButton", "Bullets"))
    _click(w, "MenuItem", "Define New Bullet...")
    _click(w, "Button", "Symbol...")
    assert _value(w, "Edit", "Character code:") == "25CF"  # the bullet Word would use now
    _do(w, "set_edit_text", {"text": "2605"}, "Edit", "Character code:")
    assert _value(w, "Text", "Unicode name:") == "BLACK STAR"
    _do(w, "set_edit_text", {"text": "zz"}, "Edit", "Character code:")
    assert is_error(_click(w, "Button", "OK"))
    _do(w, "set_edit_text", {"text": "2605"}, "Edit", "Character code:")
    _click(w, "Button", "OK")
    assert _value(w, "Text", "Preview", "dialog:Define New Bullet") == "\u2605"
    _click(w, "Button", "OK")
    assert lists.bullet_of(w.doc.para(1)) == "\u2605"
