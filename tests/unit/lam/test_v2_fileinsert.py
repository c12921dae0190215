"""File and Insert behaviour the family checks cannot see: what controls show, what dialogs refuse,
and the data the catalog and the behaviour must share."""

from __future__ import annotations

from lam.sim.document import Document, paragraph
from lam.sim.word2 import WordWindow, is_error
from lam.sim.word2.behaviours import fileinsert as fi


def _window(doc: Document | None = None) -> WordWindow:
    return WordWindow(doc or Document([paragraph("Annual report"), paragraph("Sales grew in the north.")]))


def _click(win: WordWindow, control_type: str, name: str, place: str | None = None) -> str:
    return win.execute("click_input", {"button": "left", "double": False}, win.label_of(control_type, name, place))


def _type(win: WordWindow, control_type: str, name: str, text: str, place: str | None = None) -> str:
    return win.execute("set_edit_text", {"text": text}, win.label_of(control_type, name, place))


def _value(win: WordWindow, control_type: str, name: str, place: str | None = None) -> str | None:
    for s in win.controls():
        if s.control_type == control_type and s.name == name and (place is None or s.place == place):
            return s.value
    raise KeyError(name)


def test_date_list_is_the_clock_in_words_pictures() -> None:
    assert fi.date_list_matches_catalog()
    assert fi.format_date("dddd, MMMM d, yyyy", fi.clock()) == "Friday, March 14, 2025"
    assert fi.date_field_code("h:mm am/pm").startswith("TIME")


def test_property_box_shows_the_typed_value() -> None:
    win = _window()
    _click(win, "TabItem", "File")
    assert _value(win, "Edit", "Company", "backstage") == "Specify the company"
    assert _type(win, "Edit", "Company", "Contoso Ltd.", "backstage") == "ok"
    assert win.doc.setting("file.property:Company") == "Contoso Ltd."
    assert _value(win, "Edit", "Company", "backstage") == "Contoso Ltd."


def test_page_color_and_watermark_galleries_show_the_current_choice() -> None:
    win = _window()
    win.doc.page["page_color"] = "Yellow"
    win.doc.page["watermark"] = "DRAFT 1"
    _click(win, "TabItem", "Design")
    _click(win, "Button", "Page Color")
    assert _value(win, "ListItem", "Yellow", "menu:Page Color") == "selected"
    assert _value(win, "ListItem", "Orange", "menu:Page Color") is None
    _click(win, "Button", "Watermark")
    assert _value(win, "ListItem", "DRAFT 1", "menu:Watermark") == "selected"


def test_mismatched_passwords_set_nothing() -> None:
    win = _window()
    _click(win, "TabItem", "File")
    _click(win, "Button", "Protect Document")
    _click(win, "MenuItem", "Encrypt with Password")
    _type(win, "Edit", "Password:", "one")
    _click(win, "Button", "OK", "dialog:Encrypt Document")
    _type(win, "Edit", "Reenter password:", "two")
    assert is_error(_click(win, "Button", "OK", "dialog:Confirm Password"))
    assert win.doc.setting("file.password") == ""


def test_save_as_to_a_new_name_asks_nothing_and_an_existing_one_asks_to_replace() -> None:
    win = _window()
    win.doc.set_setting(fi.SAVED + "Documents\\Budget.docx", "Word Document")
    _click(win, "TabItem", "File")
    _click(win, "ListItem", "Save As")
    _click(win, "ListItem", "Browse")
    _type(win, "Edit", "File name:", "Budget", "dialog:Save As")
    _click(win, "Button", "Save", "dialog:Save As")
    assert win.dialog is not None and win.dialog.key == "Confirm Save As"
    _click(win, "Button", "No")
    assert win.dialog is not None and win.dialog.key == "Save As"
    _type(win, "Edit", "File name:", "Budget v2", "dialog:Save As")
    _click(win, "Button", "Save", "dialog:Save As")
    assert win.dialog is None
    assert win.doc.setting(fi.SAVED + "Documents\\Budget v2.docx") == "Word Document"
    assert win.doc.setting("file.current") == "Documents\\Budget v2.docx"


def test_bookmark_names_follow_words_rule() -> None:
    win = _window()
    win.execute("select_text", {"text": "Sales"})
    _click(win, "TabItem", "Insert")
    _click(win, "Button", "Bookmark")
    _type(win, "Edit", "Bookmark name:", "2nd part")
    assert is_error(_click(win, "Button", "Add"))
    assert not win.doc.annotations


def test_footnote_text_goes_into_the_note_not_the_body() -> None:
    win = _window()
    win.execute("select_text", {"text": "north"})
    _click(win, "TabItem", "References")
    _click(win, "Button", "Insert Footnote")
    win.execute("keyboard_input", {"keys": "Local time."}, win.label_of("Document", win.name))
    assert win.doc.text() == "Annual report\nSales grew in the north."
    assert win.doc.annotations == [{"kind": "footnote", "block": 1, "offset": 23, "text": "Local time."}]


def test_page_break_at_the_start_of_a_paragraph_goes_before_it() -> None:
    win = _window()
    win.execute("select_text", {"text": "Sales grew"})
    win.execute("keyboard_input", {"keys": "{HOME}"}, win.label_of("Document", win.name))
    _click(win, "TabItem", "Insert")
    _click(win, "Button", "Page Break")
    assert [type(b).__name__ for b in win.doc.blocks] == ["Paragraph", "PageBreak", "Paragraph"]
