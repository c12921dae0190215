"""What a dialog shows when it opens (read from the selection) and what its OK applies.

Dialog fields are kept by control name, as the text each Edit/ComboBox/Spinner shows and "on"/"off"
for check boxes; ``read_<dialog>`` fills them from the document, ``apply_<dialog>`` turns the
fields that changed into Editor commands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lam.sim.document import Format
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


def read_paragraph(win: WordWindow) -> Fields:
    blocks = win.target_paragraphs()
    if not blocks:
        return {}
    par = win.doc.para(blocks[0])
    spacing = win.line_spacing(blocks[0])
    return {
        "Alignment:": ALIGN_NAMES.get(par.align, "Left"),
        "Left:": inches(par.indent),
        "Before:": f"{fmt_number(par.space_before)} pt",
        "After:": f"{fmt_number(par.space_after)} pt",
        "Line spacing:": LINE_SPACING_NAMES.get(spacing, "Multiple"),
        "At:": fmt_number(spacing),
    }


def apply_paragraph(win: WordWindow, before: Fields, after: Fields) -> str:
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    attrs: dict[str, object] = {}
    if "Alignment:" in changed:
        names = {v.lower(): k for k, v in ALIGN_NAMES.items()} | {"center": "center", "justify": "justify"}
        align = names.get(changed["Alignment:"].strip().lower())
        if align is None:
            raise SimError(f"not an alignment: {changed['Alignment:']!r}")
        attrs["align"] = align
    if "Left:" in changed:
        indent = parse_inches(changed["Left:"])
        if indent is None:
            raise SimError('the indent must be between 0" and 22"')
        attrs["indent"] = indent
    for name, attr in (("Before:", "space_before"), ("After:", "space_after")):
        if name in changed:
            points = parse_number(changed[name], unit="pt")
            if points is None or not 0 <= points <= 1584:
                raise SimError("the spacing must be between 0 pt and 1584 pt")
            attrs[attr] = points
    result = win.set_paragraphs(**attrs) if attrs else "ok"
    if "Line spacing:" in changed or "At:" in changed:
        kind = after.get("Line spacing:", "Multiple")
        fixed = {v: k for k, v in LINE_SPACING_NAMES.items()}
        spacing = fixed.get(kind) if kind in fixed else parse_number(after.get("At:", ""))
        if spacing is None or not 0.06 <= spacing <= 132:
            raise SimError("the line spacing must be between 0.06 and 132")
        result = win.set_line_spacing(spacing)
    return result


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
