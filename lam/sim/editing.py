"""Selection, cursor, clipboard and undo: the editing behaviour shared by ribbon clicks and keys.

Kept apart from the window (``lam.sim.app``) so the rules that decide *what a command does to the
text* (Word's toggles, paragraph-level commands acting on the cursor's paragraph when nothing is
selected, typing over a selection) sit in one place, whatever control or shortcut triggered them.
"""

from __future__ import annotations

from dataclasses import dataclass

from lam.sim import ribbon
from lam.sim.document import Block, Document, Element, Format, PageBreak, Paragraph, Run, Span, Table
from lam.sim.keys import KeyPress, KeySyntaxError, parse_keys

NO_SELECTION = "ok: nothing selected, nothing changed"


class SimError(Exception):
    """An action the app refuses; turned into an ``error: ...`` result, never raised to callers."""


@dataclass(frozen=True)
class TextSel:
    spans: tuple[Span, ...]
    whole: bool = False  # Ctrl+A


@dataclass(frozen=True)
class TableSel:
    """A selection in a table: the whole table (``anchor`` None, as ``select_table`` makes), the
    caret in one cell (``caret``), or a block of whole cells from ``anchor`` to ``active``
    (row, column), 0-based, as a click in a cell, Layout > Select or Shift+arrow keys make."""

    block: int
    anchor: tuple[int, int] | None = None
    active: tuple[int, int] | None = None
    caret: bool = False

    def rect(self, table: Table) -> tuple[int, int, int, int]:
        """The selected cells as (top row, left column, bottom row, right column)."""
        if self.anchor is None:
            return (0, 0, table.rows - 1, table.columns - 1)
        (ar, ac), (br, bc) = self.anchor, self.active or self.anchor
        return (min(ar, br), min(ac, bc), max(ar, br), max(ac, bc))


Selection = TextSel | TableSel


def parse_number(text: str, unit: str | None = None) -> float | None:
    """``"12"``, ``"12 pt"``, ``"12pt"`` → 12.0; anything else → None (Word's box refuses it)."""
    value = text.strip().lower()
    if unit and value.endswith(unit):
        value = value[: -len(unit)].strip()
    try:
        return float(value)
    except ValueError:
        return None


