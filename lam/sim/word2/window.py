"""The next simulated Word window: WordApp's API and action space, screens from the word_ui catalog.

The window's state (selected tab, open drop-down, dialog stack with each dialog's tab and fields,
contextual tabs while a table is selected, backstage page, width) is turned into a screen by
``word_ui.screen(...)``; clicks navigate generically by what the catalog says a control opens
(``menu``, ``dialog``, ``page``), and what a control does to the document is looked up in
``effects.yaml`` (lam.sim.word2.effects). Values (``value`` of the service's Control) show the
selection's state: font, size, toggles, alignment, style, dialog fields, the document's text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from lam.sim.app_functions import AppFunctions
from lam.sim.document import Document, Format, Paragraph, Table
from lam.sim.editing import SimError, TableSel, TextSel, parse_number
from lam.sim.keys import KeyPress
from lam.sim.word2 import dialogs, find_replace, text_rules
from lam.sim.word2.effects import apply_effect, lookup
from lam.sim.word_ui import Width, load_catalog
from lam.sim.word_ui.catalog import COLLAPSED_GROUP_MENU, UiControl

__all__ = ["Shown", "WordWindow", "is_error"]

TABLE_TABS = ("Table Design", "Table Layout")
FIELD_TYPES = frozenset({"Edit", "ComboBox", "Spinner", "CheckBox", "RadioButton"})
TOGGLES = {"Bold": "bold", "Italic": "italic", "Underline": "underline", "Strikethrough": "strike"}
ALIGN_BUTTONS = {"Align Left": "left", "Center": "center", "Align Right": "right", "Justify": "justify"}
STATE_WORDS = {"On": "on", "Off": "off", "Selected": "selected"}
CLOSE_BUTTONS = frozenset({"Cancel", "Close"})

# Value readers an area of Word adds (lam.sim.word2.behaviours): asked first, in order, for each
# control on screen with its place; the first answer that is not None is the control's value.
ValueReader = Callable[["WordWindow", UiControl, str], "str | None"]
VALUE_READERS: list[ValueReader] = []
# Contextual tabs an area shows (lam.sim.word2.behaviours): each reader names the contextual tabs
# its object shows now (a header being edited shows Header & Footer), after the table tabs.
ContextualReader = Callable[["WordWindow"], "tuple[str, ...]"]
CONTEXTUAL_READERS: list[ContextualReader] = []
# Dialogs that are really panes (Apply Styles...): they stay open while the document and the ribbon
# are used, as Word's modeless windows do. Areas add their keys (lam.sim.word2.behaviours).
MODELESS_DIALOGS: set[str] = set()
# Controls the document's content adds to the screen (comment cards, a dialog's list of suggestions):
# each provider takes the screen built so far and returns it with its controls inserted where Word
# shows them. Their place is theirs to name ("document:<area>" for the document area).
ScreenExtra = Callable[["WordWindow", list["Shown"]], list["Shown"]]
SCREEN_EXTRAS: list[ScreenExtra] = []
# Text boxes an area interprets (``{text: <key>}`` effects beyond font, size, indent and spacing):
# key -> what typing ``text`` into the box does.
TextSetter = Callable[["WordWindow", str], str]
TEXT_SETTERS: dict[str, TextSetter] = {}
# Parts of the document an area shows as controls of their own (a table's cells, as UI Automation
# exposes them): listed right after the Document control, each with a place "part:<area>:<...>";
# a click on one, or keys typed on it (pywinauto focuses it first), goes to PART_CLICKS[<area>].
DOCUMENT_PARTS: list[Callable[[WordWindow], list[Shown]]] = []
PART_CLICKS: dict[str, Callable[[WordWindow, Shown], str]] = {}
# Where keys typed into the document go when a pane other than the body has the focus (a footnote
# being written...): asked in order; the first that returns a result (not None) took the keys.
KeySink = Callable[["WordWindow", str], "str | None"]
KEY_SINKS: list[KeySink] = []


def is_error(result: str) -> bool:
    return result.startswith("error:")


@dataclass(frozen=True)
class Shown:
    """A control on this step's screen: the catalog's control, where it sits, and its value."""

    control: UiControl
    place: str  # tab:<key>, menu:<key>, dialog:<key>, chrome:<section>, backstage, document
    value: str | None = None

    @property
    def control_type(self) -> str:
        return self.control.control_type

    @property
    def name(self) -> str:
        return self.control.name


@dataclass
class OpenDialog:
    key: str
    tab: str | None = None
    expanded: bool = False
    fields: dict[str, str] = field(default_factory=dict)
    initial: dict[str, str] = field(default_factory=dict)
    focus: str = ""  # the box that last took typing or a click (Find and Replace's Format/Special act on it)


class WordWindow(AppFunctions):
    """One Word window with one document; ``observation()`` then ``execute_action(...)``."""

    def __init__(self, doc: Document, name: str = "Document1.docx", width: Width = "wide") -> None:
        super().__init__(doc)
        self.name = name
        self.width: Width = width
        self.tab = "Home"
        self.last_tab = "Home"
        self.backstage_page: str | None = None
        self.open_menu: str | None = None
        self.menu_owner: Shown | None = None
        self.dialogs: list[OpenDialog] = []
        self.replacements = 0
        self.scroll = 0
        self.saved = True
        self.catalog = load_catalog()

    # ---- what is on screen -------------------------------------------------------------------
    @property
    def dialog(self) -> OpenDialog | None:
        return self.dialogs[-1] if self.dialogs else None

    def contextual(self) -> tuple[str, ...]:
        tabs: tuple[str, ...] = TABLE_TABS if isinstance(self.selection, TableSel) else ()
        for reader in CONTEXTUAL_READERS:
            tabs += tuple(t for t in reader(self) if t not in tabs)
        return tabs

    def screen_values(self) -> dict[str, str]:
        pages = 1 + sum(type(b).__name__ == "PageBreak" for b in self.doc.blocks)
        return {
            "document": self.name,
            "words": str(len(self.doc.text().split())),
            "pages": str(pages),
            "replacements": str(self.replacements),
        }

    def controls(self) -> list[Shown]:
        dialog = self.dialog
        raw = self.catalog.screen(
            self.tab,
            width=self.width,
            open_menu=self.open_menu,
            dialog=dialog.key if dialog else None,
            dialog_tab=dialog.tab if dialog else None,
            dialog_expanded=dialog.expanded if dialog else False,
            contextual=self.contextual(),
            backstage_page=self.backstage_page if self.tab == "File" else None,
            values=self.screen_values(),
        )
        out: list[Shown] = []
        in_menu = False
        for c in raw:
            in_menu = in_menu or (self.open_menu is not None and c.control_type == "Menu")
            place = self._place(c, in_menu)
            out.append(Shown(c, place, self._value(c, place)))
            if place == "document":
                for part in DOCUMENT_PARTS:
                    out.extend(part(self))
        for extra in SCREEN_EXTRAS:
            out = extra(self, out)
        return out

    def _place(self, c: UiControl, in_menu: bool) -> str:
        if in_menu:
            menu = self.open_menu or ""
            return f"tab:{self.tab}" if menu.startswith(COLLAPSED_GROUP_MENU) else f"menu:{menu}"
        dialog = self.dialog
        if dialog is not None and (c.parent == dialog.key or c.control_type == "Window"):
            return f"dialog:{dialog.key}"
        if c.control_type == "Document":
            return "document"
        if c.control_type == "TabItem" and c.parent == "Ribbon Tabs":
            # a contextual tab's place names its set: Table Tools' "Layout" is not the Layout tab
            return "tabs" if c.group is None else f"tabs:{c.group}"
        if (
            self.tab == "File"
            and c.parent is not None
            and (c.parent == "File" or c.parent in self.catalog.backstage.pages)
        ):
            return "backstage"
        if c.group is not None and c.parent == self.catalog.tabs[self.tab].name:
            return f"tab:{self.tab}"
        return f"chrome:{c.parent or c.name}"

    def _value(self, c: UiControl, place: str) -> str | None:
        for reader in VALUE_READERS:
            value = reader(self, c, place)
            if value is not None:
                return value
        if place == "document":
            return self.doc.text()
        dialog = self.dialog
        if dialog is not None and place == f"dialog:{dialog.key}":
            if c.control_type in FIELD_TYPES and c.name in dialog.fields:
                return dialog.fields[c.name]
            if c.control_type == "ListItem" and c.group is not None and c.group in dialog.fields:
                return "selected" if dialog.fields[c.group] == c.name else None
        if place == f"tab:{self.tab}" or place.startswith("menu:"):
            value = self._ribbon_value(c)
            if value is not None:
                return value
        return STATE_WORDS.get(c.value or "", c.value)

    def _formats(self) -> list[Format]:
        spans = self.text_spans()
        return [f for s in spans for f in self.doc.char_formats(s)] or [self.current_format()]

    def _ribbon_value(self, c: UiControl) -> str | None:
        name = c.name
        if self.tab in ("Home", "Layout") or c.parent in ("Styles", f"{COLLAPSED_GROUP_MENU}Styles"):
            formats = self._formats()
            pars = [self.doc.para(b) for b in self.target_paragraphs()]
            if c.control_type == "ComboBox" and name in ("Font", "Font Size"):
                values = {f.font if name == "Font" else dialogs.fmt_number(f.size) for f in formats}
                return values.pop() if len(values) == 1 else ""
            if name in TOGGLES and c.group == "Font":
                return "on" if all(getattr(f, TOGGLES[name]) for f in formats) else "off"
            if name in ("Subscript", "Superscript") and c.group == "Font":
                kind = "sub" if name == "Subscript" else "super"
                return "on" if all(f.vertical == kind for f in formats) else "off"
            if name in ALIGN_BUTTONS and c.group == "Paragraph":
                return "on" if pars and all(p.align == ALIGN_BUTTONS[name] for p in pars) else "off"
            if name in ("Bullets", "Numbering") and c.control_type == "SplitButton":
                kind = "bullet" if name == "Bullets" else "number"
                return "on" if pars and all(p.list_style == kind for p in pars) else "off"
            if c.control_type == "ListItem" and (
                c.group == "Styles" or c.parent in ("Styles", f"{COLLAPSED_GROUP_MENU}Styles")
            ):
                return "selected" if pars and pars[0].style == name else None
            if c.control_type == "Spinner" and pars:
                par = pars[0]
                if name == "Indent Left":
                    return dialogs.inches(par.indent)
                if name in ("Spacing Before", "Spacing After"):
                    points = par.space_before if name == "Spacing Before" else par.space_after
                    return f"{dialogs.fmt_number(points)} pt"
        return None

    def observation(self) -> dict[str, Any]:
        """Exactly the service's ``observation`` field (``value`` only where a control has one)."""
        controls: list[dict[str, str]] = []
        for i, s in enumerate(self.controls(), start=1):
            item = {"label": str(i), "control_type": s.control_type, "name": s.name}
            if s.value is not None:
                item["value"] = s.value
            controls.append(item)
        return {"window_title": f"{self.name} - Word", "controls": controls}

    def label_of(self, control_type: str, name: str, place: str | None = None) -> str:
        shown = self.controls()
        matches = [
            i
            for i, s in enumerate(shown, start=1)
            if s.control_type == control_type and s.name == name and (place is None or s.place == place)
        ]
        if not matches:
            raise KeyError(f"{control_type} {name!r} is not on screen")
        # An open drop-down lies over the window: of two alike (a collapsed group's button and the
        # control of that name inside it, e.g. Zoom), the one in the drop-down is the one to click.
        menu_at = next((i for i, s in enumerate(shown, start=1) if s.control_type == "Menu"), len(shown) + 1)
        in_menu = [i for i in matches if i > menu_at] if self.open_menu is not None else []
        return str((in_menu or matches)[0])

    def state(self) -> dict[str, Any]:
        """The document's canonical state (what the checker compares)."""
        return self.doc.state()

    # ---- executing ---------------------------------------------------------------------------
    def execute(self, function: str, args: Mapping[str, Any] | None = None, control_label: str = "") -> str:
        resolved = self.resolve(function, args, control_label)
        if isinstance(resolved, str):
            return resolved
        clean, control = resolved
        before = self.doc.copy()
        ui_before = self._ui_state()
        try:
            result = getattr(self, f"_do_{function}")(control, **clean)
        except SimError as exc:
            self.doc = before
            self._restore_ui(ui_before)
            return f"error: {exc}"
        changed = self.doc != before
        if changed and not self._history_done:
            self.undo_stack.append(before)
            self.redo_stack.clear()
            self.saved = False
        self._history_done = False
        self._clamp()
        if self.catalog.tabs[self.tab].contextual and self.tab not in self.contextual():
            self.tab = "Home"  # Word leaves a contextual tab when its object is deselected
        return str(result)[:2000]

    def _ui_state(self) -> tuple[Any, ...]:
        return (self.tab, self.backstage_page, self.open_menu, self.menu_owner,
                [replace(d, fields=dict(d.fields)) for d in self.dialogs], self.selection, self.cursor)  # fmt: skip

    def _restore_ui(self, s: tuple[Any, ...]) -> None:
        self.tab, self.backstage_page, self.open_menu, self.menu_owner, self.dialogs, self.selection, self.cursor = s

    # ---- tables ------------------------------------------------------------------------------
    def insert_table(self, rows: int, columns: int) -> None:
        """Word puts a new table at the caret (lam.sim.word2.behaviours.table.place_table) and moves
        the caret into its first cell (its Table tabs join the tab list)."""
        from lam.sim.word2.behaviours.table import place_table

        sel = self.selection
        block, offset = (sel.block, 10**9) if isinstance(sel, TableSel) else self.cursor
        spans = self.text_spans()
        if spans:
            block, offset = spans[-1][0], spans[-1][2]
        at = place_table(self.doc, block, offset, Table(rows, columns))
        self.select(TableSel(at, (0, 0), (0, 0), caret=True))

    # ---- line spacing ------------------------------------------------------------------------
    def line_spacing(self, block: int) -> float:
        return self.doc.para(block).line_spacing

    def set_line_spacing(self, spacing: float) -> str:
        blocks = self.target_paragraphs()
        for b in blocks:
            self.doc.para(b).line_spacing = spacing
        return "ok" if blocks else "ok: nothing selected, nothing changed"

    # ---- app-level functions -----------------------------------------------------------------
    def _modal(self) -> OpenDialog | None:
        """The open dialog that blocks the window (None when none, or when the top one is a pane)."""
        dialog = self.dialog
        return None if dialog is None or dialog.key in MODELESS_DIALOGS else dialog

    def _no_dialog(self) -> None:
        if self._modal() is not None and self.dialog is not None:
            raise SimError(f"the {self.dialog.key!r} dialog is open; close it first")

    def select(self, sel: TextSel | TableSel | None) -> None:
        self._close_menu()
        if self.tab == "File":
            self.tab = self.last_tab
        super().select(sel)

    def _escape(self) -> None:
        self._close_menu()

    def _special(self, p: KeyPress) -> None:
        """Word's editing keys beyond the shared Editor's: Left/Right collapse a selection to its start
        or end; Delete/Backspace of selected whole words take one neighbouring space with them (smart
        cut and paste); Delete at a paragraph's end and Backspace at its start join two paragraphs."""
        spans, sel = self.text_spans(), self.selection
        plain = not p.mods
        if plain and p.key in ("LEFT", "RIGHT") and spans:
            block, start, end = spans[0] if p.key == "LEFT" else spans[-1]
            self.selection, self.cursor = None, (block, start if p.key == "LEFT" else end)
            return
        if plain and p.key in ("DELETE", "BACKSPACE"):
            if len(spans) == 1 and isinstance(sel, TextSel) and not sel.whole:
                self.cursor = (spans[0][0], text_rules.smart_delete(self.doc, spans[0]))
                self.selection = None
                return
            block, offset = self.cursor
            blocks = self.doc.blocks
            if not spans and isinstance(sel, TextSel | None) and isinstance(blocks[block], Paragraph):
                if p.key == "DELETE" and offset == len(self.doc.para(block).text):
                    if block + 1 < len(blocks) and isinstance(blocks[block + 1], Paragraph):
                        text_rules.join_paragraphs(self.doc, block)
                    return
                if p.key == "BACKSPACE" and offset == 0:
                    if block > 0 and isinstance(blocks[block - 1], Paragraph):
                        joint = len(self.doc.para(block - 1).text)
                        text_rules.join_paragraphs(self.doc, block - 1)
                        self.cursor = (block - 1, joint)
                    return
        super()._special(p)

    def _close_menu(self) -> None:
        self.open_menu, self.menu_owner = None, None

    # ---- control functions -------------------------------------------------------------------
    def _do_wheel_mouse_input(self, control: Shown, wheel_dist: int) -> str:
        if (
            control.place == "document"
            or control.control_type == "ScrollBar"
            or control.name in ("Line up", "Line down")
        ):
            self.scroll = max(0, self.scroll - wheel_dist)
        return "ok"

    def _do_texts(self, control: Shown) -> str:
        if control.place == "document":
            return self.doc.text()
        if control.control_type in ("Edit", "ComboBox", "Spinner") and control.value is not None:
            return control.value
        return control.name

    def _do_set_edit_text(self, control: Shown, text: str) -> str:
        if control.control_type not in ("Edit", "ComboBox", "Spinner"):
            raise SimError(f"{control.control_type} {control.name!r} does not accept text")
        self._check_modal(control)
        dialog = self.dialog
        if dialog is not None and control.place == f"dialog:{dialog.key}":
            dialog.fields[control.name] = text
            dialog.focus = control.name
            return "ok"
        self._close_menu()
        effect = lookup(control.place, control.control_type, control.name)
        if effect is None:
            return "ok"  # a box whose effect is not modelled (Search...): the text goes nowhere
        if effect.id != "text":
            return apply_effect(self, effect, text)  # an area's box effect takes the text as $item
        return self._set_text(str(effect.arg), text.strip())

    def _set_text(self, what: str, value: str) -> str:
        if what in TEXT_SETTERS:
            return TEXT_SETTERS[what](self, value)
        if what == "font":
            if not value:
                raise SimError("not a valid font name")
            return self.format_selection(font=value)
        if what == "size":
            size = parse_number(value, unit="pt")
            if size is None or not 1 <= size <= 1638:
                raise SimError("the number must be between 1 and 1638")
            return self.format_selection(size=round(size * 2) / 2)
        if what.startswith("setting:"):  # a box that holds a document setting (File > Info properties)
            self.doc.set_setting(what.removeprefix("setting:"), value)
            return "ok"
        if what == "indent_left":
            indent = dialogs.parse_inches(value)
            if indent is None:
                raise SimError('the indent must be between 0" and 22"')
            return self.set_paragraphs(indent=indent)
        points = parse_number(value, unit="pt")
        if points is None or not 0 <= points <= 1584:
            raise SimError("the spacing must be between 0 pt and 1584 pt")
        return self.set_paragraphs(**{what: points})

    def _do_keyboard_input(self, control: Shown, keys: str) -> str:
        presses = self.parse(keys)
        dialog = self.dialog
        if dialog is not None and self.open_menu is None and (self._modal() or control.place == f"dialog:{dialog.key}"):
            self._check_modal(control)
            if any(p.key == "ESC" for p in presses):
                return self._close_dialog()
            typed, commit = self.keys_to_text(keys)
            if control.control_type in ("Edit", "ComboBox", "Spinner") and typed:
                dialog.fields[control.name] = typed
                dialog.focus = control.name
            if commit and any(p.key == "ENTER" for p in presses):
                ok = next((s for s in self.controls() if s.place == f"dialog:{dialog.key}" and s.name == "OK"), None)
                if ok is not None:
                    return self._click(ok)
            return "ok"
        if self.open_menu is not None and any(p.key == "ESC" for p in presses):
            self._close_menu()
            return "ok"
        if control.place.startswith("part:"):
            self._close_menu()
            PART_CLICKS[control.place.split(":")[1]](self, control)
            return self.type_keys(keys)
        if control.control.menu and any(p.key == "DOWN" and "alt" in p.mods for p in presses):
            return self._open_menu(control)
        if control.control_type in ("Edit", "ComboBox", "Spinner"):
            typed, commit = self.keys_to_text(keys)
            return self._do_set_edit_text(control, typed) if commit else "ok"
        self._close_menu()
        if control.place != "document":
            return self.type_keys(keys, shortcuts_only=True)  # focus is on a button: only Ctrl/Alt keys act
        for sink in KEY_SINKS:
            result = sink(self, keys)
            if result is not None:
                return result
        return self.type_keys(keys)

    def _do_click_input(self, control: Shown, button: str = "left", double: bool = False) -> str:
        if button != "left":
            return "ok"  # context menus are not modelled: no effect, as an Esc right after
        return self._click(control)

    def _check_modal(self, control: Shown) -> None:
        dialog = self._modal()
        if dialog is not None and control.place != f"dialog:{dialog.key}" and not control.place.startswith("menu:"):
            raise SimError(f"the {dialog.key!r} dialog is open; close it first")

    def _click(self, control: Shown) -> str:
        self._check_modal(control)
        c = control.control
        in_menu = (
            self.open_menu is not None
            and control.place in (f"menu:{self.open_menu}", f"tab:{self.tab}")
            and (c.parent == self.open_menu or c.control_type == "Menu")
        )
        owner = self.menu_owner
        if self.open_menu is not None and not in_menu:
            was_opener = owner is not None and owner.control == c
            self._close_menu()
            if was_opener:
                return "ok"  # clicking the opener again closes its drop-down
        if in_menu:
            if c.control_type == "Menu":
                return "ok"
            self._close_menu()
            if (
                owner is not None
                and self.dialog is not None
                and owner.place == f"dialog:{self.dialog.key}"
                and owner.control_type in FIELD_TYPES
            ):
                self.dialog.fields[owner.name] = c.name  # a dialog's drop-down sets its box
                return "ok"
        dialog = self.dialog
        if dialog is not None and control.place == f"dialog:{dialog.key}":
            return self._click_dialog(dialog, control)
        if control.place == "tabs" or control.place.startswith("tabs:"):
            return self._select_tab(c)
        if control.place.startswith("part:"):
            return PART_CLICKS[control.place.split(":")[1]](self, control)
        if control.place == "document":
            self.selection = None  # a click in the text drops the selection
            return "ok"
        if control.place == "backstage":
            if c.name == "Back":
                self.tab, self.backstage_page = self.last_tab, None
                return "ok"
            if c.page is not None:
                self.backstage_page = c.page
                return "ok"
        effect = lookup(control.place, c.control_type, c.name)
        if effect is not None and (c.menu is None or c.control_type == "SplitButton"):
            return apply_effect(self, effect, c.name)  # a split button's main part runs its command
        if c.dialog is not None:
            return self._open_dialog(c.dialog)
        if c.menu is not None:
            return self._open_menu(control)
        return "ok"  # a command whose pane or effect is not modelled: nothing changes

    def _select_tab(self, c: UiControl) -> str:
        for key, tab in self.catalog.tabs.items():
            if tab.name == c.name and tab.tab_set == c.group:
                if tab.backstage:
                    self.last_tab = self.tab
                    self.backstage_page = None
                self.tab = key
                return "ok"
        raise SimError(f"no tab {c.name!r}")

    def _open_menu(self, control: Shown) -> str:
        menu = control.control.menu
        if menu is None:
            return "ok"
        self.open_menu, self.menu_owner = menu, control
        return "ok"

    # ---- dialogs -----------------------------------------------------------------------------
    def _open_dialog(self, key: str) -> str:
        self._close_menu()
        spec = self.catalog.dialogs[key]
        fields: dict[str, str] = {}
        for page in spec.pages:
            for c in page.controls:
                if c.control_type in FIELD_TYPES and c.name not in fields:
                    default = STATE_WORDS.get(c.value or "", c.value)
                    fields[c.name] = (
                        default
                        if default is not None
                        else ("off" if c.control_type in ("CheckBox", "RadioButton") else "")
                    )
        reader = dialogs.READERS.get(key)
        if reader is not None:
            fields.update(reader(self))
        if key == "Find and Replace" and self.text_spans():
            fields["Find what:"] = self.selected_text()
        self.dialogs.append(OpenDialog(key, fields=fields, initial=dict(fields)))
        return "ok"

    def _close_dialog(self) -> str:
        self._close_menu()
        if self.dialogs:
            self.dialogs.pop()
        return "ok"

    def _click_dialog(self, dialog: OpenDialog, control: Shown) -> str:
        c = control.control
        if c.control_type == "TabItem":
            dialog.tab = c.name
            return "ok"
        if c.control_type in ("Edit", "ComboBox", "Spinner"):
            dialog.focus = c.name
        if c.control_type == "CheckBox":
            dialog.fields[c.name] = "off" if dialog.fields.get(c.name) == "on" else "on"
            return "ok"
        if c.control_type == "RadioButton":
            for s in self.catalog.dialogs[dialog.key].controls(dialog.tab):
                if s.control_type == "RadioButton" and s.group == c.group:
                    dialog.fields[s.name] = "off"
            dialog.fields[c.name] = "on"
            return "ok"
        if c.control_type == "ListItem" and c.group is not None and c.group in dialog.fields:
            dialog.fields[c.group] = c.name  # a list box item fills the box above it
            return "ok"
        if c.name in ("More >>", "<< Less"):
            dialog.expanded = c.name == "More >>"
            return "ok"
        effect = lookup(control.place, c.control_type, c.name)
        if effect is not None:
            return apply_effect(self, effect, c.name)
        if c.name in CLOSE_BUTTONS or c.name == "OK":
            return self._close_dialog()
        if c.dialog is not None:
            return self._open_dialog(c.dialog)
        if c.menu is not None:
            return self._open_menu(control)
        return "ok"

    def apply_dialog(self, kind: str) -> str:
        dialog = self.dialog
        if dialog is None:
            raise SimError("no dialog is open")
        result = dialogs.APPLIERS[kind](self, dialog.initial, dialog.fields)
        self._close_dialog()
        return result

    # ---- Find and Replace -------------------------------------------------------------------
    def _search(self) -> find_replace.Search:
        dialog = self.dialog
        if dialog is None or dialog.key != "Find and Replace":
            raise SimError("the Find and Replace dialog is not open")
        return find_replace.search_from_fields(dialog.fields)

    def replace_all_from_dialog(self) -> str:
        """Replace All with the dialog's options (Match case, Find whole words only, formats,
        ^ codes); Word reports the count in a message box."""
        count = find_replace.replace_all(self.doc, self._search())
        self.selection = None
        self.replacements = count
        self._open_dialog("Replace All Result")
        return f"ok: {count} replacement(s) made"

    def find_next_from_dialog(self) -> str:
        """Find Next: select the next match after the selection (or the cursor), wrapping to the start."""
        search = self._search()
        found = find_replace.matches(self.doc, search)
        if not found:
            return "ok: Word found no match"
        if isinstance(self.selection, TextSel) and self.selection.spans:
            block, _, end = self.selection.spans[-1]
            after = (block, end)
        else:
            after = self.cursor
        span = next((m for m in found if (m[0], m[1]) >= after), found[0])
        self.select(TextSel((span,)))
        return "ok"

    def replace_from_dialog(self) -> str:
        """Replace: the selected match is replaced, then the next one is selected; with no match
        selected it only finds the next one, as Word's Replace button does."""
        search = self._search()
        spans = self.text_spans()
        if len(spans) == 1 and spans[0] in find_replace.matches(self.doc, search):
            block, start, _ = spans[0]
            end = find_replace.replace_span(self.doc, spans[0], search)
            self.selection, self.cursor = None, (block, end if end is not None else start)
        return self.find_next_from_dialog()
