"""The ``word`` space's app-level functions (no control: select text or a table, insert a table,
summary) and the page-level inserts, shared by every simulated window (``WordApp`` and
``lam.sim.word2.WordWindow``) so both answer them alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lam.action_space import load_space
from lam.sim.document import PageBreak, Paragraph, Run, Table
from lam.sim.editing import Editor, SimError, TableSel, TextSel


class AppFunctions(Editor):
    """``Editor`` plus the app-level ``_do_*`` handlers; a window says how a dialog blocks them."""

    def controls(self) -> Sequence[Any]:
        """What is on screen, in label order (label ``i`` is ``controls()[i - 1]``)."""
        raise NotImplementedError

    def execute(self, function: str, args: Mapping[str, Any] | None = None, control_label: str = "") -> str:
        raise NotImplementedError

    def execute_action(self, action: Mapping[str, Any] | None) -> str:
        """Execute an ``ActionCall``-shaped mapping (``function``, ``args``, ``control_label``)."""
        if not action or not action.get("function"):
            return ""
        return self.execute(str(action["function"]), action.get("args") or {}, action.get("control_label") or "")

    def resolve(
        self, function: str, args: Mapping[str, Any] | None, control_label: str
    ) -> tuple[dict[str, Any], Any] | str:
        """The validated args and the control a call acts on, or the ``error: ...`` result UFO reports."""
        fdef = load_space("word").functions.get(function)
        if fdef is None:
            return f"error: unknown function {function!r}"
        try:
            clean = fdef.validate_args(dict(args or {}))
        except ValueError as exc:
            return f"error: invalid args for {function}: {exc}"
        control = None
        if fdef.targets_control:
            controls = self.controls()
            if not control_label:
                return f"error: {function} needs the label of a control"
            if not control_label.isdigit() or not 1 <= int(control_label) <= len(controls):
                return f"error: no control with label {control_label!r} on screen"
            control = controls[int(control_label) - 1]
        return clean, control

    def _no_dialog(self) -> None:
        """Raise ``SimError`` while a modal dialog is open (each window knows its dialogs)."""

    def _do_select_text(self, _: object | None, text: str) -> str:
        self._no_dialog()
        span = self.doc.find(text)
        if span is None:
            raise SimError(f"text {text!r} not found in the document")
        self.select(TextSel((span,)))
        return "ok"

    def _do_select_table(self, _: object | None, number: int) -> str:
        self._no_dialog()
        tables = self.doc.tables()
        if number > len(tables):
            raise SimError(f"the document has {len(tables)} table(s); there is no table {number}")
        self.select(TableSel(tables[number - 1]))
        return "ok"

    def _do_insert_table(self, _: object | None, rows: int, columns: int) -> str:
        self._no_dialog()
        self.insert_table(rows, columns)
        return "ok"

    def _do_summary(self, _: object | None, text: str) -> str:
        return "ok"

    def insert_table(self, rows: int, columns: int) -> None:
        self.insert_block(Table(rows, columns))

    def blank_page(self) -> str:
        """A page break, an empty paragraph on the new page, another break: Word's Blank Page."""
        self.insert_block(PageBreak())
        at = self.cursor[0]
        self.doc.insert_block(at, Paragraph(runs=[Run("", self.current_format())]))
        self.doc.insert_block(at + 1, PageBreak())
        self.cursor = (at + 1, 0)
        return "ok"
