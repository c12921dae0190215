"""Paragraph and list behaviour of the window: indents by length, line-spacing rules, shading,
borders, bullets and numbering formats, list levels, numbering values, and the dialogs behind
them (Define New Bullet with its Symbol dialog, Define New Number Format, Set Numbering Value).

The list model lives in paragraph properties so that the checker compares it: ``list_style``
("bullet"/"number") says a paragraph is a list item; ``bullet`` (its character), ``number_format``
(a Numbering Library name), ``list_level`` ("2".."9") and ``list_start`` (the number a restarted or
renumbered item shows) are stored only when they differ from Word's defaults. Numbers are computed:
a numbered item continues the previous item of its level and format unless it has ``list_start``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from lam.sim.document import Document, Paragraph, Table
from lam.sim.editing import NO_SELECTION, SimError, TableSel, parse_number
from lam.sim.word2 import dialogs, window
from lam.sim.word2.dialogs import OFF, ON, Fields
from lam.sim.word2.effects import register_effect

if TYPE_CHECKING:
    from lam.sim.word2.window import WordWindow
    from lam.sim.word_ui.catalog import UiControl

LISTS_FILE = Path(__file__).resolve().parent.parent / "paragraph_lists.yaml"
LIST_PROPS = ("bullet", "number_format", "list_level", "list_start")
# Borders drop-down items that act on paragraphs -> the sides they draw ("between" is the line
# between consecutive paragraphs that share the border, Word's inside horizontal border)
SIDES = ("top", "bottom", "left", "right", "between")
BORDER_SIDES: Mapping[str, tuple[str, ...]] = {
    "Bottom Border": ("bottom",),
    "Top Border": ("top",),
    "Left Border": ("left",),
    "Right Border": ("right",),
    "Outside Borders": ("top", "bottom", "left", "right"),
    "All Borders": SIDES,
    "Inside Borders": ("between",),
    "Inside Horizontal Border": ("between",),
}
LEVEL_PREFIX = "Level "


@cache
def list_data() -> dict[str, Any]:
    data = yaml.safe_load(LISTS_FILE.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{LISTS_FILE.name}: expected a mapping")
    return data


def bullet_library() -> dict[str, str]:
    return {str(k): str(v) for k, v in list_data()["bullet_library"].items()}


def number_styles() -> dict[str, list[str]]:
    return {str(k): [str(x) for x in v] for k, v in list_data()["number_styles"].items()}


def numbering_formats() -> dict[str, dict[str, str]]:
    return {
        str(k): {"style": str(v["style"]), "format": str(v["format"])}
        for k, v in list_data()["numbering_formats"].items()
    }


def default_bullet() -> str:
    return next(iter(bullet_library().values()))


def default_numbering() -> str:
    return next(iter(numbering_formats()))


# ---- the list model (shared with the families' apply/satisfied) ----------------------------------
def bullet_of(par: Paragraph) -> str:
    return par.prop("bullet", default_bullet()) if par.list_style == "bullet" else ""


def number_format_of(par: Paragraph) -> str:
    return par.prop("number_format", default_numbering()) if par.list_style == "number" else ""


def list_level(par: Paragraph) -> int:
    return int(par.prop("list_level", "1"))


def make_bullet(par: Paragraph, char: str) -> None:
    """A bulleted item with ``char``; a numbered item keeps its level, loses its numbering."""
    par.list_style = "bullet"
    par.set_prop("bullet", char, default_bullet())
    par.set_prop("number_format", "")
    par.set_prop("list_start", "")


def make_numbered(par: Paragraph, name: str) -> None:
    par.list_style = "number"
    par.set_prop("number_format", name, default_numbering())
    par.set_prop("bullet", "")


def remove_list(par: Paragraph) -> None:
    """Back to an ordinary paragraph: the text stays, every list property goes."""
    par.list_style = ""
    for key in LIST_PROPS:
        par.set_prop(key, "")


def set_list_level(par: Paragraph, level: int) -> None:
    par.set_prop("list_level", str(max(1, min(9, level))), "1")


def numbering(doc: Document) -> dict[int, tuple[int, bool]]:
    """Each numbered paragraph's number and whether it continues an earlier item of its list."""
    out: dict[int, tuple[int, bool]] = {}
    last: dict[int, tuple[int, str]] = {}  # level -> (number, format) of the last item there
    for i, par in doc.paragraphs():
        if par.list_style != "number":
            continue
        level = list_level(par)
        for deeper in [lv for lv in last if lv > level]:
            del last[deeper]  # a higher-level item restarts the levels under it
        fmt = number_format_of(par)
        start = par.prop("list_start")
        prev = last.get(level)
        if start:
            number, continued = int(start), False
        elif prev is not None and prev[1] == fmt:
            number, continued = prev[0] + 1, True
        else:
            number, continued = 1, False
        last[level] = (number, fmt)
        out[i] = (number, continued)
    return out


