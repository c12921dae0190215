"""Paragraph formatting and list families: alignment, spacing, indents, pagination, shading,
borders; bullets, numbering, list levels, numbering values, list removal, new bullets.

Each family's ``apply``/``satisfied`` use the same paragraph and list model as the window
(lam.sim.word2.dialogs for lengths and line rules, lam.sim.word2.behaviours.paragraph for lists),
and its ``expert`` follows the catalog's ``ui_path`` on Word's controls. Where the path starts with
a right click (context menus are not modelled), the expert takes the ribbon route Word also offers:
the Numbering drop-down's Set Numbering Value... dialog (Start new list / Continue from previous list).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

from lam.sim.document import Document, Paragraph
from lam.sim.word2 import WordWindow
from lam.sim.word2 import dialogs as dlg
from lam.sim.word2.behaviours import paragraph as lists
from lam.tasks.v2 import targets
from lam.tasks.v2.ops import Act, Op, OpKind, _click, click_ribbon, reach, select_target
from lam.tasks.v2.targets import NoTarget, spans

ALIGN_BUTTONS = {"Left": ("left", "Align Left"), "Center": ("center", "Center"),
                 "Right": ("right", "Align Right"), "Justify": ("justify", "Justify")}  # fmt: skip
SPACING_PRESETS = {1.0: "1.0", 1.15: "1.15", 1.5: "1.5", 2.0: "2.0", 2.5: "2.5", 3.0: "3.0"}
RULE_VALUES = {"Single": 1.0, "1.5 lines": 1.5, "Double": 2.0}
PAGINATION_DIALOG_TAB = "Line and Page Breaks"
# Lists that Set Numbering Value acts on show digits (its spin box takes them as typed)
DIGIT_FORMATS = ("1. 2. 3.", "1) 2) 3)", "(1) (2) (3)", "01. 02. 03.")


# ---- shared pieces -------------------------------------------------------------------------------
def _type(control_type: str, name: str, text: str, subtask: str, place: str | None = None) -> Act:
    control = (control_type, name) if place is None else (control_type, name, place)
    return Act("set_edit_text", {"text": text}, control, subtask)


def _blocks(doc: Document, op: Op) -> list[int]:
    return sorted({b for b, _, _ in spans(doc, op["target"])})


def _pars(doc: Document, op: Op) -> list[Paragraph]:
    return [doc.para(b) for b in _blocks(doc, op)]


def _each(edit: Callable[[Paragraph, Op], None]) -> Callable[[Document, Op], None]:
    def apply(doc: Document, op: Op) -> None:
        for par in _pars(doc, op):
            edit(par, op)

    return apply


def _all(test: Callable[[Paragraph, Op], bool]) -> Callable[[Document, Op], bool]:
    def satisfied(doc: Document, op: Op) -> bool:
        pars = _pars(doc, op)
        return bool(pars) and all(test(p, op) for p in pars)

    return satisfied


def _never(doc: Document, op: Op) -> bool:
    return False


def _twips(points: float) -> int:
    return round(points * 20)


def _number(value: Any) -> str:
    return dlg.fmt_number(float(value))


def _length(op: Op) -> tuple[float, str]:
    """The op's indent in points and as typed into a box (``0.25"``, ``1.27 cm``)."""
    spec = op["indent"]
    unit = str(spec["unit"])
    typed = f'{_number(spec["value"])}"' if unit == "in" else f"{_number(spec['value'])} {unit}"
    points = dlg.parse_length(typed)
    if points is None:
        raise ValueError(f"not a length: {spec!r}")
    return points, typed


def _on_screen(win: WordWindow, control_type: str, name: str, place: str | None = None) -> bool:
    return any(
        s.control_type == control_type and s.name == name and (place is None or s.place == place)
        for s in win.controls()
    )


def _field(win: WordWindow, name: str) -> str | None:
    return win.dialog.fields.get(name) if win.dialog is not None else None


def _open_paragraph_dialog(win: WordWindow) -> Iterator[Act]:
    yield from click_ribbon(win, "Home", "Button", "Paragraph Settings", "Open the Paragraph dialog")


