"""Styles and themes, and Find and Replace: each family's apply, satisfied and expert (see ops.py).

Paragraph styles are ``Paragraph.style`` (Home > Styles gallery; styles the gallery lacks through
the Apply Styles pane, Styles > More > Apply Styles...); character styles are ``Format.char_style``.
A redefined or new style, the style set, the theme and the theme colours are document settings
(``styles.<name>.<font|size|color|based_on>``, ``design.style_set``, ``design.theme``,
``design.theme_colors``; lam.sim.word2.behaviours.styles). Right-click menus are not modelled, so
Modify Style is reached as Word also offers it: Apply Styles pane > Modify....

Find and Replace families share lam.sim.word2.find_replace with the window. Their pair is drawn
after the document is made (and must keep its split side), so their draw writes the word to find
into the document (``styles.yaml`` sentences appended to body paragraphs) until it occurs as the
family needs: twice, in two capitalisations, or also inside a longer word.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from lam.sim.document import Document, PageBreak, Paragraph
from lam.sim.word2 import WordWindow, find_replace
from lam.sim.word2.behaviours import styles as sb
from lam.sim.word2.find_replace import Search
from lam.sim.word_ui import load_catalog
from lam.tasks.v2.ops import Act, Op, OpKind, _click, reach, select_target
from lam.tasks.v2.targets import NoTarget, spans

DATA_FILE = Path(__file__).with_suffix(".yaml")
FR = "dialog:Find and Replace"
APPLY = "dialog:Apply Styles"
# replace_with_format: what Replace Font's fields set (Font style "Bold" means bold, not italic)
REPLACE_FORMATS: dict[str, dict[str, Any]] = {
    "Bold": {"bold": True, "italic": False},
    "Italic": {"bold": False, "italic": True},
    "Bold Italic": {"bold": True, "italic": True},
    "Underline": {"underline": True, "underline_style": ""},
    "Strikethrough": {"strike": True},
    "Small caps": {"small_caps": True},
    "All caps": {"all_caps": True},
    "Double strikethrough": {"double_strike": True},
}


@cache
def _data() -> dict[str, Any]:
    return dict(yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")))


def _type(control_type: str, name: str, text: str, place: str, subtask: str) -> Act:
    return Act("set_edit_text", {"text": text}, (control_type, name, place), subtask)


def _shown(win: WordWindow, control_type: str, name: str, place: str | None = None) -> bool:
    return any(
        s.control_type == control_type and s.name == name and (place is None or s.place == place)
        for s in win.controls()
    )


def _number(value: Any) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# ---- the Home > Styles gallery and the Apply Styles pane ---------------------------------------
@cache
def _ribbon_styles() -> frozenset[str]:
    tab = load_catalog().tabs["Home"]
    return frozenset(
        c.name for g in tab.groups if g.name == "Styles" for c in g.controls if c.control_type == "ListItem"
    )


@cache
def _menu_styles() -> frozenset[str]:
    menu = load_catalog().menus["Styles"]
    return frozenset(c.name for c in menu.items if c.control_type == "ListItem")


def _styles_menu(win: WordWindow) -> Iterator[Act]:
    if win.open_menu != "Styles":
        yield from reach(win, "Home", "Button", "More")
        yield _click("Button", "More", "Open the Styles gallery", "tab:Home")


def _apply_styles_pane(win: WordWindow, name: str) -> Iterator[Act]:
    """Open the Apply Styles pane (Styles gallery > Apply Styles...) and type the style's name."""
    if win.dialog is None or win.dialog.key != "Apply Styles":
        yield from _styles_menu(win)
        yield _click("MenuItem", "Apply Styles...", "Open the Apply Styles pane", "menu:Styles")
    yield _type("ComboBox", "Style Name:", name, APPLY, f"Type {name} in the Style Name box")


