"""Page layout and header/footer families: margins, orientation, paper size, columns, breaks,
sections, line numbers, hyphenation, vertical alignment, headers, footers and page numbers.

The document model and the window's effects share one set of helpers
(:mod:`lam.sim.word2.behaviours.pagelayout`), so what ``apply`` writes is what the clicks write.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

from lam.sim.document import Document, Element, PageBreak, Paragraph
from lam.sim.word2 import WordWindow
from lam.sim.word2.behaviours import pagelayout as pl
from lam.tasks.v2.ops import Act, Op, OpKind, _click, _document_label, click_ribbon, select_target
from lam.tasks.v2.targets import ORDINALS, NoTarget, register_target

PAGE_SETUP = "dialog:Page Setup"
HEADER_TEXTS = ("Quarterly Review", "Internal Draft", "Team Handbook", "Project Notes")
FOOTER_TEXTS = ("Prepared by the office", "Printed copy", "Version 0.9", "Do not copy")
DESIGNS = ("Blank", "Austin", "Banded", "Grid", "Whisp")


# ---- shared expert steps -------------------------------------------------------------------------
def _layout_menu(win: WordWindow, button: str, item_type: str, item: str) -> Iterator[Act]:
    """Layout > ``button`` (a drop-down of the Page Setup group) > ``item``."""
    yield from click_ribbon(win, "Layout", "Button", button, f"Open the {button} menu")
    yield _click(item_type, item, f"Choose {item}", f"menu:{button}")


def _set_box(control_type: str, name: str, text: str, place: str) -> Act:
    return Act("set_edit_text", {"text": text}, (control_type, name, place), f"Type {text} in {name.rstrip(':')}")


def _dialog_choice(box: str, item: str, dialog: str, menu: str) -> Iterator[Act]:
    """Open a dialog's drop-down box and pick ``item``."""
    yield _click("ComboBox", box, f"Open the {box.rstrip(':')} list", f"dialog:{dialog}")
    yield _click("ListItem", item, f"Choose {item}", f"menu:{menu}")


def _ok(dialog: str) -> Act:
    return _click("Button", "OK", "Click OK", f"dialog:{dialog}")


def _page_setup(win: WordWindow, tab: str | None = None) -> Iterator[Act]:
    """Open Page Setup from the Page Setup group's launcher, on ``tab``."""
    yield from click_ribbon(win, "Layout", "Button", "Page Setup Settings", "Open the Page Setup dialog")
    if tab is not None:
        yield _click("TabItem", tab, f"Open the {tab} tab", PAGE_SETUP)


def _cursor_at_start(win: WordWindow, op: Op) -> Iterator[Act]:
    """Click at the start of the target paragraph: select it, then Home."""
    yield from select_target(win, op)
    yield Act("keyboard_input", {"keys": "{HOME}"}, _document_label(win), "Put the cursor at its start")


def _close_hf(win: WordWindow) -> Iterator[Act]:
    yield from click_ribbon(win, pl.HF_TAB, "Button", "Close Header and Footer")


def _insert_menu(win: WordWindow, button: str, item_type: str, item: str, destructive: bool = False) -> Iterator[Act]:
    yield from click_ribbon(win, "Insert", "Button", button, f"Open the {button} menu")
    act = _click(item_type, item, f"Choose {item}", f"menu:{button}")
    yield Act(act.function, act.args, act.control, act.subtask, destructive=destructive)


def _edit_story(win: WordWindow, story: str) -> Iterator[Act]:
    """Open the header or footer for editing (Insert > Header > Edit Header), unless it is open."""
    if pl.editing(win) == story:
        return
    button = story.title()
    yield from _insert_menu(win, button, "MenuItem", f"Edit {button}")


# ---- page settings -------------------------------------------------------------------------------
def _page_key(key: str, param: str) -> tuple[Callable[[Document, Op], None], Callable[[Document, Op], bool]]:
    def apply(doc: Document, op: Op) -> None:
        doc.page[key] = str(op[param])

    def satisfied(doc: Document, op: Op) -> bool:
        return doc.page[key] == str(op[param])

    return apply, satisfied


def _gallery(button: str, param: str) -> Callable[[WordWindow, Op], Iterator[Act]]:
    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from _layout_menu(win, button, "ListItem", str(op[param]))

    return expert


def _kind_page(
    key: str, button: str, param: str, setup: Callable[[Document, random.Random], None] | None = None
) -> OpKind:
    apply, satisfied = _page_key(key, param)
    return OpKind(apply, satisfied, _gallery(button, param), setup=setup)


