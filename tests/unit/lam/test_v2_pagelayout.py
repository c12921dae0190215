"""Page layout and header/footer behaviour the family checks cannot see: values that show the state,
the Header & Footer tab coming and going, dialogs refusing bad entries, Delete on a page break."""

from __future__ import annotations

from lam.sim.document import Document, Element, PageBreak, paragraph
from lam.sim.word2 import WordWindow, is_error
from lam.sim.word2.behaviours import pagelayout as pl


def _win(*texts: str) -> WordWindow:
    return WordWindow(Document([paragraph(t) for t in texts or ("Title", "Body text here.", "More body text.")]))


def _click(win: WordWindow, control_type: str, name: str, place: str | None = None) -> str:
    return win.execute("click_input", {}, win.label_of(control_type, name, place))


def _value(win: WordWindow, control_type: str, name: str) -> str | None:
    return next(s.value for s in win.controls() if s.control_type == control_type and s.name == name)


def test_header_editing_shows_the_contextual_tab_and_the_header_text() -> None:
    win = _win()
    _click(win, "TabItem", "Insert")
    assert "Header & Footer" not in win.contextual()
    _click(win, "Button", "Header")
    _click(win, "MenuItem", "Edit Header")
    assert win.tab == "Header & Footer" and win.contextual() == ("Header & Footer",)
    assert win.execute("set_edit_text", {"text": "Board Minutes"}, win.label_of("Edit", "Header -Section 1-")) == "ok"
    assert _value(win, "Edit", "Header -Section 1-") == "Board Minutes"
    assert _value(win, "CheckBox", "Different First Page") == "off"
    _click(win, "CheckBox", "Different First Page")
    assert _value(win, "CheckBox", "Different First Page") == "on"
    _click(win, "Button", "Close Header and Footer")
    assert win.tab == "Insert" and win.contextual() == ()
    assert win.doc.settings == {"header.text": "Board Minutes", "page.different_first_page": "on"}


def test_galleries_and_menus_show_the_current_setting() -> None:
    win = _win()
    win.doc.page["orientation"] = "Landscape"
    win.doc.set_setting("page.line_numbers", "Restart Each Page")
    _click(win, "TabItem", "Layout")
    _click(win, "Button", "Orientation")
    assert _value(win, "ListItem", "Landscape") == "selected" and _value(win, "ListItem", "Portrait") is None
    win.execute("keyboard_input", {"keys": "{ESC}"}, win.label_of("Button", "Orientation"))
    _click(win, "Button", "Line Numbers")
    assert _value(win, "MenuItem", "Restart Each Page") == "on" and _value(win, "MenuItem", "None") == "off"


def test_page_setup_shows_margins_and_refuses_a_bad_length() -> None:
    win = _win()
    win.doc.page["margins"] = "Moderate"
    _click(win, "TabItem", "Layout")
    _click(win, "Button", "Page Setup Settings")
    assert _value(win, "Spinner", "Left:") == '0.75"' and _value(win, "Spinner", "Top:") == '1"'
    win.execute("set_edit_text", {"text": "wide"}, win.label_of("Spinner", "Top:"))
    before = win.doc.state()
    assert is_error(_click(win, "Button", "OK", "dialog:Page Setup"))
    assert win.doc.state() == before and win.dialog is not None
    win.execute("set_edit_text", {"text": "2.54 cm"}, win.label_of("Spinner", "Top:"))
    win.execute("set_edit_text", {"text": '1.5"'}, win.label_of("Spinner", "Right:"))
    assert _click(win, "Button", "OK", "dialog:Page Setup") == "ok"
    assert win.doc.page["margins"] == 'Top 1", Bottom 1", Left 0.75", Right 1.5"'


def test_typed_paper_size_of_a_named_size_is_named_and_sets_orientation() -> None:
    doc = Document([paragraph("x")])
    pl.set_custom_size(doc, pl.to_inches(8.5, "in"), pl.to_inches(5.5, "in"))
    assert doc.page["page_size"] == "Statement" and doc.page["orientation"] == "Landscape"
    pl.set_custom_size(doc, 7.0, 10.0)
    assert doc.page["page_size"] == 'Custom 7" x 10"' and doc.page["orientation"] == "Portrait"