def borders_of(par: Paragraph) -> set[str]:
    return {s for s in par.prop("border").split(",") if s}


def set_borders(par: Paragraph, sides: set[str]) -> None:
    par.set_prop("border", ",".join(s for s in SIDES if s in sides))


def add_border(doc: Document, blocks: list[int], item: str) -> None:
    """A Borders item: off when every paragraph has all its sides, else on (Word toggles them)."""
    if item == "No Border":
        for b in blocks:
            set_borders(doc.para(b), set())
        return
    sides = set(BORDER_SIDES[item])
    on = all(sides <= borders_of(doc.para(b)) for b in blocks)
    for b in blocks:
        par = doc.para(b)
        set_borders(par, borders_of(par) - sides if on else borders_of(par) | sides)


def step_indent(doc: Document, blocks: list[int], direction: int) -> None:
    """Increase/Decrease Indent: each paragraph's left indent moves a half-inch step (list levels
    change through Change List Level)."""
    for b in blocks:
        dialogs.step_left_indent(doc.para(b), direction)


# ---- effects -------------------------------------------------------------------------------------
def _pars(win: WordWindow) -> list[Paragraph]:
    return [win.doc.para(b) for b in win.target_paragraphs()]


@register_effect("paragraph_list")
def _toggle_list(win: WordWindow, kind: Any) -> str:
    """The Bullets/Numbering button: off when every paragraph is already such a list, else on."""
    pars = _pars(win)
    if not pars:
        return NO_SELECTION
    off = all(p.list_style == kind for p in pars)
    for par in pars:
        if off:
            remove_list(par)
        elif kind == "bullet":
            make_bullet(par, default_bullet())
        else:
            make_numbered(par, default_numbering())
    return "ok"


def _library_item(win: WordWindow, item: Any, kind: str, make: Callable[[Paragraph], None]) -> str:
    """A Bullets/Numbering library cell: ``None`` ends that kind of list, any other cell makes one."""
    pars = _pars(win)
    for par in pars:
        if item != "None":
            make(par)
        elif par.list_style == kind:
            remove_list(par)
    return "ok" if pars else NO_SELECTION


@register_effect("paragraph_bullet")
def _bullet(win: WordWindow, item: Any) -> str:
    return _library_item(win, item, "bullet", lambda par: make_bullet(par, bullet_library()[str(item)]))


@register_effect("paragraph_numbering")
def _numbering(win: WordWindow, item: Any) -> str:
    return _library_item(win, item, "number", lambda par: make_numbered(par, str(item)))


@register_effect("paragraph_list_level")
def _list_level(win: WordWindow, item: Any) -> str:
    pars = [p for p in _pars(win) if p.list_style]
    if not pars:
        raise SimError("Change List Level works on list items; the selection has none")
    for par in pars:
        set_list_level(par, int(str(item).removeprefix(LEVEL_PREFIX)))
    return "ok"


@register_effect("paragraph_indent_step")
def _indent_step(win: WordWindow, direction: Any) -> str:
    blocks = win.target_paragraphs()
    step_indent(win.doc, blocks, int(direction))
    return "ok" if blocks else NO_SELECTION


@register_effect("paragraph_line_spacing")
def _line_spacing(win: WordWindow, item: Any) -> str:
    """A Line and Paragraph Spacing preset: a multiple of a line (rules Exactly/At least go)."""
    value = parse_number(str(item))
    if value is None:
        raise SimError(f"not a line spacing: {item!r}")
    pars = _pars(win)
    for par in pars:
        dialogs.set_line_rule(par, "Multiple", value)
    return "ok" if pars else NO_SELECTION


@register_effect("paragraph_shading")
def _shading(win: WordWindow, color: Any) -> str:
    """Shading of the selected paragraphs (of the selected table when one is selected)."""
    value = "" if color is None else str(color)
    if isinstance(win.selection, TableSel):
        table = win.doc.blocks[win.selection.block]
        if isinstance(table, Table):
            if value:
                table.props["shading"] = value
            else:
                table.props.pop("shading", None)
        return "ok"
    pars = _pars(win)
    for par in pars:
        par.set_prop("shading", value)
    return "ok" if pars else NO_SELECTION