def _other_margins(doc: Document, rng: random.Random) -> None:
    doc.page["margins"] = rng.choice(("Normal", "Normal", "Narrow", "Moderate", "Wide"))


def _other_columns(doc: Document, rng: random.Random) -> None:
    doc.page["columns"] = rng.choice(("One", "One", "Two", "Three"))


def _other_orientation(doc: Document, rng: random.Random) -> None:
    doc.page["orientation"] = rng.choice(("Portrait", "Landscape"))


# margins typed in Page Setup
def _want_margins(doc: Document, op: Op) -> tuple[float, ...]:
    if op["family"] == "margin_one_side":
        length = op["length"]
        side = pl.MARGIN_SIDES.index(str(op["side"]))
        current = list(pl.margins(doc))
        current[side] = pl.to_inches(float(length["value"]), str(length["unit"]))
        return tuple(current)
    m = op["margins"]
    return tuple(pl.to_inches(float(m[s.lower()]), str(m["unit"])) for s in pl.MARGIN_SIDES)


def _margins_apply(doc: Document, op: Op) -> None:
    pl.set_margins(doc, _want_margins(doc, op))


def _margins_satisfied(doc: Document, op: Op) -> bool:
    return pl.margins(doc) == _want_margins(doc, op)


def _margins_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _layout_menu(win, "Margins", "MenuItem", "Custom Margins...")
    if op["family"] == "margin_one_side":
        boxes = [(str(op["side"]), float(op["length"]["value"]), str(op["length"]["unit"]))]
    else:
        m = op["margins"]
        boxes = [(s, float(m[s.lower()]), str(m["unit"])) for s in pl.MARGIN_SIDES]
    for side, value, unit in boxes:
        yield _set_box("Spinner", f"{side}:", pl.length_text(value, unit), PAGE_SETUP)
    yield _ok("Page Setup")


# paper size
def _size_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    size = str(op["size"])
    gallery = {c.name for c in win.catalog.menus["Size"].items if c.control_type == "ListItem"}
    if size in gallery:
        yield from _layout_menu(win, "Size", "ListItem", size)
        return
    yield from _layout_menu(win, "Size", "MenuItem", "More Paper Sizes...")
    yield _click("TabItem", "Paper", "Open the Paper tab", PAGE_SETUP)
    yield from _dialog_choice("Paper size:", size, "Page Setup", "Paper Size Dialog")
    yield _ok("Page Setup")


def _custom_size_apply(doc: Document, op: Op) -> None:
    size = op["size"]
    unit = str(size["unit"])
    pl.set_custom_size(doc, pl.to_inches(float(size["width"]), unit), pl.to_inches(float(size["height"]), unit))


def _custom_size_satisfied(doc: Document, op: Op) -> bool:
    done = doc.copy()
    _custom_size_apply(done, op)
    return done.page == doc.page


def _custom_size_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    size = op["size"]
    unit = str(size["unit"])
    yield from _layout_menu(win, "Size", "MenuItem", "More Paper Sizes...")
    yield _click("TabItem", "Paper", "Open the Paper tab", PAGE_SETUP)
    yield _set_box("Spinner", "Width:", pl.length_text(float(size["width"]), unit), PAGE_SETUP)
    yield _set_box("Spinner", "Height:", pl.length_text(float(size["height"]), unit), PAGE_SETUP)
    yield _ok("Page Setup")


# columns
def _columns_want(op: Op) -> str:
    layout = op["layout"]
    spacing = pl.to_inches(float(layout["spacing"]), str(layout["unit"]))
    return pl.columns_value(int(layout["count"]), spacing, layout["line_between"] == "Yes")


def _columns_apply(doc: Document, op: Op) -> None:
    doc.page["columns"] = _columns_want(op)


def _columns_satisfied(doc: Document, op: Op) -> bool:
    return doc.page["columns"] == _columns_want(op)


def _columns_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    layout = op["layout"]
    yield from _layout_menu(win, "Columns", "MenuItem", "More Columns...")
    place = "dialog:Columns"
    yield _set_box("Spinner", "Number of columns:", str(layout["count"]), place)
    yield _set_box("Spinner", "Spacing:", pl.length_text(float(layout["spacing"]), str(layout["unit"])), place)
    dialog = win.dialog
    line = dialog is not None and dialog.fields.get("Line between") == pl.ON
    if line != (layout["line_between"] == "Yes"):
        yield _click("CheckBox", "Line between", "Set Line between", place)
    yield _ok("Columns")


