"""The document model: blocks (paragraphs of formatted runs, tables, page breaks) and page settings.

Both the simulated UI (``lam.sim.app``) and the task checker (``lam.tasks.checker``) edit documents
through the same few primitives here, so "what the expert did in the UI" and "what the request
asked for" are compared on one representation. ``state()`` is the canonical, normalised form that
the checker compares: adjacent runs with equal formatting merge, so how a result was reached
(two clicks, a shortcut, a different selection order) does not matter, only what it looks like.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any

Span = tuple[int, int, int]  # (block index, start offset, end offset) inside one paragraph


def store_non_default(values: dict[str, str], name: str, value: str, default: str = "") -> None:
    """Keep only non-default values, so two objects that look alike compare (and serialise) equal."""
    if value == default:
        values.pop(name, None)
    else:
        values[name] = value


@dataclass(frozen=True)
class Format:
    """Character formatting of a run (what the Home tab's Font group sets)."""

    font: str = "Calibri"
    size: float = 11.0
    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    vertical: str = ""  # "", "sub", "super"
    color: str = "Automatic"
    highlight: str = ""  # "" is no highlight
    # Font dialog effects and the rest of a run's character properties (defaults: Word's Normal text)
    underline_style: str = ""  # "" is a single line while ``underline`` is on; else the named style
    double_strike: bool = False
    all_caps: bool = False
    small_caps: bool = False
    hidden: bool = False
    spacing: str = ""  # character spacing: "" normal, else e.g. "Expanded 1 pt"
    char_style: str = ""  # an applied character style ("" = Default Paragraph Font)
    link: str = ""  # hyperlink address ("" = not a link)


@dataclass
class Run:
    text: str
    fmt: Format = field(default_factory=Format)


@dataclass
class Paragraph:
    runs: list[Run] = field(default_factory=list)
    align: str = "left"  # left, center, right, justify
    style: str = "Normal"
    list_style: str = ""  # "", "bullet", "number"
    indent: int = 0
    space_before: float = 0.0
    space_after: float = 8.0
    line_spacing: float = 1.08  # a multiple of single spacing (Word's Normal: 1.08)
    # Further paragraph properties by name (indent_right, first_line, keep_with_next, shading,
    # border, language, bullet, list_level, ...): only non-default values are stored, as strings,
    # so two paragraphs that look alike compare equal. Set through :meth:`set_prop`.
    props: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    def prop(self, name: str, default: str = "") -> str:
        return self.props.get(name, default)

    def set_prop(self, name: str, value: str, default: str = "") -> None:
        """Store ``value`` (drop the key when it equals the property's default)."""
        store_non_default(self.props, name, value, default)


Rect = tuple[int, int, int, int]  # a block of table cells: top row, left column, bottom row, right column


@dataclass
class Table:
    """A table: a grid of cell texts (a cell of several paragraphs holds them joined by newlines).

    ``props`` holds non-default properties as strings: table-wide ones by name (``header_row``,
    ``autofit``, ``borders``, ``merged``...), a row's as ``<name>.<row>`` (``height.2``) and a
    cell's as ``<name>.<row>.<column>`` (``shading.0.1``), 0-based, so inserting or deleting rows
    and columns renumbers them. Merged cells are the rectangles of ``merged``
    (``"r0,c0,r1,c1;..."``): the top-left cell holds the text and the others stay empty.
    """

    rows: int
    columns: int
    style: str = "Table Grid"
    cells: list[list[str]] | None = None  # cell texts by row (None: every cell empty)
    props: dict[str, str] = field(default_factory=dict)  # non-default table properties by name

    # ---- cells and properties ------------------------------------------------------------------
    def grid(self) -> list[list[str]]:
        """The cell texts, made explicit (an all-empty table gets its grid of empty strings)."""
        if self.cells is None:
            self.cells = [["" for _ in range(self.columns)] for _ in range(self.rows)]
        return self.cells

    def cell(self, row: int, column: int) -> str:
        return "" if self.cells is None else self.cells[row][column]

    def set_cell(self, row: int, column: int, text: str) -> None:
        self.grid()[row][column] = text

    def prop(self, name: str, default: str = "") -> str:
        return self.props.get(name, default)

    def set_prop(self, name: str, value: str, default: str = "") -> None:
        """Store ``value`` (drop the key when it equals the property's default)."""
        store_non_default(self.props, name, value, default)

    def merges(self) -> list[Rect]:
        raw = self.props.get("merged", "")
        out: list[Rect] = []
        for part in filter(None, raw.split(";")):
            r0, c0, r1, c1 = (int(x) for x in part.split(","))
            out.append((r0, c0, r1, c1))
        return out

    def set_merges(self, rects: list[Rect]) -> None:
        keep = sorted({r for r in rects if r[2] > r[0] or r[3] > r[1]})
        self.set_prop("merged", ";".join(",".join(str(x) for x in r) for r in keep))

    def merge_of(self, row: int, column: int) -> Rect | None:
        """The merged cell that covers (row, column), if any."""
        for r0, c0, r1, c1 in self.merges():
            if r0 <= row <= r1 and c0 <= column <= c1:
                return (r0, c0, r1, c1)
        return None

    def covered(self, row: int, column: int) -> bool:
        """A grid position inside a merged cell other than its top-left one (not a cell of its own)."""
        rect = self.merge_of(row, column)
        return rect is not None and (rect[0], rect[1]) != (row, column)

    def merge(self, rect: Rect) -> None:
        """Word's Merge Cells: one cell holding the texts of the merged ones, one paragraph each."""
        r0, c0, r1, c1 = rect
        texts = [self.cell(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if self.cell(r, c)]
        inside = [m for m in self.merges() if r0 <= m[0] and m[2] <= r1 and c0 <= m[1] and m[3] <= c1]
        self.set_merges([m for m in self.merges() if m not in inside] + [rect])
        if self.cells is not None:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    self.cells[r][c] = ""
            self.cells[r0][c0] = "\n".join(texts)
        for key in [k for k in self.props if _cell_key(k) is not None]:
            _, r, c = _cell_key(key) or ("", 0, 0)
            if r0 <= r <= r1 and c0 <= c <= c1 and (r, c) != (r0, c0):
                del self.props[key]  # the merged cell keeps its first cell's shading and alignment

    # ---- rows and columns ----------------------------------------------------------------------
    def insert_rows(self, at: int, count: int) -> None:
        """``count`` empty rows before row ``at`` (``at == rows``: after the last row)."""
        if self.cells is not None:
            self.cells[at:at] = [["" for _ in range(self.columns)] for _ in range(count)]
        self.rows += count
        self._renumber(0, lambda i: i + count if i >= at else i)
        self.set_merges([(r0 + count if r0 >= at else r0, c0, r1 + count if r1 >= at else r1, c1)
                         for r0, c0, r1, c1 in self.merges()])  # fmt: skip

    def insert_columns(self, at: int, count: int) -> None:
        """``count`` empty columns before column ``at`` (``at == columns``: after the last one)."""
        if self.cells is not None:
            for row in self.cells:
                row[at:at] = ["" for _ in range(count)]
        self.columns += count
        self._renumber(1, lambda i: i + count if i >= at else i)
        self.set_merges([(r0, c0 + count if c0 >= at else c0, r1, c1 + count if c1 >= at else c1)
                         for r0, c0, r1, c1 in self.merges()])  # fmt: skip

    def delete_rows(self, first: int, last: int) -> None:
        gone = last - first + 1
        if self.cells is not None:
            del self.cells[first : last + 1]
        self.rows -= gone
        self._renumber(0, lambda i: None if first <= i <= last else (i - gone if i > last else i))
        self.set_merges(_shrink(self.merges(), 0, first, last))

    def delete_columns(self, first: int, last: int) -> None:
        gone = last - first + 1
        if self.cells is not None:
            for row in self.cells:
                del row[first : last + 1]
        self.columns -= gone
        self._renumber(1, lambda i: None if first <= i <= last else (i - gone if i > last else i))
        self.set_merges(_shrink(self.merges(), 1, first, last))

    def _renumber(self, axis: int, move: Callable[[int], int | None]) -> None:
        """Move the row (axis 0) or column (axis 1) numbers of per-row and per-cell properties."""
        out: dict[str, str] = {}
        for key, value in self.props.items():
            parts = key.split(".")
            index = 1 + axis
            if len(parts) == 3 or (len(parts) == 2 and axis == 0):
                if not parts[index].isdigit():
                    out[key] = value
                    continue
                new = move(int(parts[index]))
                if new is None:
                    continue
                parts[index] = str(new)
                out[".".join(parts)] = value
            else:
                out[key] = value
        self.props = out


def _cell_key(key: str) -> tuple[str, int, int] | None:
    parts = key.split(".")
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return parts[0], int(parts[1]), int(parts[2])
    return None


def _shrink(rects: list[Rect], axis: int, first: int, last: int) -> list[Rect]:
    """Merged cells after rows (axis 0) or columns (axis 1) ``first..last`` are deleted."""
    gone = last - first + 1
    out: list[Rect] = []
    for rect in rects:
        lo, hi = (rect[0], rect[2]) if axis == 0 else (rect[1], rect[3])
        kept = [i for i in range(lo, hi + 1) if not first <= i <= last]
        if not kept:
            continue
        new_lo, new_hi = (i - gone if i > last else i for i in (kept[0], kept[-1]))
        out.append((new_lo, rect[1], new_hi, rect[3]) if axis == 0 else (rect[0], new_lo, rect[2], new_hi))
    return out


@dataclass
class Element:
    """A block Word shows as an object rather than text: a section or column break, a picture,
    a shape, a text box, a table of contents, an equation, a horizontal line, a cover page...
    ``kind`` names it and ``props`` holds what tells two of a kind apart (type, design, file)."""

    kind: str
    props: dict[str, str] = field(default_factory=dict)


@dataclass
class PageBreak:
    pass


Block = Paragraph | Table | PageBreak | Element

PAGE_DEFAULTS: dict[str, str] = {
    "page_border": "None",
    "page_color": "No Color",
    "watermark": "",
    "orientation": "Portrait",
    "margins": "Normal",
    "columns": "One",
    "page_size": "Letter",
}


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    page: dict[str, str] = field(default_factory=lambda: dict(PAGE_DEFAULTS))
    # Document-wide settings beyond the page (header/footer text, view, review, file state, styles,
    # theme): non-default values only, by name, as strings. Read with :meth:`setting`.
    settings: dict[str, str] = field(default_factory=dict)
    # Things anchored on text or kept beside it (comments, bookmarks, footnotes, endnotes,
    # revisions): each a dict with at least ``kind``; in document order of creation.
    annotations: list[dict[str, Any]] = field(default_factory=list)

    def setting(self, name: str, default: str = "") -> str:
        return self.settings.get(name, default)

    def set_setting(self, name: str, value: str, default: str = "") -> None:
        """Store ``value`` (drop the key when it equals the setting's default)."""
        store_non_default(self.settings, name, value, default)

    # ---- queries -------------------------------------------------------------------------------
    def paragraphs(self) -> list[tuple[int, Paragraph]]:
        return [(i, b) for i, b in enumerate(self.blocks) if isinstance(b, Paragraph)]

    def tables(self) -> list[int]:
        """Block indices of the tables, in document order (``select_table`` numbers from 1)."""
        return [i for i, b in enumerate(self.blocks) if isinstance(b, Table)]

    def text(self) -> str:
        return "\n".join(p.text for _, p in self.paragraphs())

    def find(self, needle: str) -> Span | None:
        """First occurrence inside one paragraph; exact case first, then Word's case-insensitive find."""
        if not needle:
            return None
        for fold in (False, True):
            key = needle.casefold() if fold else needle
            for i, par in self.paragraphs():
                hay = par.text.casefold() if fold else par.text
                at = hay.find(key)
                if at >= 0:
                    return (i, at, at + len(needle))
        return None

    def count(self, needle: str) -> int:
        key = needle.casefold()
        return sum(p.text.casefold().count(key) for _, p in self.paragraphs()) if key else 0

    def para(self, index: int) -> Paragraph:
        block = self.blocks[index]
        if not isinstance(block, Paragraph):
            raise ValueError(f"block {index} is not a paragraph")
        return block

    def char_formats(self, span: Span) -> list[Format]:
        """The format of every character of the span (used by toggles and the Font box)."""
        block, start, end = span
        out: list[Format] = []
        pos = 0
        for run in self.para(block).runs:
            lo, hi = max(start, pos), min(end, pos + len(run.text))
            out.extend([run.fmt] * max(0, hi - lo))
            pos += len(run.text)
        return out

    def format_at(self, block: int, offset: int) -> Format:
        """The format that text typed at ``offset`` takes (the character before it, as in Word)."""
        par = self.para(block)
        pos = 0
        for run in par.runs:
            if pos < offset <= pos + len(run.text):
                return run.fmt
            pos += len(run.text)
        return par.runs[0].fmt if par.runs else Format()

    # ---- edits ---------------------------------------------------------------------------------
    def _split(self, block: int, offset: int) -> int:
        """Make a run boundary at ``offset``; returns the index of the run that starts there."""
        par = self.para(block)
        pos = 0
        for k, run in enumerate(par.runs):
            if offset == pos:
                return k
            if pos < offset < pos + len(run.text):
                cut = offset - pos
                par.runs[k : k + 1] = [Run(run.text[:cut], run.fmt), Run(run.text[cut:], run.fmt)]
                return k + 1
            pos += len(run.text)
        return len(par.runs)

    def _cut(self, span: Span) -> tuple[Paragraph, int, int] | None:
        """Run boundaries at both ends of the span: its paragraph and the runs ``first:last`` it covers
        (None for an empty span, which no edit changes)."""
        block, start, end = span
        if start >= end:
            return None
        first = self._split(block, start)
        last = self._split(block, end)
        return self.para(block), first, last

    def format_span(self, span: Span, **changes: Any) -> None:
        cut = self._cut(span)
        if cut is None:
            return
        par, first, last = cut
        for k in range(first, last):
            par.runs[k] = Run(par.runs[k].text, replace(par.runs[k].fmt, **changes))
        self.normalize()

    def delete_span(self, span: Span) -> None:
        cut = self._cut(span)
        if cut is None:
            return
        par, first, last = cut
        keep_fmt = par.runs[first].fmt if first < len(par.runs) else Format()
        del par.runs[first:last]
        if not par.runs:
            par.runs.append(Run("", keep_fmt))
        self.normalize()

    def insert_text(self, block: int, offset: int, text: str) -> int:
        """Type ``text`` at the offset with the surrounding format; returns the new offset."""
        fmt = self.format_at(block, offset)
        k = self._split(block, offset)
        self.para(block).runs.insert(k, Run(text, fmt))
        self.normalize()
        return offset + len(text)

    def split_paragraph(self, block: int, offset: int) -> None:
        """Enter: the tail of the paragraph becomes a new paragraph with the same paragraph format."""
        par = self.para(block)
        k = self._split(block, offset)
        tail = par.runs[k:] or [Run("", self.format_at(block, offset))]
        del par.runs[k:]
        if not par.runs:
            par.runs.append(Run("", tail[0].fmt))
        new = replace(par, runs=tail)
        self.blocks.insert(block + 1, new)
        self.normalize()

    def replace_all(self, find: str, repl: str) -> int:
        """Case-insensitive replace in every paragraph, as Word's Replace All; returns the count."""
        if not find:
            return 0
        total = 0
        pattern = re.compile(re.escape(find), re.IGNORECASE)
        for i, par in self.paragraphs():
            for m in reversed(list(pattern.finditer(par.text))):
                fmt = self.format_at(i, m.start() + 1)
                self.delete_span((i, m.start(), m.end()))
                k = self._split(i, m.start())
                self.para(i).runs.insert(k, Run(repl, fmt))
                total += 1
        self.normalize()
        return total

    def insert_block(self, after: int, block: Block) -> int:
        """Insert after block ``after`` (-1: at the start); returns the new block's index."""
        self.blocks.insert(after + 1, block)
        return after + 1

    def normalize(self) -> None:
        for _, par in self.paragraphs():
            merged: list[Run] = []
            for run in par.runs:
                if not run.text:
                    continue
                if merged and merged[-1].fmt == run.fmt:
                    merged[-1] = Run(merged[-1].text + run.text, run.fmt)
                else:
                    merged.append(run)
            par.runs = merged or [Run("", par.runs[0].fmt if par.runs else Format())]

    def copy(self) -> Document:
        return copy.deepcopy(self)

    # ---- (de)serialisation ---------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Compact JSON form (defaults left out) for task files."""
        out: dict[str, Any] = {
            "blocks": [_block_to_dict(b) for b in self.blocks],
            "page": {k: v for k, v in self.page.items() if PAGE_DEFAULTS.get(k) != v},
        }
        if self.settings:
            out["settings"] = dict(sorted(self.settings.items()))
        if self.annotations:
            out["annotations"] = copy.deepcopy(self.annotations)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        doc = cls(blocks=[_block_from_dict(b) for b in data.get("blocks", [])])
        doc.page.update(data.get("page", {}))
        doc.settings.update({str(k): str(v) for k, v in data.get("settings", {}).items()})
        doc.annotations = copy.deepcopy(list(data.get("annotations", [])))
        doc.normalize()
        return doc

    def state(self) -> dict[str, Any]:
        """Canonical form compared by the checker: normalised runs, every field explicit."""
        doc = self.copy()
        doc.normalize()
        return {
            "blocks": [_block_to_dict(b, full=True) for b in doc.blocks],
            "page": dict(sorted(doc.page.items())),
            "settings": dict(sorted(doc.settings.items())),
            "annotations": doc.annotations,
        }


def _non_default(obj: Any, full: bool, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(obj):
        if f.name in skip:
            continue
        value = getattr(obj, f.name)
        if full or value != f.default:
            out[f.name] = value
    return out


def _block_to_dict(block: Block, full: bool = False) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        out: dict[str, Any] = {"type": "paragraph"}
        out.update(_non_default(block, full, skip=("runs", "props")))
        if block.props or full:
            out["props"] = dict(sorted(block.props.items()))
        out["runs"] = [{"text": r.text, **_non_default(r.fmt, full)} for r in block.runs]
        return out
    if isinstance(block, Table):
        out = {"type": "table", "rows": block.rows, "columns": block.columns, "style": block.style}
        if block.cells is not None or full:  # state(): an untouched table and one of empty cells compare equal
            out["cells"] = (
                [list(row) for row in block.cells]
                if block.cells is not None
                else [["" for _ in range(block.columns)] for _ in range(block.rows)]
            )
        if block.props or full:
            out["props"] = dict(sorted(block.props.items()))
        return out
    if isinstance(block, Element):
        return {"type": "element", "kind": block.kind, "props": dict(sorted(block.props.items()))}
    return {"type": "page_break"}


def _block_from_dict(data: dict[str, Any]) -> Block:
    kind = data.get("type", "paragraph")
    if kind == "table":
        cells = data.get("cells")
        return Table(
            int(data["rows"]),
            int(data["columns"]),
            str(data.get("style", "Table Grid")),
            [[str(c) for c in row] for row in cells] if cells is not None else None,
            {str(k): str(v) for k, v in data.get("props", {}).items()},
        )
    if kind == "page_break":
        return PageBreak()
    if kind == "element":
        return Element(str(data["kind"]), {str(k): str(v) for k, v in data.get("props", {}).items()})
    attrs = {k: v for k, v in data.items() if k not in ("type", "runs", "props")}
    attrs["props"] = {str(k): str(v) for k, v in data.get("props", {}).items()}
    runs = [Run(r["text"], Format(**{k: v for k, v in r.items() if k != "text"})) for r in data["runs"]]
    return Paragraph(runs=runs, **attrs)


def paragraph(text: str, **attrs: Any) -> Paragraph:
    """A one-run paragraph (handy for corpora and tests)."""
    fmt_keys = {f.name for f in fields(Format)}
    fmt = Format(**{k: v for k, v in attrs.items() if k in fmt_keys})
    return Paragraph(runs=[Run(text, fmt)], **{k: v for k, v in attrs.items() if k not in fmt_keys})
