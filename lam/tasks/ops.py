"""Atomic edits a request asks for, each defined three ways that must agree:

* ``apply``: what the request means, as an edit of the document model (the checker's truth);
* ``satisfied``: whether a document already shows it (the expert skips it, FINISH at once);
* ``expert``: how a careful Word user does it in the UI, yielded one action at a time and
  computed lazily against the live app (so it skips re-selecting what is selected, or clicking
  a tab that is already open).

An op is a plain JSON dict (``{"op": "char_format", "attr": "bold", "phrase": "..."}``) stored in
the task line, so tasks are rebuilt from parameters and never from the request text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lam.sim import WordApp
from lam.sim.document import Document, Table
from lam.sim.editing import TableSel, TextSel

CLICK = {"button": "left", "double": False}
BUTTONS = {"bold": "Bold", "italic": "Italic", "underline": "Underline", "strike": "Strikethrough"}
SHORTCUTS = {"bold": "^b", "italic": "^i", "underline": "^u"}
ALIGN_BUTTONS = {"left": "Align Left", "center": "Center", "right": "Align Right", "justify": "Justify"}
LIST_BUTTONS = {"bullet": "Bullets", "number": "Numbering"}
PAGE_GALLERIES = {  # op -> (tab, opener button, page key)
    "page_color": ("Design", "Page Color", "page_color"),
    "watermark": ("Design", "Watermark", "watermark"),
    "orientation": ("Layout", "Orientation", "orientation"),
    "margins": ("Layout", "Margins", "margins"),
    "columns": ("Layout", "Columns", "columns"),
}


@dataclass(frozen=True)
class Act:
    """One expert action before grounding: the control is named, the label is found at run time."""

    function: str
    args: dict[str, Any]
    control: tuple[str, str] | None  # (control_type, name); None for app-level functions
    subtask: str
    status: str = "CONTINUE"


def _click(control_type: str, name: str, subtask: str, status: str = "CONTINUE") -> Act:
    return Act("click_input", dict(CLICK), (control_type, name), subtask, status)


def _select(app: WordApp, text: str) -> Iterator[Act]:
    span = app.doc.find(text)
    if not (isinstance(app.selection, TextSel) and app.selection.spans == (span,)):
        yield Act("select_text", {"text": text}, None, f"Select the text '{text}'")


def _tab(app: WordApp, tab: str) -> Iterator[Act]:
    if app.tab != tab:
        yield _click("TabItem", tab, f"Open the {tab} tab")


def _span(doc: Document, text: str) -> tuple[int, int, int]:
    span = doc.find(text)
    if span is None:
        raise ValueError(f"{text!r} is not in the document")
    return span


def _all_chars(doc: Document, text: str, test: Callable[[Any], bool]) -> bool:
    span = doc.find(text)
    return span is not None and all(test(f) for f in doc.char_formats(span))


def _para_attr(doc: Document, lead: str, attr: str) -> Any:
    return getattr(doc.para(_span(doc, lead)[0]), attr)


def _table_block(doc: Document, number: int) -> int:
    return doc.tables()[number - 1]


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True)
class OpKind:
    apply: Callable[[Document, dict[str, Any]], None]
    satisfied: Callable[[Document, dict[str, Any]], bool]
    expert: Callable[[WordApp, dict[str, Any]], Iterator[Act]]
    idempotent: bool = True  # can be "already done" at the start


# ---- character formatting ----------------------------------------------------------------------
def _char_apply(attr: str, value_key: str | None = None) -> Callable[[Document, dict[str, Any]], None]:
    def apply(doc: Document, op: dict[str, Any]) -> None:
        doc.format_span(_span(doc, op["phrase"]), **{attr: op[value_key] if value_key else True})

    return apply


def _char_satisfied(attr: str, value_key: str | None = None) -> Callable[[Document, dict[str, Any]], bool]:
    def satisfied(doc: Document, op: dict[str, Any]) -> bool:
        want = op[value_key] if value_key else True
        return _all_chars(doc, op["phrase"], lambda f: getattr(f, attr) == want)

    return satisfied


def _x_char_format(app: WordApp, op: dict[str, Any]) -> Iterator[Act]:
    yield from _select(app, op["phrase"])
    yield from _tab(app, "Home")
    name = BUTTONS[op["attr"]]
    yield _click("Button", name, f"Click {name} to make the selection {op['attr']}")


def _x_shortcut(app: WordApp, op: dict[str, Any]) -> Iterator[Act]:
    yield from _select(app, op["phrase"])
    keys = SHORTCUTS[op["attr"]]
    yield Act("keyboard_input", {"keys": keys}, ("Document", "Document"), f"Press {keys} to make it {op['attr']}")


def _x_gallery_color(opener: str, key: str) -> Callable[[WordApp, dict[str, Any]], Iterator[Act]]:
    def expert(app: WordApp, op: dict[str, Any]) -> Iterator[Act]:
        yield from _select(app, op["phrase"])
        yield from _tab(app, "Home")
        if app.gallery != opener:
            yield _click("Button", opener, f"Open the {opener} menu")
        yield _click("ListItem", op[key], f"Choose {op[key]}")

    return expert


def _x_combo(box: str, key: str) -> Callable[[WordApp, dict[str, Any]], Iterator[Act]]:
    def expert(app: WordApp, op: dict[str, Any]) -> Iterator[Act]:
        yield from _select(app, op["phrase"])
        yield from _tab(app, "Home")
        value = op[key] if isinstance(op[key], str) else _fmt(op[key])
        yield Act("set_edit_text", {"text": value}, ("ComboBox", box), f"Set the {box} box to {value}")

    return expert


# ---- paragraph formatting ----------------------------------------------------------------------
def _para_apply(attr: str, key: str) -> Callable[[Document, dict[str, Any]], None]:
    def apply(doc: Document, op: dict[str, Any]) -> None:
        setattr(doc.para(_span(doc, op["lead"])[0]), attr, op[key])

    return apply


def _para_satisfied(attr: str, key: str) -> Callable[[Document, dict[str, Any]], bool]:
    def satisfied(doc: Document, op: dict[str, Any]) -> bool:
        return bool(_para_attr(doc, op["lead"], attr) == op[key])

    return satisfied


def _x_para_button(names: dict[str, str], key: str) -> Callable[[WordApp, dict[str, Any]], Iterator[Act]]:
    def expert(app: WordApp, op: dict[str, Any]) -> Iterator[Act]:
        yield from _select(app, op["lead"])
        yield from _tab(app, "Home")
        yield _click("Button", names[op[key]], f"Click {names[op[key]]}")

    return expert


def _x_style(app: WordApp, op: dict[str, Any]) -> Iterator[Act]:
    yield from _select(app, op["lead"])
    yield from _tab(app, "Home")
    yield _click("ListItem", op["style"], f"Apply the {op['style']} style")


def _spacing_attr(op: dict[str, Any]) -> str:
    return "space_after" if op["where"] == "after" else "space_before"


def _x_spacing(app: WordApp, op: dict[str, Any]) -> Iterator[Act]:
    yield from _select(app, op["lead"])
    yield from _tab(app, "Layout")
    box = "Spacing After" if op["where"] == "after" else "Spacing Before"
    value = f"{_fmt(op['points'])} pt"
    yield Act("set_edit_text", {"text": value}, ("Edit", box), f"Set {box} to {value}")


# ---- tables ------------------------------------------------------------------------------------
def _table_apply(doc: Document, op: dict[str, Any]) -> None:
    anchor = _span(doc, op["after"])[0] if op.get("after") else len(doc.blocks) - 1
    doc.insert_block(anchor, Table(int(op["rows"]), int(op["columns"])))


def _x_insert_table(app: WordApp, op: dict[str, Any]) -> Iterator[Act]:
    if op.get("after"):
        yield from _select(app, op["after"])
    else:
        yield Act("keyboard_input", {"keys": "^{END}"}, ("Document", "Document"), "Move the cursor to the end")
    yield Act(
        "insert_table",
        {"rows": int(op["rows"]), "columns": int(op["columns"])},
        None,
        f"Insert a table with {op['rows']} rows and {op['columns']} columns",
    )


def _select_table(app: WordApp, number: int) -> Iterator[Act]:
    if app.selection != TableSel(_table_block(app.doc, number)):
        yield Act("select_table", {"number": number}, None, f"Select table {number}")


def _table_style_apply(doc: Document, op: dict[str, Any]) -> None:
    table = doc.blocks[_table_block(doc, op["number"])]
    assert isinstance(table, Table)
    table.style = op["style"]


def _table_style_satisfied(doc: Document, op: dict[str, Any]) -> bool:
    table = doc.blocks[_table_block(doc, op["number"])]
    return isinstance(table, Table) and table.style == op["style"]


def _x_table_style(app: WordApp, op: dict[str, Any]) -> Iterator[Act]:
    yield from _select_table(app, op["number"])
    yield from _tab(app, "Table Design")
    yield _click("ListItem", op["style"], f"Apply the {op['style']} table style")


# ---- page --------------------------------------------------------------------------------------
def _page_apply(key: str, value_key: str = "value") -> Callable[[Document, dict[str, Any]], None]:
    def apply(doc: Document, op: dict[str, Any]) -> None:
        doc.page[key] = op[value_key]

    return apply


def _page_satisfied(key: str, value_key: str = "value") -> Callable[[Document, dict[str, Any]], bool]:
    def satisfied(doc: Document, op: dict[str, Any]) -> bool:
        return bool(doc.page[key] == op[value_key])

    return satisfied


def _x_page_gallery(op_name: str) -> Callable[[WordApp, dict[str, Any]], Iterator[Act]]:
    tab, opener, _ = PAGE_GALLERIES[op_name]

    def expert(app: WordApp, op: dict[str, Any]) -> Iterator[Act]:
        yield from _tab(app, tab)
        if app.gallery != opener:
            yield _click("Button", opener, f"Open the {opener} menu")
        yield _click("ListItem", op["value"], f"Choose {op['value']}")

    return expert


def _x_page_border(app: WordApp, op: dict[str, Any]) -> Iterator[Act]:
    yield from _tab(app, "Design")
    yield _click("Button", "Page Borders", "Open the Borders and Shading dialog")
    yield _click("ListItem", op["value"], f"Choose the {op['value']} setting")
    yield _click("Button", "OK", "Confirm with OK")


# ---- deleting and replacing --------------------------------------------------------------------
def _delete_selection(what: str) -> Act:
    """DELETE in the document: a deletion is sensitive, so the step asks the user first (CONFIRM)."""
    return Act(
        "keyboard_input",
        {"keys": "{DELETE}"},
        ("Document", "Document"),
        f"Delete the selected {what} (asks the user first)",
        "CONFIRM",
    )


def _delete_text_apply(doc: Document, op: dict[str, Any]) -> None:
    doc.delete_span(_span(doc, op["phrase"]))


def _x_delete_text(app: WordApp, op: dict[str, Any]) -> Iterator[Act]:
    yield from _select(app, op["phrase"])
    yield _delete_selection("text")


def _delete_table_apply(doc: Document, op: dict[str, Any]) -> None:
    del doc.blocks[_table_block(doc, op["number"])]


def _x_delete_table(app: WordApp, op: dict[str, Any]) -> Iterator[Act]:
    yield from _select_table(app, op["number"])
    yield _delete_selection("table")


def _replace_apply(doc: Document, op: dict[str, Any]) -> None:
    doc.replace_all(op["find"], op["replace"])


def _x_replace(app: WordApp, op: dict[str, Any]) -> Iterator[Act]:
    yield from _tab(app, "Home")
    yield _click("Button", "Replace", "Open the Find and Replace dialog")
    yield Act("set_edit_text", {"text": op["find"]}, ("Edit", "Find what"), f"Type '{op['find']}' to find")
    yield Act("set_edit_text", {"text": op["replace"]}, ("Edit", "Replace with"), f"Type '{op['replace']}'")
    yield _click("Button", "Replace All", "Replace every occurrence")
    yield _click("Button", "Close", "Close the dialog")


def _never(doc: Document, op: dict[str, Any]) -> bool:
    return False


OPS: dict[str, OpKind] = {
    "char_format": OpKind(
        lambda d, o: _char_apply(o["attr"])(d, o), lambda d, o: _char_satisfied(o["attr"])(d, o), _x_char_format
    ),
    "shortcut_format": OpKind(
        lambda d, o: _char_apply(o["attr"])(d, o), lambda d, o: _char_satisfied(o["attr"])(d, o), _x_shortcut
    ),
    "highlight": OpKind(
        _char_apply("highlight", "color"),
        _char_satisfied("highlight", "color"),
        _x_gallery_color("Text Highlight Color", "color"),
    ),
    "font_color": OpKind(
        _char_apply("color", "color"), _char_satisfied("color", "color"), _x_gallery_color("Font Color", "color")
    ),
    "font": OpKind(_char_apply("font", "font"), _char_satisfied("font", "font"), _x_combo("Font", "font")),
    "font_size": OpKind(_char_apply("size", "size"), _char_satisfied("size", "size"), _x_combo("Font Size", "size")),
    "align": OpKind(
        _para_apply("align", "align"), _para_satisfied("align", "align"), _x_para_button(ALIGN_BUTTONS, "align")
    ),
    "list": OpKind(
        _para_apply("list_style", "kind"),
        _para_satisfied("list_style", "kind"),
        _x_para_button(LIST_BUTTONS, "kind"),
    ),
    "style": OpKind(_para_apply("style", "style"), _para_satisfied("style", "style"), _x_style),
    "spacing": OpKind(
        lambda d, o: _para_apply(_spacing_attr(o), "points")(d, o),
        lambda d, o: _para_satisfied(_spacing_attr(o), "points")(d, o),
        _x_spacing,
    ),
    "insert_table": OpKind(_table_apply, _never, _x_insert_table, idempotent=False),
    "table_style": OpKind(_table_style_apply, _table_style_satisfied, _x_table_style),
    "page_border": OpKind(_page_apply("page_border"), _page_satisfied("page_border"), _x_page_border),
    **{
        name: OpKind(_page_apply(key), _page_satisfied(key), _x_page_gallery(name))
        for name, (_, _, key) in PAGE_GALLERIES.items()
    },
    "delete_text": OpKind(
        _delete_text_apply, lambda d, o: d.find(o["phrase"]) is None, _x_delete_text, idempotent=False
    ),
    "delete_table": OpKind(_delete_table_apply, _never, _x_delete_table, idempotent=False),
    "replace_all": OpKind(_replace_apply, lambda d, o: d.count(o["find"]) == 0, _x_replace, idempotent=False),
}
