"""Page layout, headers and footers: page setup in ``Document.page`` (margins, orientation, paper
size, columns) and ``Document.settings`` (``page.*``, ``header.*``, ``footer.*``), section and column
breaks as ``Element`` blocks, the Page Setup / Columns / Page Number Format dialogs, editing a header
or footer (which shows the Header & Footer contextual tab) and the values that show all of it.

Lengths are kept in inches rounded to 0.001" so a length typed in centimetres and the same length
worked out by a task's ``apply`` compare equal. A margin set, paper size or column layout that is not
a preset is stored as one canonical string in ``Document.page`` (``'Top 1", Bottom 1", Left 1.5",
Right 1.5"'``), so choosing a preset afterwards leaves nothing stale behind.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import yaml

from lam.sim.document import Document, Element, Paragraph
from lam.sim.editing import SimError, TableSel, parse_number
from lam.sim.word2 import dialogs, window
from lam.sim.word2.effects import register_effect
from lam.sim.word2.window import WordWindow
from lam.sim.word_ui.catalog import UiControl

DATA_FILE = Path(__file__).with_suffix(".yaml")
STORIES = ("header", "footer")
STORY_PARTS = ("design", "text", "page_number", "date")  # what a header or footer holds
HF_TAB = "Header & Footer"
STORY_EDITS = {"header": "Header -Section 1-", "footer": "Footer -Section 1-"}
DEFAULT_NUMBER_FORMAT = "1, 2, 3, ..."
SECTION_BREAK, COLUMN_BREAK = "section_break", "column_break"
ON, OFF = dialogs.ON, dialogs.OFF


@cache
def data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return loaded


# ---- lengths -------------------------------------------------------------------------------------
_UNITS = (("in", 1.0), ("cm", 1 / 2.54), ("mm", 1 / 25.4), ("pt", 1 / 72), ('"', 1.0))


def canon(inches: float) -> float:
    return round(float(inches), 3)


def parse_length(text: str) -> float | None:
    """``1.5"``, ``1.5 in``, ``2.5 cm``, ``25 mm``, ``72 pt`` or a bare number (inches) → inches."""
    value = text.strip().lower().replace("\u201d", '"')
    for unit, factor in _UNITS:
        if value.endswith(unit):
            number = parse_number(value[: -len(unit)])
            return None if number is None else canon(number * factor)
    number = parse_number(value)
    return None if number is None else canon(number)


def inch_text(inches: float) -> str:
    """As Word's boxes show a length: inches, at most two decimals."""
    return f'{round(inches, 2):g}"'


def length_text(value: float, unit: str) -> str:
    """How a user types ``value`` of ``unit`` (in, cm) into a Word box."""
    return f'{value:g}"' if unit == "in" else f"{value:g} {unit}"


def to_inches(value: float, unit: str) -> float:
    return canon(value if unit == "in" else value / 2.54 if unit == "cm" else value / 25.4)


def _in(value: float) -> str:
    return f'{canon(value):g}"'


# ---- margins -------------------------------------------------------------------------------------
MARGIN_SIDES = ("Top", "Bottom", "Left", "Right")
_MARGINS = re.compile(r'Top ([\d.]+)", Bottom ([\d.]+)", Left ([\d.]+)", Right ([\d.]+)"')


def margins_value(values: tuple[float, ...]) -> str:
    return ", ".join(f"{side} {_in(v)}" for side, v in zip(MARGIN_SIDES, values, strict=True))


def margins(doc: Document) -> tuple[float, ...]:
    """Top, bottom, left, right in inches."""
    name = doc.page["margins"]
    presets = data()["margin_presets"]
    if name in presets:
        return tuple(canon(v) for v in presets[name])
    m = _MARGINS.fullmatch(name)
    if m is None:
        raise ValueError(f"unknown margins {name!r}")
    return tuple(canon(float(g)) for g in m.groups())


def set_margins(doc: Document, values: tuple[float, ...]) -> None:
    if any(not 0 <= v <= 22 for v in values):
        raise SimError('the margins must be between 0" and 22"')
    doc.page["margins"] = margins_value(tuple(canon(v) for v in values))