# ---- breaks --------------------------------------------------------------------------------------
def _paragraph_block(doc: Document, op: Op) -> int:
    span = doc.find(str(op["target"]["text"]))
    if span is None:
        raise ValueError("the target paragraph is gone")
    return span[0]


def _break_props(op: Op) -> tuple[str, dict[str, str]]:
    if op["family"] == "column_break":
        return pl.COLUMN_BREAK, {}
    return pl.SECTION_BREAK, {"type": str(op["kind"])}


def _break_apply(doc: Document, op: Op) -> None:
    kind, props = _break_props(op)
    doc.blocks.insert(_paragraph_block(doc, op), Element(kind, props))


def _break_satisfied(doc: Document, op: Op) -> bool:
    kind, props = _break_props(op)
    block = _paragraph_block(doc, op)
    before = doc.blocks[block - 1] if block > 0 else None
    return isinstance(before, Element) and before.kind == kind and before.props == props


def _break_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _cursor_at_start(win, op)
    item = "Column" if op["family"] == "column_break" else str(op["kind"])
    yield from _layout_menu(win, "Breaks", "MenuItem", item)


def _break_target(doc: Document, rng: random.Random, op: Op) -> Op:
    """A break goes before a body paragraph (one before the title would leave an empty column or
    section at the top of the document)."""
    pars = doc.paragraphs()
    if op["target"]["text"] != pars[0][1].text:
        return op
    found = [(n, p.text) for n, (_, p) in enumerate(pars) if 0 < n < len(ORDINALS) and doc.count(p.text) == 1]
    if not found:
        raise NoTarget("no body paragraph to break before")
    n, text = rng.choice(found)
    return {**op, "target": {"kind": "paragraph", "text": text, "ref": f"the {ORDINALS[n]} paragraph"}}


def _in_columns(doc: Document, rng: random.Random) -> None:
    doc.page["columns"] = rng.choice(("Two", "Three"))


# ---- a section of its own ------------------------------------------------------------------------
@register_target("section")
def _section_target(doc: Document, rng: random.Random) -> dict[str, Any]:
    """One or two consecutive body paragraphs with body text before and after them."""
    pars = doc.paragraphs()
    found: list[dict[str, Any]] = []
    for n in range(1, len(pars) - 1):
        for count in (1, 2):
            run = pars[n : n + count]
            if n + count >= len(pars) or n + count > len(ORDINALS) or doc.count(run[0][1].text) != 1:
                continue
            if any(b != run[0][0] + k for k, (b, _) in enumerate(run)):
                continue
            ref = (
                f"the {ORDINALS[n]} paragraph" if count == 1 else f"the {ORDINALS[n]} and {ORDINALS[n + 1]} paragraphs"
            )
            found.append({"text": run[0][1].text, "count": count, "ref": ref})
    if not found:
        raise NoTarget("no paragraphs with text before and after them")
    return rng.choice(found)


def _section_blocks(doc: Document, op: Op) -> tuple[int, int]:
    first = _paragraph_block(doc, op)
    return first, first + int(op["target"]["count"]) - 1


def _section_apply(doc: Document, op: Op) -> None:
    pl.set_section_orientation(doc, *_section_blocks(doc, op), str(op["orientation"]))


def _section_satisfied(doc: Document, op: Op) -> bool:
    return pl.in_own_section(doc, *_section_blocks(doc, op), str(op["orientation"]))


def _section_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    """The request is for the other orientation than the document's."""
    return {**op, "orientation": "Portrait" if doc.page["orientation"] == "Landscape" else "Landscape"}


def _section_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield from _page_setup(win)
    yield _click("RadioButton", str(op["orientation"]), f"Choose {op['orientation']}", PAGE_SETUP)
    yield from _dialog_choice("Apply to:", "Selected text", "Page Setup", "Apply To Dialog")
    yield _ok("Page Setup")


