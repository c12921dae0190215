"""Table families: insert, reshape, style, sort, convert and fill Word tables.

Targets: ``table`` (``{"table": n}``, the n-th table, 1-based; families add the row or column the
user names: ``row``, ``column``, 0-based) and ``table_cell`` (``{"table": n, "rect": [r0, c0, r1,
c1]}``, a block of cells, 0-based and inclusive; one cell, a row, a column or the whole table).

How the expert points inside a table (see lam.sim.word2.behaviours.table): it clicks the cell,
which Word's UI Automation lists as a ``DataItem`` named "Row r, Column c" (the caret goes there),
then widens the selection the way a Word user does: Layout > Select > Select Cell / Row / Column
and Shift+arrow keys, which add whole cells once whole cells are selected. A whole table is
selected with ``select_table(n)``. Setup puts a table with a header row and a few body rows
(``table_data.yaml``) after a body paragraph of the base document.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from lam.sim.document import Document, Paragraph, Table, paragraph
from lam.sim.editing import TableSel
from lam.sim.word2 import WordWindow
from lam.sim.word2.behaviours.table import (
    BORDER_ITEMS,
    SEPARATORS,
    STYLE_OPTIONS,
    borders,
    cells_of,
    parse_length,
    place_table,
    points_text,
    set_borders,
    sort_key,
    sort_rows,
    split_cell,
    style_option,
    table_at,
    table_to_text,
    text_to_table,
)
from lam.sim.word_ui import load_catalog as load_ui_catalog
from lam.tasks.v2.ops import Act, Op, OpKind, _click, click_ribbon, reach, select_target
from lam.tasks.v2.split_values import split_values
from lam.tasks.v2.targets import ORDINALS, NoTarget, register_target

DATA_FILE = Path(__file__).resolve().parent / "table_data.yaml"
LAYOUT, DESIGN = "Table Layout", "Table Design"


@cache
def _themes() -> list[list[dict[str, Any]]]:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return [list(theme["columns"]) for theme in raw["themes"]]


def _plain(value: Any) -> Any:
    """Pool values come as read-only mappings; an op is plain JSON."""
    return dict(value) if isinstance(value, Mapping) else value


# ---- setup -------------------------------------------------------------------------------------------
def _make_table(rng: random.Random, blanks: int = 0) -> Table:
    columns = _themes()[rng.randrange(len(_themes()))]
    extra = sorted(rng.sample(range(1, len(columns)), rng.randint(2, len(columns) - 1)))
    chosen = [columns[0], *(columns[k] for k in extra)]
    rows = rng.sample(range(len(columns[0]["values"])), rng.randint(3, 6))
    cells = [[str(c["heading"]) for c in chosen]]
    cells += [[str(c["values"][r]) for c in chosen] for r in rows]
    body = [(r, c) for r in range(1, len(cells)) for c in range(1, len(chosen))]
    for r, c in rng.sample(body, min(blanks, len(body))):
        cells[r][c] = ""
    style = rng.choice(("Table Grid", "Table Grid", "Grid Table 4 - Accent 1", "List Table 3"))
    return Table(len(cells), len(chosen), style, cells)


def _add_table(doc: Document, rng: random.Random, blanks: int = 0) -> Table:
    """A table after a body paragraph (never last: Word keeps a paragraph after a table)."""
    table = _make_table(rng, blanks)
    pars = [i for i, _ in doc.paragraphs()][1:-1] or [0]
    doc.insert_block(rng.choice(pars), table)
    return table


def _setup(doc: Document, rng: random.Random) -> None:
    _add_table(doc, rng)


def _setup_blanks(doc: Document, rng: random.Random) -> None:
    _add_table(doc, rng, blanks=rng.randint(1, 3))


def _setup_autofit(doc: Document, rng: random.Random) -> None:
    _add_table(doc, rng).set_prop("autofit", rng.choice(("AutoFit Contents", "AutoFit Window")), "")


def _setup_borders(doc: Document, rng: random.Random) -> None:
    table = _add_table(doc, rng)
    set_borders(table, BORDER_ITEMS[rng.choice(("All Borders", "Outside Borders", "Inside Borders", "No Border"))])


def _setup_lines(doc: Document, rng: random.Random) -> None:
    """Three to five paragraphs of items split by one of the pool's separators (a header line
    first), after a body paragraph: what Convert Text to Table turns into a table."""
    pool = [_plain(v) for v in split_values("text_separators")]
    sep_item = rng.choice(pool)
    sep = _separator(sep_item)
    columns = _themes()[rng.randrange(len(_themes()))]
    rows = rng.sample(range(8), rng.randint(2, 4))
    usable = [c for c in columns if all(sep not in str(v) for v in c["values"]) and "," not in "".join(c["values"])]
    if sep == "\n":
        lines = [str(usable[0]["values"][r]) for r in rows]
    else:
        chosen = usable[: rng.randint(2, min(4, len(usable)))]
        lines = [sep.join(str(c["heading"]) for c in chosen)]
        lines += [sep.join(str(c["values"][r]) for c in chosen) for r in rows]
    at = rng.choice([i for i, _ in doc.paragraphs()][1:-1] or [0])
    for k, line in enumerate(lines):
        doc.insert_block(at + k, paragraph(line))


# ---- targets -----------------------------------------------------------------------------------------
def _table_ref(doc: Document, number: int, rng: random.Random) -> str:
    _, table = table_at(doc, number)
    refs = [f"the {ORDINALS[number - 1]} table"]
    if len(doc.tables()) == 1:
        refs.append("the table")
    head = table.cell(0, 0)
    if head and sum(isinstance(b, Table) and b.cell(0, 0) == head for b in doc.blocks) == 1:
        refs.append(f'the table with the "{head}" column')
    return rng.choice(refs)


def _pick_table(doc: Document, rng: random.Random) -> int:
    if not doc.tables():
        raise NoTarget("the document has no table")
    return rng.randrange(len(doc.tables())) + 1


@register_target("table")
def _draw_table(doc: Document, rng: random.Random) -> dict[str, Any]:
    number = _pick_table(doc, rng)
    return {"text": None, "table": number, "ref": _table_ref(doc, number, rng)}


@register_target("table_cell")
def _draw_cell(doc: Document, rng: random.Random) -> dict[str, Any]:
    number = _pick_table(doc, rng)
    _, table = table_at(doc, number)
    r, c = rng.choice(cells_of(table, (0, 0, table.rows - 1, table.columns - 1)))
    return {"text": None, "table": number, "rect": [r, c, r, c], "ref": _cell_ref(doc, number, r, c, rng)}


def _unique_in(values: list[str], text: str) -> bool:
    return bool(text) and sum(v.casefold() == text.casefold() for v in values) == 1


def _row_ref(doc: Document, number: int, row: int, rng: random.Random, rows: int = 1) -> str:
    _, table = table_at(doc, number)
    where = _table_ref(doc, number, rng)
    first = table.cell(row, 0)
    if rows == 1:
        refs = [f"row {row + 1} of {where}", f"the {ORDINALS[row]} row of {where}" if row < len(ORDINALS) else ""]
        if _unique_in([table.cell(r, 0) for r in range(table.rows)], first):
            refs.append(f'the row starting with "{first}" in {where}')
    else:
        refs = [f"row {row + 1} of {where}"]
        if _unique_in([table.cell(r, 0) for r in range(table.rows)], first):
            refs.append(f'the row starting with "{first}" in {where}')
    return rng.choice([r for r in refs if r])


def _column_ref(doc: Document, number: int, column: int, rng: random.Random) -> str:
    _, table = table_at(doc, number)
    where = _table_ref(doc, number, rng)
    head = table.cell(0, column)
    refs = [f"column {column + 1} of {where}"]
    if _unique_in([table.cell(0, c) for c in range(table.columns)], head):
        refs.append(f'the "{head}" column of {where}')
    return rng.choice(refs)


def _cell_ref(doc: Document, number: int, row: int, column: int, rng: random.Random) -> str:
    _, table = table_at(doc, number)
    where = _table_ref(doc, number, rng)
    refs = [f"the cell in row {row + 1}, column {column + 1} of {where}"]
    head, key = table.cell(0, column), table.cell(row, 0)
    heads = [table.cell(0, c) for c in range(table.columns)]
    keys = [table.cell(r, 0) for r in range(table.rows)]
    if row > 0 and column > 0 and _unique_in(heads, head) and _unique_in(keys, key):
        refs.append(f'the "{head}" cell of the "{key}" row in {where}')
    return rng.choice(refs)


def _rect_ref(doc: Document, number: int, rect: list[int], rng: random.Random) -> str:
    r0, c0, r1, c1 = rect
    _, table = table_at(doc, number)
    where = _table_ref(doc, number, rng)
    if (r0, c0, r1, c1) == (0, 0, table.rows - 1, table.columns - 1):
        return rng.choice((f"every cell of {where}", f"all of {where}"))
    if (r0, r1) == (0, table.rows - 1) and c0 == c1:
        return _column_ref(doc, number, c0, rng)
    if (c0, c1) == (0, table.columns - 1) and r0 == r1:
        return f"the cells of {_row_ref(doc, number, r0, rng)}"
    if (r0, c0) == (r1, c1):
        return _cell_ref(doc, number, r0, c0, rng)
    if r0 == r1:
        return f"the cells in row {r0 + 1}, columns {c0 + 1} to {c1 + 1} of {where}"
    if c0 == c1:
        return f"the cells in column {c0 + 1}, rows {r0 + 1} to {r1 + 1} of {where}"
    return f"the cells from row {r0 + 1}, column {c0 + 1} to row {r1 + 1}, column {c1 + 1} of {where}"


def _table(doc: Document, op: Op) -> Table:
    return table_at(doc, int(op["target"]["table"]))[1]


def _rect(op: Op) -> tuple[int, int, int, int]:
    r0, c0, r1, c1 = (int(x) for x in op["target"]["rect"])
    return (r0, c0, r1, c1)


# ---- expert steps -------------------------------------------------------------------------------------
def _in_cell(win: WordWindow, op: Op, row: int = 0, column: int = 0) -> Iterator[Act]:
    """Click in the cell (the caret goes there), unless the caret is there already."""
    number = int(op["target"]["table"])
    block, _ = table_at(win.doc, number)
    if win.selection == TableSel(block, (row, column), (row, column), caret=True):
        return
    name = f"Row {row + 1}, Column {column + 1}"
    yield _click("DataItem", name, f"Click in the cell at row {row + 1}, column {column + 1}", f"part:table:{number}")


def _whole_table(win: WordWindow, op: Op) -> Iterator[Act]:
    number = int(op["target"]["table"])
    block, _ = table_at(win.doc, number)
    if win.selection != TableSel(block):
        yield Act("select_table", {"number": number}, None, f"Select {op['target']['ref']}")


def _menu_item(
    win: WordWindow, tab: str, opener: str, menu: str, item: str, destructive: bool = False
) -> Iterator[Act]:
    if win.open_menu != menu:
        yield from click_ribbon(win, tab, "Button", opener, f"Open the {opener} menu")
    yield Act("click_input", {"button": "left", "double": False}, ("MenuItem", item, f"menu:{menu}"),
              f"Choose {item}", destructive=destructive)  # fmt: skip


def _select(win: WordWindow, what: str) -> Iterator[Act]:
    yield from _menu_item(win, LAYOUT, "Select", "Select Table", f"Select {what}")


def _extend(win: WordWindow, key: str, times: int) -> Iterator[Act]:
    for k in range(times):
        yield Act("keyboard_input", {"keys": f"+{{{key}}}"}, ("Document", win.name),
                  f"Extend the selection one cell {key.lower()} ({k + 1} of {times})")  # fmt: skip


def _select_rect(win: WordWindow, op: Op) -> Iterator[Act]:
    """Select a block of cells: click its first cell, then Select Cell / Row / Column / select_table,
    and Shift+arrow keys for the rest."""
    r0, c0, r1, c1 = _rect(op)
    table = _table(win.doc, op)
    if (r0, c0, r1, c1) == (0, 0, table.rows - 1, table.columns - 1):
        yield from _whole_table(win, op)
        return
    yield from _in_cell(win, op, r0, c0)
    if (r0, c0) == (r1, c1):
        return
    if (c0, c1) == (0, table.columns - 1):
        yield from _select(win, "Row")
        yield from _extend(win, "DOWN", r1 - r0)
    elif (r0, r1) == (0, table.rows - 1):
        yield from _select(win, "Column")
        yield from _extend(win, "RIGHT", c1 - c0)
    else:
        yield from _select(win, "Cell")
        yield from _extend(win, "RIGHT", c1 - c0)
        yield from _extend(win, "DOWN", r1 - r0)


def _ok(dialog: str) -> Act:
    return _click("Button", "OK", "Click OK", f"dialog:{dialog}")


def _field(dialog: str, control_type: str, name: str, value: str) -> Act:
    return Act("set_edit_text", {"text": value}, (control_type, name, f"dialog:{dialog}"), f"Set {name} to {value}")


def _radio(dialog: str, name: str) -> Act:
    return _click("RadioButton", name, f"Choose {name}", f"dialog:{dialog}")


def _never(doc: Document, op: Op) -> bool:
    return False


def _keys(text: str) -> str:
    """Text as pywinauto keys: its special characters in braces."""
    return "".join(f"{{{ch}}}" if ch in "+^%~(){}[]" else ch for ch in text)


# ---- insert_table ---------------------------------------------------------------------------------------
DOC_POSITIONS = ("end of document", "start of document")
PAR_POSITIONS = ("after paragraph", "before paragraph")


def _insert_table_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    op["shape"] = _plain(op["shape"])
    fits = DOC_POSITIONS if op["target"]["kind"] == "document" else PAR_POSITIONS
    if op["position"] not in fits:
        op["position"] = rng.choice(fits)
    return op


def _caret(doc: Document, op: Op) -> tuple[int, int]:
    position = op["position"]
    if position == "start of document":
        return (0, 0)
    if position == "end of document":
        last = len(doc.blocks) - 1
        block = doc.blocks[last]
        return (last, len(block.text) if isinstance(block, Paragraph) else 0)
    span = doc.find(str(op["target"]["text"]))
    assert span is not None
    return (span[0], 0 if position == "before paragraph" else len(doc.para(span[0]).text))


def _insert_table_apply(doc: Document, op: Op) -> None:
    block, offset = _caret(doc, op)
    place_table(doc, block, offset, Table(int(op["shape"]["rows"]), int(op["shape"]["columns"])))


def _insert_table_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    doc_label = ("Document", win.name)
    if op["target"]["kind"] == "document":
        keys = "^{END}" if op["position"] == "end of document" else "^{HOME}"
        yield Act("keyboard_input", {"keys": keys}, doc_label, f"Put the cursor at the {op['position']}")
    else:
        yield Act("select_text", {"text": op["target"]["text"]}, None, f"Click in {op['target']['ref']}")
        keys = "{END}" if op["position"] == "after paragraph" else "{HOME}"
        yield Act("keyboard_input", {"keys": keys}, doc_label, f"Put the cursor at the {keys[1:-1].lower()} of it")
    yield from click_ribbon(win, "Insert", "Button", "Table", "Open the Table menu")
    yield _click("MenuItem", "Insert Table...", "Choose Insert Table...", "menu:Table")
    yield _field("Insert Table", "Spinner", "Number of columns:", str(op["shape"]["columns"]))
    yield _field("Insert Table", "Spinner", "Number of rows:", str(op["shape"]["rows"]))
    yield _ok("Insert Table")


# ---- rows and columns -------------------------------------------------------------------------------------
def _draw_row(doc: Document, rng: random.Random, op: Op, first: int = 0, need: int = 1) -> Op:
    number = int(op["target"]["table"])
    _, table = table_at(doc, number)
    last = table.rows - need
    if last < first:
        raise NoTarget("the table has too few rows")
    row = rng.randint(first, last)
    op["target"] = {**op["target"], "row": row, "ref": _row_ref(doc, number, row, rng, need)}
    return op


def _draw_column(doc: Document, rng: random.Random, op: Op, need: int = 1) -> Op:
    number = int(op["target"]["table"])
    _, table = table_at(doc, number)
    if table.columns - need < 0:
        raise NoTarget("the table has too few columns")
    column = rng.randint(0, table.columns - need)
    op["target"] = {**op["target"], "column": column, "ref": _column_ref(doc, number, column, rng)}
    return op


def _insert_rows_apply(doc: Document, op: Op) -> None:
    row = int(op["target"]["row"])
    _table(doc, op).insert_rows(row if op["side"] == "Above" else row + 1, int(op["count"]))


def _insert_rows_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _in_cell(win, op, int(op["target"]["row"]), 0)
    name = f"Insert {op['side']}"
    for k in range(int(op["count"])):
        yield from click_ribbon(win, LAYOUT, "Button", name, f"Click {name} ({k + 1} of {op['count']})")


def _insert_columns_apply(doc: Document, op: Op) -> None:
    column = int(op["target"]["column"])
    _table(doc, op).insert_columns(column if op["side"] == "Left" else column + 1, int(op["count"]))


def _insert_columns_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _in_cell(win, op, 0, int(op["target"]["column"]))
    name = f"Insert {op['side']}"
    for k in range(int(op["count"])):
        yield from click_ribbon(win, LAYOUT, "Button", name, f"Click {name} ({k + 1} of {op['count']})")


def _delete_rows_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    return _draw_row(doc, rng, op, first=1, need=int(op["count"]))


def _delete_rows_apply(doc: Document, op: Op) -> None:
    row = int(op["target"]["row"])
    _table(doc, op).delete_rows(row, row + int(op["count"]) - 1)


def _delete_rows_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _in_cell(win, op, int(op["target"]["row"]), 0)
    yield from _select(win, "Row")
    yield from _extend(win, "DOWN", int(op["count"]) - 1)
    yield from _menu_item(win, LAYOUT, "Delete", "Delete Table", "Delete Rows", destructive=True)


def _delete_columns_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    if _table(doc, op).columns <= int(op["count"]):
        op["count"] = _table(doc, op).columns - 1
    return _draw_column(doc, rng, op, need=int(op["count"]))


def _delete_columns_apply(doc: Document, op: Op) -> None:
    column = int(op["target"]["column"])
    _table(doc, op).delete_columns(column, column + int(op["count"]) - 1)


def _delete_columns_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _in_cell(win, op, 0, int(op["target"]["column"]))
    yield from _select(win, "Column")
    yield from _extend(win, "RIGHT", int(op["count"]) - 1)
    yield from _menu_item(win, LAYOUT, "Delete", "Delete Table", "Delete Columns", destructive=True)


# ---- merge and split ----------------------------------------------------------------------------------------
def _merge_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    number = int(op["target"]["table"])
    _, table = table_at(doc, number)
    shapes: list[list[int]] = [[0, 0, 0, table.columns - 1]]  # a heading across the table
    r = rng.randrange(table.rows)
    k = rng.randint(2, table.columns)
    shapes.append([r, 0, r, k - 1])
    c = rng.randrange(table.columns)
    top = rng.randrange(table.rows - 1)
    shapes.append([top, c, rng.randint(top + 1, table.rows - 1), c])
    rect = rng.choice(shapes)
    op["target"] = {**op["target"], "rect": rect, "ref": _rect_ref(doc, number, rect, rng)}
    return op


def _merge_apply(doc: Document, op: Op) -> None:
    _table(doc, op).merge(_rect(op))


def _merge_satisfied(doc: Document, op: Op) -> bool:
    return _rect(op) in _table(doc, op).merges()


def _merge_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    r0, c0, r1, c1 = _rect(op)
    yield from _in_cell(win, op, r0, c0)
    yield from _select(win, "Cell")
    yield from _extend(win, "RIGHT", c1 - c0)
    yield from _extend(win, "DOWN", r1 - r0)
    yield from click_ribbon(win, LAYOUT, "Button", "Merge Cells")


def _split_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    op["shape"] = _plain(op["shape"])
    return op


def _split_apply(doc: Document, op: Op) -> None:
    r, c, _, _ = _rect(op)
    split_cell(_table(doc, op), r, c, int(op["shape"]["columns"]), int(op["shape"]["rows"]))


def _split_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    r, c, _, _ = _rect(op)
    yield from _in_cell(win, op, r, c)
    yield from click_ribbon(win, LAYOUT, "Button", "Split Cells")
    yield _field("Split Cells", "Spinner", "Number of columns:", str(op["shape"]["columns"]))
    yield _field("Split Cells", "Spinner", "Number of rows:", str(op["shape"]["rows"]))
    yield _ok("Split Cells")


# ---- Table Design ---------------------------------------------------------------------------------------------
def _style_apply(doc: Document, op: Op) -> None:
    _table(doc, op).style = str(op["style"])


def _style_satisfied(doc: Document, op: Op) -> bool:
    return _table(doc, op).style == str(op["style"])


def _on_screen(win: WordWindow, control_type: str, name: str, place: str) -> bool:
    return any(s.control_type == control_type and s.name == name and s.place == place for s in win.controls())


def _style_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _in_cell(win, op)
    style = str(op["style"])
    yield from reach(win, DESIGN, "Button", "More")
    if _on_screen(win, "ListItem", style, f"tab:{DESIGN}"):
        yield _click("ListItem", style, f"Choose {style}", f"tab:{DESIGN}")
        return
    yield _click("Button", "More", "Open the Table Styles gallery")
    yield _click("ListItem", style, f"Choose {style}", "menu:Table Styles")


def _option_apply(doc: Document, op: Op) -> None:
    key, default = STYLE_OPTIONS[str(op["option"])]
    _table(doc, op).set_prop(key, "on" if op["state"] == "On" else "off", default)


def _option_satisfied(doc: Document, op: Op) -> bool:
    return style_option(_table(doc, op), str(op["option"])) == bool(op["state"] == "On")


def _option_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _in_cell(win, op)
    yield from click_ribbon(win, DESIGN, "CheckBox", str(op["option"]), f"Set {op['option']} {op['state']}")


def _shading_palette() -> frozenset[str]:
    items = load_ui_catalog().menus["Table Shading"].items
    return frozenset(c.name for c in items if c.control_type == "ListItem")


def _cells_draw(doc: Document, rng: random.Random, op: Op, whole: bool) -> Op:
    """A cell, a row, a column (or, with ``whole``, every cell of the table)."""
    number = int(op["target"]["table"])
    _, table = table_at(doc, number)
    r0, c0, _, _ = _rect(op)
    shapes = [[r0, c0, r0, c0], [r0, 0, r0, table.columns - 1], [0, c0, table.rows - 1, c0]]
    if whole:
        shapes.append([0, 0, table.rows - 1, table.columns - 1])
    rect = rng.choice(shapes)
    op["target"] = {**op["target"], "rect": rect, "ref": _rect_ref(doc, number, rect, rng)}
    return op


def _shading_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    palette = _shading_palette()
    if op["color"] not in palette:
        op["color"] = rng.choice(sorted(c for c in split_values("theme_colors") if c in palette))
    return _cells_draw(doc, rng, op, whole=False)


def _shading_apply(doc: Document, op: Op) -> None:
    table = _table(doc, op)
    for r, c in cells_of(table, _rect(op)):
        table.set_prop(f"shading.{r}.{c}", str(op["color"]))


def _shading_satisfied(doc: Document, op: Op) -> bool:
    table = _table(doc, op)
    return all(table.prop(f"shading.{r}.{c}") == op["color"] for r, c in cells_of(table, _rect(op)))


def _shading_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _select_rect(win, op)
    if win.open_menu != "Table Shading":
        yield from click_ribbon(win, DESIGN, "SplitButton", "Shading", "Open the Shading drop-down")
    yield _click("ListItem", str(op["color"]), f"Choose {op['color']}", "menu:Table Shading")


def _borders_apply(doc: Document, op: Op) -> None:
    set_borders(_table(doc, op), BORDER_ITEMS[str(op["border"])])


def _borders_satisfied(doc: Document, op: Op) -> bool:
    return borders(_table(doc, op)) == BORDER_ITEMS[str(op["border"])]


def _borders_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _whole_table(win, op)
    want = BORDER_ITEMS[str(op["border"])]
    if borders(_table(win.doc, op)) - want:  # lines that must go: clear them all first
        yield from click_ribbon(win, DESIGN, "SplitButton", "Borders", "Open the Borders drop-down")
        yield _click("MenuItem", "No Border", "Choose No Border", "menu:Table Borders")
    if want and borders(_table(win.doc, op)) != want:
        yield from click_ribbon(win, DESIGN, "SplitButton", "Borders", "Open the Borders drop-down")
        yield _click("MenuItem", str(op["border"]), f"Choose {op['border']}", "menu:Table Borders")


# ---- Table Layout -----------------------------------------------------------------------------------------------
def _delete_table_apply(doc: Document, op: Op) -> None:
    block, _ = table_at(doc, int(op["target"]["table"]))
    del doc.blocks[block]


def _delete_table_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _in_cell(win, op)
    yield from _menu_item(win, LAYOUT, "Delete", "Delete Table", "Delete Table", destructive=True)


def _autofit_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    current = _table(doc, op).prop("autofit", "Fixed Column Width")
    if op["mode"] == current:
        op["mode"] = rng.choice([m for m in split_values("autofit_modes") if m != current])
    return op


def _autofit_apply(doc: Document, op: Op) -> None:
    _table(doc, op).set_prop("autofit", str(op["mode"]), "Fixed Column Width")


def _autofit_satisfied(doc: Document, op: Op) -> bool:
    return _table(doc, op).prop("autofit", "Fixed Column Width") == str(op["mode"])


def _autofit_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _in_cell(win, op)
    yield from _menu_item(win, LAYOUT, "AutoFit", "AutoFit", str(op["mode"]))


def _align_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    return _cells_draw(doc, rng, op, whole=True)


def _align_apply(doc: Document, op: Op) -> None:
    table = _table(doc, op)
    for r, c in cells_of(table, _rect(op)):
        table.set_prop(f"align.{r}.{c}", str(op["alignment"]), "Align Top Left")


def _align_satisfied(doc: Document, op: Op) -> bool:
    table = _table(doc, op)
    return all(table.prop(f"align.{r}.{c}", "Align Top Left") == op["alignment"] for r, c in cells_of(table, _rect(op)))


def _align_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _select_rect(win, op)
    yield from click_ribbon(win, LAYOUT, "Button", str(op["alignment"]))


def _repeat_apply(doc: Document, op: Op) -> None:
    _table(doc, op).set_prop("repeat.0", "on")


def _repeat_satisfied(doc: Document, op: Op) -> bool:
    return _table(doc, op).prop("repeat.0") == "on"


def _repeat_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _in_cell(win, op)
    yield from click_ribbon(win, LAYOUT, "Button", "Repeat Header Rows")


def _height_points(op: Op) -> str:
    points = parse_length(f"{op['height']['value']} {op['height']['unit']}")
    assert points is not None
    return points_text(points)


def _height_rows(doc: Document, op: Op) -> range:
    row = op["target"].get("row")
    return range(_table(doc, op).rows) if row is None else range(int(row), int(row) + 1)


def _height_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    op["height"] = _plain(op["height"])
    if rng.random() < 0.5:
        return op  # every row: the target stays the table
    return _draw_row(doc, rng, op)


def _height_apply(doc: Document, op: Op) -> None:
    table = _table(doc, op)
    for r in _height_rows(doc, op):
        table.set_prop(f"height.{r}", _height_points(op))


def _height_satisfied(doc: Document, op: Op) -> bool:
    table = _table(doc, op)
    return all(table.prop(f"height.{r}") == _height_points(op) for r in _height_rows(doc, op))


def _height_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    row = op["target"].get("row")
    if row is None:
        yield from _whole_table(win, op)
    else:
        yield from _in_cell(win, op, int(row), 0)
    value, unit = op["height"]["value"], op["height"]["unit"]
    text = f'{value}"' if unit == "in" else f"{value} {unit}"
    yield from reach(win, LAYOUT, "Spinner", "Table Row Height")
    yield Act("set_edit_text", {"text": text}, ("Spinner", "Table Row Height"), f"Set the row height to {text}")


# ---- sort -------------------------------------------------------------------------------------------------------
def _column_kind(table: Table, column: int) -> set[str]:
    """The sort types a column's body cells all read as (Text always)."""
    body = [table.cell(r, column) for r in range(1, table.rows)]
    kinds = {"Text"}
    for kind in ("Number", "Date"):
        if body and all(sort_key(t, kind)[0] for t in body):
            kinds.add(kind)
    return kinds


