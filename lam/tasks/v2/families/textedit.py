"""Text editing (typing, deleting, moving, splitting and joining text) and the character effects of
the Font dialog (underline styles, double strikethrough, hidden, all/small caps, character spacing).

Text is typed with ``keyboard_input`` on the Document (pywinauto syntax, special characters in
braces); the cursor is placed as a Word user does it: select the text the request points at, then
Home/End (paragraph) or Left/Right (collapse the selection to its start/end), or Ctrl+Home/Ctrl+End
for the document. Paragraphs are moved and copied with the clipboard, which carries plain text.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Iterator
from typing import Any

from lam.sim.document import Document, Format, Paragraph, Run
from lam.sim.word2 import WordWindow, dialogs, text_rules
from lam.sim.word2.effects import lookup
from lam.tasks.v2.ops import (
    Act,
    Op,
    OpKind,
    _click,
    _document_label,
    _format_all,
    _formats,
    click_ribbon,
    reach,
    select_target,
)
from lam.tasks.v2.targets import NoTarget, _candidates

SEND_KEYS_SPECIAL = set("+^%~(){}[]")
SENTENCE_ENDS = (". ", "! ", "? ")


def literal(text: str) -> str:
    """``text`` as send_keys types it literally (its special characters in braces)."""
    return "".join(f"{{{c}}}" if c in SEND_KEYS_SPECIAL else c for c in text)


def _key(win: WordWindow, keys: str, subtask: str, destructive: bool = False) -> Act:
    return Act("keyboard_input", {"keys": keys}, _document_label(win), subtask, destructive=destructive)


def _type(win: WordWindow, text: str, subtask: str | None = None) -> Act:
    return _key(win, literal(text), subtask or f'Type "{text.strip()}"')


def _select(text: str, ref: str) -> Act:
    return Act("select_text", {"text": text}, None, f"Select {ref}")


def _where(doc: Document, text: str) -> tuple[int, int, int]:
    span = doc.find(text)
    if span is None:
        raise ValueError(f"{text!r} is not in the document")
    return span


def _new_paragraph(doc: Document, like: int, text: str, offset: int) -> Paragraph:
    """A paragraph formatted like block ``like`` holding ``text`` in the format typed at ``offset``."""
    par = copy.deepcopy(doc.para(like))
    par.runs = [Run(text, doc.format_at(like, offset))]
    return par


def _never(doc: Document, op: Op) -> bool:
    return False


def _phrases(doc: Document, keep: Callable[[str, int, int], bool]) -> list[dict[str, Any]]:
    """Phrase targets whose place in their paragraph passes ``keep(paragraph text, start, end)``."""
    out = []
    for c in _candidates(doc, "phrase"):
        block, start, end = _where(doc, c["text"])
        if keep(doc.para(block).text, start, end):
            out.append({"kind": "phrase", **c})
    return out


def _starts_sentence(text: str, start: int) -> bool:
    return start == 0 or text[max(0, start - 2) : start] in SENTENCE_ENDS


# ---- insert text -------------------------------------------------------------------------------
POSITIONS = {
    "document": ("start of document", "end of document"),
    "paragraph": ("start of paragraph", "end of paragraph"),
    "phrase": ("before phrase", "after phrase"),
}


def _insert_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    kind = op["target"]["kind"]
    if op["position"] not in POSITIONS[kind]:
        op["position"] = rng.choice(POSITIONS[kind])
    if kind == "phrase":
        before = op["position"] == "before phrase"
        text = str(op["text"]).casefold()

        def fits(par: str, start: int, end: int) -> bool:
            room = (start == 0 or par[start - 1] == " ") if before else (end < len(par) and par[end] == " ")
            return room and par[start:end].casefold() not in text

        found = _phrases(doc, fits)
        natural = [c for c in found if _starts_sentence(*_par_and_start(doc, c["text"]))]
        if not found:
            raise NoTarget("no phrase with room for a sentence beside it")
        op["target"] = rng.choice(natural if before and natural else found)
    return op


def _insert_apply(doc: Document, op: Op) -> None:
    text, position = str(op["text"]), op["position"]
    pars = doc.paragraphs()
    if position == "start of document":
        doc.blocks.insert(pars[0][0], _new_paragraph(doc, pars[0][0], text, 0))
    elif position == "end of document":
        last = pars[-1][0]
        doc.blocks.insert(last + 1, _new_paragraph(doc, last, text, len(pars[-1][1].text)))
    else:
        block, start, end = _where(doc, op["target"]["text"])
        if position in ("start of paragraph", "before phrase"):
            doc.insert_text(block, 0 if position == "start of paragraph" else start, text + " ")
        else:
            doc.insert_text(block, len(doc.para(block).text) if position == "end of paragraph" else end, " " + text)


def _insert_satisfied(doc: Document, op: Op) -> bool:
    text, position = str(op["text"]), op["position"]
    pars = doc.paragraphs()
    if position == "start of document":
        return pars[0][1].text == text
    if position == "end of document":
        return pars[-1][1].text == text
    block, start, end = _where(doc, op["target"]["text"])
    par = doc.para(block).text
    if position == "start of paragraph":
        return par.startswith(text + " ") and start == len(text) + 1
    if position == "end of paragraph":
        return par.endswith(" " + text) and end == len(par) - len(text) - 1
    if position == "before phrase":
        return par[:start].endswith(text + " ")
    return par[end:].startswith(" " + text)


def _x_insert(win: WordWindow, op: Op) -> Iterator[Act]:
    text, position = str(op["text"]), op["position"]
    target = op["target"]
    if position == "start of document":
        yield _key(win, "^{HOME}", "Move the cursor to the start of the document")
        yield _type(win, text)
        yield _key(win, "{ENTER}", "Press Enter to end the new paragraph")
        return
    if position == "end of document":
        yield _key(win, "^{END}", "Move the cursor to the end of the document")
        yield _key(win, "{ENTER}", "Press Enter to start a new paragraph")
        yield _type(win, text)
        return
    yield _select(target["text"], target["ref"])
    keys = {"start of paragraph": "{HOME}", "end of paragraph": "{END}", "before phrase": "{LEFT}"}
    place = {
        "start of paragraph": "the start of the paragraph",
        "end of paragraph": "the end of the paragraph",
        "before phrase": "just before the phrase",
    }
    yield _key(win, keys.get(position, "{RIGHT}"), f"Move the cursor to {place.get(position, 'just after the phrase')}")
    before = position in ("start of paragraph", "before phrase")
    yield _type(win, text + " " if before else " " + text)


# ---- new paragraph -----------------------------------------------------------------------------
def _new_par_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    if doc.count(str(op["text"])):
        raise NoTarget("the sentence is in the document already")
    return op


def _new_par_apply(doc: Document, op: Op) -> None:
    block, _, _ = _where(doc, op["target"]["text"])
    text = str(op["text"])
    if op["position"] == "before paragraph":
        doc.blocks.insert(block, _new_paragraph(doc, block, text, 0))
    else:
        doc.blocks.insert(block + 1, _new_paragraph(doc, block, text, len(doc.para(block).text)))


def _neighbour(doc: Document, block: int, step: int) -> Paragraph | None:
    at = block + step
    if 0 <= at < len(doc.blocks) and isinstance(doc.blocks[at], Paragraph):
        return doc.para(at)
    return None


def _new_par_satisfied(doc: Document, op: Op) -> bool:
    block, _, _ = _where(doc, op["target"]["text"])
    other = _neighbour(doc, block, -1 if op["position"] == "before paragraph" else 1)
    return other is not None and other.text == str(op["text"])


def _x_new_par(win: WordWindow, op: Op) -> Iterator[Act]:
    target, text = op["target"], str(op["text"])
    yield _select(target["text"], target["ref"])
    if op["position"] == "before paragraph":
        yield _key(win, "{HOME}", "Move the cursor to the start of the paragraph")
        yield _type(win, text)
        yield _key(win, "{ENTER}", "Press Enter to end the new paragraph")
    else:
        yield _key(win, "{END}", "Move the cursor to the end of the paragraph")
        yield _key(win, "{ENTER}", "Press Enter to start a new paragraph")
        yield _type(win, text)


# ---- delete text, a paragraph, everything ------------------------------------------------------
def _delete_apply(doc: Document, op: Op) -> None:
    text_rules.smart_delete(doc, _where(doc, op["target"]["text"]))


def _gone(doc: Document, op: Op) -> bool:
    return doc.count(str(op["target"]["text"])) == 0


def _x_delete(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield _key(win, "{DELETE}", f"Delete {op['target']['ref']}", destructive=True)


def _delete_par_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    block, _, _ = _where(doc, op["target"]["text"])
    if _neighbour(doc, block, 1) is None and _neighbour(doc, block, -1) is None:
        raise NoTarget("the paragraph has no paragraph beside it to take its place")
    return op


def _delete_par_apply(doc: Document, op: Op) -> None:
    block, _, _ = _where(doc, op["target"]["text"])
    del doc.blocks[block]


def _x_remove_empty(win: WordWindow, block: int, destructive: bool) -> Act:
    """Delete the emptied paragraph's mark: Delete joins it with the next paragraph, Backspace (the
    last paragraph) with the one before."""
    if _neighbour(win.doc, block, 1) is not None:
        return _key(win, "{DELETE}", "Press Delete to remove the empty paragraph", destructive)
    return _key(win, "{BACKSPACE}", "Press Backspace to remove the empty paragraph", destructive)


def _x_delete_par(win: WordWindow, op: Op) -> Iterator[Act]:
    target = op["target"]
    block, _, _ = _where(win.doc, target["text"])
    yield _select(target["text"], target["ref"])
    yield _key(win, "{DELETE}", f"Delete the text of {target['ref']}", destructive=True)
    yield _x_remove_empty(win, block, destructive=True)


def _cleared(doc: Document) -> Paragraph:
    """What Ctrl+A, Delete leaves: one empty paragraph in the first character's format."""
    texts = [p for _, p in doc.paragraphs() if p.text]
    return Paragraph(runs=[Run("", texts[0].runs[0].fmt if texts else Format())])


