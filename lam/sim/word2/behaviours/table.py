"""Tables in the word2 window: cells as controls, the Table Design and Layout tabs, their dialogs.

How a user points inside a table: Word's UI Automation tree exposes a table's cells as items of
their own (the TableItem pattern gives each its row and column), so each cell that is not hidden
inside a merged cell is listed right after the Document as a ``DataItem`` named
``"Row <r>, Column <c>"`` (1-based, grid positions) whose value is its text; its place is
``part:table:<n>`` for the n-th table of the document. Clicking one puts the caret in that cell
(at the end of its text); keys typed on one go there too (pywinauto focuses it first). From the
caret, Layout > Select (Select Cell / Column / Row / Table) and Shift+arrow keys select whole
cells, rows or columns, as in Word; ``select_table(n)`` selects a whole table. The keys inside a
cell follow ``lam.sim.editing.Editor`` (Tab, Shift+Tab, Up, Down, Shift+arrows).

The edits themselves are functions on the document model (``place_table``, ``sort_rows``,
``split_cell``, ``table_to_text``, ``text_to_table``, ``toggle_borders``...), shared with the
families of ``lam.tasks.v2.families.table`` so a request's truth and a click's effect agree.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from lam.sim.document import Document, Paragraph, Rect, Table, paragraph
from lam.sim.editing import SimError, TableSel, TextSel, parse_number
from lam.sim.word2 import dialogs, window
from lam.sim.word2.effects import register_effect

if TYPE_CHECKING:
    from lam.sim.word2.window import Shown, WordWindow
    from lam.sim.word_ui.catalog import UiControl

NOTHING = "ok: the command does not apply to this selection, nothing changed"
CELL_NAME = re.compile(r"^Row (\d+), Column (\d+)$")

# Table Style Options check boxes: property name and Word's default for a new table
STYLE_OPTIONS: dict[str, tuple[str, str]] = {
    "Header Row": ("header_row", "on"),
    "Total Row": ("total_row", "off"),
    "Banded Rows": ("banded_rows", "on"),
    "First Column": ("first_column", "on"),
    "Last Column": ("last_column", "off"),
    "Banded Columns": ("banded_columns", "off"),
}
AUTOFIT_DEFAULT = "Fixed Column Width"
ALIGN_DEFAULT = "Align Top Left"
ALIGNMENTS = (
    "Align Top Left", "Align Top Center", "Align Top Right",
    "Align Center Left", "Align Center", "Align Center Right",
    "Align Bottom Left", "Align Bottom Center", "Align Bottom Right",
)  # fmt: skip
EDGES = ("top", "bottom", "left", "right", "inside_h", "inside_v")
OUTSIDE = frozenset(EDGES[:4])
BORDER_ITEMS: dict[str, frozenset[str]] = {
    "All Borders": frozenset(EDGES),
    "Outside Borders": OUTSIDE,
    "Inside Borders": frozenset({"inside_h", "inside_v"}),
    "Inside Horizontal Border": frozenset({"inside_h"}),
    "Inside Vertical Border": frozenset({"inside_v"}),
    "Top Border": frozenset({"top"}),
    "Bottom Border": frozenset({"bottom"}),
    "Left Border": frozenset({"left"}),
    "Right Border": frozenset({"right"}),
    "No Border": frozenset(),
}
DATE_FORMATS = ("%B %d, %Y", "%d %B %Y", "%m/%d/%Y", "%Y-%m-%d", "%b %d, %Y")
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?|-?\.\d+")
# Convert dialogs' separators by radio button name (Other: takes the Other box's first character)
SEPARATORS = {"Paragraphs": "\n", "Paragraph marks": "\n", "Tabs": "\t", "Commas": ","}
POINTS_PER = {"in": 72.0, '"': 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "pt": 1.0}


# ---- the document model ----------------------------------------------------------------------------
def table_at(doc: Document, number: int) -> tuple[int, Table]:
    """The block index and the table of the ``number``-th table (1-based)."""
    blocks = doc.tables()
    if not 1 <= number <= len(blocks):
        raise SimError(f"the document has {len(blocks)} table(s); there is no table {number}")
    table = doc.blocks[blocks[number - 1]]
    assert isinstance(table, Table)
    return blocks[number - 1], table


def place_table(doc: Document, block: int, offset: int, table: Table) -> int:
    """Put ``table`` where Word puts a table inserted with the caret at (block, offset): before the
    paragraph at its start, after it at its end, between its halves in the middle."""
    if not doc.blocks:
        return doc.insert_block(-1, table)
    target = doc.blocks[block]
    if isinstance(target, Paragraph) and offset <= 0:
        return doc.insert_block(block - 1, table)
    if isinstance(target, Paragraph) and offset < len(target.text):
        doc.split_paragraph(block, offset)
    return doc.insert_block(block, table)


def cells_of(table: Table, rect: Rect) -> list[tuple[int, int]]:
    """The cells of a block, leaving out grid positions hidden inside merged cells."""
    r0, c0, r1, c1 = rect
    return [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if not table.covered(r, c)]


def style_option(table: Table, name: str) -> bool:
    key, default = STYLE_OPTIONS[name]
    return table.prop(key, default) == "on"


def borders(table: Table) -> frozenset[str]:
    raw = table.prop("borders", ",".join(EDGES))
    return frozenset(e for e in raw.split(",") if e)


def set_borders(table: Table, edges: frozenset[str]) -> None:
    table.set_prop("borders", ",".join(e for e in EDGES if e in edges), ",".join(EDGES))


def toggle_borders(table: Table, item: str) -> None:
    """A Borders gallery item: off when the table has all of its lines already, else on."""
    edges = BORDER_ITEMS[item]
    now = borders(table)
    if not edges:
        set_borders(table, frozenset())
    elif edges <= now:
        set_borders(table, now - edges)
    else:
        set_borders(table, now | edges)


def parse_length(text: str) -> float | None:
    """A length typed in a size box ('0.3"', "0.3 in", "1 cm", "12 pt") in points, as Word reads it
    (a bare number is inches, the box's unit); None if Word would refuse it."""
    value = text.strip().lower()
    unit = "in"
    for suffix in ('"', "in", "cm", "mm", "pt"):
        if value.endswith(suffix):
            value, unit = value[: -len(suffix)].strip(), suffix
            break
    number = parse_number(value)
    if number is None or number < 0:
        return None
    points = round(number * POINTS_PER[unit], 1)
    return points if points <= 1584 else None


def points_text(points: float) -> str:
    return f"{points:g}"


def inches_text(points: float) -> str:
    return f'{round(points / 72, 2):g}"'


def sort_key(text: str, kind: str) -> tuple[int, object]:
    """Word's sort key for a cell: as text (case-insensitive), the first number, or a date; a cell
    that has none of the type sorts before the others in ascending order."""
    if kind == "Number":
        found = NUMBER.search(text)
        return (1, float(found.group().replace(",", ""))) if found else (0, 0.0)
    if kind == "Date":
        for fmt in DATE_FORMATS:
            try:
                return (1, datetime.strptime(text.strip(), fmt))
            except ValueError:
                continue
        return (0, datetime.min)
    return (1, text.casefold())


def sort_rows(table: Table, column: int, order: str, kind: str, header: bool) -> None:
    """Sort the rows (all but the first with a header row) by one column, keeping each row whole."""
    if any(r1 > r0 for r0, _, r1, _ in table.merges()):
        raise SimError("Word cannot sort a table that has vertically merged cells")
    first = 1 if header else 0
    body = list(range(first, table.rows))
    ordered = sorted(body, key=lambda r: sort_key(table.cell(r, column), kind), reverse=order == "Descending")
    moved = list(range(first)) + ordered  # new position -> old row
    if table.cells is not None:
        table.cells = [table.cells[old] for old in moved]
    new_of = {old: new for new, old in enumerate(moved)}
    props: dict[str, str] = {}
    for key, value in table.props.items():
        parts = key.split(".")
        if len(parts) in (2, 3) and parts[1].isdigit():
            parts[1] = str(new_of[int(parts[1])])
        props[".".join(parts)] = value
    table.props = props
    table.set_merges([(new_of[r0], c0, new_of[r1], c1) for r0, c0, r1, c1 in table.merges()])


def split_cell(table: Table, row: int, column: int, columns: int, rows: int) -> None:
    """Word's Split Cells on an unmerged cell: it becomes ``columns`` x ``rows`` cells, its text in
    the first; the grid grows and every other cell of the grown rows and columns spans them."""
    if table.merge_of(row, column) is not None:
        raise SimError("splitting a merged cell is not modelled")
    if columns > 1:
        table.insert_columns(column + 1, columns - 1)
    if rows > 1:
        table.insert_rows(row + 1, rows - 1)
    merges = table.merges()
    for r in range(table.rows):
        if columns > 1 and not row <= r < row + rows and table.merge_of(r, column) is None:
            merges.append((r, column, r, column + columns - 1))
    for c in range(table.columns):
        if rows > 1 and not column <= c < column + columns and table.merge_of(row, c) is None:
            merges.append((row, c, row + rows - 1, c))
    table.set_merges(merges)


def separator_char(kind: str, other: str = "") -> str:
    if kind in SEPARATORS:
        return SEPARATORS[kind]
    if not other:
        raise SimError("type the character that separates the text in the Other box")
    return other[0]


def split_items(text: str, sep: str) -> list[str]:
    return [text] if sep == "\n" else text.split(sep)


def text_to_table(doc: Document, blocks: list[int], sep: str, columns: int | None = None) -> int:
    """Replace consecutive paragraphs by a table: one row per paragraph, one cell per item (a
    paragraph with more items than columns runs on into the next row). Returns its block."""
    texts = [doc.para(b).text for b in blocks]
    if sep == "\n":
        rows = [[t] for t in texts] if not columns or columns == 1 else _flow(texts, columns)
    else:
        items = [split_items(t, sep) for t in texts]
        width = columns or max(len(i) for i in items)
        rows = [row for i in items for row in _flow(i, width)]
    width = max(len(r) for r in rows)
    cells = [r + [""] * (width - len(r)) for r in rows]
    table = Table(len(cells), width, cells=cells)
    first = blocks[0]
    del doc.blocks[first : blocks[-1] + 1]
    doc.blocks.insert(first, table)
    return first


def _flow(items: list[str], width: int) -> list[list[str]]:
    return [items[i : i + width] for i in range(0, max(len(items), 1), width)]


def table_to_text(doc: Document, block: int, sep: str) -> list[int]:
    """Replace a table by paragraphs: one per row, the cells joined by ``sep`` (paragraph marks:
    one per cell). Returns the new paragraphs' blocks."""
    table = doc.blocks[block]
    assert isinstance(table, Table)
    lines: list[str] = []
    for r in range(table.rows):
        texts = [table.cell(r, c) for c in range(table.columns) if not table.covered(r, c)]
        lines.extend(("\n".join(texts) if sep == "\n" else sep.join(texts)).split("\n"))
    pars: list[Paragraph] = [paragraph(line) for line in lines]
    doc.blocks[block : block + 1] = pars
    return list(range(block, block + len(pars)))


# ---- the selection ---------------------------------------------------------------------------------
def _selected(win: WordWindow) -> tuple[TableSel, Table]:
    sel = win.selection
    if not isinstance(sel, TableSel):
        raise SimError("put the cursor in a table first")
    table = win.doc.blocks[sel.block]
    assert isinstance(table, Table)
    return sel, table


def _rect(win: WordWindow) -> tuple[TableSel, Table, Rect]:
    sel, table = _selected(win)
    return sel, table, sel.rect(table)


def _whole(sel: TableSel, table: Table) -> bool:
    return sel.rect(table) == (0, 0, table.rows - 1, table.columns - 1)


def _cells_sel(block: int, rect: Rect) -> TableSel:
    r0, c0, r1, c1 = rect
    return TableSel(block, (r0, c0), (r1, c1))


# ---- cells on screen -------------------------------------------------------------------------------
def _cell_controls(win: WordWindow) -> list[Shown]:
    from lam.sim.word_ui.catalog import UiControl

    out: list[Shown] = []
    for n, block in enumerate(win.doc.tables(), start=1):
        table = win.doc.blocks[block]
        assert isinstance(table, Table)
        for r in range(table.rows):
            for c in range(table.columns):
                if table.covered(r, c):
                    continue
                control = UiControl("DataItem", f"Row {r + 1}, Column {c + 1}", group=f"Table {n}", parent="Document")
                out.append(window.Shown(control, f"part:table:{n}", table.cell(r, c)))
    return out


def _click_cell(win: WordWindow, control: Shown) -> str:
    number = int(control.place.split(":")[2])
    found = CELL_NAME.match(control.name)
    if found is None:
        raise SimError(f"{control.name!r} is not a table cell")
    block, _ = table_at(win.doc, number)
    cell = (int(found.group(1)) - 1, int(found.group(2)) - 1)
    win.select(TableSel(block, cell, cell, caret=True))
    return "ok"


# ---- effects ---------------------------------------------------------------------------------------
@register_effect("table_select")
def _select(win: WordWindow, what: object) -> str:
    sel, table, (r0, c0, r1, c1) = _rect(win)
    row, col = sel.active or (r0, c0)
    if what == "table":
        win.select(TableSel(sel.block))
    elif what == "row":
        win.select(_cells_sel(sel.block, (r0, 0, r1, table.columns - 1)))
    elif what == "column":
        win.select(_cells_sel(sel.block, (0, c0, table.rows - 1, c1)))
    else:
        win.select(_cells_sel(sel.block, (row, col, row, col)))
    return "ok"


@register_effect("table_insert")
def _insert(win: WordWindow, side: object) -> str:
    """Insert Above/Below/Left/Right: as many rows (columns) as the selection spans; the new ones
    end up selected, so a second click adds more on the same side."""
    sel, table, (r0, c0, r1, c1) = _rect(win)
    if side in ("above", "below"):
        count, at = r1 - r0 + 1, r0 if side == "above" else r1 + 1
        table.insert_rows(at, count)
        win.select(_cells_sel(sel.block, (at, 0, at + count - 1, table.columns - 1)))
    else:
        count, at = c1 - c0 + 1, c0 if side == "left" else c1 + 1
        table.insert_columns(at, count)
        win.select(_cells_sel(sel.block, (0, at, table.rows - 1, at + count - 1)))
    return "ok"


@register_effect("table_delete")
def _delete(win: WordWindow, what: object) -> str:
    sel, table, (r0, c0, r1, c1) = _rect(win)
    if (
        what == "table"
        or (what == "rows" and r1 - r0 + 1 == table.rows)
        or (what == "columns" and c1 - c0 + 1 == table.columns)
    ):
        del win.doc.blocks[sel.block]
        win.selection = None
        win.cursor = (sel.block, 0)
        win._clamp()
        return "ok"
    if what == "rows":
        table.delete_rows(r0, r1)
        row = min(r0, table.rows - 1)
        win.select(TableSel(sel.block, (row, c0), (row, c0), caret=True))
    else:
        table.delete_columns(c0, c1)
        col = min(c0, table.columns - 1)
        win.select(TableSel(sel.block, (r0, col), (r0, col), caret=True))
    return "ok"


@register_effect("table_merge")
def _merge(win: WordWindow, _: object) -> str:
    sel, table, rect = _rect(win)
    if len(cells_of(table, rect)) < 2:
        return NOTHING
    table.merge(rect)
    win.select(_cells_sel(sel.block, (rect[0], rect[1], rect[0], rect[1])))
    return "ok"


@register_effect("table_option")
def _option(win: WordWindow, name: object) -> str:
    _, table = _selected(win)
    key, default = STYLE_OPTIONS[str(name)]
    table.set_prop(key, "off" if style_option(table, str(name)) else "on", default)
    return "ok"


@register_effect("table_autofit")
def _autofit(win: WordWindow, mode: object) -> str:
    _, table = _selected(win)
    table.set_prop("autofit", str(mode), AUTOFIT_DEFAULT)
    return "ok"


@register_effect("table_borders")
def _borders(win: WordWindow, item: object) -> str:
    sel, table = _selected(win)
    if not _whole(sel, table):
        return "ok: borders of single cells are not modelled; select the whole table"
    toggle_borders(table, str(item))
    return "ok"


@register_effect("table_shading")
def _shading(win: WordWindow, color: object) -> str:
    _, table, rect = _rect(win)
    for r, c in cells_of(table, rect):
        table.set_prop(f"shading.{r}.{c}", "" if color == "No Color" else str(color))
    return "ok"


@register_effect("table_align")
def _align(win: WordWindow, name: object) -> str:
    _, table, rect = _rect(win)
    for r, c in cells_of(table, rect):
        table.set_prop(f"align.{r}.{c}", str(name), ALIGN_DEFAULT)
    return "ok"


@register_effect("table_repeat_header")
def _repeat_header(win: WordWindow, _: object) -> str:
    """Repeat Header Rows: on or off for the selected rows, which must start at the first row."""
    _, table, (r0, _c0, r1, _c1) = _rect(win)
    if r0 != 0:
        return "ok: Repeat Header Rows needs the selection to start in the first row; nothing changed"
    on = all(table.prop(f"repeat.{r}") == "on" for r in range(r0, r1 + 1))
    for r in range(r0, r1 + 1):
        table.set_prop(f"repeat.{r}", "" if on else "on")
    return "ok"


def _row_height(win: WordWindow, text: str) -> str:
    _, table, (r0, _c0, r1, _c1) = _rect(win)
    points = parse_length(text)
    if points is None:
        raise SimError('the measurement must be between 0" and 22"')
    for r in range(r0, r1 + 1):
        table.set_prop(f"height.{r}", points_text(points))
    return "ok"


# ---- dialogs ---------------------------------------------------------------------------------------
def _on(fields: dialogs.Fields, name: str) -> bool:
    return fields.get(name) == dialogs.ON


def _radio(fields: dialogs.Fields, names: tuple[str, ...]) -> str:
    return next((n for n in names if _on(fields, n)), names[0])


def apply_split(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    sel, table = _selected(win)
    cols = parse_number(after.get("Number of columns:", ""))
    rows = parse_number(after.get("Number of rows:", ""))
    if cols is None or rows is None or not (1 <= cols <= 63 and 1 <= rows <= 32767) or cols * rows < 2:
        raise SimError("the number of columns must be 1 to 63 and of rows 1 to 32767 (at least two cells)")
    row, col = sel.active or sel.anchor or (0, 0)
    split_cell(table, row, col, int(cols), int(rows))
    win.select(TableSel(sel.block, (row, col), (row, col), caret=True))
    return "ok"


def _column_of(table: Table, name: str, header: bool) -> int:
    found = re.fullmatch(r"column\s*(\d+)", name.strip(), re.IGNORECASE)
    if found and 1 <= int(found.group(1)) <= table.columns:
        return int(found.group(1)) - 1
    if header:
        for c in range(table.columns):
            if table.cell(0, c).strip().casefold() == name.strip().casefold():
                return c
    raise SimError(f"{name!r} is not a column of the table")


def read_sort(win: WordWindow) -> dialogs.Fields:
    _selected(win)
    return {"Sort by": "Column 1", "Type:": "Text"}


def apply_sort(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    _, table = _selected(win)
    header = _on(after, "Header row")
    column = _column_of(table, after.get("Sort by", ""), header)
    kind = after.get("Type:", "Text").strip().title()
    if kind not in ("Text", "Number", "Date"):
        raise SimError(f"not a sort type: {after.get('Type:')!r}")
    sort_rows(table, column, "Descending" if _on(after, "Descending") else "Ascending", kind, header)
    return "ok"


TEXT_SEPARATORS = ("Paragraphs", "Commas", "Tabs", "Other:")


def _detect(texts: list[str]) -> str:
    return "Tabs" if any("\t" in t for t in texts) else "Paragraphs"


def read_text_to_table(win: WordWindow) -> dialogs.Fields:
    blocks = win.target_paragraphs()
    texts = [win.doc.para(b).text for b in blocks]
    kind = _detect(texts)
    columns = max((len(split_items(t, SEPARATORS[kind])) for t in texts), default=1)
    out = {name: dialogs.ON if name == kind else dialogs.OFF for name in TEXT_SEPARATORS}
    return {**out, "Number of columns:": str(columns), "Number of rows:": str(len(texts))}


def apply_text_to_table(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    blocks = [b for b in win.target_paragraphs() if isinstance(win.doc.blocks[b], Paragraph)]
    if not blocks or blocks != list(range(blocks[0], blocks[-1] + 1)):
        raise SimError("select the paragraphs to convert first")
    sep = separator_char(_radio(after, TEXT_SEPARATORS), after.get("Other", ""))
    typed = after.get("Number of columns:", "")
    columns = None
    if typed != before.get("Number of columns:"):  # Word fills the count in; a typed one wins
        number = parse_number(typed)
        if number is None or not 1 <= number <= 63:
            raise SimError("the number of columns must be between 1 and 63")
        columns = int(number)
    at = text_to_table(win.doc, blocks, sep, columns)
    autofit = _radio(after, ("Fixed column width:", "AutoFit to contents", "AutoFit to window"))
    table = win.doc.blocks[at]
    assert isinstance(table, Table)
    table.set_prop("autofit", {"AutoFit to contents": "AutoFit Contents", "AutoFit to window": "AutoFit Window"}
                   .get(autofit, AUTOFIT_DEFAULT), AUTOFIT_DEFAULT)  # fmt: skip
    win.select(TableSel(at))
    return "ok"


TABLE_SEPARATORS = ("Paragraph marks", "Tabs", "Commas", "Other:")


def apply_table_to_text(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    sel, _ = _selected(win)
    sep = separator_char(_radio(after, TABLE_SEPARATORS), after.get("Other", ""))
    blocks = table_to_text(win.doc, sel.block, sep)
    win.select(TextSel(tuple((b, 0, len(win.doc.para(b).text)) for b in blocks)))
    return "ok"


# ---- what the controls show -------------------------------------------------------------------------
def _value(win: WordWindow, c: UiControl, place: str) -> str | None:
    sel = win.selection
    if not isinstance(sel, TableSel) or not (place.startswith(("tab:Table ", "menu:", "group:"))):
        return None
    table = win.doc.blocks[sel.block]
    if not isinstance(table, Table):
        return None
    r0, _, r1, _ = sel.rect(table)
    if place == "tab:Table Design" and c.control_type == "CheckBox" and c.name in STYLE_OPTIONS:
        return "on" if style_option(table, c.name) else "off"
    if c.control_type == "ListItem" and place in ("tab:Table Design", "menu:Table Styles"):
        return "selected" if table.style == c.name else None
    if place == "menu:Table Borders" and c.name in BORDER_ITEMS and c.name != "No Border":
        return "on" if BORDER_ITEMS[c.name] <= borders(table) else "off"
    if place == "tab:Table Layout":
        if c.name in ALIGNMENTS:
            aligns = {table.prop(f"align.{r}.{col}", ALIGN_DEFAULT) for r, col in cells_of(table, sel.rect(table))}
            return "on" if aligns == {c.name} else "off"
        if c.name == "Repeat Header Rows":
            return "on" if all(table.prop(f"repeat.{r}") == "on" for r in range(r0, r1 + 1)) else "off"
        if c.name == "Table Row Height":
            heights = {table.prop(f"height.{r}") for r in range(r0, r1 + 1)}
            if len(heights) != 1:
                return ""
            height = heights.pop()
            return inches_text(float(height)) if height else None
    if place == "menu:AutoFit" and c.control_type == "MenuItem":
        return "on" if table.prop("autofit", AUTOFIT_DEFAULT) == c.name else "off"
    return None


window.DOCUMENT_PARTS.append(_cell_controls)
window.PART_CLICKS["table"] = _click_cell
window.TEXT_SETTERS["row_height"] = _row_height
window.VALUE_READERS.append(_value)
dialogs.READERS.update({"Sort": read_sort, "Convert Text to Table": read_text_to_table})
dialogs.APPLIERS.update(
    {"split_cells": apply_split, "sort": apply_sort, "text_to_table": apply_text_to_table,
     "table_to_text": apply_table_to_text}
)  # fmt: skip