def _sort_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    number = int(op["target"]["table"])
    _, table = table_at(doc, number)
    fits = [c for c in range(table.columns) if op["type"] in _column_kind(table, c)]
    if op["type"] == "Text":
        fits = [c for c in fits if _column_kind(table, c) == {"Text"}] or fits
    if not fits:
        op["type"] = "Text"
        fits = list(range(table.columns))
    column = rng.choice(fits)
    head = table.cell(0, column)
    where = _table_ref(doc, number, rng)
    ref = f'{where}, by its "{head}" column' if head else f"{where}, by column {column + 1}"
    op["target"] = {**op["target"], "column": column, "ref": ref}
    return op


def _sort_apply(doc: Document, op: Op) -> None:
    sort_rows(_table(doc, op), int(op["target"]["column"]), str(op["order"]), str(op["type"]), header=True)


def _sort_satisfied(doc: Document, op: Op) -> bool:
    table = _table(doc, op)
    probe = copy.deepcopy(table)
    sort_rows(probe, int(op["target"]["column"]), str(op["order"]), str(op["type"]), header=True)
    return probe.cells == table.cells


def _sort_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _in_cell(win, op)
    yield from click_ribbon(win, LAYOUT, "Button", "Sort")
    table = _table(win.doc, op)
    column = int(op["target"]["column"])
    head = table.cell(0, column)
    heads = [table.cell(0, c).casefold() for c in range(table.columns)]
    by = head if head and heads.count(head.casefold()) == 1 else f"Column {column + 1}"
    yield _radio("Sort", "Header row")
    yield _field("Sort", "ComboBox", "Sort by", by)
    yield _field("Sort", "ComboBox", "Type:", str(op["type"]))
    yield _radio("Sort", str(op["order"]))
    yield _ok("Sort")