def _clear_apply(doc: Document, op: Op) -> None:
    doc.blocks = [_cleared(doc)]


def _clear_satisfied(doc: Document, op: Op) -> bool:
    return len(doc.blocks) == 1 and isinstance(doc.blocks[0], Paragraph) and not doc.blocks[0].text


def _x_clear(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield _key(win, "{DELETE}", "Delete everything", destructive=True)


# ---- move and copy a paragraph -----------------------------------------------------------------
DESTINATIONS = ("before paragraph", "after paragraph", "start of document", "end of document")


def _block_of(doc: Document, text: str) -> int:
    return _where(doc, text)[0]


def _moved(doc: Document, source: int, destination: str, other: int | None) -> bool:
    """Whether moving paragraph ``source`` to ``destination`` changes the order of paragraphs."""
    blocks = [b for b, _ in doc.paragraphs()]
    if destination == "start of document":
        return source != blocks[0]
    if destination == "end of document":
        return source != blocks[-1]
    assert other is not None
    if other == source:
        return False
    return other != (source + 1 if destination == "before paragraph" else source - 1)


def _place_draw(move: bool) -> Callable[[Document, random.Random, Op], Op]:
    def draw(doc: Document, rng: random.Random, op: Op) -> Op:
        source = _block_of(doc, op["target"]["text"])
        options: list[tuple[str, dict[str, Any] | None]] = []
        for destination in DESTINATIONS:
            if destination.endswith("paragraph"):
                for c in _candidates(doc, "paragraph"):
                    other = _block_of(doc, c["text"])
                    if other != source and (not move or _moved(doc, source, destination, other)):
                        options.append((destination, c))
            elif not move or _moved(doc, source, destination, None):
                options.append((destination, None))
        if not options:
            raise NoTarget("no destination would change the document")
        fitting = [o for o in options if o[0] == op["destination"]] or options
        op["destination"], to = rng.choice(fitting)
        if to is not None:
            op["to"] = {"text": to["text"], "ref": to["ref"]}
        return op

    return draw


def _put(doc: Document, par: Paragraph, op: Op) -> None:
    destination = op["destination"]
    if destination == "start of document":
        doc.blocks.insert(0, par)
    elif destination == "end of document":
        doc.blocks.append(par)
    else:
        other = _block_of(doc, op["to"]["text"])
        doc.blocks.insert(other if destination == "before paragraph" else other + 1, par)


def _move_apply(doc: Document, op: Op) -> None:
    source = _block_of(doc, op["target"]["text"])
    par = doc.para(source)
    del doc.blocks[source]
    _put(doc, par, op)


def _copy_apply(doc: Document, op: Op) -> None:
    _put(doc, copy.deepcopy(doc.para(_block_of(doc, op["target"]["text"]))), op)


def _move_satisfied(doc: Document, op: Op) -> bool:
    source = _block_of(doc, op["target"]["text"])
    other = _block_of(doc, op["to"]["text"]) if "to" in op else None
    return not _moved(doc, source, op["destination"], other) and (other is None or other != source)


def _x_paste(win: WordWindow, op: Op) -> Iterator[Act]:
    destination = op["destination"]
    if destination in ("start of document", "before paragraph"):
        if destination == "start of document":
            yield _key(win, "^{HOME}", "Move the cursor to the start of the document")
        else:
            yield _select(op["to"]["text"], op["to"]["ref"])
            yield _key(win, "{HOME}", "Move the cursor to the start of that paragraph")
        yield _key(win, "^v", "Paste the paragraph")
        yield _key(win, "{ENTER}", "Press Enter to end the pasted paragraph")
        return
    if destination == "end of document":
        yield _key(win, "^{END}", "Move the cursor to the end of the document")
    else:
        yield _select(op["to"]["text"], op["to"]["ref"])
        yield _key(win, "{END}", "Move the cursor to the end of that paragraph")
    yield _key(win, "{ENTER}", "Press Enter to start a new paragraph")
    yield _key(win, "^v", "Paste the paragraph")


def _x_move(win: WordWindow, op: Op) -> Iterator[Act]:
    target = op["target"]
    block = _block_of(win.doc, target["text"])
    yield _select(target["text"], target["ref"])
    yield _key(win, "^x", "Cut the paragraph's text")
    yield _x_remove_empty(win, block, destructive=False)
    yield from _x_paste(win, op)


def _x_copy(win: WordWindow, op: Op) -> Iterator[Act]:
    target = op["target"]
    yield _select(target["text"], target["ref"])
    yield _key(win, "^c", "Copy the paragraph's text")
    yield from _x_paste(win, op)


# ---- overtype, split, join ---------------------------------------------------------------------
def _overtype_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    """A phrase inside a sentence (typing at a sentence's start would be capitalised by AutoCorrect)."""
    new = str(op["text"]).casefold()
    found = _phrases(
        doc,
        lambda par, s, e: s > 0 and par[s - 1] == " " and not _starts_sentence(par, s) and par[s:e].casefold() != new,
    )
    if not found:
        raise NoTarget("no phrase inside a sentence")
    op["target"] = rng.choice(found)
    return op


def _overtype_apply(doc: Document, op: Op) -> None:
    block, start, end = _where(doc, op["target"]["text"])
    doc.delete_span((block, start, end))
    doc.insert_text(block, start, str(op["text"]))


def _x_overtype(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield _type(win, str(op["text"]), f'Type "{op["text"]}" over the selection')


def _split_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    found = _phrases(doc, lambda par, s, e: s > 1 and par[s - 1] == " ")
    natural = [c for c in found if _starts_sentence(*_par_and_start(doc, c["text"]))]
    if not found:
        raise NoTarget("no phrase inside a paragraph")
    op["target"] = rng.choice(natural or found)
    return op


def _par_and_start(doc: Document, text: str) -> tuple[str, int]:
    block, start, _ = _where(doc, text)
    return doc.para(block).text, start


def _split_apply(doc: Document, op: Op) -> None:
    block, start, _ = _where(doc, op["target"]["text"])
    doc.split_paragraph(block, start)


def _split_satisfied(doc: Document, op: Op) -> bool:
    return _where(doc, op["target"]["text"])[1] == 0


def _x_split(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield _key(win, "{LEFT}", "Move the cursor just before the phrase")
    yield _key(win, "{ENTER}", "Press Enter to start a new paragraph there")


def _join_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    pairs = [c for c in _candidates(doc, "paragraphs") if c["count"] == 2]
    pairs = [c for c in pairs if doc.para(_block_of(doc, c["text"]) + 1).text]
    body = [c for c in pairs if _block_of(doc, c["text"]) != doc.paragraphs()[0][0]]
    pairs = body or pairs  # the title joined to a body paragraph only when nothing else is left
    if not pairs:
        raise NoTarget("no two consecutive paragraphs")
    op["target"] = {"kind": "paragraphs", **rng.choice(pairs)}
    op["next_text"] = doc.para(_block_of(doc, op["target"]["text"]) + 1).text
    return op


def _join_apply(doc: Document, op: Op) -> None:
    block = _block_of(doc, op["target"]["text"])
    end = len(doc.para(block).text)
    text_rules.join_paragraphs(doc, block)
    doc.insert_text(block, end, " ")


def _join_satisfied(doc: Document, op: Op) -> bool:
    block, _, end = _where(doc, op["target"]["text"])
    return doc.para(block).text[end:].startswith(" " + str(op["next_text"]))


def _x_join(win: WordWindow, op: Op) -> Iterator[Act]:
    target = op["target"]
    yield _select(target["text"], "the first of the two paragraphs")
    yield _key(win, "{END}", "Move the cursor to the end of the first paragraph")
    yield _key(win, "{DELETE}", "Press Delete to join the next paragraph to it")
    yield _key(win, " ", "Type a space between the two sentences")


# ---- Font dialog effects -----------------------------------------------------------------------
def _open_font_dialog(win: WordWindow) -> Iterator[Act]:
    if win.dialog is None or win.dialog.key != "Font":
        yield from click_ribbon(win, "Home", "Button", "Font Settings", "Open the Font dialog")


def _font_ok() -> Act:
    return _click("Button", "OK", "Apply with OK", "dialog:Font")


def _font_tab(win: WordWindow, tab: str) -> Iterator[Act]:
    dialog = win.dialog
    if dialog is not None and (dialog.tab or "Font") != tab:
        yield _click("TabItem", tab, f"Open the {tab} tab", "dialog:Font")


def _effect_kind(attr: str, box: str) -> OpKind:
    """A Font dialog Effects check box that sets one Format attribute (clearing its exclusive twin)."""
    twin = dialogs.EXCLUSIVE.get(box)

    def apply(doc: Document, op: Op) -> None:
        changes: dict[str, Any] = {attr: True}
        if twin is not None:
            changes[dialogs.EFFECTS[twin]] = False
        _format_all(doc, op, **changes)

    def satisfied(doc: Document, op: Op) -> bool:
        formats = _formats(doc, op)
        clear = dialogs.EFFECTS[twin] if twin is not None else None
        return bool(formats) and all(getattr(f, attr) and not (clear and getattr(f, clear)) for f in formats)

    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from select_target(win, op)
        yield from _open_font_dialog(win)
        yield from _font_tab(win, "Font")
        dialog = win.dialog
        if dialog is not None and dialog.fields.get(box) != dialogs.ON:
            yield _click("CheckBox", box, f"Tick {box}", "dialog:Font")
        yield _font_ok()

    return OpKind(apply, satisfied, expert)


def _pick(win: WordWindow, box: str, item: str, menu: str) -> Iterator[Act]:
    """Choose ``item`` from the Font dialog's drop-down list ``box`` (unless it shows it already)."""
    dialog = win.dialog
    if dialog is not None and dialog.fields.get(box) == item:
        return
    if win.open_menu != menu:
        yield _click("ComboBox", box, f"Open the {box.rstrip(':')} list", "dialog:Font")
    yield _click("ListItem", item, f"Choose {item}", f"menu:{menu}")


def _gallery_cell(style: str) -> str | None:
    """The Underline drop-down's cell that applies ``style`` (None: only the Font dialog has it)."""
    for name in ("Double underline", "Thick underline", "Dotted underline", "Dashed underline",
                 "Dot-dash underline", "Dot-dot-dash underline", "Wave underline"):  # fmt: skip
        effect = lookup("menu:Underline", "ListItem", name)
        if effect is not None and dict(effect.arg).get("underline_style") == style:
            return name
    return None


def _underline_apply(doc: Document, op: Op) -> None:
    _format_all(doc, op, underline=True, underline_style=str(op["style"]))


def _underline_satisfied(doc: Document, op: Op) -> bool:
    formats = _formats(doc, op)
    return bool(formats) and all(f.underline and f.underline_style == op["style"] for f in formats)


def _x_underline(win: WordWindow, op: Op) -> Iterator[Act]:
    style = str(op["style"])
    yield from select_target(win, op)
    cell = _gallery_cell(style)
    if cell is not None:
        yield from reach(win, "Home", "SplitButton", "Underline")
        if win.open_menu != "Underline":
            yield Act(
                "keyboard_input", {"keys": "%{DOWN}"}, ("SplitButton", "Underline"), "Open the Underline drop-down"
            )
        yield _click("ListItem", cell, f"Choose {cell}", "menu:Underline")
        return
    yield from _open_font_dialog(win)
    yield from _font_tab(win, "Font")
    yield from _pick(win, "Underline style:", style, "Underline Style Dialog")
    yield _font_ok()


def _spacing_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    op["spacing"] = {"mode": str(op["spacing"]["mode"]), "points": op["spacing"]["points"]}  # plain JSON
    return op


def _spacing_value(op: Op) -> str:
    item = op["spacing"]
    return f"{item['mode']} {dialogs.fmt_number(float(item['points']))} pt"


def _spacing_apply(doc: Document, op: Op) -> None:
    _format_all(doc, op, spacing=_spacing_value(op))


def _spacing_satisfied(doc: Document, op: Op) -> bool:
    formats = _formats(doc, op)
    return bool(formats) and all(f.spacing == _spacing_value(op) for f in formats)


def _x_spacing(win: WordWindow, op: Op) -> Iterator[Act]:
    mode, points = str(op["spacing"]["mode"]), dialogs.fmt_number(float(op["spacing"]["points"]))
    yield from select_target(win, op)
    yield from _open_font_dialog(win)
    yield from _font_tab(win, "Advanced")
    yield from _pick(win, "Spacing:", mode, "Character Spacing Dialog")
    yield Act("set_edit_text", {"text": f"{points} pt"}, ("Spinner", "By:", "dialog:Font"), f"Set By to {points} pt")
    yield _font_ok()


# ---- the table ---------------------------------------------------------------------------------
OPS: dict[str, OpKind] = {
    "insert_text": OpKind(_insert_apply, _insert_satisfied, _x_insert, draw=_insert_draw),
    "new_paragraph": OpKind(_new_par_apply, _new_par_satisfied, _x_new_par, draw=_new_par_draw),
    "delete_phrase": OpKind(_delete_apply, _gone, _x_delete),
    "delete_paragraph": OpKind(_delete_par_apply, _gone, _x_delete_par, draw=_delete_par_draw),
    "move_paragraph": OpKind(_move_apply, _move_satisfied, _x_move, draw=_place_draw(move=True)),
    "copy_paragraph": OpKind(_copy_apply, _never, _x_copy, once=lambda op: False, draw=_place_draw(move=False)),
    "overtype_phrase": OpKind(_overtype_apply, _never, _x_overtype, draw=_overtype_draw),
    "split_paragraph": OpKind(_split_apply, _split_satisfied, _x_split, draw=_split_draw),
    "join_paragraphs": OpKind(_join_apply, _join_satisfied, _x_join, draw=_join_draw),
    "clear_document": OpKind(_clear_apply, _clear_satisfied, _x_clear),
    "underline_style": OpKind(_underline_apply, _underline_satisfied, _x_underline),
    "double_strikethrough": _effect_kind("double_strike", "Double strikethrough"),
    "hidden_text": _effect_kind("hidden", "Hidden"),
    "all_caps": _effect_kind("all_caps", "All caps"),
    "small_caps": _effect_kind("small_caps", "Small caps"),
    "character_spacing": OpKind(_spacing_apply, _spacing_satisfied, _x_spacing, draw=_spacing_draw),
}

UNSUPPORTED: dict[str, str] = {
    "format_painter": (
        "Format Painter paints on the mouse drag over the destination; the action space selects text "
        "with select_text, which paints nothing in Word"
    ),
    "cycle_case_shortcut": (
        "Shift+F3's cycle depends on the selection's current case and turns to Sentence case on whole "
        "sentences; not modelled faithfully yet"
    ),
    "font_color_custom": (
        "More Colors... opens no modelled Colors dialog (no RGB or hex entry); that dialog is shared "
        "with Page Color and shading, so it needs one owner"
    ),
}
