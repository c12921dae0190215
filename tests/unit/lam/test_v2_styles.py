"""Styles and Find and Replace behaviour of the word2 window that the family tests cannot see:
what the galleries and boxes show, the modeless Apply Styles pane, rejected entries, Word's
capitals rule and Find Next / Replace / Special."""

from __future__ import annotations

from lam.sim.document import Document, paragraph
from lam.sim.word2 import WordWindow, is_error


def _win(*texts: str) -> WordWindow:
    return WordWindow(Document([paragraph(t) for t in texts]))


def _click(win: WordWindow, control_type: str, name: str, place: str | None = None) -> str:
    return win.execute("click_input", {"button": "left", "double": False}, win.label_of(control_type, name, place))


def _type(win: WordWindow, control_type: str, name: str, text: str, place: str | None = None) -> str:
    return win.execute("set_edit_text", {"text": text}, win.label_of(control_type, name, place))


def _value(win: WordWindow, control_type: str, name: str, place: str | None = None) -> str | None:
    return next(
        s.value
        for s in win.controls()
        if s.control_type == control_type and s.name == name and (place is None or s.place == place)
    )


def test_character_style_formats_the_text_and_the_gallery_shows_it() -> None:
    win = _win("Title here", "Some body text to style.")
    win.execute("select_text", {"text": "body"})
    assert _value(win, "ListItem", "Emphasis", "tab:Home") is None
    assert _click(win, "ListItem", "Emphasis", "tab:Home") == "ok"
    par = win.doc.para(1)
    assert par.style == "Normal"
    assert [(r.text, r.fmt.char_style) for r in par.runs] == [
        ("Some ", ""),
        ("body", "Emphasis"),
        (" text to style.", ""),
    ]
    assert _value(win, "ListItem", "Emphasis", "tab:Home") == "selected"


def test_apply_styles_pane_is_modeless_and_shows_the_current_style() -> None:
    win = _win("Title here", "Body text.")
    win.doc.para(1).style = "Block Text"
    win.execute("select_text", {"text": "Body"})
    _click(win, "Button", "More", "tab:Home")
    _click(win, "MenuItem", "Apply Styles...", "menu:Styles")
    assert _value(win, "ComboBox", "Style Name:", "dialog:Apply Styles") == "Block Text"
    assert win.execute("select_text", {"text": "Title"}) == "ok"  # the pane does not block the document
    _type(win, "ComboBox", "Style Name:", "Heading 4", "dialog:Apply Styles")
    assert _click(win, "Button", "Reapply", "dialog:Apply Styles") == "ok"
    assert win.doc.para(0).style == "Heading 4"
    _type(win, "ComboBox", "Style Name:", "No Such Style", "dialog:Apply Styles")
    assert is_error(_click(win, "Button", "Reapply", "dialog:Apply Styles"))


def test_modify_style_shows_the_definition_and_rejects_a_bad_size() -> None:
    win = _win("Title here", "Body text.")
    _click(win, "Button", "More", "tab:Home")
    _click(win, "MenuItem", "Apply Styles...", "menu:Styles")
    _type(win, "ComboBox", "Style Name:", "Heading 1", "dialog:Apply Styles")
    _click(win, "Button", "Modify...", "dialog:Apply Styles")
    assert _value(win, "ComboBox", "Font Size", "dialog:Modify Style") == "16"
    assert _value(win, "ComboBox", "Font", "dialog:Modify Style") == "+Headings"
    _type(win, "ComboBox", "Font Size", "0", "dialog:Modify Style")
    assert is_error(_click(win, "Button", "OK", "dialog:Modify Style"))
    assert win.doc.settings == {}
    _type(win, "ComboBox", "Font Size", "20", "dialog:Modify Style")
    assert _click(win, "Button", "OK", "dialog:Modify Style") == "ok"
    assert win.doc.settings == {"styles.Heading 1.size": "20"}