def _drop_down(win: WordWindow, button: str) -> Iterator[Act]:
    """Open a split button's drop-down (its arrow: Alt+Down on the button) unless it is open."""
    if win.open_menu == button:
        return
    yield from reach(win, "Home", "SplitButton", button)
    yield Act("keyboard_input", {"keys": "%{DOWN}"}, ("SplitButton", button), f"Open the {button} drop-down")


def _ok(dialog: str, title: str | None = None) -> Act:
    return _click("Button", "OK", f"Click OK in the {title or dialog} dialog", f"dialog:{dialog}")


# ---- alignment -----------------------------------------------------------------------------------
def _align_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    name = ALIGN_BUTTONS[op["alignment"]][1]
    yield from click_ribbon(win, "Home", "Button", name, f"Click {name} on the Home tab")


ALIGN = OpKind(
    _each(lambda p, op: setattr(p, "align", ALIGN_BUTTONS[op["alignment"]][0])),
    _all(lambda p, op: p.align == ALIGN_BUTTONS[op["alignment"]][0]),
    _align_expert,
)


# ---- line spacing --------------------------------------------------------------------------------
def _line(op: Op) -> tuple[str, float]:
    """The op's rule as the dialog names it and its value (lines, or points for Exactly/At least)."""
    spec = op["spacing"]
    rule = str(spec["rule"])
    if rule in RULE_VALUES:
        return rule, RULE_VALUES[rule]
    value = float(spec["at"])
    return rule, value if rule == "Multiple" else _twips(value) / 20


def _line_apply(par: Paragraph, op: Op) -> None:
    dlg.set_line_rule(par, *_line(op))


def _line_satisfied(par: Paragraph, op: Op) -> bool:
    probe = Paragraph()
    dlg.set_line_rule(probe, *_line(op))
    return (par.line_spacing, par.prop("line_rule")) == (probe.line_spacing, probe.prop("line_rule"))


def _line_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    rule, value = _line(op)
    multiple = rule in RULE_VALUES or rule == "Multiple"
    yield from click_ribbon(win, "Home", "Button", "Line and Paragraph Spacing", "Open Line and Paragraph Spacing")
    if multiple and value in SPACING_PRESETS:
        name = SPACING_PRESETS[value]
        yield _click("MenuItem", name, f"Choose {name}", "menu:Line and Paragraph Spacing")
        return
    yield _click("MenuItem", "Line Spacing Options...", "Open the line spacing options")
    if _field(win, "Line spacing:") != rule:
        yield _click("ComboBox", "Line spacing:", "Open the Line spacing list", "dialog:Paragraph")
        yield _click("ListItem", rule, f"Choose {rule}", "menu:Line Spacing Dialog")
    at = _number(value) if rule == "Multiple" else f"{_number(value)} pt"
    yield _type("Spinner", "At:", at, f"Set At to {at}", "dialog:Paragraph")
    yield _ok("Paragraph")


# ---- spacing before/after ------------------------------------------------------------------------
def _spacing(attr: str, box: str) -> OpKind:
    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from select_target(win, op)
        yield from reach(win, "Layout", "Spinner", box)
        text = f"{_number(op['points'])} pt"
        yield _type("Spinner", box, text, f"Set {box} to {text}")

    return OpKind(
        _each(lambda p, op: setattr(p, attr, float(op["points"]))),
        _all(lambda p, op: getattr(p, attr) == float(op["points"])),
        expert,
    )


# ---- indents -------------------------------------------------------------------------------------
def _indent_box(box: str, read: Callable[[Paragraph], float], write: Callable[[Paragraph, float], None]) -> OpKind:
    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from select_target(win, op)
        yield from reach(win, "Layout", "Spinner", box)
        typed = _length(op)[1]
        yield _type("Spinner", box, typed, f"Set {box} to {typed}")

    return OpKind(
        _each(lambda p, op: write(p, _length(op)[0])),
        _all(lambda p, op: _twips(read(p)) == _twips(_length(op)[0])),
        expert,
    )