# ---- paper -------------------------------------------------------------------------------------
_CUSTOM_PAPER = re.compile(r'Custom ([\d.]+)" x ([\d.]+)"')
CUSTOM_SIZE = "Custom size"


def paper(doc: Document) -> tuple[float, float]:
    """The paper's portrait width and height in inches."""
    name = doc.page["page_size"]
    sizes = data()["paper_sizes"]
    if name in sizes:
        w, h = sizes[name]
        return canon(w), canon(h)
    m = _CUSTOM_PAPER.fullmatch(name)
    if m is None:
        raise ValueError(f"unknown paper size {name!r}")
    return canon(float(m.group(1))), canon(float(m.group(2)))


def page_dimensions(doc: Document) -> tuple[float, float]:
    """Width and height as the page lies (Landscape swaps them)."""
    w, h = paper(doc)
    return (h, w) if doc.page["orientation"] == "Landscape" else (w, h)


def set_custom_size(doc: Document, width: float, height: float) -> None:
    """Width and height as typed: the paper is their portrait form (a named size when one matches,
    as Word's Paper size box then names it) and the orientation follows their shape."""
    if not (0.1 <= width <= 22 and 0.1 <= height <= 22):
        raise SimError('the width and height must be between 0.1" and 22"')
    small, large = sorted((canon(width), canon(height)))
    name = next(
        (n for n, (w, h) in data()["paper_sizes"].items() if abs(w - small) < 0.006 and abs(h - large) < 0.006),
        f"Custom {_in(small)} x {_in(large)}",
    )
    doc.page["page_size"] = name
    if width != height:
        doc.page["orientation"] = "Landscape" if width > height else "Portrait"


# ---- columns -----------------------------------------------------------------------------------
_CUSTOM_COLUMNS = re.compile(r'(\d+) columns, spacing ([\d.]+)"(, line between)?')
DEFAULT_SPACING = 0.5


def columns_value(count: int, spacing: float, line: bool) -> str:
    """The columns entry: a preset's name when the layout is exactly it, else the layout spelt out."""
    if count == 1:
        return "One"
    if not line and count in (2, 3) and canon(spacing) == DEFAULT_SPACING:
        return "Two" if count == 2 else "Three"
    return f"{count} columns, spacing {_in(spacing)}" + (", line between" if line else "")


def columns(doc: Document) -> tuple[int, float, bool, bool]:
    """Number of columns, spacing (inches), line between, equal widths."""
    name = doc.page["columns"]
    presets = data()["column_presets"]
    if name in presets:
        count = int(presets[name]["count"])
        return count, DEFAULT_SPACING if count > 1 else 0.0, False, bool(presets[name]["equal"])
    m = _CUSTOM_COLUMNS.fullmatch(name)
    if m is None:
        raise ValueError(f"unknown columns {name!r}")
    return int(m.group(1)), canon(float(m.group(2))), m.group(3) is not None, True


def text_width(doc: Document) -> float:
    _, _, left, right = margins(doc)
    return page_dimensions(doc)[0] - left - right


# ---- sections and breaks -----------------------------------------------------------------------
def is_section_break(block: object) -> bool:
    return isinstance(block, Element) and block.kind == SECTION_BREAK


def orientation_at(doc: Document, index: int) -> str:
    """The orientation of the section holding block ``index``: the section break that starts it
    says so (``orientation``), else the document's page orientation."""
    for j in range(min(index, len(doc.blocks) - 1), -1, -1):
        block = doc.blocks[j]
        if isinstance(block, Element) and block.kind == SECTION_BREAK:
            return block.props.get("orientation", doc.page["orientation"])
    return doc.page["orientation"]


