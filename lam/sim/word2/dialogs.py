"""What a dialog shows when it opens (read from the selection) and what its OK applies.

Dialog fields are kept by control name, as the text each Edit/ComboBox/Spinner shows and "on"/"off"
for check boxes; ``read_<dialog>`` fills them from the document, ``apply_<dialog>`` turns the
fields that changed into Editor commands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lam.sim.document import Format, Paragraph
from lam.sim.editing import SimError, parse_number

if TYPE_CHECKING:
    from lam.sim.word2.window import WordWindow

Fields = dict[str, str]
ON, OFF = "on", "off"

ALIGN_NAMES = {"left": "Left", "center": "Centered", "right": "Right", "justify": "Justified"}
LINE_SPACING_NAMES = {1.0: "Single", 1.5: "1.5 lines", 2.0: "Double"}
DEFAULT_LINE_SPACING = 1.08  # Paragraph.line_spacing's default


def fmt_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def inches(indent: int) -> str:
    return f'{fmt_number(indent * 0.5)}"'


def parse_inches(text: str) -> int | None:
    value = parse_number(text.replace('"', " in").strip(), unit="in")
    return None if value is None or not 0 <= value <= 22 else min(8, round(value / 0.5))


def font_style(fmt: Format) -> str:
    return {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic"}.get(
        (fmt.bold, fmt.italic), "Bold Italic"
    )


# ---- Font ----------------------------------------------------------------------------------------


# The Effects check boxes and the Format attribute each sets; a pair in EXCLUSIVE cannot both be on
# (ticking one clears the other in Word's dialog).
EFFECTS: dict[str, str] = {
    "Strikethrough": "strike",
    "Double strikethrough": "double_strike",
    "Small caps": "small_caps",
    "All caps": "all_caps",
    "Hidden": "hidden",
}
EXCLUSIVE: dict[str, str] = {
    "Strikethrough": "Double strikethrough",
    "Double strikethrough": "Strikethrough",
    "Small caps": "All caps",
    "All caps": "Small caps",
}
MIXED = "mixed"  # a check box over a selection where only some characters have the effect
SINGLE_UNDERLINE = "Single"  # the Underline style list's plain line (Format.underline_style "")
NO_UNDERLINE = "(none)"
SPACING_MODES = ("Normal", "Expanded", "Condensed")


def _check(values: list[bool]) -> str:
    return ON if all(values) else OFF if not any(values) else MIXED


def underline_name(fmt: Format) -> str:
    """The Underline style box's text for a run: "(none)", "Single" or the named style."""
    if not fmt.underline:
        return NO_UNDERLINE
    return fmt.underline_style or SINGLE_UNDERLINE


def parse_spacing(spacing: str) -> tuple[str, str]:
    """Format.spacing ("Expanded 1.5 pt", "" for normal) as the Advanced tab's Spacing and By boxes."""
    mode, _, amount = spacing.partition(" ")
    return (mode, amount) if mode in SPACING_MODES[1:] else ("Normal", "")


def read_font(win: WordWindow) -> Fields:
    fmt = win.current_format()
    formats = [f for s in win.text_spans() for f in win.doc.char_formats(s)] or [fmt]
    spacing, by = parse_spacing(fmt.spacing)
    fields = {
        "Font:": fmt.font,
        "Font style:": font_style(fmt),
        "Size:": fmt_number(fmt.size),
        "Font color:": fmt.color,
        "Underline style:": underline_name(fmt),
        "Superscript": _check([f.vertical == "super" for f in formats]),
        "Subscript": _check([f.vertical == "sub" for f in formats]),
        "Spacing:": spacing,
        "By:": by,
    }
    for name, attr in EFFECTS.items():
        fields[name] = _check([bool(getattr(f, attr)) for f in formats])
    return fields


def _spacing(after: Fields) -> str:
    mode = after.get("Spacing:", "Normal").strip().capitalize()
    if mode not in SPACING_MODES:
        raise SimError(f"not a character spacing: {after.get('Spacing:')!r}")
    if mode == "Normal":
        return ""
    by = after.get("By:", "").strip() or "1 pt"  # Word fills in 1 pt when Expanded/Condensed is picked
    points = parse_number(by, unit="pt")
    if points is None or not 0 <= points <= 1584:
        raise SimError("the spacing must be between 0 pt and 1584 pt")
    return f"{mode} {fmt_number(points)} pt" if points else ""