@register_effect("paragraph_border")
def _border(win: WordWindow, item: Any) -> str:
    if isinstance(win.selection, TableSel):
        table = win.doc.blocks[win.selection.block]
        if isinstance(table, Table):
            table.props["borders"] = str(item)
        return "ok"
    blocks = win.target_paragraphs()
    if str(item) in BORDER_SIDES or item == "No Border":
        add_border(win.doc, blocks, str(item))
    return "ok" if blocks else NO_SELECTION


def _hex_char(code: str) -> str:
    text = code.strip().upper().removeprefix("U+")
    try:
        value = int(text, 16)
    except ValueError:
        raise SimError(f"not a character code: {code!r}") from None
    if not 0x20 <= value <= 0xFFFF or unicodedata.category(chr(value)).startswith("C"):
        raise SimError(f"no character with the code {code!r}")
    return chr(value)


@register_effect("paragraph_symbol")
def _symbol_ok(win: WordWindow, _: Any) -> str:
    """The Symbol dialog's OK (opened from Define New Bullet): its character becomes the bullet."""
    dialog = win.dialog
    if dialog is None or len(win.dialogs) < 2:
        raise SimError("no Define New Bullet dialog to return the symbol to")
    char = _hex_char(dialog.fields.get("Character code:", ""))
    win.dialogs.pop()
    win.dialogs[-1].fields[BULLET_FIELD] = char
    return "ok"


# ---- dialogs -------------------------------------------------------------------------------------
BULLET_FIELD = "Bullet character"  # what Define New Bullet holds (its Preview shows it)


def _first_par(win: WordWindow) -> tuple[int, Paragraph] | None:
    blocks = win.target_paragraphs()
    return (blocks[0], win.doc.para(blocks[0])) if blocks else None


def read_define_new_bullet(win: WordWindow) -> Fields:
    first = _first_par(win)
    char = bullet_of(first[1]) if first is not None else ""
    return {BULLET_FIELD: char or default_bullet()}


def apply_define_new_bullet(win: WordWindow, before: Fields, after: Fields) -> str:
    pars = _pars(win)
    for par in pars:
        make_bullet(par, after.get(BULLET_FIELD) or default_bullet())
    return "ok" if pars else NO_SELECTION


def read_bullet_symbol(win: WordWindow) -> Fields:
    owner = win.dialog
    char = owner.fields.get(BULLET_FIELD, "") if owner is not None else ""
    return {"Character code:": f"{ord(char):04X}" if len(char) == 1 else ""}


def read_number_format(win: WordWindow) -> Fields:
    first = _first_par(win)
    name = (number_format_of(first[1]) if first is not None else "") or default_numbering()
    spec = numbering_formats().get(name, {"style": "1, 2, 3, ...", "format": "1."})
    return {"Number style:": spec["style"], "Number format:": spec["format"]}


def apply_number_format(win: WordWindow, before: Fields, after: Fields) -> str:
    styles = number_styles()
    style = after.get("Number style:", "").strip()
    text = after.get("Number format:", "").strip()
    if style not in styles:
        raise SimError(f"not a number style: {style!r}")
    old = styles.get(before.get("Number style:", ""), [""])[0]
    if before.get("Number format:") == text and old and old in text:
        text = text.replace(old, styles[style][0], 1)  # a new style replaces the number it shows
    if styles[style][0] not in text:
        raise SimError("the number format must include the number")
    names = {(v["style"], v["format"]): k for k, v in numbering_formats().items()}
    name = names.get((style, text), f"{text} ({style})")
    pars = _pars(win)
    for par in pars:
        make_numbered(par, name)
    return "ok" if pars else NO_SELECTION


def _numbered_item(win: WordWindow) -> int:
    first = _first_par(win)
    if first is None or first[1].list_style != "number":
        raise SimError("Set Numbering Value works on a numbered list item")
    return first[0]


def read_numbering_value(win: WordWindow) -> Fields:
    number, continued = numbering(win.doc)[_numbered_item(win)]
    return {
        "Start new list": OFF if continued else ON,
        "Continue from previous list": ON if continued else OFF,
        "Advance value (skip numbers)": OFF,
        "Set value to:": str(number),
    }


def apply_numbering_value(win: WordWindow, before: Fields, after: Fields) -> str:
    block = _numbered_item(win)
    par = win.doc.para(block)
    value = parse_number(after.get("Set value to:", ""))
    if value is None or not value.is_integer() or not 0 <= value <= 32767:
        raise SimError("the value must be a whole number from 0 to 32767")
    if after.get("Start new list") == ON:
        par.set_prop("list_start", str(int(value)))
        return "ok"
    par.set_prop("list_start", "")
    natural = numbering(win.doc)[block][0]
    if after.get("Advance value (skip numbers)") == ON and int(value) != natural:
        if value < natural:
            raise SimError(f"a continued list can only skip ahead (from {natural})")
        par.set_prop("list_start", str(int(value)))
    return "ok"