# ---- converting -------------------------------------------------------------------------------------------------
def _separator(item: Mapping[str, Any]) -> str:
    return str(item["character"]) if item["separator"] == "Other" else SEPARATORS[str(item["separator"])]


def _lines_of(doc: Document) -> tuple[list[int], dict[str, Any]]:
    """The paragraphs of items that setup added, and their separator (pool item)."""
    pars = doc.paragraphs()
    pool = [_plain(v) for v in split_values("text_separators")]

    def data(text: str) -> bool:
        return bool(text) and not text.rstrip().endswith((".", "!", "?")) and len(text) < 80

    for item in pool:
        sep = _separator(item)
        for k in range(1, len(pars) - 1):
            run: list[int] = []
            for b, par in pars[k:]:
                ok = data(par.text) and (all(s not in par.text for s in "\t,;|/") if sep == "\n" else sep in par.text)
                if not ok or (run and b != run[-1] + 1):
                    break
                run.append(b)
            if len(run) >= 2:
                return run, item
    raise NoTarget("the document has no paragraphs of separated items")


def _text_table_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    blocks, item = _lines_of(doc)
    index = [b for b, _ in doc.paragraphs()].index(blocks[0])
    last = index + len(blocks) - 1
    if last >= len(ORDINALS):
        raise NoTarget("the paragraphs are too far down to be named by order")
    ref = (f"the {ORDINALS[index]} and {ORDINALS[last]} paragraphs" if len(blocks) == 2
           else f"the {ORDINALS[index]} to {ORDINALS[last]} paragraphs")  # fmt: skip
    first = doc.para(blocks[0]).text
    if doc.count(first) != 1:
        raise NoTarget("the first paragraph's text is not unique")
    op["target"] = {"kind": "paragraphs", "text": first, "count": len(blocks), "ref": ref}
    op["separator"] = item
    return op