# ---- line numbers, hyphenation, vertical alignment -----------------------------------------------
def _setting_kind(
    key: str,
    param: str,
    button: str | None,
    default: str = "None",
    setup: Callable[[Document, random.Random], None] | None = None,
) -> OpKind:
    def want(op: Op) -> str:
        return "" if str(op[param]) == default else str(op[param])

    def apply(doc: Document, op: Op) -> None:
        doc.set_setting(key, want(op))

    def satisfied(doc: Document, op: Op) -> bool:
        return doc.setting(key) == want(op)

    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        if button is not None:
            yield from _layout_menu(win, button, "MenuItem", str(op[param]))
            return
        yield from _page_setup(win, "Layout")
        yield from _dialog_choice("Vertical alignment:", str(op[param]), "Page Setup", "Vertical Alignment Dialog")
        yield _ok("Page Setup")

    return OpKind(apply, satisfied, expert, setup=setup)


def _hyphenation_setup(doc: Document, rng: random.Random) -> None:
    doc.set_setting("page.hyphenation", rng.choice(("Automatic", "")))


def _line_numbers_setup(doc: Document, rng: random.Random) -> None:
    doc.set_setting("page.line_numbers", rng.choice(("", "", "Continuous", "Restart Each Page")))


# ---- remove a page break -------------------------------------------------------------------------
def _page_breaks(doc: Document, rng: random.Random) -> None:
    """One or two manual page breaks, each before a body paragraph."""
    pars = [b for b, _ in doc.paragraphs()][1:]
    for block in sorted(rng.sample(pars, min(len(pars), rng.choice((1, 1, 2)))), reverse=True):
        doc.blocks.insert(block, PageBreak())


def _break_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    found = []
    page = 1
    for i, block in enumerate(doc.blocks):
        if isinstance(block, PageBreak):
            page += 1
            nxt = doc.blocks[i + 1] if i + 1 < len(doc.blocks) else None
            if isinstance(nxt, Paragraph) and nxt.text and doc.count(nxt.text) == 1:
                found.append((page, nxt.text))
    if not found:
        raise NoTarget("the document has no manual page break before a paragraph")
    page, text = rng.choice(found)
    words = " ".join(text.split()[:4])
    # The templates name the break themselves ("the page break before {target}"): the reference is
    # the page or paragraph it stands before (render 3; it was "the page break at the top of ...").
    ref = rng.choice((f"page {page}", f'the paragraph starting "{words}"'))
    return {**op, "target": {**op["target"], "ref": ref}, "before": text}


def _break_before(doc: Document, op: Op) -> int | None:
    span = doc.find(str(op["before"]))
    if span is None:
        raise ValueError("the paragraph after the break is gone")
    block = span[0]
    return block - 1 if block > 0 and isinstance(doc.blocks[block - 1], PageBreak) else None


def _remove_break_apply(doc: Document, op: Op) -> None:
    at = _break_before(doc, op)
    if at is not None:
        del doc.blocks[at]


def _remove_break_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield Act("select_text", {"text": op["before"]}, None, "Select the paragraph after the page break")
    yield Act(
        "keyboard_input", {"keys": "{UP}"}, _document_label(win), "Put the cursor just before the Page Break mark"
    )
    yield Act("keyboard_input", {"keys": "{DELETE}"}, _document_label(win), "Delete the page break", destructive=True)


# ---- headers and footers -------------------------------------------------------------------------
def _story_of(op: Op) -> str:
    return "footer" if op["family"].startswith("footer") or op["family"] == "remove_footer" else "header"


def _design_apply(doc: Document, op: Op) -> None:
    story = _story_of(op)
    pl.clear_story(doc, story)
    doc.set_setting(f"{story}.design", str(op["preset"]))


def _design_satisfied(doc: Document, op: Op) -> bool:
    story = _story_of(op)
    return doc.setting(f"{story}.design") == str(op["preset"]) and all(
        not doc.setting(f"{story}.{part}") for part in pl.STORY_PARTS if part != "design"
    )


def _design_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    button = _story_of(op).title()
    yield from _insert_menu(win, button, "ListItem", str(op["preset"]))
    yield from _close_hf(win)


def _story_setup(doc: Document, rng: random.Random) -> None:
    """Maybe a header and a footer already (a design or a line of text) to keep or replace."""
    for story, texts in (("header", HEADER_TEXTS), ("footer", FOOTER_TEXTS)):
        choice = rng.choice(("", "text", "design"))
        if choice == "text":
            doc.set_setting(f"{story}.text", rng.choice(texts))
        elif choice == "design":
            doc.set_setting(f"{story}.design", rng.choice(DESIGNS))


def _text_apply(doc: Document, op: Op) -> None:
    doc.set_setting(f"{_story_of(op)}.text", str(op["text"]))


def _text_satisfied(doc: Document, op: Op) -> bool:
    return doc.setting(f"{_story_of(op)}.text") == str(op["text"])