def apply_font(win: WordWindow, before: Fields, after: Fields) -> str:
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    out: dict[str, object] = {}
    if "Font:" in changed:
        if not changed["Font:"].strip():
            raise SimError("not a valid font name")
        out["font"] = changed["Font:"].strip()
    if "Size:" in changed:
        size = parse_number(changed["Size:"], unit="pt")
        if size is None or not 1 <= size <= 1638:
            raise SimError("the number must be between 1 and 1638")
        out["size"] = round(size * 2) / 2
    if "Font style:" in changed:
        style = changed["Font style:"].strip().lower()
        if style not in ("regular", "bold", "italic", "bold italic"):
            raise SimError(f"not a font style: {changed['Font style:']!r}")
        out["bold"], out["italic"] = "bold" in style, "italic" in style
    if "Font color:" in changed:
        out["color"] = changed["Font color:"]
    if "Underline style:" in changed:
        name = changed["Underline style:"].strip()
        out["underline"] = name != NO_UNDERLINE
        out["underline_style"] = "" if name in (NO_UNDERLINE, SINGLE_UNDERLINE) else name
    for name, attr in EFFECTS.items():
        if name in changed and changed[name] != MIXED:
            out[attr] = changed[name] == ON
            if changed[name] == ON and name in EXCLUSIVE:
                out[EFFECTS[EXCLUSIVE[name]]] = False
    for kind, name in (("super", "Superscript"), ("sub", "Subscript")):
        if name in changed and changed[name] != MIXED:
            out["vertical"] = kind if changed[name] == ON else ""
    if "Spacing:" in changed or "By:" in changed:
        out["spacing"] = _spacing(after)
    return win.format_selection(**out) if out else "ok"


# ---- Paragraph -----------------------------------------------------------------------------------
# Lengths are kept as points rounded to Word's twips (1/20 pt) and shown in inches with two decimals,
# as the dialog and the Layout tab's boxes show them. The left indent keeps ``Paragraph.indent`` (whole
# half-inch steps, what Increase Indent moves by) and, when it is not a whole number of steps, its
# exact length in the ``indent_left`` property; the other indents and rules live in ``props``.

STEP_TWIPS = 720  # one Increase/Decrease Indent step: half an inch
MAX_TWIPS = 22 * 1440  # Word's indents stop at 22"
UNIT_POINTS = {'"': 72.0, "in": 72.0, "cm": 72 / 2.54, "mm": 7.2 / 2.54, "pt": 1.0, "pi": 12.0}
SPECIAL_NAMES = {"first_line": "First line", "hanging": "Hanging"}
# Line and Page Breaks > Pagination: check box -> (property, Word's default state)
PAGINATION = {
    "Widow/Orphan control": ("widow_control", ON),
    "Keep with next": ("keep_with_next", OFF),
    "Keep lines together": ("keep_lines_together", OFF),
    "Page break before": ("page_break_before", OFF),
}
LINE_RULES = {"exactly": "Exactly", "at least": "At least"}
LINE_DEFAULTS = {"Multiple": "3", "Exactly": "12 pt", "At least": "12 pt"}  # At: after choosing the rule


def parse_length(text: str, default_unit: str = "in") -> float | None:
    """``0.5"``, ``0.5 in``, ``1.27 cm``, ``12 pt``, ``0.5`` (inches) -> points on the twips grid."""
    value = text.strip().lower()
    unit = default_unit
    for name in sorted(UNIT_POINTS, key=len, reverse=True):
        if value.endswith(name):
            value, unit = value[: -len(name)].strip(), name
            break
    number = parse_number(value)
    return None if number is None else round(number * UNIT_POINTS[unit] * 20) / 20


def length_text(points: float) -> str:
    return f'{fmt_number(round(points / 72, 2))}"'


def left_indent(par: Paragraph) -> float:
    exact = par.prop("indent_left")
    return float(exact) if exact else par.indent * STEP_TWIPS / 20