def set_section_orientation(doc: Document, first: int, last: int, orientation: str) -> None:
    """Page Setup with Apply to "Selected text": blocks ``first..last`` get a section of their own
    (a Next Page break before and after unless one is there) with ``orientation``; the text after
    keeps the orientation it had."""
    after = orientation_at(doc, last)
    if last + 1 < len(doc.blocks):
        nxt = doc.blocks[last + 1]
        if isinstance(nxt, Element) and nxt.kind == SECTION_BREAK:
            nxt.props.setdefault("orientation", after)
        else:
            doc.blocks.insert(last + 1, Element(SECTION_BREAK, {"type": "Next Page", "orientation": after}))
    if first == 0:
        old = doc.page["orientation"]
        for block in doc.blocks[1:]:
            if isinstance(block, Element) and block.kind == SECTION_BREAK:
                block.props.setdefault("orientation", old)
        doc.page["orientation"] = orientation
        return
    before = doc.blocks[first - 1]
    if isinstance(before, Element) and before.kind == SECTION_BREAK:
        before.props["orientation"] = orientation
    else:
        doc.blocks.insert(first, Element(SECTION_BREAK, {"type": "Next Page", "orientation": orientation}))


def in_own_section(doc: Document, first: int, last: int, orientation: str) -> bool:
    """Blocks ``first..last`` make up one section of ``orientation``."""
    blocks = doc.blocks
    bounded = (first == 0 or is_section_break(blocks[first - 1])) and (
        last + 1 >= len(blocks) or is_section_break(blocks[last + 1])
    )
    inside = not any(is_section_break(b) for b in blocks[first : last + 1])
    return bounded and inside and orientation_at(doc, first) == orientation


def insert_break_at(doc: Document, block: int, offset: int, element: Element) -> int:
    """Put ``element`` at a cursor: before the paragraph at its start, after it at its end, else
    between the two halves of the split paragraph. Returns the index of the block after it."""
    target = doc.blocks[block]
    if not isinstance(target, Paragraph):
        doc.blocks.insert(block + 1, element)
        return block + 2
    if offset <= 0:
        doc.blocks.insert(block, element)
        return block + 1
    if offset < len(target.text):
        doc.split_paragraph(block, offset)
    doc.blocks.insert(block + 1, element)
    return block + 2


# ---- headers and footers -----------------------------------------------------------------------
def clear_story(doc: Document, story: str) -> None:
    for part in STORY_PARTS:
        doc.set_setting(f"{story}.{part}", "")


def story_empty(doc: Document, story: str) -> bool:
    return not any(doc.setting(f"{story}.{part}") for part in STORY_PARTS)


def number_story(position: str) -> str:
    """Where Insert > Page Number puts the number: Bottom of Page in the footer, the rest (the top,
    and the side margins, whose shapes Word anchors in the header) in the header."""
    return "footer" if position == "Bottom of Page" else "header"


def insert_page_number(doc: Document, position: str, design: str) -> None:
    """A top or bottom design replaces what its header or footer held, as Word's gallery does; a
    side-margin design is added beside it."""
    story = number_story(position)
    if position != "Page Margins":
        clear_story(doc, story)
    doc.set_setting(f"{story}.page_number", f"{position}: {design}")


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):  # fmt: skip
        while n >= value:
            out, n = out + letters, n - value
    return out


def page_number_text(doc: Document, page: int = 1) -> str:
    number = page - 1 + int(doc.setting("page.number_start") or 1)
    style = data()["number_formats"].get(doc.setting("page.number_format", DEFAULT_NUMBER_FORMAT), "arabic")
    if style in ("lower_letter", "upper_letter"):
        text = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1) if number > 0 else "0"
        return text.upper() if style == "upper_letter" else text
    if style in ("lower_roman", "upper_roman"):
        text = _roman(number) or "0"
        return text.upper() if style == "upper_roman" else text
    return f"- {number} -" if style == "dashed" else str(number)


def story_text(win: WordWindow, story: str) -> str:
    """What the header or footer shows on the first page: its design, text and page number."""
    doc = win.doc
    parts = []
    if doc.setting(f"{story}.design"):
        parts.append(f"[{doc.setting(f'{story}.design')}]")
    parts.append(doc.setting(f"{story}.text"))
    number = doc.setting(f"{story}.page_number")
    if number:
        pages = win.screen_values()["pages"]
        shown = page_number_text(doc)
        parts.append(f"Page {shown} of {pages}" if "Page X of Y" in number else shown)
    return " ".join(p for p in parts if p)