def _text_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    story = _story_of(op)
    yield from _edit_story(win, story)
    name = pl.STORY_EDITS[story]
    yield Act("set_edit_text", {"text": str(op["text"])}, ("Edit", name), f"Type the {story} text")
    yield from _close_hf(win)


def _remove_story_apply(doc: Document, op: Op) -> None:
    pl.clear_story(doc, _story_of(op))


def _remove_story_satisfied(doc: Document, op: Op) -> bool:
    return pl.story_empty(doc, _story_of(op))


def _remove_story_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    button = _story_of(op).title()
    yield from _insert_menu(win, button, "MenuItem", f"Remove {button}", destructive=True)


def _filled_story_setup(story: str) -> Callable[[Document, random.Random], None]:
    def setup(doc: Document, rng: random.Random) -> None:
        _story_setup(doc, rng)
        if pl.story_empty(doc, story):
            texts = HEADER_TEXTS if story == "header" else FOOTER_TEXTS
            doc.set_setting(f"{story}.text", rng.choice(texts))
        if rng.random() < 0.3:
            pl.insert_page_number(doc, "Top of Page" if story == "header" else "Bottom of Page", "Plain Number 2")

    return setup


# page numbers
def _number_value(op: Op) -> tuple[str, str]:
    placement = op["placement"]
    return str(placement["position"]), str(placement["design"])


def _numbers_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    """The position names the story the number goes in (the top and side margins: the header)."""
    story = pl.number_story(_number_value(op)[0])
    return {**op, "target": {"kind": story, "text": None, "ref": f"the {story}"}}


def _numbers_apply(doc: Document, op: Op) -> None:
    pl.insert_page_number(doc, *_number_value(op))


def _numbers_satisfied(doc: Document, op: Op) -> bool:
    position, design = _number_value(op)
    return doc.setting(f"{pl.number_story(position)}.page_number") == f"{position}: {design}"


def _numbers_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    position, design = _number_value(op)
    yield from _insert_menu(win, "Page Number", "MenuItem", position)
    yield _click("ListItem", design, f"Choose {design}", f"menu:{position}")
    yield from _close_hf(win)


def _numbered_setup(doc: Document, rng: random.Random) -> None:
    """Page numbers to format or remove (and maybe header or footer text to keep)."""
    _story_setup(doc, rng)
    position = rng.choice(("Top of Page", "Bottom of Page", "Bottom of Page"))
    pl.insert_page_number(doc, position, rng.choice(("Plain Number 1", "Plain Number 2", "Plain Number 3")))
    other = "header" if position == "Bottom of Page" else "footer"
    if pl.story_empty(doc, other) and rng.random() < 0.5:
        doc.set_setting(f"{other}.text", rng.choice(HEADER_TEXTS if other == "header" else FOOTER_TEXTS))


def _numbered_draw(doc: Document, rng: random.Random, op: Op) -> Op:
    """The target is the header or footer that holds the page numbers (the templates say "the page
    numbers in {target}" themselves; render 3, it was "the page numbers in the header")."""
    stories = [s for s in pl.STORIES if doc.setting(f"{s}.page_number")]
    if not stories:
        raise NoTarget("the document has no page numbers")
    story = stories[0]
    return {**op, "target": {"kind": story, "text": None, "ref": f"the {story}"}}


def _number_format_apply(doc: Document, op: Op) -> None:
    doc.set_setting("page.number_format", str(op["format"]), pl.DEFAULT_NUMBER_FORMAT)
    doc.set_setting("page.number_start", str(int(op["start"])))


def _number_format_satisfied(doc: Document, op: Op) -> bool:
    return doc.setting("page.number_format", pl.DEFAULT_NUMBER_FORMAT) == str(op["format"]) and doc.setting(
        "page.number_start"
    ) == str(int(op["start"]))


def _number_format_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    place = "dialog:Page Number Format"
    yield from _insert_menu(win, "Page Number", "MenuItem", "Format Page Numbers...")
    dialog = win.dialog
    if dialog is None or dialog.fields.get("Number format:") != str(op["format"]):
        yield from _dialog_choice("Number format:", str(op["format"]), "Page Number Format", "Number Format Dialog")
    yield _click("RadioButton", "Start at:", "Choose Start at", place)
    yield _set_box("Spinner", "Start at:", str(int(op["start"])), place)
    yield _ok("Page Number Format")