def set_left_indent(par: Paragraph, points: float) -> None:
    twips = round(points * 20)
    exact = twips % STEP_TWIPS == 0 and twips <= 8 * STEP_TWIPS
    par.indent = min(8, twips // STEP_TWIPS)
    par.set_prop("indent_left", "" if exact else fmt_number(twips / 20))


def step_left_indent(par: Paragraph, direction: int) -> None:
    """Increase/Decrease Indent: to the next (previous) multiple of half an inch, never below 0."""
    twips = round(left_indent(par) * 20)
    steps = twips // STEP_TWIPS
    on_grid = twips % STEP_TWIPS == 0
    new = (steps + 1 if direction > 0 else steps - 1 if on_grid else steps) * STEP_TWIPS
    set_left_indent(par, max(0, min(MAX_TWIPS, new)) / 20)


def points_prop(par: Paragraph, name: str) -> float:
    value = par.prop(name)
    return float(value) if value else 0.0


def set_points_prop(par: Paragraph, name: str, points: float) -> None:
    par.set_prop(name, "" if round(points * 20) == 0 else fmt_number(round(points * 20) / 20))


def special_indent(par: Paragraph) -> tuple[str, float]:
    """The dialog's Special: and By: ("(none)", "First line" or "Hanging")."""
    for key, name in SPECIAL_NAMES.items():
        if par.prop(key):
            return name, points_prop(par, key)
    return "(none)", 0.0


def set_special_indent(par: Paragraph, kind: str, points: float) -> None:
    for key, name in SPECIAL_NAMES.items():
        set_points_prop(par, key, points if name == kind else 0.0)


def line_rule(par: Paragraph) -> tuple[str, float]:
    """The dialog's Line spacing: rule and its value (lines for Multiple, points otherwise)."""
    rule = LINE_RULES.get(par.prop("line_rule"))
    if rule is not None:
        return rule, par.line_spacing
    return LINE_SPACING_NAMES.get(par.line_spacing, "Multiple"), par.line_spacing


def set_line_rule(par: Paragraph, rule: str, value: float) -> None:
    """Single, 1.5 lines and Double are multiples of 1, 1.5 and 2 (Word shows Multiple at 2 as Double)."""
    fixed = {v: k for k, v in LINE_SPACING_NAMES.items()}
    par.line_spacing = fixed.get(rule, value)
    par.set_prop("line_rule", {v: k for k, v in LINE_RULES.items()}.get(rule, ""))


def parse_line_value(rule: str, text: str) -> float:
    if rule == "Multiple":
        lines = parse_number(text)
        if lines is None or not 0.06 <= lines <= 132:
            raise SimError("the line spacing must be between 0.06 and 132")
        return lines
    points = parse_number(text, unit="pt")
    low = 0.7 if rule == "Exactly" else 0.0
    if points is None or not low <= points <= 1584:
        raise SimError(f"the line spacing must be between {fmt_number(low)} pt and 1584 pt")
    return round(points * 20) / 20


MIXED = "mixed"  # a check box over paragraphs that differ (neither ticked nor clear)


def read_paragraph(win: WordWindow) -> Fields:
    """The first paragraph's values; a box where the selected paragraphs differ shows nothing (a
    check box shows ``mixed``), as Word's dialog does."""
    blocks = win.target_paragraphs()
    if not blocks:
        return {}
    each = [_paragraph_fields(win.doc.para(b)) for b in blocks]
    return {k: v if all(f[k] == v for f in each) else (MIXED if k in PAGINATION else "") for k, v in each[0].items()}


def _paragraph_fields(par: Paragraph) -> Fields:
    rule, value = line_rule(par)
    special, by = special_indent(par)
    fields = {
        "Alignment:": ALIGN_NAMES.get(par.align, "Left"),
        "Left:": length_text(left_indent(par)),
        "Right:": length_text(points_prop(par, "indent_right")),
        "Special:": special,
        "By:": length_text(by) if special != "(none)" else "",
        "Before:": f"{fmt_number(par.space_before)} pt",
        "After:": f"{fmt_number(par.space_after)} pt",
        "Line spacing:": rule,
        "At:": f"{fmt_number(value)} pt" if rule in LINE_DEFAULTS and rule != "Multiple" else fmt_number(value),
    }
    for box, (prop, default) in PAGINATION.items():
        fields[box] = par.prop(prop, default)
    return fields


def _indent_length(text: str, low: float = 0.0) -> float:
    points = parse_length(text)
    if points is None or not low <= points <= MAX_TWIPS / 20:
        raise SimError(f'the indent must be between {fmt_number(low / 72)}" and 22"')
    return points


def _attr_edit(attr: str, value: object) -> Callable[[Paragraph], None]:
    return lambda p: setattr(p, attr, value)


def _prop_edit(name: str, value: str, default: str) -> Callable[[Paragraph], None]:
    return lambda p: p.set_prop(name, value, default)


def apply_paragraph(win: WordWindow, before: Fields, after: Fields) -> str:
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    edits: list[Callable[[Paragraph], None]] = []
    if "Alignment:" in changed:
        names = {v.lower(): k for k, v in ALIGN_NAMES.items()} | {"center": "center", "justify": "justify"}
        align = names.get(changed["Alignment:"].strip().lower())
        if align is None:
            raise SimError(f"not an alignment: {changed['Alignment:']!r}")
        edits.append(lambda p: setattr(p, "align", align))
    if "Left:" in changed:
        left = _indent_length(changed["Left:"])
        edits.append(lambda p: set_left_indent(p, left))
    if "Right:" in changed:
        right = _indent_length(changed["Right:"])
        edits.append(lambda p: set_points_prop(p, "indent_right", right))
    if "Special:" in changed or "By:" in changed:
        kind = after.get("Special:", "(none)").strip()
        if kind not in ("(none)", *SPECIAL_NAMES.values()):
            raise SimError(f"not a special indent: {kind!r}")
        by_text = after.get("By:", "").strip() or '0.5"'  # choosing First line/Hanging fills in 0.5"
        by = _indent_length(by_text) if kind != "(none)" else 0.0
        edits.append(lambda p: set_special_indent(p, kind, by))
    for name, attr in (("Before:", "space_before"), ("After:", "space_after")):
        if name in changed:
            points = parse_number(changed[name], unit="pt")
            if points is None or not 0 <= points <= 1584:
                raise SimError("the spacing must be between 0 pt and 1584 pt")
            edits.append(_attr_edit(attr, points))
    if "Line spacing:" in changed or "At:" in changed:
        rule = after.get("Line spacing:", "Multiple").strip()
        if "Line spacing:" not in changed and rule in ("", *LINE_SPACING_NAMES.values()):
            rule = "Multiple"  # typing a value into At: under Single/1.5 lines/Double makes it Multiple
        if rule not in (*LINE_SPACING_NAMES.values(), *LINE_DEFAULTS):
            raise SimError(f"not a line spacing rule: {rule!r}")
        at = after.get("At:", "") if "At:" in changed else LINE_DEFAULTS.get(rule, "1")
        value = parse_line_value(rule, at) if rule in LINE_DEFAULTS else 1.0
        edits.append(lambda p: set_line_rule(p, rule, value))
    for box, (prop, default) in PAGINATION.items():
        if box in changed:
            edits.append(_prop_edit(prop, ON if changed[box] == ON else OFF, default))
    blocks = win.target_paragraphs()
    for b in blocks:
        for edit in edits:
            edit(win.doc.para(b))
    return "ok" if blocks or not edits else "ok: nothing selected, nothing changed"


# ---- Insert Table --------------------------------------------------------------------------------


def apply_insert_table(win: WordWindow, before: Fields, after: Fields) -> str:
    cols = parse_number(after.get("Number of columns:", ""))
    rows = parse_number(after.get("Number of rows:", ""))
    if cols is None or rows is None or not (1 <= cols <= 63 and 1 <= rows <= 32767):
        raise SimError("the number of columns must be 1 to 63 and of rows 1 to 32767")
    win.insert_table(int(rows), int(cols))
    return "ok"


READERS: dict[str, Callable[[WordWindow], Fields]] = {"Font": read_font, "Paragraph": read_paragraph}
APPLIERS: dict[str, Callable[[WordWindow, Fields, Fields], str]] = {
    "font": apply_font,
    "paragraph": apply_paragraph,
    "insert_table": apply_insert_table,
}