def _open_replace(win: WordWindow, find: str, repl: str) -> None:
    _click(win, "Button", "Replace", "tab:Home")
    _type(win, "Edit", "Find what:", find, "dialog:Find and Replace")
    _type(win, "Edit", "Replace with:", repl, "dialog:Find and Replace")


def test_replace_all_keeps_capitals_unless_match_case() -> None:
    win = _win("Start here.", "We start now; START again and restart.")
    _open_replace(win, "start", "begin")
    _click(win, "Button", "Replace All", "dialog:Find and Replace")
    assert win.doc.text() == "Begin here.\nWe begin now; BEGIN again and rebegin."

    win = _win("Start here.", "We start now; restart.")
    _open_replace(win, "start", "begin")
    _click(win, "Button", "More >>", "dialog:Find and Replace")
    _click(win, "CheckBox", "Match case", "dialog:Find and Replace")
    _click(win, "CheckBox", "Find whole words only", "dialog:Find and Replace")
    assert _value(win, "CheckBox", "Match case", "dialog:Find and Replace") == "on"
    _click(win, "Button", "Replace All", "dialog:Find and Replace")
    assert win.doc.text() == "Start here.\nWe begin now; restart."


def test_find_next_then_replace_changes_only_the_first() -> None:
    win = _win("A plan.", "Another plan and a plan.")
    _open_replace(win, "plan", "strategy")
    assert _click(win, "Button", "Replace", "dialog:Find and Replace") == "ok"  # nothing selected: finds
    assert win.doc.text() == "A plan.\nAnother plan and a plan."
    assert win.selected_text() == "plan"
    _click(win, "Button", "Replace", "dialog:Find and Replace")
    assert win.doc.text() == "A strategy.\nAnother plan and a plan."
    assert win.text_spans() == [(1, 8, 12)]  # the next one is selected


def test_special_menu_types_into_the_focused_box_and_codes_replace_marks() -> None:
    win = _win("Title", "One\ttwo -- three.")
    _open_replace(win, "", "")
    _click(win, "Button", "More >>", "dialog:Find and Replace")
    _click(win, "Edit", "Replace with:", "dialog:Find and Replace")
    _click(win, "Button", "Special", "dialog:Find and Replace")
    _click(win, "MenuItem", "Em Dash", "menu:Find Special")
    assert _value(win, "Edit", "Replace with:", "dialog:Find and Replace") == "^+"
    assert _value(win, "Edit", "Find what:", "dialog:Find and Replace") == ""
    _type(win, "Edit", "Find what:", "--", "dialog:Find and Replace")
    _click(win, "Button", "Replace All", "dialog:Find and Replace")
    assert win.doc.para(1).text == "One\ttwo \u2014 three."
    _click(win, "Button", "OK", "dialog:Replace All Result")
    _type(win, "Edit", "Find what:", "^q", "dialog:Find and Replace")
    assert is_error(_click(win, "Button", "Replace All", "dialog:Find and Replace"))


def test_theme_gallery_shows_the_theme_and_a_theme_resets_the_colours() -> None:
    win = _win("Title", "Body.")
    _click(win, "TabItem", "Design")
    _click(win, "Button", "Colors", "tab:Design")
    assert _value(win, "ListItem", "Office", "menu:Theme Colors") == "selected"
    _click(win, "ListItem", "Green", "menu:Theme Colors")
    assert win.doc.settings == {"design.theme_colors": "Green"}
    _click(win, "Button", "Themes", "tab:Design")
    assert _value(win, "ListItem", "Office Theme", "menu:Themes") == "selected"
    _click(win, "ListItem", "Facet", "menu:Themes")
    assert win.doc.settings == {"design.theme": "Facet"}
    _click(win, "Button", "Themes", "tab:Design")
    assert _value(win, "ListItem", "Facet", "menu:Themes") == "selected"
    assert _value(win, "ListItem", "Office Theme", "menu:Themes") is None