# The header or footer being edited, by window, and the tab to go back to when it closes.
_EDITING: WeakKeyDictionary[WordWindow, tuple[str, str]] = WeakKeyDictionary()


def editing(win: WordWindow) -> str | None:
    entry = _EDITING.get(win)
    return entry[0] if entry else None


def _enter(win: WordWindow, story: str) -> None:
    previous = _EDITING[win][1] if win in _EDITING else win.tab
    _EDITING[win] = (story, previous)
    win.tab = HF_TAB  # Word selects the Header & Footer tab when a header or footer opens


def _contextual(win: WordWindow) -> tuple[str, ...]:
    return (HF_TAB,) if win in _EDITING else ()


window.CONTEXTUAL_READERS.append(_contextual)


def _story(arg: Any) -> str:
    story = str(arg["story"] if isinstance(arg, dict) else arg)
    if story not in STORIES:
        raise SimError(f"no such story {story!r}")
    return story


@register_effect("pagelayout_edit_story")
def _edit_story(win: WordWindow, arg: Any) -> str:
    _enter(win, _story(arg))
    return "ok"


@register_effect("pagelayout_close_story")
def _close_story(win: WordWindow, _: Any) -> str:
    entry = _EDITING.pop(win, None)
    if entry is not None:
        win.tab = entry[1]
    return "ok"


@register_effect("pagelayout_story_design")
def _story_design(win: WordWindow, arg: Any) -> str:
    story = _story(arg)
    clear_story(win.doc, story)
    win.doc.set_setting(f"{story}.design", str(arg["design"]))
    _enter(win, story)
    return "ok"


@register_effect("pagelayout_story_text")
def _story_text(win: WordWindow, arg: Any) -> str:
    story = _story(arg)
    if arg["text"] == STORY_EDITS[story]:
        return "ok"  # a click (the item is the box's name) only puts the cursor in it
    win.doc.set_setting(f"{story}.text", str(arg["text"]).strip())
    return "ok"


@register_effect("pagelayout_remove_story")
def _remove_story(win: WordWindow, arg: Any) -> str:
    clear_story(win.doc, _story(arg))
    return "ok"


@register_effect("pagelayout_page_number")
def _page_number(win: WordWindow, arg: Any) -> str:
    position = str(arg["position"])
    insert_page_number(win.doc, position, str(arg["design"]))
    _enter(win, number_story(position))
    return "ok"


@register_effect("pagelayout_remove_page_numbers")
def _remove_page_numbers(win: WordWindow, _: Any) -> str:
    for story in STORIES:
        win.doc.set_setting(f"{story}.page_number", "")
    return "ok"


@register_effect("pagelayout_break")
def _break(win: WordWindow, arg: Any) -> str:
    """Layout > Breaks: a column or section break at the cursor (typed over a selection, as Word)."""
    kind = str(arg["kind"])
    props = {"type": str(arg["type"])} if kind == SECTION_BREAK else {}
    if isinstance(win.selection, TableSel):
        return win.insert_block(Element(kind, props))
    win.delete_selection()
    block, offset = win.cursor
    after = insert_break_at(win.doc, block, offset, Element(kind, props))
    win.selection = None
    win.cursor = (min(after, len(win.doc.blocks) - 1), 0)
    return "ok"


@register_effect("pagelayout_columns_preset")
def _columns_dialog_preset(win: WordWindow, name: Any) -> str:
    """A Presets button of the Columns dialog fills the boxes below it."""
    dialog = win.dialog
    if dialog is None:
        raise SimError("no dialog is open")
    preset = data()["column_presets"][str(name)]
    count = int(preset["count"])
    dialog.fields.update(
        {
            "Number of columns:": str(count),
            "Spacing:": inch_text(DEFAULT_SPACING if count > 1 else 0.0),
            "Equal column width": ON if preset["equal"] else OFF,
            "preset": str(name),
        }
    )
    return "ok"


# ---- Page Setup ----------------------------------------------------------------------------------
def _on(flag: bool) -> str:
    return ON if flag else OFF