def _text_blocks(doc: Document, op: Op) -> list[int]:
    span = doc.find(str(op["target"]["text"]))
    assert span is not None
    return list(range(span[0], span[0] + int(op["target"]["count"])))


def _text_table_apply(doc: Document, op: Op) -> None:
    text_to_table(doc, _text_blocks(doc, op), _separator(op["separator"]))


RADIOS_IN = {"Paragraphs": "Paragraphs", "Tabs": "Tabs", "Commas": "Commas", "Other": "Other:"}
RADIOS_OUT = {"Paragraphs": "Paragraph marks", "Tabs": "Tabs", "Commas": "Commas", "Other": "Other:"}


def _separator_steps(dialog: str, radios: Mapping[str, str], item: Mapping[str, Any]) -> Iterator[Act]:
    yield _radio(dialog, radios[str(item["separator"])])
    if item["separator"] == "Other":
        yield _field(dialog, "Edit", "Other", str(item["character"]))


def _text_table_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield from click_ribbon(win, "Insert", "Button", "Table", "Open the Table menu")
    yield _click("MenuItem", "Convert Text to Table...", "Choose Convert Text to Table...", "menu:Table")
    yield from _separator_steps("Convert Text to Table", RADIOS_IN, op["separator"])
    yield _ok("Convert Text to Table")