def test_selected_text_takes_only_the_orientation() -> None:
    win = _win()
    win.execute("select_text", {"text": "Body text here."})
    _click(win, "TabItem", "Layout")
    _click(win, "Button", "Page Setup Settings")
    win.execute("set_edit_text", {"text": "Selected text"}, win.label_of("ComboBox", "Apply to:"))
    win.execute("set_edit_text", {"text": '2"'}, win.label_of("Spinner", "Top:"))
    assert is_error(_click(win, "Button", "OK", "dialog:Page Setup"))
    win.execute("set_edit_text", {"text": '1"'}, win.label_of("Spinner", "Top:"))
    _click(win, "RadioButton", "Landscape", "dialog:Page Setup")
    assert _click(win, "Button", "OK", "dialog:Page Setup") == "ok"
    kinds = [(type(b).__name__, getattr(b, "props", None) if isinstance(b, Element) else None) for b in win.doc.blocks]
    assert kinds == [
        ("Paragraph", None),
        ("Element", {"type": "Next Page", "orientation": "Landscape"}),
        ("Paragraph", None),
        ("Element", {"type": "Next Page", "orientation": "Portrait"}),
        ("Paragraph", None),
    ]
    assert pl.in_own_section(win.doc, 2, 2, "Landscape") and win.doc.page["orientation"] == "Portrait"


def test_delete_before_a_page_break_removes_only_the_break() -> None:
    win = _win()
    win.doc.blocks.insert(2, PageBreak())
    win.execute("select_text", {"text": "More body text."})
    document = win.label_of("Document", win.name)
    win.execute("keyboard_input", {"keys": "{UP}"}, document)
    win.execute("keyboard_input", {"keys": "{DELETE}"}, document)
    assert [p.text for _, p in win.doc.paragraphs()] == ["Title", "Body text here.", "More body text."]
    assert not any(isinstance(b, PageBreak) for b in win.doc.blocks)


def test_section_break_mid_paragraph_splits_it() -> None:
    win = _win()
    win.cursor = (1, 5)  # after "Body "
    _click(win, "TabItem", "Layout")
    _click(win, "Button", "Breaks")
    assert _click(win, "MenuItem", "Continuous") == "ok"
    assert [getattr(b, "kind", b.text if hasattr(b, "text") else "") for b in win.doc.blocks] == [
        "Title",
        "Body ",
        "section_break",
        "text here.",
        "More body text.",
    ]


def test_page_number_format_start_at_pair_and_page_number_value() -> None:
    win = _win()
    pl.insert_page_number(win.doc, "Bottom of Page", "Plain Number 2")
    _click(win, "TabItem", "Insert")
    _click(win, "Button", "Page Number")
    _click(win, "MenuItem", "Format Page Numbers...")
    assert _value(win, "RadioButton", "Start at:") == "off" and _value(win, "Spinner", "Start at:") == ""
    _click(win, "RadioButton", "Start at:", "dialog:Page Number Format")
    win.execute("set_edit_text", {"text": "iv"}, win.label_of("Spinner", "Start at:"))
    assert is_error(_click(win, "Button", "OK", "dialog:Page Number Format"))
    win.execute("set_edit_text", {"text": "4"}, win.label_of("Spinner", "Start at:"))
    assert _value(win, "RadioButton", "Start at:") == "on" and _value(win, "Spinner", "Start at:") == "4"
    win.execute("set_edit_text", {"text": "I, II, III, ..."}, win.label_of("ComboBox", "Number format:"))
    assert _click(win, "Button", "OK", "dialog:Page Number Format") == "ok"
    assert pl.page_number_text(win.doc) == "IV"
    _click(win, "Button", "Footer")
    _click(win, "MenuItem", "Edit Footer")
    assert _value(win, "Edit", "Footer -Section 1-") == "IV"