def _remove_numbers_apply(doc: Document, op: Op) -> None:
    for story in pl.STORIES:
        doc.set_setting(f"{story}.page_number", "")


def _remove_numbers_satisfied(doc: Document, op: Op) -> bool:
    return not any(doc.setting(f"{s}.page_number") for s in pl.STORIES)


def _remove_numbers_expert(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _insert_menu(win, "Page Number", "MenuItem", "Remove Page Numbers", destructive=True)


# different first page, odd and even
def _hf_option(key: str, box: str) -> OpKind:
    def apply(doc: Document, op: Op) -> None:
        doc.set_setting(key, pl.ON)

    def satisfied(doc: Document, op: Op) -> bool:
        return doc.setting(key) == pl.ON

    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from _edit_story(win, "header")
        yield from click_ribbon(win, pl.HF_TAB, "CheckBox", box, f"Check {box}")
        yield from _close_hf(win)

    return OpKind(apply, satisfied, expert, setup=_filled_story_setup("header"))


# ---- the table -----------------------------------------------------------------------------------
OPS: dict[str, OpKind] = {
    "margins_preset": _kind_page("margins", "Margins", "preset", setup=_other_margins),
    "margins_custom": OpKind(_margins_apply, _margins_satisfied, _margins_expert, setup=_other_margins),
    "margin_one_side": OpKind(_margins_apply, _margins_satisfied, _margins_expert, setup=_other_margins),
    "orientation": _kind_page("orientation", "Orientation", "orientation", setup=_other_orientation),
    "page_size": OpKind(*_page_key("page_size", "size"), _size_expert),
    "custom_page_size": OpKind(
        _custom_size_apply, _custom_size_satisfied, _custom_size_expert, setup=_other_orientation
    ),
    "columns_preset": _kind_page("columns", "Columns", "preset", setup=_other_columns),
    "columns_custom": OpKind(_columns_apply, _columns_satisfied, _columns_expert, setup=_other_columns),
    "column_break": OpKind(_break_apply, _break_satisfied, _break_expert, setup=_in_columns, draw=_break_target),
    "section_break": OpKind(_break_apply, _break_satisfied, _break_expert, draw=_break_target),
    "section_orientation": OpKind(
        _section_apply, _section_satisfied, _section_expert, setup=_other_orientation, draw=_section_draw
    ),
    "line_numbers": _setting_kind("page.line_numbers", "mode", "Line Numbers", setup=_line_numbers_setup),
    "hyphenation": _setting_kind("page.hyphenation", "mode", "Hyphenation", setup=_hyphenation_setup),
    "vertical_alignment": _setting_kind("page.vertical_alignment", "alignment", None, default="Top"),
    "remove_page_break": OpKind(
        _remove_break_apply,
        lambda doc, op: _break_before(doc, op) is None,
        _remove_break_expert,
        setup=_page_breaks,
        draw=_break_draw,
    ),
    "header_preset": OpKind(_design_apply, _design_satisfied, _design_expert, setup=_story_setup),
    "footer_preset": OpKind(_design_apply, _design_satisfied, _design_expert, setup=_story_setup),
    "header_text": OpKind(_text_apply, _text_satisfied, _text_expert, setup=_story_setup),
    "footer_text": OpKind(_text_apply, _text_satisfied, _text_expert, setup=_story_setup),
    "page_numbers": OpKind(_numbers_apply, _numbers_satisfied, _numbers_expert, setup=_story_setup, draw=_numbers_draw),
    "page_number_format": OpKind(
        _number_format_apply,
        _number_format_satisfied,
        _number_format_expert,
        setup=_numbered_setup,
        draw=_numbered_draw,
    ),
    "different_first_page": _hf_option("page.different_first_page", "Different First Page"),
    "different_odd_even": _hf_option("page.different_odd_even", "Different Odd & Even Pages"),
    "remove_header": OpKind(
        _remove_story_apply, _remove_story_satisfied, _remove_story_expert, setup=_filled_story_setup("header")
    ),
    "remove_footer": OpKind(
        _remove_story_apply, _remove_story_satisfied, _remove_story_expert, setup=_filled_story_setup("footer")
    ),
    "remove_page_numbers": OpKind(
        _remove_numbers_apply, _remove_numbers_satisfied, _remove_numbers_expert, setup=_numbered_setup
    ),
}

UNSUPPORTED: dict[str, str] = {
    "header_date": "the Date and Time dialog lists today's date in each format; the simulator has no clock "
    "or Date and Time dialog to render them",
}