def _table_text_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    op["separator"] = _plain(op["separator"])
    return op


def _table_text_apply(doc: Document, op: Op) -> None:
    block, _ = table_at(doc, int(op["target"]["table"]))
    table_to_text(doc, block, _separator(op["separator"]))


def _table_text_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _in_cell(win, op)
    yield from click_ribbon(win, LAYOUT, "Button", "Convert to Text")
    yield from _separator_steps("Convert Table To Text", RADIOS_OUT, op["separator"])
    yield _ok("Convert Table To Text")


# ---- type_in_cell -----------------------------------------------------------------------------------------------
def _type_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    number = int(op["target"]["table"])
    _, table = table_at(doc, number)
    empty = [(r, c) for r, c in cells_of(table, (0, 0, table.rows - 1, table.columns - 1)) if not table.cell(r, c)]
    if not empty:
        raise NoTarget("the table has no empty cell")
    r, c = rng.choice(empty)
    op["target"] = {**op["target"], "rect": [r, c, r, c], "ref": _cell_ref(doc, number, r, c, rng)}
    return op


def _type_apply(doc: Document, op: Op) -> None:
    r, c, _, _ = _rect(op)
    _table(doc, op).set_cell(r, c, str(op["text"]))


def _type_satisfied(doc: Document, op: Op) -> bool:
    r, c, _, _ = _rect(op)
    return _table(doc, op).cell(r, c) == str(op["text"])


