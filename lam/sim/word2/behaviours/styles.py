"""Styles, themes and Find and Replace in the word2 window.

* Character styles of the Styles gallery go to the selected text (``Format.char_style``), not to
  the paragraph; paragraph styles stay the shared ``style`` effect.
* The Apply Styles pane (a modeless window): its box shows the current paragraph's style; Reapply
  applies the style typed there; Modify... opens Modify Style for it. Style definitions (font,
  size, colour of a redefined or new style) live in the document's settings as
  ``styles.<name>.<what>``.
* Design: style set, theme and theme colours as the settings ``design.style_set``,
  ``design.theme`` and ``design.theme_colors``; their galleries show the current one selected.
* Find and Replace: Find Next and Replace, the Special menu (a ^ code into the box that has the
  focus) and the Replace Font dialog (a format for that box).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from lam.sim.document import Document
from lam.sim.editing import SimError, parse_number
from lam.sim.word2 import dialogs, find_replace, window
from lam.sim.word2.effects import register_effect
from lam.sim.word_ui.catalog import UiControl

if TYPE_CHECKING:
    from lam.sim.word2.window import WordWindow

BUILTIN_FILE = Path(__file__).resolve().parents[1] / "builtin_styles.yaml"
DEFAULT_THEME = "Office"
STYLE_SET_ITEMS = ("Document Formatting", "Style Set")
APPLY_STYLES = "Apply Styles"


@cache
def builtin_styles() -> dict[str, dict[str, str]]:
    """Each built-in style's definition (font, size, color, based_on, type), defaults filled in."""
    raw = yaml.safe_load(BUILTIN_FILE.read_text(encoding="utf-8"))
    defaults = {k: str(v) for k, v in raw["defaults"].items()}
    return {
        str(name): {**defaults, **{k: str(v) for k, v in (spec or {}).items()}} for name, spec in raw["styles"].items()
    }


def character_styles() -> frozenset[str]:
    return frozenset(n for n, spec in builtin_styles().items() if spec["type"] == "Character")


def custom_styles(doc: Document) -> set[str]:
    """Styles the document defines beyond the built-in ones (Create a Style)."""
    return {k.removeprefix("styles.").rsplit(".", 1)[0] for k in doc.settings if k.startswith("styles.")} - set(
        builtin_styles()
    )


def style_exists(doc: Document, name: str) -> bool:
    return name in builtin_styles() or name in custom_styles(doc)


def style_value(doc: Document, name: str, what: str) -> str:
    """A style's font/size/color/based_on/type: the document's definition, else the built-in one."""
    builtin = builtin_styles().get(name, {})
    return doc.setting(f"styles.{name}.{what}", builtin.get(what, ""))


def set_style_value(doc: Document, name: str, what: str, value: str) -> None:
    doc.set_setting(f"styles.{name}.{what}", value, builtin_styles().get(name, {}).get(what, ""))


def theme_palette(doc: Document) -> str:
    """The colour set in use: one chosen in Design > Colors, else the theme's own."""
    return doc.setting("design.theme_colors") or doc.setting("design.theme", DEFAULT_THEME)


def apply_theme(doc: Document, theme: str) -> None:
    """A theme brings its own colours (and fonts): a colour set chosen before is replaced."""
    doc.set_setting("design.theme", theme, DEFAULT_THEME)
    doc.set_setting("design.theme_colors", "")


def apply_theme_colors(doc: Document, palette: str) -> None:
    doc.set_setting("design.theme_colors", palette, doc.setting("design.theme", DEFAULT_THEME))


# ---- effects --------------------------------------------------------------------------------------
@register_effect("styles_char")
def _char_style(win: WordWindow, name: Any) -> str:
    return win.format_selection(char_style=str(name))


@register_effect("styles_theme")
def _theme(win: WordWindow, name: Any) -> str:
    apply_theme(win.doc, str(name))
    return "ok"


@register_effect("styles_theme_colors")
def _theme_colors(win: WordWindow, name: Any) -> str:
    apply_theme_colors(win.doc, str(name))
    return "ok"


@register_effect("styles_apply_named")
def _apply_named(win: WordWindow, _: Any) -> str:
    """Apply Styles' Reapply: the style named in the box goes to the selection (a character style)
    or to the selected paragraphs."""
    dialog = win.dialog
    name = dialog.fields.get("Style Name:", "").strip() if dialog is not None else ""
    if not style_exists(win.doc, name):
        raise SimError(f"there is no style named {name!r}")
    if name in character_styles():
        return win.format_selection(char_style=name)
    return win.set_paragraphs(style=name)


@register_effect("find_next")
def _find_next(win: WordWindow, _: Any) -> str:
    return win.find_next_from_dialog()


@register_effect("replace_one")
def _replace_one(win: WordWindow, _: Any) -> str:
    return win.replace_from_dialog()


@register_effect("find_special")
def _find_special(win: WordWindow, code: Any) -> str:
    """A Special menu item types its ^ code into the box that has the focus (Find what at first)."""
    dialog = win.dialog
    if dialog is None or dialog.key != "Find and Replace":
        raise SimError("the Find and Replace dialog is not open")
    box = dialog.focus if dialog.focus in find_replace.FORMAT_KEYS else "Find what:"
    dialog.fields[box] = dialog.fields.get(box, "") + str(code)
    return "ok"


# ---- dialogs --------------------------------------------------------------------------------------
def _current_style(win: WordWindow) -> str:
    blocks = win.target_paragraphs()
    spans = win.text_spans()
    if spans:
        chars = {f.char_style for s in spans for f in win.doc.char_formats(s)}
        if len(chars) == 1 and "" not in chars:
            return chars.pop()
    return win.doc.para(blocks[0]).style if blocks else "Normal"