def _special(kind: str) -> OpKind:
    """First line / Hanging: the Paragraph dialog's Special: and By: boxes."""

    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from select_target(win, op)
        yield from _open_paragraph_dialog(win)
        if _field(win, "Special:") != kind:
            yield _click("ComboBox", "Special:", "Open the Special list", "dialog:Paragraph")
            yield _click("ListItem", kind, f"Choose {kind}", "menu:Special Indent Dialog")
        typed = _length(op)[1]
        yield _type("Spinner", "By:", typed, f"Set By to {typed}", "dialog:Paragraph")
        yield _ok("Paragraph")

    def satisfied(par: Paragraph, op: Op) -> bool:
        have, by = dlg.special_indent(par)
        return have == kind and _twips(by) == _twips(_length(op)[0])

    return OpKind(_each(lambda p, op: dlg.set_special_indent(p, kind, _length(op)[0])), _all(satisfied), expert)


def _step_apply(doc: Document, op: Op) -> None:
    direction = 1 if op["direction"] == "Increase" else -1
    for _ in range(int(op["steps"])):
        lists.step_indent(doc, _blocks(doc, op), direction)


def _step_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    name = f"{op['direction']} Indent"
    for k in range(int(op["steps"])):
        yield from click_ribbon(win, "Home", "Button", name, f"Click {name} (step {k + 1} of {op['steps']})")


def _indented(doc: Document, rng: random.Random) -> None:
    """Every paragraph starts indented (some off the half-inch grid), so both directions change it."""
    for _, par in doc.paragraphs():
        dlg.set_left_indent(par, rng.choice((36.0, 36.0, 72.0, 21.6, 54.0, 108.0)))


# ---- pagination ----------------------------------------------------------------------------------
def _pagination_state(par: Paragraph, op: Op) -> bool:
    prop, default = dlg.PAGINATION[op["option"]]
    return par.prop(prop, default) == str(op["state"]).lower()


def _pagination_apply(par: Paragraph, op: Op) -> None:
    prop, default = dlg.PAGINATION[op["option"]]
    par.set_prop(prop, str(op["state"]).lower(), default)


def _pagination_setup(doc: Document, rng: random.Random) -> None:
    """Pagination as documents carry it: headings kept with the next paragraph, a few other marks."""
    for n, (_, par) in enumerate(doc.paragraphs()):
        for prop, default, chance in (
            ("keep_with_next", dlg.OFF, 0.9 if n == 0 else 0.25),
            ("keep_lines_together", dlg.OFF, 0.25),
            ("widow_control", dlg.ON, 0.25),
            ("page_break_before", dlg.OFF, 0.0 if n == 0 else 0.15),
        ):
            if rng.random() < chance:
                par.set_prop(prop, dlg.OFF if default == dlg.ON else dlg.ON, default)


def _pagination_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    """A feasible request: when every target paragraph already has the drawn state, ask the other."""
    if _all(_pagination_state)(doc, op):
        return {**op, "state": "Off" if str(op["state"]) == "On" else "On"}
    return op


def _pagination_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield from _open_paragraph_dialog(win)
    yield _click("TabItem", PAGINATION_DIALOG_TAB, f"Open the {PAGINATION_DIALOG_TAB} tab", "dialog:Paragraph")
    want = str(op["state"]).lower()
    box = str(op["option"])
    for _ in range(2):  # a mixed selection's box shows neither state: one click ticks it
        if _field(win, box) == want:
            break
        yield _click("CheckBox", box, f"{'Tick' if want == dlg.ON else 'Clear'} {box}", "dialog:Paragraph")
    yield _ok("Paragraph")


# ---- shading and borders -------------------------------------------------------------------------
def _menu_pick(button: str, item_type: str, item: Callable[[Op], str]) -> Callable[[WordWindow, Op], Iterator[Act]]:
    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from select_target(win, op)
        if win.open_menu != button:
            yield from click_ribbon(win, "Home", "SplitButton", button, f"Open the {button} drop-down")
        name = item(op)
        yield _click(item_type, name, f"Choose {name}", f"menu:{button}")

    return expert