def read_page_setup(win: WordWindow) -> dialogs.Fields:
    doc = win.doc
    top, bottom, left, right = margins(doc)
    width, height = page_dimensions(doc)
    size = doc.page["page_size"]
    return {
        "Top:": inch_text(top),
        "Bottom:": inch_text(bottom),
        "Left:": inch_text(left),
        "Right:": inch_text(right),
        "Portrait": _on(doc.page["orientation"] == "Portrait"),
        "Landscape": _on(doc.page["orientation"] == "Landscape"),
        "Paper size:": size if size in data()["paper_sizes"] else CUSTOM_SIZE,
        "Width:": inch_text(width),
        "Height:": inch_text(height),
        "Different odd and even": _on(doc.setting("page.different_odd_even") == ON),
        "Different first page": _on(doc.setting("page.different_first_page") == ON),
        "Vertical alignment:": doc.setting("page.vertical_alignment", "Top"),
    }


def _length(fields: dialogs.Fields, name: str) -> float:
    value = parse_length(fields.get(name, ""))
    if value is None:
        raise SimError(f'{name.rstrip(":")} must be a measurement such as 1" or 2.5 cm')
    return value


_LAYOUT_BOXES = {
    "Different odd and even": "page.different_odd_even",
    "Different first page": "page.different_first_page",
}


