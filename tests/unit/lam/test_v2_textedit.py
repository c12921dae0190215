"""Text editing keys and the Font dialog's effects on word2: what test_v2_families cannot see (Word's
Left/Right, smart delete and paragraph joins; values that show an effect is already there; a dialog
entry the dialog refuses)."""

from __future__ import annotations

from lam.sim.document import Document, paragraph
from lam.sim.word2 import WordWindow, is_error


def _win() -> WordWindow:
    return WordWindow(
        Document([paragraph("Plan"), paragraph("Costs fell in May, as hoped."), paragraph("Next steps follow.")])
    )


def _do(w: WordWindow, function: str, args: dict[str, object], control: tuple[str, ...] | None = None) -> str:
    label = w.label_of(*control) if control else ""
    result = w.execute(function, args, label)
    assert not is_error(result), result
    return result


def _keys(w: WordWindow, keys: str) -> None:
    _do(w, "keyboard_input", {"keys": keys}, ("Document", w.name))


def _value(w: WordWindow, control_type: str, name: str, place: str | None = None) -> str | None:
    label = w.label_of(control_type, name, place)
    return w.observation()["controls"][int(label) - 1].get("value")


def test_left_and_right_collapse_the_selection_to_its_ends() -> None:
    w = _win()
    _do(w, "select_text", {"text": "in May"})
    _keys(w, "{LEFT}X")
    _do(w, "select_text", {"text": "in May"})
    _keys(w, "{RIGHT}Y")
    assert w.doc.para(1).text == "Costs fell Xin MayY, as hoped."


def test_deleting_whole_words_leaves_no_doubled_space() -> None:
    w = _win()
    _do(w, "select_text", {"text": "fell"})
    _keys(w, "{DELETE}")
    _do(w, "select_text", {"text": "as hoped"})
    _keys(w, "{BACKSPACE}")
    assert w.doc.para(1).text == "Costs in May,."
    _do(w, "select_text", {"text": "ext"})
    _keys(w, "{DELETE}")  # part of a word: nothing more goes
    assert w.doc.para(2).text == "N steps follow."


def test_delete_and_backspace_join_paragraphs() -> None:
    w = _win()
    _do(w, "select_text", {"text": "Plan"})
    _keys(w, "{END}{DELETE}")
    assert [p.text for _, p in w.doc.paragraphs()][:1] == ["PlanCosts fell in May, as hoped."]
    _do(w, "select_text", {"text": "Next"})
    _keys(w, "{HOME}{BACKSPACE} ")
    assert [p.text for _, p in w.doc.paragraphs()] == ["PlanCosts fell in May, as hoped. Next steps follow."]


def test_font_dialog_shows_the_effects_the_selection_has() -> None:
    w = _win()
    _do(w, "select_text", {"text": "Costs"})
    _do(w, "click_input", {}, ("Button", "Font Settings"))
    _do(w, "click_input", {}, ("CheckBox", "Small caps", "dialog:Font"))
    _do(w, "click_input", {}, ("Button", "OK", "dialog:Font"))
    _do(w, "select_text", {"text": "Costs fell"})  # only part has small caps: the box is mixed
    _do(w, "click_input", {}, ("Button", "Font Settings"))
    assert _value(w, "CheckBox", "Small caps", "dialog:Font") == "mixed"
    _do(w, "click_input", {}, ("CheckBox", "All caps", "dialog:Font"))
    _do(w, "click_input", {}, ("Button", "OK", "dialog:Font"))
    fmts = w.doc.char_formats((1, 0, 10))
    assert all(f.all_caps and not f.small_caps for f in fmts)  # All caps clears Small caps
    _do(w, "click_input", {}, ("Button", "Font Settings"))
    assert _value(w, "CheckBox", "All caps", "dialog:Font") == "on"
    assert _value(w, "CheckBox", "Small caps", "dialog:Font") == "off"


def test_character_spacing_is_read_back_and_a_bad_amount_refused() -> None:
    w = _win()
    _do(w, "select_text", {"text": "steps"})
    _do(w, "click_input", {}, ("Button", "Font Settings"))
    _do(w, "click_input", {}, ("TabItem", "Advanced", "dialog:Font"))
    _do(w, "click_input", {}, ("ComboBox", "Spacing:", "dialog:Font"))
    _do(w, "click_input", {}, ("ListItem", "Expanded", "menu:Character Spacing Dialog"))
    _do(w, "click_input", {}, ("Button", "OK", "dialog:Font"))
    assert w.doc.char_formats((2, 5, 6))[0].spacing == "Expanded 1 pt"  # Word's default amount
    _do(w, "click_input", {}, ("Button", "Font Settings"))
    _do(w, "click_input", {}, ("TabItem", "Advanced", "dialog:Font"))
    assert _value(w, "ComboBox", "Spacing:", "dialog:Font") == "Expanded"
    assert _value(w, "Spinner", "By:", "dialog:Font") == "1 pt"
    _do(w, "set_edit_text", {"text": "lots"}, ("Spinner", "By:", "dialog:Font"))
    assert is_error(w.execute("click_input", {}, w.label_of("Button", "OK", "dialog:Font")))
    assert w.doc.char_formats((2, 5, 6))[0].spacing == "Expanded 1 pt"


def test_underline_gallery_marks_the_selections_line_style() -> None:
    w = _win()
    _do(w, "select_text", {"text": "Next"})
    _do(w, "keyboard_input", {"keys": "%{DOWN}"}, ("SplitButton", "Underline"))
    assert _value(w, "ListItem", "Wave underline", "menu:Underline") is None
    _do(w, "click_input", {}, ("ListItem", "Wave underline", "menu:Underline"))
    fmt = w.doc.char_formats((2, 0, 1))[0]
    assert fmt.underline and fmt.underline_style == "Wave"
    _do(w, "keyboard_input", {"keys": "%{DOWN}"}, ("SplitButton", "Underline"))
    assert _value(w, "ListItem", "Wave underline", "menu:Underline") == "selected"
    assert _value(w, "ListItem", "Underline", "menu:Underline") is None
    _do(w, "click_input", {}, ("MenuItem", "More Underlines...", "menu:Underline"))
    assert w.dialog is not None and w.dialog.fields["Underline style:"] == "Wave"
