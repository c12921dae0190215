"""Review and View on the simulated Word window: what the generic family checks cannot see (the
screen shows comments and settings as values, revisions settle as Word's text, dialogs refuse bad
entries)."""

from __future__ import annotations

from lam.sim.document import Document, paragraph
from lam.sim.word2 import WordWindow, is_error
from lam.sim.word2.behaviours import review as rv


def _doc() -> Document:
    return Document(
        [
            paragraph("Garden News"),
            paragraph("Spring planting starts soon. The seedlings are ready."),
            paragraph("Compost bins moved behind the greenhouse."),
        ]
    )


def _value(win: WordWindow, control_type: str, name: str, place: str | None = None) -> str | None:
    return next(
        s.value
        for s in win.controls()
        if s.control_type == control_type and s.name == name and place in (None, s.place)
    )


def _click(win: WordWindow, control_type: str, name: str, place: str | None = None) -> str:
    return win.execute("click_input", {"button": "left", "double": False}, win.label_of(control_type, name, place))


def test_accept_and_reject_leave_words_text() -> None:
    doc = _doc()
    doc.insert_text(2, len(doc.para(2).text), " Bring gloves.")
    doc.annotations += [
        {"kind": "revision", "type": "delete", "text": " The seedlings are ready."},
        {"kind": "revision", "type": "insert", "text": " Bring gloves."},
    ]
    accepted, rejected = doc.copy(), doc.copy()
    rv.settle_revisions(accepted, accept=True)
    rv.settle_revisions(rejected, accept=False)
    assert accepted.text().splitlines()[1:] == [
        "Spring planting starts soon.",
        "Compost bins moved behind the greenhouse. Bring gloves.",
    ]
    assert rejected.text().splitlines()[1:] == [
        "Spring planting starts soon. The seedlings are ready.",
        "Compost bins moved behind the greenhouse.",
    ]
    assert not accepted.annotations and not rejected.annotations


def test_comment_cards_show_text_anchor_and_state_and_act_on_click() -> None:
    doc = _doc()
    doc.annotations.append(rv.new_comment("Compost bins", "Where exactly?"))
    win = WordWindow(doc)
    assert _value(win, "Group", "Where exactly?", rv.COMMENTS_PLACE) == 'on "Compost bins"'
    assert not [s for s in win.controls() if s.name == "Reply"]  # no card is active yet
    assert _click(win, "Group", "Where exactly?", rv.COMMENTS_PLACE) == "ok"
    assert win.selected_text() == "Compost bins"
    win.execute("set_edit_text", {"text": "Behind the shed."}, win.label_of("Edit", "Reply", rv.COMMENTS_PLACE))
    assert _value(win, "Edit", "Reply") == "Behind the shed."
    assert doc.annotations[0]["replies"] == []  # a typed reply is a draft until posted
    _click(win, "Button", "Post reply", rv.COMMENTS_PLACE)
    _click(win, "Button", "More thread actions", rv.COMMENTS_PLACE)
    _click(win, "MenuItem", "Resolve thread", "menu:Comment Thread")
    value = _value(win, "Group", "Where exactly?")
    assert value == 'on "Compost bins"; resolved; reply: "Behind the shed."'
    assert ("Button", "Reopen") in {(s.control_type, s.name) for s in win.controls()}


def test_new_comment_is_added_only_when_posted_and_delete_keeps_text() -> None:
    win = WordWindow(_doc())
    win.execute("select_text", {"text": "seedlings"})
    _click(win, "TabItem", "Review")
    _click(win, "Button", "New Comment")
    win.execute("set_edit_text", {"text": "Which ones?"}, win.label_of("Edit", "Start a conversation"))
    assert not win.doc.annotations
    _click(win, "Button", "Post comment")
    assert win.doc.annotations == [rv.new_comment("seedlings", "Which ones?")]
    text = win.doc.text()
    _click(win, "SplitButton", "Delete", "tab:Review")  # the selection is in the commented text
    assert not win.doc.annotations and win.doc.text() == text


def test_view_and_review_settings_show_as_values() -> None:
    win = WordWindow(_doc())
    _click(win, "TabItem", "View")
    assert _value(win, "CheckBox", "Ruler") == "off"
    _click(win, "CheckBox", "Ruler")
    assert _value(win, "CheckBox", "Ruler") == "on" and win.doc.setting("view.ruler") == "on"
    assert _value(win, "Button", "Print Layout", "tab:View") == "on"
    _click(win, "Button", "Draft", "tab:View")
    assert _value(win, "Button", "Draft", "tab:View") == "on"
    assert _value(win, "Button", "Print Layout", "chrome:Status Bar") == "off"
    _click(win, "Button", "Page Width", "tab:View")
    assert _value(win, "Slider", "Zoom") == "Page Width"
    _click(win, "TabItem", "Review")
    assert _value(win, "SplitButton", "Track Changes") == "off"
    _click(win, "SplitButton", "Track Changes")
    assert _value(win, "SplitButton", "Track Changes") == "on"
    assert _value(win, "ComboBox", "Display for Review") == "Simple Markup"


def test_zoom_dialog_refuses_a_percentage_word_does_not_allow() -> None:
    win = WordWindow(_doc())
    _click(win, "TabItem", "View")
    _click(win, "Button", "Zoom", "tab:View")
    win.execute("set_edit_text", {"text": "900%"}, win.label_of("Spinner", "Percent:", "dialog:Zoom"))
    assert is_error(_click(win, "Button", "OK", "dialog:Zoom"))
    assert win.doc.setting("view.zoom") == "" and win.dialog is not None
    win.execute("set_edit_text", {"text": "150"}, win.label_of("Spinner", "Percent:", "dialog:Zoom"))
    _click(win, "Button", "OK", "dialog:Zoom")
    assert rv.setting(win.doc, "view.zoom") == "150%" and _value(win, "Slider", "Zoom") == "150%"


def test_spelling_dialog_offers_the_suggestion_and_ignore_keeps_the_word() -> None:
    doc = _doc()
    doc.blocks[2] = paragraph("Compost bins moved behind the greenhuose.")
    doc.annotations.append({"kind": "misspelling", "text": "greenhuose", "suggestion": "greenhouse"})
    win = WordWindow(doc)
    assert _value(win, "Button", "Spelling and Grammar Check") == "errors found"
    _click(win, "TabItem", "Review")
    _click(win, "SplitButton", "Spelling & Grammar")
    assert _value(win, "Edit", "Not in Dictionary:") == "greenhuose"
    assert _value(win, "ListItem", "greenhouse", f"dialog:{rv.SPELLING}") == "selected"
    _click(win, "Button", "Ignore Once", f"dialog:{rv.SPELLING}")
    assert win.dialog is not None and win.dialog.key == "Spelling Complete"
    assert "greenhuose" in win.doc.text() and not win.doc.annotations