def _border_apply(doc: Document, op: Op) -> None:
    for par in _pars(doc, op):
        lists.set_borders(par, lists.borders_of(par) | set(lists.BORDER_SIDES[op["border"]]))


# ---- lists: setups and targets -------------------------------------------------------------------
def _body(doc: Document) -> list[int]:
    return [b for b, _ in doc.paragraphs()[1:]]


def _numbered_list(doc: Document, rng: random.Random) -> None:
    """The body paragraphs as one numbered list in a format with digits."""
    fmt = rng.choice(DIGIT_FORMATS)
    for b in _body(doc):
        lists.make_numbered(doc.para(b), fmt)


def _any_list(doc: Document, rng: random.Random) -> None:
    """The body paragraphs as one bulleted or numbered list, some items a level down."""
    bullet = rng.random() < 0.5
    library = list(lists.bullet_library().values())
    char, fmt = rng.choice(library), rng.choice(list(lists.numbering_formats())[:7])
    for k, b in enumerate(_body(doc)):
        par = doc.para(b)
        lists.make_bullet(par, char) if bullet else lists.make_numbered(par, fmt)
        if k > 0 and rng.random() < 0.3:
            lists.set_list_level(par, 2)


def _two_lists(doc: Document, rng: random.Random) -> None:
    """Two numbered lists in one format, split by an ordinary paragraph; the second restarts at 1."""
    body = _body(doc)
    fmt = rng.choice(DIGIT_FORMATS)
    split = rng.randrange(1, len(body) - 1)
    for b in body[:split] + body[split + 1 :]:
        lists.make_numbered(doc.para(b), fmt)
    doc.para(body[split + 1]).set_prop("list_start", "1")


def _short_bullet_list(doc: Document, rng: random.Random) -> None:
    """Two consecutive body paragraphs as a bulleted list with a library bullet (a request points
    at a run of paragraphs by its first one; targets.py offers runs of two from each start)."""
    body = _body(doc)
    count = 2
    start = rng.randrange(0, len(body) - count + 1)
    char = rng.choice(list(lists.bullet_library().values()))
    for b in body[start : start + count]:
        lists.make_bullet(doc.para(b), char)


def _retarget(ok: Callable[[Document, list[int]], bool]) -> Callable[[Document, random.Random, Op], Op]:
    """Draw the op's target again among the targets of its kind whose paragraphs pass ``ok``."""

    def draw(doc: Document, rng: random.Random, op: Op) -> Op:
        kind = op["target"]["kind"]
        found = []
        for c in targets._candidates(doc, kind):
            target = {"kind": kind, **c}
            if ok(doc, sorted({b for b, _, _ in spans(doc, target)})):
                found.append(target)
        if not found:
            raise NoTarget(f"the document has no {kind} target that fits {op['family']}")
        return {**op, "target": rng.choice(found)}

    return draw


def _all_listed(doc: Document, blocks: list[int]) -> bool:
    return all(doc.para(b).list_style for b in blocks)


def _continued_item(doc: Document, blocks: list[int]) -> bool:
    return len(blocks) == 1 and lists.numbering(doc).get(blocks[0], (0, False))[1]


def _numbered_item(doc: Document, blocks: list[int]) -> bool:
    return len(blocks) == 1 and blocks[0] in lists.numbering(doc)


def _restarted_item(doc: Document, blocks: list[int]) -> bool:
    numbers = lists.numbering(doc)
    return len(blocks) == 1 and blocks[0] in numbers and bool(doc.para(blocks[0]).prop("list_start"))


def _whole_bullet_list(doc: Document, blocks: list[int]) -> bool:
    listed = [b for b, p in doc.paragraphs() if p.list_style == "bullet"]
    return blocks == listed


def _number_of(doc: Document, op: Op) -> int | None:
    blocks = _blocks(doc, op)
    found = lists.numbering(doc).get(blocks[0]) if len(blocks) == 1 else None
    return found[0] if found else None