def _type_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    r, c, _, _ = _rect(op)
    yield from _in_cell(win, op, r, c)
    yield Act("keyboard_input", {"keys": _keys(str(op["text"]))}, ("Document", win.name), f"Type {op['text']}")


# ---- the table ----------------------------------------------------------------------------------------------------
def _kind(
    apply: Callable[[Document, Op], None],
    satisfied: Callable[[Document, Op], bool],
    expert: Callable[[WordWindow, Op], Iterator[Act]],
    draw: Callable[[Document, random.Random, Op], Op] | None = None,
    setup: Callable[[Document, random.Random], None] | None = _setup,
    once: bool = True,
) -> OpKind:
    return OpKind(apply, satisfied, expert, (lambda op: True) if once else (lambda op: False), setup, draw)


OPS: dict[str, OpKind] = {
    "insert_table": _kind(_insert_table_apply, _never, _insert_table_expert, _insert_table_draw, None, once=False),
    "insert_rows": _kind(
        _insert_rows_apply, _never, _insert_rows_expert, lambda d, r, o: _draw_row(d, r, o), once=False
    ),
    "insert_columns": _kind(
        _insert_columns_apply, _never, _insert_columns_expert, lambda d, r, o: _draw_column(d, r, o), once=False
    ),
    "delete_rows": _kind(_delete_rows_apply, _never, _delete_rows_expert, _delete_rows_draw, once=False),
    "delete_columns": _kind(_delete_columns_apply, _never, _delete_columns_expert, _delete_columns_draw, once=False),
    "merge_cells": _kind(_merge_apply, _merge_satisfied, _merge_expert, _merge_draw),
    "split_cell": _kind(_split_apply, _never, _split_expert, _split_draw, once=False),
    "table_style": _kind(_style_apply, _style_satisfied, _style_expert),
    "table_style_option": _kind(_option_apply, _option_satisfied, _option_expert),
    "sort_table": _kind(_sort_apply, _sort_satisfied, _sort_expert, _sort_draw),
    "convert_text_to_table": _kind(
        _text_table_apply, _never, _text_table_expert, _text_table_draw, _setup_lines, once=False
    ),
    "convert_table_to_text": _kind(_table_text_apply, _never, _table_text_expert, _table_text_draw, once=False),
    "delete_table": _kind(_delete_table_apply, _never, _delete_table_expert, once=False),
    "cell_shading": _kind(_shading_apply, _shading_satisfied, _shading_expert, _shading_draw),
    "table_autofit": _kind(_autofit_apply, _autofit_satisfied, _autofit_expert, _autofit_draw, _setup_autofit),
    "table_borders": _kind(_borders_apply, _borders_satisfied, _borders_expert, setup=_setup_borders),
    "cell_alignment": _kind(_align_apply, _align_satisfied, _align_expert, _align_draw),
    "type_in_cell": _kind(_type_apply, _type_satisfied, _type_expert, _type_draw, _setup_blanks),
    "repeat_header_row": _kind(_repeat_apply, _repeat_satisfied, _repeat_expert),
    "row_height": _kind(_height_apply, _height_satisfied, _height_expert, _height_draw),
}

UNSUPPORTED: dict[str, str] = {}