class Editor:
    """Document + selection + cursor; every command here acts as the same command in Word."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.selection: Selection | None = None
        self.cursor: tuple[int, int] = (0, 0)  # Word opens with the cursor at the start
        self.clipboard = ""
        self.undo_stack: list[Document] = []
        self.redo_stack: list[Document] = []
        self._history_done = False
        self._clamp()

    # ---- selection -----------------------------------------------------------------------------
    def select(self, sel: Selection | None) -> None:
        self.selection = sel
        if isinstance(sel, TextSel) and sel.spans:
            block, _, end = sel.spans[-1]
            self.cursor = (block, end)
        elif isinstance(sel, TableSel):
            self.cursor = (sel.block, 0)

    def selected_text(self) -> str:
        return "\n".join(self.doc.para(b).text[s:e] for b, s, e in self.text_spans())

    def text_spans(self) -> list[Span]:
        if isinstance(self.selection, TextSel):
            return [s for s in self.selection.spans if s[1] < s[2]]
        return []

    def target_paragraphs(self) -> list[int]:
        """Paragraph commands act on the selected paragraphs, else on the cursor's paragraph."""
        if isinstance(self.selection, TextSel):
            return sorted({b for b, _, _ in self.selection.spans})
        if isinstance(self.selection, TableSel):
            return []
        block = self.cursor[0]
        return [block] if isinstance(self.doc.blocks[block], Paragraph) else []

    def current_format(self) -> Format:
        spans = self.text_spans()
        if spans:
            return self.doc.char_formats(spans[0])[0]
        block, offset = self.cursor
        if isinstance(self.doc.blocks[block], Paragraph):
            return self.doc.format_at(block, offset)
        return Format()

    # ---- character formatting ------------------------------------------------------------------
    def format_selection(self, **changes: object) -> str:
        spans = self.text_spans()
        if not spans:
            return NO_SELECTION
        for span in spans:
            self.doc.format_span(span, **changes)
        return "ok"

    def toggle(self, attr: str) -> str:
        """Word's rule: on unless every selected character already has it, then off."""
        spans = self.text_spans()
        formats = [f for s in spans for f in self.doc.char_formats(s)]
        if not formats:
            return NO_SELECTION
        return self.format_selection(**{attr: not all(getattr(f, attr) for f in formats)})

    def toggle_vertical(self, kind: str) -> str:
        formats = [f for s in self.text_spans() for f in self.doc.char_formats(s)]
        if not formats:
            return NO_SELECTION
        return self.format_selection(vertical="" if all(f.vertical == kind for f in formats) else kind)

    def step_size(self, direction: int) -> str:
        ladder = ribbon.FONT_SIZE_LADDER
        size = self.current_format().size
        bigger = [s for s in ladder if s > size] or [size + 10]
        smaller = [s for s in ladder if s < size] or [max(1.0, size - 1)]
        new = bigger[0] if direction > 0 else smaller[-1]
        return self.format_selection(size=float(new))

    def clear_formatting(self) -> str:
        if not self.text_spans():
            return NO_SELECTION
        self.format_selection(**vars(Format()))
        return self.set_paragraphs(style="Normal")

    # ---- paragraph formatting ------------------------------------------------------------------
    def set_paragraphs(self, **attrs: object) -> str:
        blocks = self.target_paragraphs()
        if not blocks:
            return NO_SELECTION
        for b in blocks:
            for key, value in attrs.items():
                setattr(self.doc.para(b), key, value)
        return "ok"

    def align(self, value: str) -> str:
        """Clicking Center on centred paragraphs sets them back to left, as in Word."""
        blocks = self.target_paragraphs()
        if blocks and value != "left" and all(self.doc.para(b).align == value for b in blocks):
            value = "left"
        return self.set_paragraphs(align=value)

    def toggle_list(self, kind: str) -> str:
        blocks = self.target_paragraphs()
        on = blocks and all(self.doc.para(b).list_style == kind for b in blocks)
        return self.set_paragraphs(list_style="" if on else kind)

    def shift_indent(self, delta: int) -> str:
        blocks = self.target_paragraphs()
        for b in blocks:
            par = self.doc.para(b)
            par.indent = min(8, max(0, par.indent + delta))
        return "ok" if blocks else NO_SELECTION

    def set_table(self, **attrs: object) -> str:
        if not isinstance(self.selection, TableSel):
            return NO_SELECTION
        table = self.doc.blocks[self.selection.block]
        for key, value in attrs.items():
            setattr(table, key, value)
        return "ok"

    # ---- structure -----------------------------------------------------------------------------
    def insert_block(self, block: Block) -> str:
        """Tables and breaks go after the paragraph holding the cursor (or after the selected table)."""
        anchor = self.selection.block if isinstance(self.selection, TableSel) else self.cursor[0]
        at = self.doc.insert_block(anchor if self.doc.blocks else -1, block)
        self.selection = None
        self.cursor = (at, 0)
        return "ok"

    def delete_selection(self) -> bool:
        sel = self.selection
        if isinstance(sel, TableSel):
            del self.doc.blocks[sel.block]
            prev = max(0, sel.block - 1)
            self.cursor = (prev, 10**9)
        elif isinstance(sel, TextSel) and sel.whole:
            self.doc.blocks = [Paragraph(runs=[Run("", self.current_format())])]
            self.cursor = (0, 0)
        elif isinstance(sel, TextSel) and self.text_spans():
            for span in reversed(self.text_spans()):
                self.doc.delete_span(span)
            self.cursor = sel.spans[0][:2]
        else:
            return False
        self.selection = None
        self._clamp()
        return True

    def cut(self) -> str:
        if not self.copy_selection().startswith("ok"):
            raise SimError("nothing is selected to cut")
        self.delete_selection()
        return "ok"

    def copy_selection(self) -> str:
        if not self.text_spans():
            raise SimError("nothing is selected to copy")
        self.clipboard = self.selected_text()
        return "ok"

    def paste(self) -> str:
        if not self.clipboard:
            raise SimError("the clipboard is empty")
        for ch in self.clipboard:
            self._special(KeyPress("ENTER")) if ch == "\n" else self._type(ch)
        return "ok"

    # ---- history -------------------------------------------------------------------------------
    def undo(self) -> str:
        return self._swap(self.undo_stack, self.redo_stack, "undo")

    def redo(self) -> str:
        return self._swap(self.redo_stack, self.undo_stack, "redo")

    def _swap(self, source: list[Document], target: list[Document], what: str) -> str:
        if not source:
            raise SimError(f"nothing to {what}")
        target.append(self.doc.copy())
        self.doc = source.pop()
        self.selection = None
        self._history_done = True
        self._clamp()
        return "ok"

    def _clamp(self) -> None:
        if not self.doc.blocks:
            self.doc.blocks.append(Paragraph(runs=[Run("", Format())]))
        block = min(max(self.cursor[0], 0), len(self.doc.blocks) - 1)
        target = self.doc.blocks[block]
        limit = len(target.text) if isinstance(target, Paragraph) else 0
        self.cursor = (block, min(max(self.cursor[1], 0), limit))
        sel = self.selection
        if isinstance(sel, TableSel) and not (
            sel.block < len(self.doc.blocks) and isinstance(self.doc.blocks[sel.block], Table)
        ):
            self.selection = None
        if isinstance(sel, TextSel) and not all(
            b < len(self.doc.blocks) and isinstance(self.doc.blocks[b], Paragraph) and e <= len(self.doc.para(b).text)
            for b, _, e in sel.spans
        ):
            self.selection = None

    # ---- keyboard ------------------------------------------------------------------------------
    @staticmethod
    def parse(keys: str) -> list[KeyPress]:
        try:
            return parse_keys(keys)
        except KeySyntaxError as exc:
            raise SimError(str(exc)) from exc

    def keys_to_text(self, keys: str) -> tuple[str, bool]:
        """What typing ``keys`` into a text box leaves in it, and whether Enter/Tab committed it."""
        typed, commit = [], False
        for p in self.parse(keys):
            if p.mods & {"ctrl", "alt"}:
                continue
            if p.is_char:
                typed.append(p.key.upper() if "shift" in p.mods else p.key)
            elif p.key == "SPACE":
                typed.append(" ")
            elif p.key in ("ENTER", "TAB"):
                commit = True
        return "".join(typed), commit

    def type_keys(self, keys: str, shortcuts_only: bool = False) -> str:
        for p in self.parse(keys):
            if p.mods & {"ctrl", "alt"}:
                self._shortcut(p)
            elif shortcuts_only:
                continue
            elif p.is_char:
                self._type(p.key.upper() if "shift" in p.mods else p.key)
            else:
                self._special(p)
        return "ok"

    def _shortcut(self, p: KeyPress) -> None:
        if "alt" in p.mods:
            return  # ribbon key tips are not modelled
        key = p.key.lower()
        toggles = {"b": "bold", "i": "italic", "u": "underline"}
        aligns = {"e": "center", "l": "left", "r": "right", "j": "justify"}
        if key in toggles:
            self.toggle(toggles[key])
        elif key in aligns:
            self.align(aligns[key])
        elif key == "a":
            spans = tuple((i, 0, len(p.text)) for i, p in self.doc.paragraphs())
            self.select(TextSel(spans, whole=True))
        elif key in ("home", "end"):
            last = len(self.doc.blocks) - 1
            self.selection = None
            self.cursor = (0, 0) if key == "home" else (last, 10**9)
            self._clamp()
        elif key in ("z", "y"):
            (self.undo if key == "z" else self.redo)()
        elif key in ("c", "x", "v"):
            {"c": self.copy_selection, "x": self.cut, "v": self.paste}[key]()
        elif key in ("]", "["):
            self.format_selection(size=max(1.0, self.current_format().size + (1 if key == "]" else -1)))

    def _type(self, ch: str) -> None:
        if self._in_cells():
            self._cell_type(ch)
            return
        self.delete_selection()
        block, offset = self.cursor
        if isinstance(self.doc.blocks[block], Paragraph):
            self.cursor = (block, self.doc.insert_text(block, offset, ch))

    def _special(self, p: KeyPress) -> None:
        if self._in_cells() and self._cell_key(p):
            return
        block, offset = self.cursor
        is_par = isinstance(self.doc.blocks[block], Paragraph)
        if p.key in ("BACKSPACE", "DELETE"):
            if self.delete_selection():
                return
            if not is_par:
                if p.key == "DELETE" and isinstance(self.doc.blocks[block], PageBreak | Element):
                    del self.doc.blocks[block]  # Delete just before a break's mark removes the break
                    self._clamp()
                return
            lo = offset - 1 if p.key == "BACKSPACE" else offset
            if 0 <= lo < len(self.doc.para(block).text):
                self.doc.delete_span((block, lo, lo + 1))
                self.cursor = (block, lo)
        elif p.key in ("SPACE", "TAB"):
            self._type(" " if p.key == "SPACE" else "\t")
        elif p.key == "ENTER":
            self.delete_selection()
            block, offset = self.cursor
            if isinstance(self.doc.blocks[block], Paragraph):
                self.doc.split_paragraph(block, offset)
                self.cursor = (block + 1, 0)
        elif p.key == "DOWN" and "shift" in p.mods and isinstance(self.selection, TextSel) and self.selection.spans:
            self._extend_down(self.selection)
        elif p.key in ("LEFT", "RIGHT") and not p.mods and self.text_spans():
            spans = self.text_spans()  # Left/Right collapse a selection to its start/end, as in Word
            self.selection = None
            self.cursor = spans[0][:2] if p.key == "LEFT" else (spans[-1][0], spans[-1][2])
        elif p.key in ("HOME", "END", "LEFT", "RIGHT", "UP", "DOWN"):
            self.selection = None
            moves = {
                "HOME": (block, 0),
                "END": (block, 10**9),
                "LEFT": (block, offset - 1),
                "RIGHT": (block, offset + 1),
                "UP": (block - 1, 0),
                "DOWN": (block + 1, 0),
            }
            self.cursor = moves[p.key]
            self._clamp()
        elif p.key == "ESC":
            self._escape()

    def _extend_down(self, sel: TextSel) -> None:
        """Shift+Down: the selection grows to whole paragraphs and takes in the next one, so a run of
        paragraphs is selected as in Word by selecting the first and pressing Shift+Down."""
        blocks = sorted({b for b, _, _ in sel.spans})
        nxt = blocks[-1] + 1
        if nxt < len(self.doc.blocks) and isinstance(self.doc.blocks[nxt], Paragraph):
            blocks.append(nxt)
        spans = tuple((b, 0, len(self.doc.para(b).text)) for b in blocks)
        self.select(TextSel(spans))

    def _escape(self) -> None:
        """Esc closes whatever drop-down is open (the window knows which)."""

    # ---- inside a table's cells ----------------------------------------------------------------
    # A click in a cell puts the caret at the end of its text (the offset inside a cell is not
    # modelled). Typing goes into the cell; Tab and Shift+Tab go to the next or previous cell and
    # select it (Tab in the last cell adds a row, as Word does); Up and Down go to the cell above or
    # below and leave the table at its edge; Shift+arrow keys extend a selection cell by cell.
    def _in_cells(self) -> bool:
        return isinstance(self.selection, TableSel) and self.selection.anchor is not None

    def _cells(self) -> tuple[TableSel, Table]:
        sel = self.selection
        assert isinstance(sel, TableSel)
        table = self.doc.blocks[sel.block]
        assert isinstance(table, Table)
        return sel, table

    def _cell_type(self, ch: str) -> None:
        sel, table = self._cells()
        r0, c0, r1, c1 = sel.rect(table)
        if sel.caret:
            table.set_cell(r0, c0, table.cell(r0, c0) + ch)
            return
        for r in range(r0, r1 + 1):  # typing over selected cells empties them; the text goes first
            for c in range(c0, c1 + 1):
                if table.cell(r, c):
                    table.set_cell(r, c, "")
        table.set_cell(r0, c0, ch)
        self.select(TableSel(sel.block, (r0, c0), (r0, c0), caret=True))

    def _cell_key(self, p: KeyPress) -> bool:
        sel, table = self._cells()
        r0, c0, r1, c1 = sel.rect(table)
        row, col = sel.active or (r0, c0)
        shift = "shift" in p.mods
        moves = {"UP": (-1, 0), "DOWN": (1, 0), "LEFT": (0, -1), "RIGHT": (0, 1)}
        if p.key == "ENTER":
            self._cell_type("\n")
        elif p.key in ("BACKSPACE", "DELETE"):
            if sel.caret:
                if p.key == "BACKSPACE":
                    table.set_cell(row, col, table.cell(row, col)[:-1])
            else:  # Delete (and Backspace) on selected cells clears their contents
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        if table.cell(r, c):
                            table.set_cell(r, c, "")
        elif p.key == "TAB":
            self._tab_to(sel, table, -1 if shift else 1)
        elif p.key in moves and shift:
            dr, dc = moves[p.key]
            if sel.caret and dc:
                self.select(TableSel(sel.block, (row, col), (row, col)))  # the caret's cell, whole
            else:
                anchor = sel.anchor or (0, 0)
                nr = min(max(row + dr, 0), table.rows - 1)
                nc = min(max(col + dc, 0), table.columns - 1)
                self.select(TableSel(sel.block, anchor, (nr, nc)))
        elif p.key in moves:
            dr, dc = moves[p.key]
            if not sel.caret:
                at = (r0, c0) if p.key in ("UP", "LEFT") else (r1, c1)
                self.select(TableSel(sel.block, at, at, caret=True))
            elif dr:
                nr = row + dr
                if 0 <= nr < table.rows:
                    self.select(TableSel(sel.block, (nr, col), (nr, col), caret=True))
                else:  # out of the table, into the paragraph above or below
                    self.selection = None
                    self.cursor = (sel.block + (1 if dr > 0 else -1), 0 if dr > 0 else 10**9)
                    self._clamp()
            elif dc > 0:
                self._tab_to(sel, table, 1, select=False)
        elif p.key in ("HOME", "END"):
            pass  # the caret moves inside the cell's text
        else:
            return False
        return True

    def _tab_to(self, sel: TableSel, table: Table, step: int, select: bool = True) -> None:
        row, col = sel.active or sel.anchor or (0, 0)
        order = [(r, c) for r in range(table.rows) for c in range(table.columns) if not table.covered(r, c)]
        at = order.index((row, col)) if (row, col) in order else 0
        nxt = at + step
        if nxt < 0:
            return
        if nxt >= len(order):
            if not select:
                return
            table.insert_rows(table.rows, 1)
            nxt_cell = (table.rows - 1, 0)
        else:
            nxt_cell = order[nxt]
        caret = not select or not table.cell(*nxt_cell)
        self.select(TableSel(sel.block, nxt_cell, nxt_cell, caret=caret))