# ---- lists: experts ------------------------------------------------------------------------------
def _bullet_expert(char: Callable[[Op], str], library: bool = True) -> Callable[[WordWindow, Op], Iterator[Act]]:
    """Pick the bullet from the Bullet Library, or (not there) define it from the Symbol dialog."""

    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from select_target(win, op)
        yield from _drop_down(win, "Bullets")
        want = char(op)
        names = [n for n, c in lists.bullet_library().items() if c == want]
        if library and names:
            yield _click("ListItem", names[0], f"Choose {names[0]}", "menu:Bullets")
            return
        yield _click("MenuItem", "Define New Bullet...", "Open Define New Bullet", "menu:Bullets")
        yield _click("Button", "Symbol...", "Open the Symbol dialog", "dialog:Define New Bullet")
        code = f"{ord(want):04X}"
        yield _type("Edit", "Character code:", code, f"Enter the character code {code}", "dialog:Bullet Symbol")
        yield _ok("Bullet Symbol", "Symbol")
        yield _ok("Define New Bullet")

    return expert


def _numbering_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield from _drop_down(win, "Numbering")
    fmt = str(op["format"])
    if _on_screen(win, "ListItem", fmt, "menu:Numbering"):
        yield _click("ListItem", fmt, f"Choose {fmt}", "menu:Numbering")
        return
    spec = lists.numbering_formats()[fmt]
    yield _click("MenuItem", "Define New Number Format...", "Open Define New Number Format", "menu:Numbering")
    if _field(win, "Number style:") != spec["style"]:
        yield _click("ComboBox", "Number style:", "Open the Number style list", "dialog:Define New Number Format")
        yield _click("ListItem", spec["style"], f"Choose {spec['style']}", "menu:Number Style Dialog")
    text = spec["format"]
    yield _type("Edit", "Number format:", text, f"Set Number format to {text}", "dialog:Define New Number Format")
    yield _ok("Define New Number Format")


def _numbering_value(radio: str, value: Callable[[Op], int | None]) -> Callable[[WordWindow, Op], Iterator[Act]]:
    """Numbering drop-down > Set Numbering Value...: the radio button, then the value if one is set."""

    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from select_target(win, op)
        yield from _drop_down(win, "Numbering")
        yield _click("MenuItem", "Set Numbering Value...", "Open Set Numbering Value", "menu:Numbering")
        if _field(win, radio) != dlg.ON:
            yield _click("RadioButton", radio, f"Choose {radio}", "dialog:Set Numbering Value")
        number = value(op)
        if number is not None:
            yield _type("Spinner", "Set value to:", str(number), f"Set the value to {number}",
                        "dialog:Set Numbering Value")  # fmt: skip
        yield _ok("Set Numbering Value")

    return expert


def _level_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    kind = win.doc.para(_blocks(win.doc, op)[0]).list_style
    yield from _drop_down(win, "Bullets" if kind == "bullet" else "Numbering")
    menu = win.open_menu
    yield _click("MenuItem", "Change List Level", "Open Change List Level", f"menu:{menu}")
    name = f"{lists.LEVEL_PREFIX}{op['level']}"
    yield _click("ListItem", name, f"Choose {name}", "menu:Change List Level")


def _remove_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    kinds = {p.list_style for p in _pars(win.doc, op) if p.list_style}
    name = "Numbering" if kinds == {"number"} else "Bullets"
    if len(kinds) > 1:  # bulleted and numbered items: the first click makes them all bulleted
        yield from click_ribbon(win, "Home", "SplitButton", name, f"Click {name} to make one bulleted list")
    yield from click_ribbon(win, "Home", "SplitButton", name, f"Click {name} to turn the list off")


def _set_value_apply(doc: Document, op: Op) -> None:
    for par in _pars(doc, op):
        par.set_prop("list_start", str(int(op["value"])))


def _char(key: str) -> Callable[[Op], str]:
    return lambda op: str(op[key]["char"])


