"""What is on screen, as data: tabs, their controls, drop-down galleries and dialogs.

Names follow Word's UI Automation names (what UFO reports as ``control_text``). Behaviour lives
in ``lam.sim.app``; this module only says which controls exist where, so the layout can be read
(and extended) in one place. Ribbon control names are unique across tabs.
"""

from __future__ import annotations

from dataclasses import dataclass

HIGHLIGHT_COLORS = (
    "Yellow", "Bright Green", "Turquoise", "Pink", "Blue", "Red", "Dark Blue", "Teal",
    "Green", "Violet", "Dark Red", "Dark Yellow", "Gray-50%", "Gray-25%", "Black",
)  # fmt: skip
STANDARD_COLORS = (
    "Dark Red", "Red", "Orange", "Yellow", "Light Green", "Green", "Light Blue", "Blue",
    "Dark Blue", "Purple",
)  # fmt: skip
STYLES = ("Normal", "No Spacing", "Heading 1", "Heading 2", "Title", "Subtitle", "Quote")
TABLE_STYLES = (
    "Table Grid", "Plain Table 1", "Plain Table 2", "Plain Table 3", "Grid Table 1 Light",
    "Grid Table 4", "Grid Table 5 Dark", "List Table 2", "List Table 4", "List Table 6 Colorful",
)  # fmt: skip
WATERMARKS = ("Confidential", "Do Not Copy", "Draft", "Sample", "Urgent", "ASAP")
MARGINS = ("Normal", "Narrow", "Moderate", "Wide", "Mirrored")
ORIENTATIONS = ("Portrait", "Landscape")
PAGE_SIZES = ("Letter", "Legal", "A4", "A5", "Executive")
COLUMN_PRESETS = ("One", "Two", "Three", "Left", "Right")
BORDER_SETTINGS = ("None", "Box", "Shadow", "3-D")
ALIGN_BUTTONS = {"Align Left": "left", "Center": "center", "Align Right": "right", "Justify": "justify"}
FONT_SIZE_LADDER = (8, 9, 10, 10.5, 11, 12, 14, 16, 18, 20, 22, 24, 26, 28, 36, 48, 72)

Spec = tuple[str, str]  # (control_type, name)


def _buttons(*names: str) -> list[Spec]:
    return [("Button", n) for n in names]


QUICK_ACCESS: list[Spec] = _buttons("Save", "Undo", "Redo")
TABS: tuple[str, ...] = ("Home", "Insert", "Design", "Layout", "References", "Review", "View")
CONTEXT_TAB = "Table Design"  # appears while a table is selected, as Word's contextual tab

TAB_CONTROLS: dict[str, list[Spec]] = {
    "Home": [
        *_buttons("Paste", "Cut", "Copy", "Format Painter"),
        ("ComboBox", "Font"),
        ("ComboBox", "Font Size"),
        *_buttons("Increase Font Size", "Decrease Font Size", "Change Case", "Clear All Formatting"),
        *_buttons("Bold", "Italic", "Underline", "Strikethrough", "Subscript", "Superscript"),
        *_buttons("Text Highlight Color", "Font Color"),
        *_buttons("Bullets", "Numbering", "Decrease Indent", "Increase Indent", "Sort", "Show/Hide"),
        *_buttons(*ALIGN_BUTTONS, "Line and Paragraph Spacing"),
        *[("ListItem", s) for s in STYLES],
        *_buttons("Find", "Replace", "Select"),
    ],
    "Insert": _buttons(
        "Cover Page",
        "Blank Page",
        "Page Break",
        "Table",
        "Pictures",
        "Shapes",
        "Icons",
        "Chart",
        "Link",
        "Comment",
        "Header",
        "Footer",
        "Page Number",
        "Text Box",
        "Equation",
        "Symbol",
    ),
    "Design": _buttons(
        "Themes",
        "Colors",
        "Fonts",
        "Paragraph Spacing",
        "Effects",
        "Set as Default",
        "Watermark",
        "Page Color",
        "Page Borders",
    ),
    "Layout": [
        *_buttons("Margins", "Orientation", "Size", "Columns", "Breaks", "Line Numbers", "Hyphenation"),
        ("Edit", "Indent Left"),
        ("Edit", "Indent Right"),
        ("Edit", "Spacing Before"),
        ("Edit", "Spacing After"),
        *_buttons("Position", "Wrap Text", "Align"),
    ],
    "References": _buttons(
        "Table of Contents",
        "Insert Footnote",
        "Insert Endnote",
        "Insert Citation",
        "Bibliography",
        "Insert Caption",
    ),
    "Review": _buttons(
        "Spelling & Grammar",
        "Thesaurus",
        "Word Count",
        "New Comment",
        "Track Changes",
        "Accept",
        "Reject",
    ),
    "View": _buttons("Read Mode", "Print Layout", "Web Layout", "Ruler", "Gridlines", "Zoom", "One Page"),
    CONTEXT_TAB: [
        *_buttons("Header Row", "Banded Rows", "Shading", "Borders"),
        *[("ListItem", s) for s in TABLE_STYLES],
    ],
}


@dataclass(frozen=True)
class Gallery:
    """A drop-down opened by a ribbon button; its items show until one is clicked or Esc."""

    items: tuple[Spec, ...]


def _gallery(values: tuple[str, ...], *extra: str) -> Gallery:
    return Gallery(tuple([("ListItem", v) for v in values] + [("MenuItem", e) for e in extra]))


GALLERIES: dict[str, Gallery] = {
    "Text Highlight Color": _gallery(HIGHLIGHT_COLORS, "No Color"),
    "Font Color": _gallery(STANDARD_COLORS, "Automatic"),
    "Page Color": _gallery(STANDARD_COLORS, "No Color"),
    "Watermark": _gallery(WATERMARKS, "Remove Watermark"),
    "Margins": _gallery(MARGINS),
    "Orientation": _gallery(ORIENTATIONS),
    "Size": _gallery(PAGE_SIZES),
    "Columns": _gallery(COLUMN_PRESETS),
    "Table": Gallery((("MenuItem", "Insert Table..."),)),
}


@dataclass(frozen=True)
class Dialog:
    """A modal dialog: while open, only its controls are on screen."""

    controls: tuple[Spec, ...]
    fields: tuple[tuple[str, str], ...] = ()  # (edit name, initial value)


DIALOGS: dict[str, Dialog] = {
    "Borders and Shading": Dialog(
        tuple([("ListItem", s) for s in BORDER_SETTINGS] + [("Button", "OK"), ("Button", "Cancel")])
    ),
    "Insert Table": Dialog(
        (("Edit", "Number of columns"), ("Edit", "Number of rows"), ("Button", "OK"), ("Button", "Cancel")),
        fields=(("Number of columns", "5"), ("Number of rows", "2")),
    ),
    "Find and Replace": Dialog(
        (("Edit", "Find what"), ("Edit", "Replace with"), ("Button", "Replace All"), ("Button", "Close")),
        fields=(("Find what", ""), ("Replace with", "")),
    ),
}
DOCUMENT: Spec = ("Document", "Document")
SCROLLBAR: Spec = ("ScrollBar", "Vertical")