dialogs.READERS.update(
    {
        "Define New Bullet": read_define_new_bullet,
        "Bullet Symbol": read_bullet_symbol,
        "Define New Number Format": read_number_format,
        "Set Numbering Value": read_numbering_value,
    }
)
dialogs.APPLIERS.update(
    {
        "define_new_bullet": apply_define_new_bullet,
        "define_new_number_format": apply_number_format,
        "set_numbering_value": apply_numbering_value,
    }
)


# ---- the Layout tab's indent boxes ---------------------------------------------------------------
def _set_indent(side: str) -> Any:
    def setter(win: WordWindow, text: str) -> str:
        points = dialogs.parse_length(text)
        if points is None or not 0 <= points <= dialogs.MAX_TWIPS / 20:
            raise SimError('the indent must be between 0" and 22"')
        pars = _pars(win)
        for par in pars:
            if side == "left":
                dialogs.set_left_indent(par, points)
            else:
                dialogs.set_points_prop(par, "indent_right", points)
        return "ok" if pars else NO_SELECTION

    return setter


def _register() -> None:
    window.TEXT_SETTERS.update({"indent_left": _set_indent("left"), "indent_right": _set_indent("right")})
    window.VALUE_READERS.append(read_value)


# ---- values: what the screen shows of the paragraphs --------------------------------------------
def _selected(flag: bool) -> str | None:
    return "selected" if flag else None


def read_value(win: WordWindow, c: UiControl, place: str) -> str | None:
    """Gallery cells show "selected", Borders items and spacing presets "on"/"off", indent boxes
    their length, for the selected paragraphs (or the paragraph at the cursor)."""
    if place.startswith("dialog:"):
        return _dialog_value(win, c, place)
    if not (place.startswith("menu:") or place == "tab:Layout"):
        return None
    pars = _pars(win)
    if not pars:
        return None
    menu = place.removeprefix("menu:")
    if c.control_type == "ListItem":
        if menu == "Bullets":
            if c.name == "None":
                return _selected(not any(p.list_style == "bullet" for p in pars))
            char = bullet_library().get(c.name)
            return _selected(char is not None and all(bullet_of(p) == char for p in pars))
        if menu == "Numbering":
            if c.name == "None":
                return _selected(not any(p.list_style == "number" for p in pars))
            return _selected(all(number_format_of(p) == c.name for p in pars))
        if menu == "Change List Level" and c.name.startswith(LEVEL_PREFIX):
            level = c.name.removeprefix(LEVEL_PREFIX)
            return _selected(all(p.list_style and str(list_level(p)) == level for p in pars))
        if menu == "Shading" and not isinstance(win.selection, TableSel):
            return _selected(all(p.prop("shading") == c.name for p in pars))
    if c.control_type == "MenuItem":
        if menu == "Borders" and c.name in BORDER_SIDES and not isinstance(win.selection, TableSel):
            sides = set(BORDER_SIDES[c.name])
            return ON if all(sides <= borders_of(p) for p in pars) else OFF
        if menu == "Line and Paragraph Spacing":
            value = parse_number(c.name)
            if value is not None:
                same = all(not p.prop("line_rule") and p.line_spacing == value for p in pars)
                return ON if same else OFF
    if place == "tab:Layout" and c.control_type == "Spinner" and c.name in ("Indent Left", "Indent Right"):
        par = pars[0]
        points = dialogs.left_indent(par) if c.name == "Indent Left" else dialogs.points_prop(par, "indent_right")
        return dialogs.length_text(points)
    return None


def _dialog_value(win: WordWindow, c: UiControl, place: str) -> str | None:
    dialog = win.dialog
    if dialog is None or place != f"dialog:{dialog.key}" or c.control_type != "Text":
        return None
    if dialog.key == "Bullet Symbol" and c.name == "Unicode name:":
        try:
            return unicodedata.name(_hex_char(dialog.fields.get("Character code:", "")), "")
        except SimError:
            return ""
    if dialog.key == "Define New Bullet" and c.name == "Preview":
        return dialog.fields.get(BULLET_FIELD)
    if dialog.key == "Set Numbering Value" and c.name == "Preview":
        return dialog.fields.get("Set value to:")
    return None


_register()