# ---- the table -----------------------------------------------------------------------------------
OPS: dict[str, OpKind] = {
    "align_paragraph": ALIGN,
    "line_spacing": OpKind(_each(_line_apply), _all(_line_satisfied), _line_expert),
    "space_before": _spacing("space_before", "Spacing Before"),
    "space_after": _spacing("space_after", "Spacing After"),
    "indent_left": _indent_box("Indent Left", dlg.left_indent, dlg.set_left_indent),
    "indent_right": _indent_box(
        "Indent Right",
        lambda p: dlg.points_prop(p, "indent_right"),
        lambda p, v: dlg.set_points_prop(p, "indent_right", v),
    ),
    "first_line_indent": _special("First line"),
    "hanging_indent": _special("Hanging"),
    "step_indent": OpKind(_step_apply, _never, _step_expert, once=lambda op: False, setup=_indented),
    "pagination_option": OpKind(
        _each(_pagination_apply),
        _all(_pagination_state),
        _pagination_expert,
        setup=_pagination_setup,
        draw=_pagination_draw,
    ),
    "paragraph_shading": OpKind(
        _each(lambda p, op: p.set_prop("shading", str(op["color"]))),
        _all(lambda p, op: p.prop("shading") == str(op["color"])),
        _menu_pick("Shading", "ListItem", lambda op: str(op["color"])),
    ),
    "paragraph_border": OpKind(
        _border_apply,
        _all(lambda p, op: set(lists.BORDER_SIDES[op["border"]]) <= lists.borders_of(p)),
        _menu_pick("Borders", "MenuItem", lambda op: str(op["border"])),
    ),
    "bullets": OpKind(
        _each(lambda p, op: lists.make_bullet(p, str(op["bullet"]["char"]))),
        _all(lambda p, op: lists.bullet_of(p) == str(op["bullet"]["char"])),
        _bullet_expert(_char("bullet")),
    ),
    "numbering": OpKind(
        _each(lambda p, op: lists.make_numbered(p, str(op["format"]))),
        _all(lambda p, op: lists.number_format_of(p) == str(op["format"])),
        _numbering_expert,
    ),
    "restart_numbering": OpKind(
        _each(lambda p, op: p.set_prop("list_start", "1")),
        lambda doc, op: _number_of(doc, op) == 1,
        _numbering_value("Start new list", lambda op: 1),
        setup=_numbered_list,
        draw=_retarget(_continued_item),
    ),
    "continue_numbering": OpKind(
        _each(lambda p, op: p.set_prop("list_start", "")),
        _all(lambda p, op: not p.prop("list_start")),
        _numbering_value("Continue from previous list", lambda op: None),
        setup=_two_lists,
        draw=_retarget(_restarted_item),
    ),
    "change_bullet": OpKind(
        _each(lambda p, op: lists.make_bullet(p, str(op["bullet"]["char"]))),
        _all(lambda p, op: lists.bullet_of(p) == str(op["bullet"]["char"])),
        _bullet_expert(_char("bullet")),
        setup=_short_bullet_list,
        draw=_retarget(_whole_bullet_list),
    ),
    "set_numbering_value": OpKind(
        _set_value_apply,
        lambda doc, op: _number_of(doc, op) == int(op["value"]),
        _numbering_value("Start new list", lambda op: int(op["value"])),
        setup=_numbered_list,
        draw=_retarget(_numbered_item),
    ),
    "change_list_level": OpKind(
        _each(lambda p, op: lists.set_list_level(p, int(op["level"]))),
        _all(lambda p, op: lists.list_level(p) == int(op["level"])),
        _level_expert,
        setup=_any_list,
        draw=_retarget(_all_listed),
    ),
    "remove_list": OpKind(
        _each(lambda p, op: lists.remove_list(p)),
        _all(lambda p, op: not p.list_style),
        _remove_expert,
        setup=_any_list,
        draw=_retarget(_all_listed),
    ),
    "define_new_bullet": OpKind(
        _each(lambda p, op: lists.make_bullet(p, str(op["symbol"]["char"]))),
        _all(lambda p, op: lists.bullet_of(p) == str(op["symbol"]["char"])),
        _bullet_expert(_char("symbol"), library=False),
    ),
}

UNSUPPORTED: dict[str, str] = {
    "multilevel_list": "two designs of the pool (I. A. 1. a), 1. a. i.) are not in Word's List Library, and the "
    "heading-linked designs restyle paragraphs as headings, which the list model does not do",
}