def _pick_style(win: WordWindow, name: str) -> Iterator[Act]:
    """Click the style in the gallery (in the ribbon if it shows there, else under More); a style
    the gallery lacks is applied through the Apply Styles pane."""
    if name in _ribbon_styles():
        yield from reach(win, "Home", "ListItem", name)
        if _shown(win, "ListItem", name, "tab:Home"):
            yield _click("ListItem", name, f"Apply the {name} style", "tab:Home")
            return
    if name in _menu_styles():
        yield from _styles_menu(win)
        yield _click("ListItem", name, f"Apply the {name} style", "menu:Styles")
        return
    yield from _apply_styles_pane(win, name)
    yield _click("Button", "Reapply", f"Apply the {name} style", APPLY)
    yield _click("Button", "Close", "Close the Apply Styles pane", APPLY)


def _blocks(doc: Document, op: Op) -> list[int]:
    return sorted({b for b, _, _ in spans(doc, op["target"])})


def _para_apply(doc: Document, op: Op) -> None:
    for b in _blocks(doc, op):
        doc.para(b).style = str(op["style"])


def _para_satisfied(doc: Document, op: Op) -> bool:
    return all(doc.para(b).style == op["style"] for b in _blocks(doc, op))


def _x_style(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield from _pick_style(win, str(op["style"]))


def _char_apply(doc: Document, op: Op) -> None:
    for span in spans(doc, op["target"]):
        doc.format_span(span, char_style=str(op["style"]))


def _char_satisfied(doc: Document, op: Op) -> bool:
    formats = [f for s in spans(doc, op["target"]) for f in doc.char_formats(s)]
    return bool(formats) and all(f.char_style == op["style"] for f in formats)


PARA_STYLE = OpKind(_para_apply, _para_satisfied, _x_style)


# ---- Modify Style --------------------------------------------------------------------------------
def _modify(what: str, key: str) -> OpKind:
    def value(op: Op) -> str:
        return _number(op[key]) if what == "size" else str(op[key])

    def apply(doc: Document, op: Op) -> None:
        sb.set_style_value(doc, str(op["style"]), what, value(op))

    def satisfied(doc: Document, op: Op) -> bool:
        return sb.style_value(doc, str(op["style"]), what) == value(op)

    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        style = str(op["style"])
        yield from _apply_styles_pane(win, style)
        yield _click("Button", "Modify...", f"Open Modify Style for {style}", APPLY)
        place = "dialog:Modify Style"
        if what == "color":
            yield _click("ComboBox", "Font Color", "Open the Font Color drop-down", place)
            yield _click("ListItem", value(op), f"Choose {value(op)}", "menu:Font Color Dialog")
        else:
            box = "Font" if what == "font" else "Font Size"
            yield _type("ComboBox", box, value(op), place, f"Set the {box} box to {value(op)}")
        yield _click("Button", "OK", "Save the style", place)
        yield _click("Button", "Close", "Close the Apply Styles pane", APPLY)

    return OpKind(apply, satisfied, expert)


# ---- Create a Style --------------------------------------------------------------------------------
def _new_style_apply(doc: Document, op: Op) -> None:
    sb.create_style(doc, _blocks(doc, op), str(op["name"]))


def _new_style_satisfied(doc: Document, op: Op) -> bool:
    name = str(op["name"])
    return name in sb.custom_styles(doc) and _para_satisfied(doc, {**op, "style": name})


def _x_new_style(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield from _styles_menu(win)
    yield _click("MenuItem", "Create a Style", "Choose Create a Style", "menu:Styles")
    place = "dialog:Create New Style from Formatting"
    yield _type("Edit", "Name:", str(op["name"]), place, f"Name the style {op['name']}")
    yield _click("Button", "OK", "Create the style", place)


# ---- Design: style set, theme, colours -------------------------------------------------------------
def _design_gallery(item: str, opener: str, menu: str) -> Callable[[WordWindow, Op], Iterator[Act]]:
    """Pick ``item`` in a Design gallery: in the ribbon if it shows there, else in its drop-down."""

    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        name = str(op[item])
        if menu == "Themes" and name == sb.DEFAULT_THEME:
            name = "Office Theme"
        if menu == "Style Set":
            yield from reach(win, "Design", "ListItem", name)
            if _shown(win, "ListItem", name, "tab:Design"):
                yield _click("ListItem", name, f"Choose the {name} style set", "tab:Design")
                return
        yield from reach(win, "Design", "Button", opener)
        yield _click("Button", opener, f"Open the {opener} gallery", "tab:Design")
        yield _click("ListItem", name, f"Choose {name}", f"menu:{menu}")

    return expert


def _setting_kind(key: str, param: str, default: str, opener: str, menu: str) -> OpKind:
    def apply(doc: Document, op: Op) -> None:
        doc.set_setting(key, str(op[param]), default)

    def satisfied(doc: Document, op: Op) -> bool:
        return doc.setting(key, default) == str(op[param])

    return OpKind(apply, satisfied, _design_gallery(param, opener, menu))


def _theme_apply(doc: Document, op: Op) -> None:
    sb.apply_theme(doc, str(op["theme"]))


def _theme_satisfied(doc: Document, op: Op) -> bool:
    return doc.setting("design.theme", sb.DEFAULT_THEME) == op["theme"] and not doc.setting("design.theme_colors")


def _colors_apply(doc: Document, op: Op) -> None:
    sb.apply_theme_colors(doc, str(op["palette"]))


def _colors_satisfied(doc: Document, op: Op) -> bool:
    return sb.theme_palette(doc) == str(op["palette"])


# ---- Find and Replace ----------------------------------------------------------------------------
def _whole_count(doc: Document, word: str, match_case: bool = False) -> int:
    return len(find_replace.matches(doc, Search(word, match_case=match_case, whole_words=True)))


def _embedded(doc: Document, word: str, match_case: bool = False) -> bool:
    """The word also occurs inside longer words (Replace would change those too)."""
    plain = len(find_replace.matches(doc, Search(word, match_case=match_case)))
    return plain > _whole_count(doc, word, match_case)


def _append(doc: Document, rng: random.Random, sentence: str) -> None:
    body = [i for i, _ in doc.paragraphs()][1:] or [i for i, _ in doc.paragraphs()]
    block = rng.choice(body)
    text = doc.para(block).text
    doc.insert_text(block, len(text), (" " if text else "") + sentence)


def _frame(rng: random.Random, kind: str, **words: str) -> str:
    return str(rng.choice(_data()["sentences"][kind])).format(**words)


def _other_case(word: str) -> str:
    return word.upper() if word[:1].isupper() else word.capitalize()


def _plant(mode: str) -> Callable[[Document, random.Random, Op], Op]:
    """Write the pair's word into the document until it occurs as ``mode`` needs (see module doc)."""

    def draw(doc: Document, rng: random.Random, op: Op) -> Op:
        word = str(op["pair"]["find"])
        if mode in ("all", "first"):
            while _whole_count(doc, word) < 2:
                _append(doc, rng, _frame(rng, "plain", w=word))
        elif mode == "case":
            if _whole_count(doc, word, match_case=True) < 1:
                _append(doc, rng, _frame(rng, "plain", w=word))
            if _whole_count(doc, word) == _whole_count(doc, word, match_case=True):
                _append(doc, rng, _frame(rng, "other_case", W=_other_case(word)))
        elif mode == "whole":
            if _whole_count(doc, word) < 1:
                _append(doc, rng, _frame(rng, "plain", w=word))
            if not _embedded(doc, word):
                _append(doc, rng, _frame(rng, "longer", long=str(_data()["longer"][word])))
        return op

    return draw


def _pair_search(doc: Document, op: Op, mode: str) -> Search:
    find, repl = str(op["pair"]["find"]), str(op["pair"]["replace"])
    case = mode == "case"
    whole = mode == "whole" or _embedded(doc, find, case)  # a careful user spares longer words
    return Search(find, repl, match_case=case, whole_words=whole)


def _doc_word(doc: Document, rng: random.Random, op: Op) -> Op:
    """A word of the document to find (4+ letters, never inside a longer word), as often as found."""
    words: dict[str, int] = {}
    for _, par in doc.paragraphs():
        for w in par.text.split():
            w = w.strip(".,;:!?\"'()").lower()
            if len(w) >= 4 and w.isalpha() and not _embedded(doc, w):
                words[w] = _whole_count(doc, w)
    if not words:
        raise NoTarget("the document has no word to find")
    most = max(words.values())
    word = rng.choice(sorted(w for w, n in words.items() if n == most or n >= 2))
    return {**op, "text": word, "target": {**op["target"], "ref": f'"{word}"', "find": word}}


def _fr_expert(
    search: Callable[[Document, Op], Search],
    first_only: bool = False,
    fmt: Callable[[Op], str | None] = lambda op: None,
    destructive: bool = False,
) -> Callable[[WordWindow, Op], Iterator[Act]]:
    """Home > Replace, the two boxes, the options the search needs, Replace All (or Find Next then
    Replace for the first occurrence only), the message box, Close."""

    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        s = search(win.doc, op)
        find, repl = _raw(op, "find"), _raw(op, "replace")
        if first_only and (win.selection is not None or win.cursor != (0, 0)):
            yield Act("keyboard_input", {"keys": "^{HOME}"}, ("Document", win.name), "Go to the start of the document")
        if win.dialog is None or win.dialog.key != "Find and Replace":
            yield from reach(win, "Home", "Button", "Replace")
            yield _click("Button", "Replace", "Open Find and Replace", "tab:Home")
        yield _type("Edit", "Find what:", find, FR, f"Type {find!r} in Find what")
        yield _type("Edit", "Replace with:", repl, FR, f"Type {repl!r} in Replace with")
        wanted = [name for name, on in (("Match case", s.match_case), ("Find whole words only", s.whole_words)) if on]
        style = fmt(op)
        if wanted or style:
            yield _click("Button", "More >>", "Show more options", FR)
        for name in wanted:
            yield _click("CheckBox", name, f"Tick {name}", FR)
        if style is not None:
            yield from _replace_font(style)
        if first_only:
            yield _click("Button", "Find Next", "Find the first occurrence", FR)
            yield _click("Button", "Replace", "Replace it", FR)
        else:
            yield _click("Button", "Replace All", "Replace every occurrence", FR, destructive=destructive)
            yield _click("Button", "OK", "Close the message", "dialog:Replace All Result")
        yield _click("Button", "Close", "Close Find and Replace", FR)

    return expert


def _raw(op: Op, side: str) -> str:
    """What is typed in a box: the pair's or the cleanup's text, the drawn word for both boxes of a
    format replacement, nothing in Replace with to delete."""
    for key in ("pair", "cleanup"):
        if key in op:
            return str(op[key][side])
    return str(op["text"]) if op["family"] == "replace_with_format" or side == "find" else ""


def _replace_font(style: str) -> Iterator[Act]:
    """Format > Font... with the focus in Replace with (typing there put it there), then the format."""
    yield _click("Button", "Format", "Open the Format menu", FR)
    yield _click("MenuItem", "Font...", "Choose Font...", "menu:Find Format")
    place = "dialog:Replace Font"
    if style in ("Bold", "Italic", "Bold Italic"):
        yield _click("ListItem", style, f"Choose {style} in Font style", place)
    elif style == "Underline":
        yield _type("ComboBox", "Underline style:", "Single", place, "Choose a single underline")
    else:
        yield _click("CheckBox", style, f"Tick {style}", place)
    yield _click("Button", "OK", "Set the replacement format", place)


def _fr_kind(
    search: Callable[[Document, Op], Search],
    draw: Callable[[Document, random.Random, Op], Op] | None,
    first_only: bool = False,
    **expert_args: Any,
) -> OpKind:
    def apply(doc: Document, op: Op) -> None:
        s = search(doc, op)
        if first_only:
            found = find_replace.matches(doc, s)
            if found:
                find_replace.replace_span(doc, found[0], s)
                doc.normalize()
        else:
            find_replace.replace_all(doc, s)

    def satisfied(doc: Document, op: Op) -> bool:
        s = search(doc, op)
        return (
            not first_only
            and s.find not in (find_replace.PARA * 2, find_replace.BREAK)
            and not (find_replace.matches(doc, s) if not s.replace_format else _unformatted(doc, s))
        )

    return OpKind(
        apply,
        satisfied,
        _fr_expert(search, first_only, **expert_args),
        once=lambda op: not first_only,
        draw=draw,
    )


def _unformatted(doc: Document, s: Search) -> list[Any]:
    return [
        m
        for m in find_replace.matches(doc, Search(s.find))
        if any(any(getattr(f, k) != v for k, v in s.replace_format.items()) for f in doc.char_formats(m))
    ]


def _special_search(doc: Document, op: Op) -> Search:
    return Search(find_replace.decode(str(op["cleanup"]["find"])), find_replace.decode(str(op["cleanup"]["replace"])))


def _messy(doc: Document, rng: random.Random) -> None:
    """What the clean-ups remove, all at once (the clean-up is drawn later): a double space, a manual
    line break, a tab, a double hyphen, an empty paragraph and a manual page break."""
    body = [i for i, p in doc.paragraphs()][1:]
    for mark in ("  ", find_replace.LINE_BREAK, "\t", "--"):
        block = rng.choice(body)
        text = doc.para(block).text
        cuts = [k for k in range(1, len(text) - 1) if text[k] == " " and " " not in (text[k - 1], text[k + 1])]
        at = rng.choice(cuts)
        doc.delete_span((block, at, at + 1))
        doc.insert_text(block, at, mark if mark != "--" else " -- ")
    first = body[0]
    doc.blocks.insert(first + 1, Paragraph(runs=[], style=doc.para(first).style))
    doc.normalize()
    doc.blocks.insert(len(doc.blocks) - 1, PageBreak())


def _special_satisfied(doc: Document, op: Op) -> bool:
    s = _special_search(doc, op)
    if s.find == find_replace.BREAK:
        return not any(isinstance(b, PageBreak) for b in doc.blocks)
    if s.find == find_replace.PARA * 2:
        return not any(
            isinstance(a, Paragraph) and isinstance(b, Paragraph) and not b.text
            for a, b in zip(doc.blocks, doc.blocks[1:], strict=False)
        )
    return not find_replace.matches(doc, s)


def _fmt_search(doc: Document, op: Op) -> Search:
    word = str(op["text"])
    return Search(word, word, replace_format=REPLACE_FORMATS[str(op["format"])])


def _delete_search(doc: Document, op: Op) -> Search:
    return Search(str(op["text"]), "")


_SPECIAL = _fr_kind(_special_search, None)

OPS: dict[str, OpKind] = {
    "apply_heading": PARA_STYLE,
    "apply_title_style": PARA_STYLE,
    "apply_quote_style": PARA_STYLE,
    "apply_style_by_name": PARA_STYLE,
    "apply_character_style": OpKind(_char_apply, _char_satisfied, _x_style),
    "modify_style_font": _modify("font", "font"),
    "modify_style_size": _modify("size", "size"),
    "modify_style_color": _modify("color", "color"),
    "new_style_from_selection": OpKind(_new_style_apply, _new_style_satisfied, _x_new_style),
    "style_set": _setting_kind("design.style_set", "style_set", "", "More", "Style Set"),
    "document_theme": OpKind(_theme_apply, _theme_satisfied, _design_gallery("theme", "Themes", "Themes")),
    "theme_colors": OpKind(_colors_apply, _colors_satisfied, _design_gallery("palette", "Colors", "Theme Colors")),
    "replace_all": _fr_kind(lambda d, o: _pair_search(d, o, "all"), _plant("all")),
    "replace_first": _fr_kind(lambda d, o: _pair_search(d, o, "first"), _plant("first"), first_only=True),
    "replace_match_case": _fr_kind(lambda d, o: _pair_search(d, o, "case"), _plant("case")),
    "replace_whole_words": _fr_kind(lambda d, o: _pair_search(d, o, "whole"), _plant("whole")),
    "replace_with_format": _fr_kind(_fmt_search, _doc_word, fmt=lambda o: str(o["format"])),
    "delete_all_occurrences": _fr_kind(_delete_search, _doc_word, destructive=True),
    "replace_special": OpKind(_SPECIAL.apply, _special_satisfied, _SPECIAL.expert, setup=_messy),
}

UNSUPPORTED: dict[str, str] = {}