def apply_page_setup(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    doc = win.doc
    changed = {k for k, v in after.items() if before.get(k) != v}
    apply_to = after.get("Apply to:", "Whole document")
    orientation = "Landscape" if after.get("Landscape") == ON else "Portrait"
    if apply_to == "Selected text":
        if changed - {"Apply to:", "Portrait", "Landscape"}:
            raise SimError("the simulator applies only the orientation to selected text")
        blocks = win.target_paragraphs()
        if not blocks:
            raise SimError("select the text first")
        set_section_orientation(doc, min(blocks), max(blocks), orientation)
        return "ok"
    if apply_to != "Whole document":
        raise SimError(f"Apply to {apply_to!r} is not modelled")
    if changed & {"Portrait", "Landscape"}:
        doc.page["orientation"] = orientation
        for block in doc.blocks:  # the whole document: every section takes it
            if isinstance(block, Element) and block.kind == SECTION_BREAK:
                block.props.pop("orientation", None)
    sides = [f"{s}:" for s in MARGIN_SIDES]
    if changed & set(sides):
        current = margins(doc)
        set_margins(doc, tuple(_length(after, s) if s in changed else v for s, v in zip(sides, current, strict=True)))
    if changed & {"Width:", "Height:"}:
        width, height = page_dimensions(doc)
        set_custom_size(
            doc,
            _length(after, "Width:") if "Width:" in changed else width,
            _length(after, "Height:") if "Height:" in changed else height,
        )
    elif "Paper size:" in changed:
        size = after["Paper size:"]
        if size not in data()["paper_sizes"]:
            raise SimError(f"not a paper size: {size!r}")
        doc.page["page_size"] = size
    for box, key in _LAYOUT_BOXES.items():
        if box in changed:
            doc.set_setting(key, ON if after[box] == ON else "")
    if "Vertical alignment:" in changed:
        value = after["Vertical alignment:"]
        if value not in data()["vertical_alignments"]:
            raise SimError(f"not a vertical alignment: {value!r}")
        doc.set_setting("page.vertical_alignment", value, "Top")
    return "ok"


# ---- Columns -------------------------------------------------------------------------------------
def read_columns(win: WordWindow) -> dialogs.Fields:
    count, spacing, line, equal = columns(win.doc)
    width = (text_width(win.doc) - spacing * (count - 1)) / count
    return {
        "Number of columns:": str(count),
        "Line between": _on(line),
        "Width:": inch_text(width),
        "Spacing:": inch_text(spacing),
        "Equal column width": _on(equal),
    }


def apply_columns(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    changed = {k for k, v in after.items() if before.get(k) != v} - {"preset"}
    if not changed:
        return "ok"
    count_value = parse_number(after.get("Number of columns:", ""))
    if count_value is None or not count_value.is_integer() or not 1 <= count_value <= 12:
        raise SimError("the number of columns must be between 1 and 12")
    count = int(count_value)
    preset = after.get("preset", "")
    if preset in ("Left", "Right") and count == 2 and after.get("Equal column width") == OFF:
        win.doc.page["columns"] = preset
        return "ok"
    spacing = _length(after, "Spacing:")
    if "Spacing:" not in changed and count > 1 and spacing == 0:
        spacing = DEFAULT_SPACING  # Word's spacing for a layout that had one column
    if count > 1 and spacing * (count - 1) >= text_width(win.doc):
        raise SimError("the columns do not fit between the margins")
    win.doc.page["columns"] = columns_value(count, spacing, after.get("Line between") == ON)
    return "ok"


# ---- Page Number Format --------------------------------------------------------------------------
START_AT = "Start at:"
CONTINUE = "Continue from previous section"


def read_page_number_format(win: WordWindow) -> dialogs.Fields:
    start = win.doc.setting("page.number_start")
    return {
        "Number format:": win.doc.setting("page.number_format", DEFAULT_NUMBER_FORMAT),
        CONTINUE: _on(not start),
        START_AT: start,  # the Start at: box (its radio button shows on while Continue is off)
    }


def apply_page_number_format(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    number_format = after.get("Number format:", DEFAULT_NUMBER_FORMAT)
    if number_format not in data()["number_formats"]:
        raise SimError(f"not a number format: {number_format!r}")
    start = ""
    if after.get(CONTINUE) != ON:
        typed = after.get(START_AT, "")
        typed = "1" if typed in ("", ON, OFF) else typed.strip()  # the radio alone starts at 1
        if not typed.isdigit():
            raise SimError("Start at must be a whole number")
        start = str(int(typed))
    win.doc.set_setting("page.number_format", number_format, DEFAULT_NUMBER_FORMAT)
    win.doc.set_setting("page.number_start", start)
    return "ok"


dialogs.READERS["Page Setup"] = read_page_setup
dialogs.READERS["Columns"] = read_columns
dialogs.READERS["Page Number Format"] = read_page_number_format
dialogs.APPLIERS["page_setup"] = apply_page_setup
dialogs.APPLIERS["columns"] = apply_columns
dialogs.APPLIERS["page_number_format"] = apply_page_number_format


# ---- values --------------------------------------------------------------------------------------
_GALLERIES = {"menu:Margins": "margins", "menu:Orientation": "orientation", "menu:Size": "page_size",
              "menu:Columns": "columns"}  # fmt: skip
_MODE_MENUS = {"menu:Line Numbers": "page.line_numbers", "menu:Hyphenation": "page.hyphenation"}
_HF_BOXES = {
    "Different First Page": "page.different_first_page",
    "Different Odd & Even Pages": "page.different_odd_even",
}


def read_value(win: WordWindow, c: UiControl, place: str) -> str | None:
    """The current page setting on its gallery or menu, the Header & Footer tab's check boxes, the
    header's and footer's text, and the Page Number Format dialog's Start at pair."""
    doc = win.doc
    if place in _GALLERIES and c.control_type == "ListItem":
        return "selected" if doc.page[_GALLERIES[place]] == c.name else None
    if (
        place in _MODE_MENUS
        and c.control_type == "MenuItem"
        and c.name in ("None", *data()["line_number_modes"], "Automatic")
    ):
        return _on(doc.setting(_MODE_MENUS[place], "None") == c.name)
    if place == f"tab:{HF_TAB}" and c.name in _HF_BOXES:
        return _on(doc.setting(_HF_BOXES[c.name]) == ON)
    if c.control_type == "Edit" and c.name in STORY_EDITS.values():
        story = next(s for s, n in STORY_EDITS.items() if n == c.name)
        return story_text(win, story)
    dialog = win.dialog
    if dialog is not None and place == "dialog:Page Number Format" and c.name == START_AT:
        if c.control_type == "RadioButton":
            return _on(dialog.fields.get(CONTINUE) != ON)
        typed = dialog.fields.get(START_AT, "")
        return "" if typed in (ON, OFF) else typed
    return None


window.VALUE_READERS.append(read_value)
