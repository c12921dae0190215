"""Character and change-case families of the catalog, each defined three ways that must agree.

* ``apply``: the edit on the document model (the checker's truth);
* ``satisfied``: the document already shows it (the expert finishes without acting);
* ``expert``: how a careful Word user does it on :class:`lam.sim.word2.WordWindow`, yielded one
  action at a time against the live window.

An op is a plain JSON dict: ``{"family": "bold", "target": {...}}`` plus the family's parameters
(``color``, ``font``, ``size``, ``case``, ``direction``, ``steps``), named as in ``families.yaml``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Any

from lam.sim import ribbon
from lam.sim.document import Document, Format
from lam.sim.editing import TextSel
from lam.sim.word2 import WordWindow
from lam.tasks.v2.targets import spans

Op = dict[str, Any]


@dataclass(frozen=True)
class Act:
    """One expert action before grounding: the control by (control_type, name[, place])."""

    function: str
    args: dict[str, Any]
    control: tuple[str, ...] | None  # None for app-level functions (select_text)
    subtask: str
    status: str = "CONTINUE"
    destructive: bool = False  # deletes or discards: in a ``confirm`` task this step says CONFIRM


@dataclass(frozen=True)
class OpKind:
    """A family, three ways that must agree (``apply``/``satisfied``/``expert``), plus how to make a
    document it can act on (``setup``) and how to draw what it acts on (``draw``) when the generic
    draw (a text target of the family's scopes + one pool value per parameter) is not enough."""

    apply: Callable[[Document, Op], None]
    satisfied: Callable[[Document, Op], bool]
    expert: Callable[[WordWindow, Op], Iterator[Act]]
    once: Callable[[Op], bool] = lambda op: True  # doing it twice = once, so it can be "already done"
    # Give a plain document what the family needs (a table, comments, a list, a page break...);
    # called on a copy before the op is drawn. None: any document of paragraphs will do.
    setup: Callable[[Document, random.Random], None] | None = None
    # Finish the op after the generic draw (custom targets, parameters that must fit the document:
    # a word that occurs, a row that exists). Raise targets.NoTarget when the document cannot serve.
    draw: Callable[[Document, random.Random, Op], Op] | None = None


def _click(control_type: str, name: str, subtask: str, place: str | None = None, destructive: bool = False) -> Act:
    control = (control_type, name) if place is None else (control_type, name, place)
    return Act("click_input", {"button": "left", "double": False}, control, subtask, destructive=destructive)


def _document_label(win: WordWindow) -> tuple[str, str]:
    return ("Document", win.name)


def select_target(win: WordWindow, op: Op) -> Iterator[Act]:
    """Select the target unless it is selected already: Ctrl+A for the whole document."""
    target = op["target"]
    want = tuple(spans(win.doc, target))
    if isinstance(win.selection, TextSel) and win.selection.spans == want:
        return
    if target["kind"] == "document":
        yield Act("keyboard_input", {"keys": "^a"}, _document_label(win), "Select the whole document")
    else:
        yield Act("select_text", {"text": target["text"]}, None, f"Select {target['ref']}")
        for k in range(1, int(target.get("count", 1))):
            yield Act(
                "keyboard_input",
                {"keys": "+{DOWN}"},
                _document_label(win),
                f"Extend the selection to paragraph {k + 1}",
            )


def home_tab(win: WordWindow) -> Iterator[Act]:
    if win.tab != "Home":
        yield _click("TabItem", "Home", "Open the Home tab")


def open_tab(win: WordWindow, tab: str) -> Iterator[Act]:
    """Select the ribbon tab whose catalog key is ``tab`` (a contextual one shows only while its
    object is selected), unless it is selected already."""
    if win.tab != tab:
        spec = win.catalog.tabs[tab]
        place = None if spec.tab_set is None else f"tabs:{spec.tab_set}"  # Table Tools' Layout
        yield _click("TabItem", spec.name, f"Open the {spec.name} tab", place)


def _on_screen(win: WordWindow, control_type: str, name: str) -> bool:
    """Shown and clickable: a collapsed group's own button (Zoom, Language) is not its namesake."""
    return any(
        s.control_type == control_type and s.name == name and not (s.control.menu or "").startswith("group:")
        for s in win.controls()
    )


def reach(win: WordWindow, tab: str, control_type: str, name: str) -> Iterator[Act]:
    """Make the ribbon control ``name`` of ``tab`` clickable: select the tab, and in a narrow window
    open the collapsed group that holds it. Use before clicking any ribbon control."""
    yield from open_tab(win, tab)
    if _on_screen(win, control_type, name):
        return
    collapsed = {s.control.menu for s in win.controls()}
    for group in win.catalog.tabs[tab].groups:
        if any(c.name == name for c in group.controls) and f"group:{group.name}" in collapsed:
            # by place: a tab-row or chrome button may share the group's name (Comments, Editing)
            yield _click("Button", group.name, f"Open the collapsed {group.name} group", f"tab:{tab}")
            return


def click_ribbon(win: WordWindow, tab: str, control_type: str, name: str, subtask: str | None = None) -> Iterator[Act]:
    """Reach the ribbon control and click it (a split button's main part, a button, a check box)."""
    yield from reach(win, tab, control_type, name)
    yield _click(control_type, name, subtask or f"Click {name}")


def _formats(doc: Document, op: Op) -> list[Format]:
    return [f for s in spans(doc, op["target"]) for f in doc.char_formats(s)]


def _format_all(doc: Document, op: Op, **changes: Any) -> None:
    for span in spans(doc, op["target"]):
        doc.format_span(span, **changes)


# ---- simple attribute families -----------------------------------------------------------------
@dataclass(frozen=True)
class Attr:
    """A family that sets one Format attribute to a value (fixed, or the op's parameter ``key``)."""

    attr: str
    value: Any = True
    key: str | None = None

    def want(self, op: Op) -> Any:
        value = op[self.key] if self.key else self.value
        return float(value) if self.attr == "size" else value

    def apply(self, doc: Document, op: Op) -> None:
        _format_all(doc, op, **{self.attr: self.want(op)})

    def satisfied(self, doc: Document, op: Op) -> bool:
        formats = _formats(doc, op)
        return bool(formats) and all(getattr(f, self.attr) == self.want(op) for f in formats)


def _x_button(control_type: str, name: str) -> Callable[[WordWindow, Op], Iterator[Act]]:
    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from select_target(win, op)
        yield from home_tab(win)
        yield _click(control_type, name, f"Click {name} on the Home tab")

    return expert


def _x_menu(opener: str, item_type: str, item: Callable[[Op], str]) -> Callable[[WordWindow, Op], Iterator[Act]]:
    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from select_target(win, op)
        yield from home_tab(win)
        if win.open_menu != opener:
            yield _click("SplitButton" if opener != "Change Case" else "Button", opener, f"Open the {opener} menu")
        name = item(op)
        yield _click(item_type, name, f"Choose {name}", f"menu:{opener}")

    return expert


def _number(value: Any) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _x_combo(box: str, key: str) -> Callable[[WordWindow, Op], Iterator[Act]]:
    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from select_target(win, op)
        yield from home_tab(win)
        value = op[key] if isinstance(op[key], str) else _number(op[key])
        yield Act("set_edit_text", {"text": value}, ("ComboBox", box), f"Set the {box} box to {value}")

    return expert


def _attr_kind(attr: Attr, expert: Callable[[WordWindow, Op], Iterator[Act]]) -> OpKind:
    return OpKind(attr.apply, attr.satisfied, expert)


# ---- step font size ----------------------------------------------------------------------------
def _next_size(size: float, direction: int) -> float:
    """Word's Grow/Shrink Font ladder, as the window's Increase/Decrease Font Size buttons."""
    ladder = ribbon.FONT_SIZE_LADDER
    bigger = [s for s in ladder if s > size] or [size + 10]
    smaller = [s for s in ladder if s < size] or [max(1.0, size - 1)]
    return float(bigger[0] if direction > 0 else smaller[-1])


def _step_apply(doc: Document, op: Op) -> None:
    direction = 1 if op["direction"] == "Increase" else -1
    for _ in range(int(op["steps"])):
        size = _formats(doc, op)[0].size  # the first selected character's size leads, as in Word
        _format_all(doc, op, size=_next_size(size, direction))


def _x_step(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield from home_tab(win)
    name = f"{op['direction']} Font Size"
    for k in range(int(op["steps"])):
        yield _click("Button", name, f"Click {name} (step {k + 1} of {op['steps']})")


# ---- clear formatting --------------------------------------------------------------------------
def _clear_apply(doc: Document, op: Op) -> None:
    plain = {f.name: getattr(Format(), f.name) for f in fields(Format)}
    targets = spans(doc, op["target"])
    for span in targets:
        doc.format_span(span, **plain)
    for block in sorted({b for b, _, _ in targets}):
        doc.para(block).style = "Normal"


def _clear_satisfied(doc: Document, op: Op) -> bool:
    targets = spans(doc, op["target"])
    return all(f == Format() for f in _formats(doc, op)) and all(doc.para(b).style == "Normal" for b, _, _ in targets)


# ---- change case -------------------------------------------------------------------------------
CASE_MODES = {
    "Sentence case.": "sentence",
    "lowercase": "lower",
    "UPPERCASE": "upper",
    "Capitalize Each Word": "title",
    "tOGGLE cASE": "toggle",
}


def recase(text: str, case: str) -> str:
    mode = CASE_MODES[case]
    if mode == "sentence":
        return text[:1].upper() + text[1:].lower()
    return {"lower": text.lower(), "upper": text.upper(), "title": text.title(), "toggle": text.swapcase()}[mode]


def _case_apply(doc: Document, op: Op) -> None:
    for block, start, end in spans(doc, op["target"]):
        par = doc.para(block)
        new = recase(par.text[start:end], op["case"])
        if len(new) != end - start:
            continue  # a case change that changes the length keeps the text, as Word's simulator
        pos = 0
        for run in par.runs:
            lo, hi = max(start, pos), min(end, pos + len(run.text))
            if lo < hi:
                run.text = run.text[: lo - pos] + new[lo - start : hi - start] + run.text[hi - pos :]
            pos += len(run.text)


def _case_satisfied(doc: Document, op: Op) -> bool:
    if op["case"] == "tOGGLE cASE":
        return False  # toggling always changes cased text
    return all(
        doc.para(b).text[s:e] == recase(doc.para(b).text[s:e], op["case"]) for b, s, e in spans(doc, op["target"])
    )


def _never(doc: Document, op: Op) -> bool:
    return False


def _formatted(doc: Document, rng: random.Random) -> None:
    """Direct formatting to take off: every paragraph highlighted and bold, one styled as a heading."""
    colors = ("Yellow", "Bright Green", "Turquoise", "Pink")
    for i, par in doc.paragraphs():
        doc.format_span((i, 0, len(par.text)), highlight=rng.choice(colors), bold=True)
    pars = doc.paragraphs()
    pars[rng.randrange(len(pars))][1].style = "Heading 2"


# ---- the table ---------------------------------------------------------------------------------
OPS: dict[str, OpKind] = {
    "bold": _attr_kind(Attr("bold"), _x_button("Button", "Bold")),
    "italic": _attr_kind(Attr("italic"), _x_button("Button", "Italic")),
    "underline": _attr_kind(Attr("underline"), _x_button("SplitButton", "Underline")),
    "strikethrough": _attr_kind(Attr("strike"), _x_button("Button", "Strikethrough")),
    "subscript": _attr_kind(Attr("vertical", "sub"), _x_button("Button", "Subscript")),
    "superscript": _attr_kind(Attr("vertical", "super"), _x_button("Button", "Superscript")),
    "font_name": _attr_kind(Attr("font", key="font"), _x_combo("Font", "font")),
    "font_size": _attr_kind(Attr("size", key="size"), _x_combo("Font Size", "size")),
    "font_color_standard": _attr_kind(
        Attr("color", key="color"), _x_menu("Font Color", "ListItem", lambda o: str(o["color"]))
    ),
    "font_color_theme": _attr_kind(
        Attr("color", key="color"), _x_menu("Font Color", "ListItem", lambda o: str(o["color"]))
    ),
    "highlight": _attr_kind(
        Attr("highlight", key="color"), _x_menu("Text Highlight Color", "ListItem", lambda o: str(o["color"]))
    ),
    "remove_highlight": OpKind(
        Attr("highlight", "").apply,
        Attr("highlight", "").satisfied,
        _x_menu("Text Highlight Color", "MenuItem", lambda o: "No Color"),
        setup=_formatted,
    ),
    "step_font_size": OpKind(_step_apply, _never, _x_step, once=lambda op: False),
    "clear_formatting": OpKind(
        _clear_apply, _clear_satisfied, _x_button("Button", "Clear All Formatting"), setup=_formatted
    ),
    "change_case": OpKind(
        _case_apply,
        _case_satisfied,
        _x_menu("Change Case", "MenuItem", lambda o: str(o["case"])),
        once=lambda op: op["case"] != "tOGGLE cASE",
    ),
}

# Families of the character and case categories the simulator cannot carry out yet, and why (the
# Font dialog's effects and the rest live in lam/tasks/v2/families/textedit.py).
UNSUPPORTED: dict[str, str] = {}