def read_apply_styles(win: WordWindow) -> dialogs.Fields:
    return {"Style Name:": _current_style(win)}


def read_modify_style(win: WordWindow) -> dialogs.Fields:
    """Modify Style opened from Apply Styles: the style named in its box (else the current one)."""
    pane = win.dialog
    name = pane.fields.get("Style Name:", "").strip() if pane is not None and pane.key == APPLY_STYLES else ""
    name = name or _current_style(win)
    if not style_exists(win.doc, name):
        raise SimError(f"there is no style named {name!r}")
    doc = win.doc
    kind = style_value(doc, name, "type")
    return {
        "Name:": name,
        "Style type:": "Linked (paragraph and character)" if kind == "Linked" else kind,
        "Style based on:": style_value(doc, name, "based_on") or "(no style)",
        "Style for following paragraph:": "Normal" if kind != "Character" else "",
        "Font": style_value(doc, name, "font"),
        "Font Size": style_value(doc, name, "size"),
        "Font Color": style_value(doc, name, "color"),
    }


def apply_modify_style(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    name = before.get("Name:", "")
    if after.get("Name:", name).strip() != name:
        raise SimError("renaming a style is not modelled")
    changed = {k: v.strip() for k, v in after.items() if before.get(k) != v}
    if "Font" in changed:
        if not changed["Font"]:
            raise SimError("not a valid font name")
        set_style_value(win.doc, name, "font", changed["Font"])
    if "Font Size" in changed:
        size = parse_number(changed["Font Size"], unit="pt")
        if size is None or not 1 <= size <= 1638:
            raise SimError("the number must be between 1 and 1638")
        set_style_value(win.doc, name, "size", dialogs.fmt_number(round(size * 2) / 2))
    if "Font Color" in changed:
        set_style_value(win.doc, name, "color", changed["Font Color"])
    return "ok"


def read_create_style(win: WordWindow) -> dialogs.Fields:
    n = 1
    while style_exists(win.doc, f"Style{n}"):
        n += 1
    return {"Name:": f"Style{n}"}


def create_style(doc: Document, blocks: list[int], name: str) -> None:
    """A new paragraph style from the first paragraph's look (its style and the first character's
    font, size and colour), applied to the paragraphs."""
    if not blocks:
        raise SimError("click in a paragraph first")
    par = doc.para(blocks[0])
    base = par.style
    fmt = doc.char_formats((blocks[0], 0, 1))[0] if par.text else doc.format_at(blocks[0], 0)
    doc.set_setting(f"styles.{name}.based_on", base)
    doc.set_setting(f"styles.{name}.font", fmt.font if fmt.font != "Calibri" else style_value(doc, base, "font"))
    doc.set_setting(f"styles.{name}.size", dialogs.fmt_number(fmt.size))
    doc.set_setting(f"styles.{name}.color", fmt.color)
    for b in blocks:
        doc.para(b).style = name


def apply_create_style(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    name = after.get("Name:", "").strip()
    if not name:
        raise SimError("type a name for the style")
    if style_exists(win.doc, name):
        raise SimError("that style name already exists or is reserved for a built-in style")
    create_style(win.doc, win.target_paragraphs(), name)
    return "ok"


def read_replace_font(win: WordWindow) -> dialogs.Fields:
    """Find and Replace's Font dialog starts with nothing specified (empty boxes, grey check boxes)."""
    spec = win.catalog.dialogs["Replace Font"]
    return {c.name: "" for page in spec.pages for c in page.controls if c.control_type in window.FIELD_TYPES}


def apply_replace_font(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    """OK: the format goes to the Find and Replace box that had the focus."""
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    owner = win.dialogs[-2] if len(win.dialogs) > 1 else None
    if owner is None or owner.key != "Find and Replace":
        raise SimError("the Find and Replace dialog is not open")
    box = owner.focus if owner.focus in find_replace.FORMAT_KEYS else "Find what:"
    key = find_replace.FORMAT_KEYS[box]
    current = find_replace.search_from_fields(owner.fields)
    merged = {**(current.find_format if box == "Find what:" else current.replace_format)}
    merged.update(find_replace.font_format(changed))
    owner.fields[key] = find_replace.encode_format(merged)
    return "ok"


dialogs.READERS.update(
    {
        APPLY_STYLES: read_apply_styles,
        "Modify Style": read_modify_style,
        "Create New Style from Formatting": read_create_style,
        "Replace Font": read_replace_font,
    }
)
dialogs.APPLIERS.update(
    {"modify_style": apply_modify_style, "create_style": apply_create_style, "replace_font": apply_replace_font}
)
window.MODELESS_DIALOGS.add(APPLY_STYLES)


# ---- what the galleries show ----------------------------------------------------------------------
def _gallery_value(win: WordWindow, c: UiControl, place: str) -> str | None:
    if c.control_type != "ListItem":
        return None
    doc = win.doc
    if place in ("tab:Home", "menu:Styles") and c.name in character_styles():
        formats = [f for s in win.text_spans() for f in doc.char_formats(s)] or [win.current_format()]
        return "selected" if all(f.char_style == c.name for f in formats) else None
    if (place == "tab:Design" and c.group == "Document Formatting") or place == "menu:Style Set":
        current = doc.setting("design.style_set")
        return "selected" if c.name == (current or "Default") and (current or c.group == "This Document") else None
    if place == "menu:Themes":
        name = DEFAULT_THEME if c.name == "Office Theme" else c.name
        return "selected" if name == doc.setting("design.theme", DEFAULT_THEME) else None
    if place == "menu:Theme Colors":
        return "selected" if c.name == theme_palette(doc) else None
    return None


window.VALUE_READERS.append(_gallery_value)
