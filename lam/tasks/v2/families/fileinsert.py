"""File operations (the backstage) and insertions, each as ``apply``/``satisfied``/``expert``.

What the document model records for them (settings keys, Element kinds, annotations) is described
in :mod:`lam.sim.word2.behaviours.fileinsert`, whose helpers both sides use so the expert's clicks
and the checker's truth place things by the same rules.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

from lam.sim.document import Document, Element, PageBreak, Paragraph, Run
from lam.sim.word2 import WordWindow
from lam.sim.word2.behaviours import fileinsert as fi
from lam.sim.word2.effects import insert_at
from lam.sim.word_ui import load_catalog
from lam.sim.word_ui.catalog import COLLAPSED_GROUP_MENU
from lam.tasks.catalog import load_catalog as load_tasks
from lam.tasks.v2.ops import Act, Op, OpKind, _click, _document_label, click_ribbon, open_tab, reach, select_target
from lam.tasks.v2.split_values import split_values
from lam.tasks.v2.targets import spans

# ---- where things go ---------------------------------------------------------------------------
# The positions a target kind allows (pools insert_positions and text_positions).
POSITIONS: dict[str, tuple[str, ...]] = {
    "document": ("start of document", "end of document"),
    "paragraph": ("start of paragraph", "end of paragraph", "before paragraph", "after paragraph"),
    "phrase": ("before phrase", "after phrase"),
}
AT_START = ("start of document", "start of paragraph", "before paragraph", "before phrase")


def _fit_position(doc: Document, rng: random.Random, op: Op) -> Op:
    """Give the op a position its target can have (the pool's value when it fits)."""
    fam = load_tasks().families[op["family"]]
    allowed = [p for p in split_values(fam.params["position"]) if p in POSITIONS[op["target"]["kind"]]]
    if op["position"] not in allowed:
        op = {**op, "position": rng.choice(allowed)}
    return op


def location(doc: Document, op: Op) -> tuple[int, int]:
    """The cursor (block, offset) the op's position names."""
    position = op["position"]
    if position == "start of document":
        return 0, 0
    if position == "end of document":
        last = len(doc.blocks) - 1
        end_block = doc.blocks[last]
        return last, len(end_block.text) if isinstance(end_block, Paragraph) else 0
    block, start, end = spans(doc, op["target"])[0]
    if "paragraph" in position:
        return block, 0 if position in AT_START else len(doc.para(block).text)
    return block, start if position in AT_START else end


def _key(win: WordWindow, keys: str, subtask: str) -> Act:
    return Act("keyboard_input", {"keys": keys}, _document_label(win), subtask)


def go_to(win: WordWindow, op: Op) -> Iterator[Act]:
    """Put the cursor at the op's position: Ctrl+Home/End, or select the target and Home/End/Left/Right."""
    position = op["position"]
    if position == "start of document":
        yield _key(win, "^{HOME}", "Go to the start of the document")
        return
    if position == "end of document":
        yield _key(win, "^{END}", "Go to the end of the document")
        return
    target = op["target"]
    yield Act("select_text", {"text": target["text"]}, None, f"Select {target['ref']}")
    keys = {True: "{HOME}", False: "{END}"} if "paragraph" in position else {True: "{LEFT}", False: "{RIGHT}"}
    yield _key(win, keys[position in AT_START], f"Put the cursor at the {position}")


def _cursor_for(win: WordWindow, op: Op) -> Iterator[Act]:
    """Click at the start of the target paragraph, or go to the end of the document."""
    if op["target"]["kind"] == "document":
        yield _key(win, "^{END}", "Go to the end of the document")
    else:
        yield Act("select_text", {"text": op["target"]["text"]}, None, f"Select {op['target']['ref']}")
        yield _key(win, "{HOME}", "Put the cursor at the start of the paragraph")


def _escape_keys(text: str) -> str:
    """Literal text in pywinauto's send_keys syntax."""
    return "".join(f"{{{ch}}}" if ch in "+^%~(){}[]" else ch for ch in text)


def _drop_down(win: WordWindow, tab: str, control_type: str, name: str) -> Iterator[Act]:
    """Open a split button's drop-down (its arrow: Alt+Down on the button)."""
    yield from reach(win, tab, control_type, name)
    yield Act("keyboard_input", {"keys": "%{DOWN}"}, (control_type, name), f"Open the {name} drop-down")


def _menu_item(control_type: str, name: str, menu: str, subtask: str | None = None) -> Act:
    return _click(control_type, name, subtask or f"Choose {name}", f"menu:{menu}")


def _dialog_click(control_type: str, name: str, dialog: str, subtask: str | None = None) -> Act:
    return _click(control_type, name, subtask or f"Click {name}", f"dialog:{dialog}")


def _dialog_text(control_type: str, name: str, dialog: str, text: str) -> Act:
    return Act("set_edit_text", {"text": text}, (control_type, name, f"dialog:{dialog}"), f"Type {text} in {name}")


def _never(doc: Document, op: Op) -> bool:
    return False


# ---- page breaks, blank pages, cover page ------------------------------------------------------
def _block_of(doc: Document, op: Op) -> int:
    return spans(doc, op["target"])[0][0]


def _page_break_apply(doc: Document, op: Op) -> None:
    insert_at(doc, _block_of(doc, op), 0, [PageBreak()])


def _page_break_satisfied(doc: Document, op: Op) -> bool:
    block = _block_of(doc, op)
    return block > 0 and isinstance(doc.blocks[block - 1], PageBreak)


def _x_page_break(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _cursor_for(win, op)
    yield from click_ribbon(win, "Insert", "Button", "Page Break")


def _blank_page_apply(doc: Document, op: Op) -> None:
    if op["target"]["kind"] == "document":
        block, offset = location(doc, {**op, "position": "end of document"})
    else:
        block, offset = _block_of(doc, op), 0
    empty = Paragraph(runs=[Run("", doc.format_at(block, offset))])
    insert_at(doc, block, offset, [PageBreak(), empty, PageBreak()])


def _x_blank_page(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _cursor_for(win, op)
    yield from click_ribbon(win, "Insert", "Button", "Blank Page")


def _x_gallery(tab: str, opener: str, menu: str, key: str) -> Callable[[WordWindow, Op], Iterator[Act]]:
    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from click_ribbon(win, tab, "Button", opener, f"Open the {opener} gallery")
        yield _menu_item("ListItem", str(op[key]), menu)

    return expert


# ---- inline objects at a position --------------------------------------------------------------
def _element_kind(
    make: Callable[[Document, Op], Element],
) -> tuple[Callable[[Document, Op], None], Callable[[Document, Op], bool]]:
    def apply(doc: Document, op: Op) -> None:
        element = make(doc, op)
        fi.place_element(doc, *location(doc, op), element)

    return apply, _never


def _picture(doc: Document, op: Op) -> Element:
    return Element("picture", {"file": str(op["file"])})


def _x_picture(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from go_to(win, op)
    yield from click_ribbon(win, "Insert", "Button", "Pictures", "Open the Pictures menu")
    yield _menu_item("MenuItem", "This Device...", "Pictures")
    yield _dialog_text("Edit", "File name:", "Insert Picture", str(op["file"]))
    yield _dialog_click("SplitButton", "Insert", "Insert Picture", "Insert the picture")


def _equation(doc: Document, op: Op) -> Element:
    return Element("equation", {"name": str(op["equation"])})


def _x_equation(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from go_to(win, op)
    yield from _drop_down(win, "Insert", "SplitButton", "Equation")
    yield _menu_item("ListItem", str(op["equation"]), "Equation")


def _toc_place(doc: Document, op: Op) -> tuple[int, int]:
    return (0, 0) if op["target"]["kind"] == "document" else (_block_of(doc, op), 0)


def _toc_apply(doc: Document, op: Op) -> None:
    fi.place_element(doc, *_toc_place(doc, op), fi.toc_element(doc, str(op["design"])))


def _x_toc(win: WordWindow, op: Op) -> Iterator[Act]:
    if op["target"]["kind"] == "document":
        yield _key(win, "^{HOME}", "Go to the start of the document")
    else:
        yield from _cursor_for(win, op)
    yield from click_ribbon(win, "References", "Button", "Table of Contents", "Open the Table of Contents gallery")
    if win.open_menu == COLLAPSED_GROUP_MENU + "Table of Contents":  # the group's button shares the name
        yield _click("Button", "Table of Contents", "Open the Table of Contents gallery", "tab:References")
    yield _menu_item("ListItem", str(op["design"]), "Table of Contents")


def _headings(doc: Document, rng: random.Random) -> None:
    """A table of contents lists headings: the title becomes Heading 1, sometimes a body paragraph
    that is one short sentence becomes Heading 2."""
    pars = doc.paragraphs()
    pars[0][1].style = "Heading 1"
    short = [p for _, p in pars[1:] if len(p.text) <= 80]
    if short and rng.random() < 0.5:
        rng.choice(short).style = "Heading 2"


def _hline_apply(doc: Document, op: Op) -> None:
    block = _block_of(doc, op)
    fi.place_element(doc, block, len(doc.para(block).text), Element("horizontal_line"))


def _x_hline(win: WordWindow, op: Op) -> Iterator[Act]:
    yield Act("select_text", {"text": op["target"]["text"]}, None, f"Select {op['target']['ref']}")
    yield _key(win, "{END}", "Put the cursor at the end of the paragraph")
    yield from open_tab(win, "Home")
    yield from _drop_down(win, "Home", "SplitButton", "Borders")
    yield _menu_item("MenuItem", "Horizontal Line", "Borders")


# ---- floating objects --------------------------------------------------------------------------
def _floating(kind: str, key: str, prop: str) -> tuple[Callable[[Document, Op], None], Callable[[Document, Op], bool]]:
    def apply(doc: Document, op: Op) -> None:
        fi.place_floating(doc, Element(kind, {prop: str(op[key])}))

    return apply, _never


# ---- text at a position ------------------------------------------------------------------------
def _text_apply(text: Callable[[Op], str]) -> Callable[[Document, Op], None]:
    def apply(doc: Document, op: Op) -> None:
        block, offset = location(doc, op)
        doc.insert_text(block, offset, text(op))

    return apply


def _x_symbol(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from go_to(win, op)
    yield from click_ribbon(win, "Insert", "Button", "Symbol", "Open the Symbol menu")
    yield _menu_item("MenuItem", "More Symbols...", "Symbol")
    code = f"{ord(op['symbol']['char']):04X}"
    yield _dialog_text("Edit", "Character code:", "Symbol", code)
    yield _dialog_click("Button", "Insert", "Symbol", f"Insert {op['symbol']['name'].lower()}")
    yield _dialog_click("Button", "Close", "Symbol", "Close the Symbol dialog")


def _special_char(op: Op) -> str:
    return str(fi.data()["special_characters"][op["character"]])


def _x_special(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from go_to(win, op)
    yield from click_ribbon(win, "Insert", "Button", "Symbol", "Open the Symbol menu")
    yield _menu_item("MenuItem", "More Symbols...", "Symbol")
    yield _dialog_click("TabItem", "Special Characters", "Symbol", "Open the Special Characters tab")
    yield _dialog_click("ListItem", str(op["character"]), "Symbol", f"Pick {op['character']}")
    yield _dialog_click("Button", "Insert", "Symbol", f"Insert the {op['character']}")
    yield _dialog_click("Button", "Close", "Symbol", "Close the Symbol dialog")


def _date_text(op: Op) -> str:
    return fi.format_date(str(op["format"]), fi.clock())


def _date_apply(doc: Document, op: Op) -> None:
    block, offset = location(doc, op)
    end = doc.insert_text(block, offset, _date_text(op))
    if op["update"] == "On":
        code = fi.date_field_code(str(op["format"]))
        doc.annotations.append({"kind": "field", "code": code, "block": block, "start": offset, "end": end})


def _x_date(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from go_to(win, op)
    yield from click_ribbon(win, "Insert", "Button", "Date & Time")
    yield _dialog_click("ListItem", _date_text(op), "Date and Time", f"Pick the {op['format']} format")
    if op["update"] == "On":
        yield _dialog_click("CheckBox", "Update automatically", "Date and Time")
    yield _dialog_click("Button", "OK", "Date and Time")


# ---- links, bookmarks, notes -------------------------------------------------------------------
def _link_apply(doc: Document, op: Op) -> None:
    for span in spans(doc, op["target"]):
        doc.format_span(span, link=str(op["address"]), char_style="Hyperlink")


def _link_satisfied(doc: Document, op: Op) -> bool:
    formats = [f for s in spans(doc, op["target"]) for f in doc.char_formats(s)]
    return bool(formats) and all(f.link == op["address"] for f in formats)


def _x_link(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield from click_ribbon(win, "Insert", "SplitButton", "Link", "Click Link")
    yield _dialog_text("ComboBox", "Address:", "Insert Hyperlink", str(op["address"]))
    yield _dialog_click("Button", "OK", "Insert Hyperlink")


def _bookmark_apply(doc: Document, op: Op) -> None:
    fi.add_bookmark(doc, str(op["name"]), *spans(doc, op["target"])[0])


def _bookmark_satisfied(doc: Document, op: Op) -> bool:
    block, start, end = spans(doc, op["target"])[0]
    want = {"kind": "bookmark", "name": op["name"], "block": block, "start": start, "end": end}
    return want in doc.annotations


def _x_bookmark(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield from click_ribbon(win, "Insert", "Button", "Bookmark")
    yield _dialog_text("Edit", "Bookmark name:", "Bookmark", str(op["name"]))
    yield _dialog_click("Button", "Add", "Bookmark", "Add the bookmark")


def _note_apply(kind: str) -> Callable[[Document, Op], None]:
    def apply(doc: Document, op: Op) -> None:
        block, _, end = spans(doc, op["target"])[0]
        fi.add_note(doc, kind, block, end, str(op["text"]))

    return apply


def _x_note(kind: str) -> Callable[[WordWindow, Op], Iterator[Act]]:
    button = f"Insert {kind.capitalize()}"

    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield Act("select_text", {"text": op["target"]["text"]}, None, f"Select {op['target']['ref']}")
        yield _key(win, "{RIGHT}", f"Put the cursor right after {op['target']['ref']}")
        yield from click_ribbon(win, "References", "Button", button)
        yield _key(win, _escape_keys(str(op["text"])), f"Type the {kind} text")

    return expert


# ---- paragraph: drop cap ----------------------------------------------------------------------
def _drop_apply(doc: Document, op: Op) -> None:
    par = doc.para(_block_of(doc, op))
    par.set_prop("drop_cap", str(op["position"]))
    par.set_prop("drop_cap_lines", str(op["lines"]))


def _drop_satisfied(doc: Document, op: Op) -> bool:
    par = doc.para(_block_of(doc, op))
    return par.prop("drop_cap") == op["position"] and par.prop("drop_cap_lines") == str(op["lines"])


def _x_drop(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield from click_ribbon(win, "Insert", "Button", "Drop Cap", "Open the Drop Cap menu")
    yield _menu_item("MenuItem", "Drop Cap Options...", "Drop Cap")
    yield _dialog_click("RadioButton", str(op["position"]), "Drop Cap")
    yield _dialog_text("Spinner", "Lines to drop:", "Drop Cap", str(op["lines"]))
    yield _dialog_click("Button", "OK", "Drop Cap")


# ---- page background --------------------------------------------------------------------------
def _page_kind(
    key: str, value: Callable[[Op], str]
) -> tuple[Callable[[Document, Op], None], Callable[[Document, Op], bool]]:
    def apply(doc: Document, op: Op) -> None:
        doc.page[key] = value(op)

    def satisfied(doc: Document, op: Op) -> bool:
        return doc.page.get(key) == value(op)

    return apply, satisfied


def _custom(op: Op) -> str:
    return fi.CUSTOM_WATERMARK + str(op["text"])


def _x_custom_watermark(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from click_ribbon(win, "Design", "Button", "Watermark", "Open the Watermark gallery")
    yield _menu_item("MenuItem", "Custom Watermark...", "Watermark")
    yield _dialog_click("RadioButton", "Text watermark", "Printed Watermark")
    yield _dialog_text("ComboBox", "Text:", "Printed Watermark", str(op["text"]))
    yield _dialog_click("Button", "OK", "Printed Watermark")


def _x_remove_watermark(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from click_ribbon(win, "Design", "Button", "Watermark", "Open the Watermark gallery")
    yield _menu_item("MenuItem", "Remove Watermark", "Watermark")


def _with_watermark(doc: Document, rng: random.Random) -> None:
    presets = [c.name for c in load_catalog().menus["Watermark"].items if c.control_type == "ListItem"]
    texts = split_values("watermark_texts")
    doc.page["watermark"] = rng.choice(presets) if rng.random() < 0.5 else fi.CUSTOM_WATERMARK + str(rng.choice(texts))


def _page_color_on_menu(doc: Document, rng: random.Random, op: Op) -> Op:
    """The pool names a few colours the Page Color menu (Office 2013+ theme) does not show."""
    shown = {c.name for c in load_catalog().menus["Page Color"].items if c.control_type == "ListItem"}
    if op["color"] not in shown:
        op = {**op, "color": rng.choice([c for c in split_values("page_colors") if c in shown])}
    return op


# ---- the File backstage -----------------------------------------------------------------------
DEFAULT_TYPE = "Word Document (*.docx)"
TOP_FOLDERS = ("OneDrive - Personal", "Desktop", "Documents", "Downloads")


def _type_item(name: str) -> str:
    """The Save as type list's entry for a pool type name (``Web Page`` -> ``Web Page (*.htm;*.html)``)."""
    for c in load_catalog().menus["Save as Type"].items:
        if c.name.startswith(name + " (*"):
            return c.name
    raise ValueError(f"no save-as type {name!r}")


def _saved_apply(folder: Callable[[Op], str], type_name: Callable[[Op], str]) -> Callable[[Document, Op], None]:
    def apply(doc: Document, op: Op) -> None:
        fi.save_file(doc, fi.file_path(folder(op), str(op["name"]), type_name(op)), type_name(op))

    return apply


def _saved_satisfied(folder: Callable[[Op], str], type_name: Callable[[Op], str]) -> Callable[[Document, Op], bool]:
    def satisfied(doc: Document, op: Op) -> bool:
        path = fi.file_path(folder(op), str(op["name"]), type_name(op))
        if doc.setting(fi.SAVED + path) != fi.type_label(type_name(op)):
            return False
        copy = type_name(op) in fi.data()["copy_types"]
        return copy or (doc.setting("file.current") == path and not doc.setting("file.unsaved"))

    return satisfied


def _documents(op: Op) -> str:
    return str(fi.data()["default_folder"])


def _folder(op: Op) -> str:
    return str(op["folder"])


def _docx(op: Op) -> str:
    return DEFAULT_TYPE


def _format(op: Op) -> str:
    return _type_item(str(op["format"]["name"]))


def _backstage_page(win: WordWindow, page: str) -> Iterator[Act]:
    yield from open_tab(win, "File")
    if (win.backstage_page or load_catalog().backstage.default_page) != page:
        yield _click("ListItem", page, f"Open the {page} page")


def _save_as_dialog(win: WordWindow) -> Iterator[Act]:
    yield from _backstage_page(win, "Save As")
    yield _click("ListItem", "Browse", "Click Browse to open the Save As dialog")


def _x_save_as(folder: bool, type_key: bool, replace: bool = False) -> Callable[[WordWindow, Op], Iterator[Act]]:
    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from _save_as_dialog(win)
        if folder and op["folder"] != fi.data()["default_folder"]:
            if op["folder"] in TOP_FOLDERS:
                yield _dialog_click("TreeItem", str(op["folder"]), "Save As", f"Open {op['folder']}")
            else:
                yield _dialog_text("Edit", "Address", "Save As", str(op["folder"]))
        if type_key:
            yield _dialog_click("ComboBox", "Save as type:", "Save As", "Open the Save as type list")
            yield _menu_item("ListItem", _format(op), "Save as Type")
        yield _dialog_text("Edit", "File name:", "Save As", str(op["name"]))
        yield _dialog_click("Button", "Save", "Save As")
        if replace:
            yield _click("Button", "Yes", "Replace the existing file", "dialog:Confirm Save As", destructive=True)

    return expert


def _x_export_pdf(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _backstage_page(win, "Export")
    yield _click("ListItem", "Create PDF/XPS Document", "Choose Create PDF/XPS Document")
    yield _click("Button", "Create PDF/XPS", "Click Create PDF/XPS")
    yield _dialog_text("Edit", "File name:", "Publish as PDF or XPS", str(op["name"]))
    yield _dialog_click("Button", "Publish", "Publish as PDF or XPS", "Publish the PDF")


def _existing_files(doc: Document, rng: random.Random) -> None:
    """A few Word documents already in Documents, one of which the op will replace."""
    names = rng.sample(split_values("file_names"), 3)
    for name in names:
        doc.set_setting(fi.SAVED + fi.file_path("Documents", str(name), DEFAULT_TYPE), "Word Document")


def _existing_name(doc: Document, rng: random.Random, op: Op) -> Op:
    existing = [
        k.removeprefix(fi.SAVED + "Documents\\").removesuffix(".docx")
        for k in sorted(doc.settings)
        if k.startswith(fi.SAVED + "Documents\\") and k.endswith(".docx")
    ]
    if not existing:
        from lam.tasks.v2.targets import NoTarget

        raise NoTarget("no file to replace in Documents")
    return op if op["name"] in existing else {**op, "name": rng.choice(existing)}


def _unsaved(doc: Document, rng: random.Random) -> None:
    doc.set_setting("file.unsaved", "yes")


def _save_apply(doc: Document, op: Op) -> None:
    doc.set_setting("file.unsaved", "")


def _save_satisfied(doc: Document, op: Op) -> bool:
    return not doc.setting("file.unsaved")


def _x_save(win: WordWindow, op: Op) -> Iterator[Act]:
    yield _click("Button", "Save", "Click Save on the Quick Access Toolbar", "chrome:Quick Access Toolbar")


def _close_apply(doc: Document, op: Op) -> None:
    doc.set_setting("file.closed", "yes")


def _close_satisfied(doc: Document, op: Op) -> bool:
    return doc.setting("file.closed") == "yes"


def _x_close(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from open_tab(win, "File")
    yield _click("Button", "Close", "Click Close")
    yield _click("Button", "Don't Save", "Close without saving the changes", "dialog:Save Changes", destructive=True)


def _property_apply(doc: Document, op: Op) -> None:
    doc.set_setting(fi.PROPERTY + str(op["property"]), str(op["value"]))


def _property_satisfied(doc: Document, op: Op) -> bool:
    return doc.setting(fi.PROPERTY + str(op["property"])) == str(op["value"])


def _x_property(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _backstage_page(win, "Info")
    name = str(op["property"])
    yield Act(
        "set_edit_text", {"text": str(op["value"])}, ("Edit", name, "backstage"), f"Type {op['value']} as the {name}"
    )
    yield _click("Button", "Back", "Go back to the document")


def _protect(win: WordWindow, item: str) -> Iterator[Act]:
    yield from _backstage_page(win, "Info")
    yield _click("Button", "Protect Document", "Open the Protect Document menu")
    yield _menu_item("MenuItem", item, "Protect Document")


def _password_apply(doc: Document, op: Op) -> None:
    doc.set_setting("file.password", str(op["password"]))


def _password_satisfied(doc: Document, op: Op) -> bool:
    return doc.setting("file.password") == str(op["password"])


def _x_password(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _protect(win, "Encrypt with Password")
    yield _dialog_text("Edit", "Password:", "Encrypt Document", str(op["password"]))
    yield _dialog_click("Button", "OK", "Encrypt Document")
    yield _dialog_text("Edit", "Reenter password:", "Confirm Password", str(op["password"]))
    yield _dialog_click("Button", "OK", "Confirm Password")


def _final_apply(doc: Document, op: Op) -> None:
    doc.set_setting("file.final", "on")
    doc.set_setting("file.unsaved", "")


def _final_satisfied(doc: Document, op: Op) -> bool:
    return doc.setting("file.final") == "on"


def _x_final(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _protect(win, "Mark as Final")
    yield _dialog_click("Button", "OK", "Mark as Final", "Confirm marking the document as final")
    yield _dialog_click("Button", "OK", "Marked as Final", "Close the notice")


# ---- the table ---------------------------------------------------------------------------------
def _kind(
    pair: tuple[Callable[[Document, Op], None], Callable[[Document, Op], bool]],
    expert: Callable[[WordWindow, Op], Iterator[Act]],
    **more: Any,
) -> OpKind:
    return OpKind(pair[0], pair[1], expert, **more)


def _cover_apply(doc: Document, op: Op) -> None:
    fi.set_cover_page(doc, str(op["design"]))


def _cover_satisfied(doc: Document, op: Op) -> bool:
    return fi.cover_page(doc) == str(op["design"])


OPS: dict[str, OpKind] = {
    # file
    "save_as_name": OpKind(
        _saved_apply(_folder, _docx), _saved_satisfied(_folder, _docx), _x_save_as(folder=True, type_key=False)
    ),
    "export_pdf": OpKind(
        _saved_apply(_documents, lambda op: "PDF (*.pdf)"),
        _saved_satisfied(_documents, lambda op: "PDF (*.pdf)"),
        _x_export_pdf,
    ),
    "save_as_type": OpKind(
        _saved_apply(_documents, _format),
        _saved_satisfied(_documents, _format),
        _x_save_as(folder=False, type_key=True),
    ),
    "close_without_saving": OpKind(_close_apply, _close_satisfied, _x_close, setup=_unsaved),
    "save_as_overwrite": OpKind(
        _saved_apply(_documents, _docx),
        _saved_satisfied(_documents, _docx),
        _x_save_as(folder=False, type_key=False, replace=True),
        setup=_existing_files,
        draw=_existing_name,
    ),
    "save_document": OpKind(_save_apply, _save_satisfied, _x_save, setup=_unsaved),
    "set_document_property": OpKind(_property_apply, _property_satisfied, _x_property),
    "encrypt_with_password": OpKind(_password_apply, _password_satisfied, _x_password),
    "mark_as_final": OpKind(_final_apply, _final_satisfied, _x_final),
    # insert
    "insert_page_break": OpKind(_page_break_apply, _page_break_satisfied, _x_page_break),
    "insert_blank_page": OpKind(_blank_page_apply, _never, _x_blank_page, once=lambda op: False),
    "insert_cover_page": OpKind(
        _cover_apply, _cover_satisfied, _x_gallery("Insert", "Cover Page", "Cover Page", "design")
    ),
    "insert_picture": _kind(_element_kind(_picture), _x_picture, once=lambda op: False, draw=_fit_position),
    "insert_shape": _kind(
        _floating("shape", "shape", "type"), _x_gallery("Insert", "Shapes", "Shapes", "shape"), once=lambda op: False
    ),
    "insert_text_box": _kind(
        _floating("text_box", "design", "design"),
        _x_gallery("Insert", "Text Box", "Text Box", "design"),
        once=lambda op: False,
    ),
    "insert_symbol": OpKind(
        _text_apply(lambda op: str(op["symbol"]["char"])), _never, _x_symbol, once=lambda op: False, draw=_fit_position
    ),
    "insert_special_character": OpKind(
        _text_apply(_special_char), _never, _x_special, once=lambda op: False, draw=_fit_position
    ),
    "insert_date_time": OpKind(_date_apply, _never, _x_date, once=lambda op: False, draw=_fit_position),
    "insert_hyperlink": OpKind(_link_apply, _link_satisfied, _x_link),
    "insert_bookmark": OpKind(_bookmark_apply, _bookmark_satisfied, _x_bookmark),
    "insert_footnote": OpKind(_note_apply("footnote"), _never, _x_note("footnote"), once=lambda op: False),
    "insert_endnote": OpKind(_note_apply("endnote"), _never, _x_note("endnote"), once=lambda op: False),
    "insert_toc": OpKind(_toc_apply, _never, _x_toc, once=lambda op: False, setup=_headings),
    "watermark_preset": _kind(
        _page_kind("watermark", lambda op: str(op["watermark"])),
        _x_gallery("Design", "Watermark", "Watermark", "watermark"),
    ),
    "custom_watermark": _kind(_page_kind("watermark", _custom), _x_custom_watermark),
    "remove_watermark": _kind(_page_kind("watermark", lambda op: ""), _x_remove_watermark, setup=_with_watermark),
    "page_color": _kind(
        _page_kind("page_color", lambda op: str(op["color"])),
        _x_gallery("Design", "Page Color", "Page Color", "color"),
        draw=_page_color_on_menu,
    ),
    "insert_equation": _kind(_element_kind(_equation), _x_equation, once=lambda op: False, draw=_fit_position),
    "drop_cap": OpKind(_drop_apply, _drop_satisfied, _x_drop),
    "horizontal_line": OpKind(_hline_apply, _never, _x_hline, once=lambda op: False),
}

UNSUPPORTED: dict[str, str] = {
    "page_border": (
        "the Borders and Shading dialog keeps one flat set of fields for its three tabs (the Page Border "
        "tab's Style, Width and Apply to boxes are the Borders and Shading tabs' too) and its OK can carry "
        "one applier, which paragraph borders need as well"
    ),
}
