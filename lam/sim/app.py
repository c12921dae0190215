"""The simulated Word window: state, the observation UFO would see, and the executor of actions.

Any action of the ``word`` action space can be executed, not only the expert's: a wrong one has
the effect it would have in Word (clicking Bold on bold text un-bolds it), and an impossible one
(unknown label, bad args, text that is not there) changes nothing and returns a result string
starting with ``error:`` instead of raising, as UFO reports a failed step back to the agent.
Labels are the 1-based position of the control in this step's list, so they change as tabs,
galleries and dialogs open and close (UFO renumbers its annotations every step).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lam.sim import ribbon
from lam.sim.app_functions import AppFunctions
from lam.sim.document import Document, PageBreak
from lam.sim.editing import SimError, TableSel, TextSel, parse_number

__all__ = ["TableSel", "TextSel", "UiControl", "WordApp", "is_error"]


def is_error(result: str) -> bool:
    return result.startswith("error:")


@dataclass(frozen=True)
class UiControl:
    control_type: str
    name: str
    kind: str  # quick, tab, ribbon, gallery, dialog, document, scrollbar


class WordApp(AppFunctions):
    """One Word window with one document. ``observation()`` then ``execute(...)``, step by step."""

    def __init__(self, doc: Document, name: str = "Document1.docx") -> None:
        super().__init__(doc)
        self.name = name
        self.tab = "Home"
        self.gallery: str | None = None
        self.dialog: str | None = None
        self.dialog_values: dict[str, str] = {}
        self.scroll = 0
        self.saved = True

    # ---- what is on screen ---------------------------------------------------------------------
    def controls(self) -> list[UiControl]:
        if self.dialog is not None:
            return [UiControl(t, n, "dialog") for t, n in ribbon.DIALOGS[self.dialog].controls]
        out = [UiControl(t, n, "quick") for t, n in ribbon.QUICK_ACCESS]
        tabs = [*ribbon.TABS, *([ribbon.CONTEXT_TAB] if isinstance(self.selection, TableSel) else [])]
        out += [UiControl("TabItem", t, "tab") for t in tabs]
        out += [UiControl(t, n, "ribbon") for t, n in ribbon.TAB_CONTROLS[self.tab]]
        if self.gallery is not None:
            out += [UiControl(t, n, "gallery") for t, n in ribbon.GALLERIES[self.gallery].items]
        out.append(UiControl(*ribbon.DOCUMENT, "document"))
        out.append(UiControl(*ribbon.SCROLLBAR, "scrollbar"))
        return out

    def observation(self) -> dict[str, Any]:
        """Exactly the service's ``observation`` field."""
        return {
            "window_title": f"{self.name} - Word",
            "controls": [
                {"label": str(i), "control_type": c.control_type, "name": c.name}
                for i, c in enumerate(self.controls(), start=1)
            ],
        }

    def label_of(self, control_type: str, name: str) -> str:
        """Label of a control in the current observation (the expert grounds its actions with it)."""
        for i, c in enumerate(self.controls(), start=1):
            if c.control_type == control_type and c.name == name:
                return str(i)
        raise KeyError(f"{control_type} {name!r} is not on screen")

    # ---- executing -----------------------------------------------------------------------------
    def execute(self, function: str, args: Mapping[str, Any] | None = None, control_label: str = "") -> str:
        resolved = self.resolve(function, args, control_label)
        if isinstance(resolved, str):
            return resolved
        clean, control = resolved
        before = self.doc.copy()
        try:
            result = getattr(self, f"_do_{function}")(control, **clean)
        except SimError as exc:
            self.doc = before
            return f"error: {exc}"
        if self.doc != before and not self._history_done:
            self.undo_stack.append(before)
            self.redo_stack.clear()
            self.saved = False
        self._history_done = False
        self._clamp()
        if self.tab == ribbon.CONTEXT_TAB and not isinstance(self.selection, TableSel):
            self.tab = "Home"  # Word leaves a contextual tab when its object is deselected
        return str(result)[:2000]

    # ---- app-level functions -------------------------------------------------------------------
    def _no_dialog(self) -> None:
        if self.dialog is not None:
            raise SimError(f"the {self.dialog!r} dialog is open; close it first")

    def select(self, sel: TextSel | TableSel | None) -> None:
        self.gallery = None
        super().select(sel)

    def _escape(self) -> None:
        self.gallery = None

    # ---- control functions ---------------------------------------------------------------------
    def _do_wheel_mouse_input(self, control: UiControl, wheel_dist: int) -> str:
        if control.kind in ("document", "scrollbar"):
            self.scroll = max(0, self.scroll - wheel_dist)
        return "ok"

    def _do_texts(self, control: UiControl) -> str:
        if control.kind == "document":
            return self.doc.text()
        if control.kind == "dialog" and control.control_type == "Edit":
            return self.dialog_values.get(control.name, "")
        if control.name == "Font":
            return self.current_format().font
        if control.name == "Font Size":
            return _fmt_number(self.current_format().size)
        if control.name in ("Spacing Before", "Spacing After"):
            pars = self.target_paragraphs()
            attr = "space_before" if control.name == "Spacing Before" else "space_after"
            return f"{_fmt_number(getattr(self.doc.para(pars[0]), attr))} pt" if pars else ""
        return control.name

    def _do_set_edit_text(self, control: UiControl, text: str) -> str:
        if control.control_type not in ("Edit", "ComboBox"):
            raise SimError(f"{control.control_type} {control.name!r} does not accept text")
        if control.kind == "dialog":
            self.dialog_values[control.name] = text
            return "ok"
        self.gallery = None
        value = text.strip()
        if control.name == "Font":
            if not value:
                raise SimError("not a valid font name")
            return self.format_selection(font=value)
        if control.name == "Font Size":
            size = parse_number(value, unit="pt")
            if size is None or not 1 <= size <= 1638:
                raise SimError("the number must be between 1 and 1638")
            return self.format_selection(size=round(size * 2) / 2)
        attr = "space_before" if control.name == "Spacing Before" else "space_after"
        points = parse_number(value, unit="pt")
        if points is None or not 0 <= points <= 1584:
            raise SimError("the spacing must be between 0 pt and 1584 pt")
        return self.set_paragraphs(**{attr: points})

    def _do_keyboard_input(self, control: UiControl, keys: str) -> str:
        if self.dialog is not None:
            return self._dialog_keys(control, keys)
        if control.control_type in ("Edit", "ComboBox"):
            typed, commit = self.keys_to_text(keys)
            return self._do_set_edit_text(control, typed) if commit else "ok"
        self.gallery = None
        if control.kind != "document":
            return self.type_keys(keys, shortcuts_only=True)  # focus is on a button: only Ctrl/Alt keys act
        return self.type_keys(keys)

    def _do_click_input(self, control: UiControl, button: str = "left", double: bool = False) -> str:
        if button != "left":
            return "ok"  # context menus are not modelled: no effect, as an Esc right after
        if control.kind == "dialog":
            return self._click_dialog(control)
        if control.kind == "gallery":
            return self._click_gallery(control)
        opener, self.gallery = self.gallery, None
        if control.kind == "tab":
            self.tab = control.name
            return "ok"
        if control.kind == "quick":
            return self._click_quick(control.name)
        if control.kind == "document":
            self.selection = None  # a click in the text drops the selection
            return "ok"
        if control.kind == "scrollbar":
            return "ok"
        if control.name in ribbon.GALLERIES:
            self.gallery = None if opener == control.name else control.name
            return "ok"
        return self._click_ribbon(control)

    def _click_quick(self, name: str) -> str:
        if name == "Save":
            self.saved = True
            return "ok"
        return self.undo() if name == "Undo" else self.redo()

    def _click_ribbon(self, control: UiControl) -> str:
        name = control.name
        if control.control_type == "ListItem":
            if self.tab == ribbon.CONTEXT_TAB:
                return self.set_table(style=name)
            return self.set_paragraphs(style=name)
        if name in ribbon.ALIGN_BUTTONS:
            return self.align(ribbon.ALIGN_BUTTONS[name])
        simple: dict[str, Callable[[], str]] = {
            "Bold": lambda: self.toggle("bold"),
            "Italic": lambda: self.toggle("italic"),
            "Underline": lambda: self.toggle("underline"),
            "Strikethrough": lambda: self.toggle("strike"),
            "Subscript": lambda: self.toggle_vertical("sub"),
            "Superscript": lambda: self.toggle_vertical("super"),
            "Increase Font Size": lambda: self.step_size(+1),
            "Decrease Font Size": lambda: self.step_size(-1),
            "Clear All Formatting": self.clear_formatting,
            "Bullets": lambda: self.toggle_list("bullet"),
            "Numbering": lambda: self.toggle_list("number"),
            "Increase Indent": lambda: self.shift_indent(+1),
            "Decrease Indent": lambda: self.shift_indent(-1),
            "Cut": self.cut,
            "Copy": self.copy_selection,
            "Paste": self.paste,
            "Page Break": lambda: self.insert_block(PageBreak()),
            "Blank Page": self.blank_page,
            "Word Count": lambda: f"{len(self.doc.text().split())} words",
            "Replace": lambda: self.open_dialog("Find and Replace"),
            "Page Borders": lambda: self.open_dialog("Borders and Shading"),
        }
        action = simple.get(name)
        return action() if action else "ok"  # buttons whose dialogs/panes are not modelled

    def _click_gallery(self, control: UiControl) -> str:
        gallery, self.gallery = self.gallery, None
        name = control.name
        if gallery == "Text Highlight Color":
            return self.format_selection(highlight="" if name == "No Color" else name)
        if gallery == "Font Color":
            return self.format_selection(color=name)
        if gallery == "Table":
            return self.open_dialog("Insert Table")
        key = {
            "Page Color": "page_color",
            "Watermark": "watermark",
            "Margins": "margins",
            "Orientation": "orientation",
            "Size": "page_size",
            "Columns": "columns",
        }[str(gallery)]
        self.doc.page[key] = "" if name == "Remove Watermark" else name
        return "ok"

    # ---- dialogs -------------------------------------------------------------------------------
    def open_dialog(self, name: str) -> str:
        self.dialog = name
        self.dialog_values = dict(ribbon.DIALOGS[name].fields)
        if name == "Borders and Shading":
            self.dialog_values["setting"] = self.doc.page["page_border"]
        return "ok"

    def _close_dialog(self) -> str:
        self.dialog, self.dialog_values = None, {}
        return "ok"

    def _click_dialog(self, control: UiControl) -> str:
        name, values = control.name, self.dialog_values
        if name in ("Cancel", "Close"):
            return self._close_dialog()
        if control.control_type == "ListItem":
            values["setting"] = name
            return "ok"
        if control.control_type == "Edit":
            return "ok"
        if self.dialog == "Find and Replace" and name == "Replace All":
            count = self.doc.replace_all(values["Find what"], values["Replace with"])
            self.selection = None
            return f"ok: {count} replacement(s) made"
        if self.dialog == "Borders and Shading":
            self.doc.page["page_border"] = values["setting"]
            return self._close_dialog()
        if self.dialog == "Insert Table":
            cols = parse_number(values["Number of columns"])
            rows = parse_number(values["Number of rows"])
            if cols is None or rows is None or not (1 <= cols <= 63 and 1 <= rows <= 32767):
                raise SimError("the number of columns must be 1 to 63 and of rows 1 to 32767")
            self._close_dialog()
            self.insert_table(int(rows), int(cols))
            return "ok"
        return "ok"

    def _dialog_keys(self, control: UiControl, keys: str) -> str:
        typed, commit = self.keys_to_text(keys)
        if "ESC" in {p.key for p in self.parse(keys)}:
            return self._close_dialog()
        if control.control_type == "Edit":
            self.dialog_values[control.name] = typed
        if commit and self.dialog in ("Borders and Shading", "Insert Table"):
            return self._click_dialog(UiControl("Button", "OK", "dialog"))
        return "ok"


def _fmt_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
