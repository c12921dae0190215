"""Effects as data: ``effects.yaml`` maps (place, control name) to an effect id and its argument.

:func:`load_effects` reads the table once; :func:`apply_effect` is the one interpreter, acting on a
:class:`~lam.sim.word2.window.WordWindow` through the Editor's commands (lam.sim.editing), so what a
click does to the text follows the same rules as WordApp's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from lam.sim.document import Block, Document, PageBreak, Paragraph, Run
from lam.sim.editing import NO_SELECTION, SimError, TableSel, TextSel, parse_number

if TYPE_CHECKING:
    from lam.sim.word2.window import WordWindow

EFFECTS_FILE = Path(__file__).resolve().parent / "effects.yaml"
# More tables of the same shape, one file per area of Word (merged with effects.yaml; a control
# named in two files is an error), so areas are added without editing one shared file.
EFFECTS_DIR = Path(__file__).resolve().parent / "effects_data"
ITEM = "$item"
WILDCARD_SUFFIX = " *"


@dataclass(frozen=True)
class Effect:
    id: str
    arg: Any


def _read_table(path: Path, out: dict[str, dict[str, Effect]]) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError(f"{path.name}: expected a mapping of places")
    for place, entries in raw.items():
        if not isinstance(entries, dict):
            raise ValueError(f"{path.name} {place}: expected a mapping of control names")
        table = out.setdefault(str(place), {})
        for name, spec in entries.items():
            if not isinstance(spec, dict) or len(spec) != 1:
                raise ValueError(f"{path.name} {place} {name!r}: expected one `id: argument`")
            ((effect_id, arg),) = spec.items()
            if effect_id not in EFFECTS:
                raise ValueError(f"{path.name} {place} {name!r}: unknown effect {effect_id!r}")
            if str(name) in table:
                raise ValueError(f"{path.name} {place} {name!r}: already given an effect in another file")
            table[str(name)] = Effect(str(effect_id), arg)


@cache
def load_effects(path: Path = EFFECTS_FILE, more: Path | None = EFFECTS_DIR) -> Mapping[str, Mapping[str, Effect]]:
    """effects.yaml plus every ``effects_data/*.yaml``, merged by place."""
    out: dict[str, dict[str, Effect]] = {}
    _read_table(path, out)
    for extra in sorted(more.glob("*.yaml")) if more is not None and more.is_dir() else ():
        _read_table(extra, out)
    return out


def register_effect(effect_id: str) -> Callable[[EffectFn], EffectFn]:
    """Add an interpreter under ``effect_id`` (modules of lam.sim.word2.behaviours use this)."""

    def add(fn: EffectFn) -> EffectFn:
        if effect_id in EFFECTS:
            raise ValueError(f"effect {effect_id!r} is defined twice")
        EFFECTS[effect_id] = fn
        return fn

    return add


def lookup(place: str, control_type: str, name: str) -> Effect | None:
    """The effect of the control ``name`` at ``place``: its own entry, else its type's wildcard."""
    table = load_effects().get(place, {})
    return table.get(name) or table.get(control_type + WILDCARD_SUFFIX)


def _fill(arg: Any, item: str) -> Any:
    if arg == ITEM:
        return item
    if isinstance(arg, dict):
        return {k: _fill(v, item) for k, v in arg.items()}
    return arg


def apply_effect(win: WordWindow, effect: Effect, item: str) -> str:
    return EFFECTS[effect.id](win, _fill(effect.arg, item))


# ---- the interpreters, one per effect id --------------------------------------------------------


def _recase(text: str, mode: str) -> str:
    if mode == "sentence":
        return text[:1].upper() + text[1:].lower()
    if mode not in ("lower", "upper", "title", "toggle"):
        raise SimError(f"unknown case {mode!r}")
    return {"lower": text.lower(), "upper": text.upper(), "title": text.title(), "toggle": text.swapcase()}[mode]


def _change_case(win: WordWindow, mode: Any) -> str:
    spans = win.text_spans()
    if not spans:
        return NO_SELECTION
    for block, start, end in spans:
        par = win.doc.para(block)
        text = par.text[start:end]
        new = _recase(text, str(mode))
        if len(new) != len(text):  # a case change that changes the length (ß): keep the text
            continue
        pos = 0
        for run in par.runs:  # same length: rewrite each run's slice in place, keeping formats
            lo, hi = max(start, pos), min(end, pos + len(run.text))
            if lo < hi:
                run.text = run.text[: lo - pos] + new[lo - start : hi - start] + run.text[hi - pos :]
            pos += len(run.text)
    return "ok"


def _line_spacing(win: WordWindow, value: Any) -> str:
    spacing = parse_number(str(value))
    if spacing is None:
        raise SimError(f"not a line spacing: {value!r}")
    return win.set_line_spacing(spacing)


def _page(win: WordWindow, changes: Any) -> str:
    for key, value in dict(changes).items():
        win.doc.page[str(key)] = str(value)
    return "ok"


def insert_at(doc: Document, block: int, offset: int, new: Sequence[Block]) -> int:
    """Put ``new`` where a cursor at (block, offset) is, as Word's Insert commands do: before the
    paragraph at its start, after it at its end, else between the two halves of a split paragraph.
    Returns the index of the first inserted block."""
    par = doc.blocks[block] if doc.blocks else None
    if isinstance(par, Paragraph) and 0 < offset < len(par.text):
        doc.split_paragraph(block, offset)
        at = block + 1
    elif isinstance(par, Paragraph) and offset == 0 and par.text:
        at = block
    else:
        at = block + 1 if doc.blocks else 0
    doc.blocks[at:at] = list(new)
    return at


def _insert(win: WordWindow, what: Any) -> str:
    """Insert > Page Break / Blank Page at the cursor (a selection is replaced first, as in Word)."""
    if isinstance(win.selection, TableSel):
        return win.blank_page() if what == "blank_page" else win.insert_block(PageBreak())
    win.delete_selection()
    win.selection = None
    blocks: list[Block] = [PageBreak()]
    if what == "blank_page":
        blocks += [Paragraph(runs=[Run("", win.current_format())]), PageBreak()]
    block, offset = win.cursor
    at = insert_at(win.doc, block, offset, blocks)
    after = at + len(blocks)
    win.cursor = (at + 1, 0) if what == "blank_page" else (min(after, len(win.doc.blocks) - 1), 0)
    return "ok"


def _table_grid(win: WordWindow, item: Any) -> str:
    size = str(item).removesuffix(" Table")
    columns, _, rows = size.partition("x")
    if not (columns.isdigit() and rows.isdigit()):
        raise SimError(f"not a table size: {item!r}")
    win.insert_table(int(rows), int(columns))
    return "ok"


def _clipboard(win: WordWindow, what: Any) -> str:
    return {"cut": win.cut, "copy": win.copy_selection, "paste": win.paste}[str(what)]()


def _select_all(win: WordWindow, _: Any) -> str:
    spans = tuple((i, 0, len(p.text)) for i, p in win.doc.paragraphs())
    win.select(TextSel(spans, whole=True))
    return "ok"


def _save(win: WordWindow, _: Any) -> str:
    win.saved = True
    win.doc.set_setting("file.unsaved", "")  # the file on disk now holds the document
    if win.tab == "File":
        win.tab = win.last_tab
    return "ok"


def _text(win: WordWindow, field: Any) -> str:
    return "ok"  # a click only focuses the box; set_edit_text (or typing then Enter) sets it


def _setting(win: WordWindow, changes: Any) -> str:
    """Document-wide settings by name (``{zoom: "100%"}``); a value of null clears one."""
    for key, value in dict(changes).items():
        win.doc.set_setting(str(key), "" if value is None else str(value))
    return "ok"


def _toggle_setting(win: WordWindow, name: Any) -> str:
    """An on/off document setting (off by default), as a ribbon toggle button or check box."""
    win.doc.set_setting(str(name), "" if win.doc.setting(str(name)) == "on" else "on")
    return "ok"


def _para_prop(win: WordWindow, changes: Any) -> str:
    """Paragraph properties of the selected paragraphs (``{keep_with_next: "on"}``)."""
    blocks = win.target_paragraphs()
    for b in blocks:
        for key, value in dict(changes).items():
            win.doc.para(b).set_prop(str(key), "" if value is None else str(value))
    return "ok" if blocks else "ok: nothing selected, nothing changed"


EffectFn = Callable[["WordWindow", Any], str]

EFFECTS: dict[str, EffectFn] = {
    "setting": _setting,
    "toggle_setting": _toggle_setting,
    "para_prop": _para_prop,
    "toggle": lambda w, attr: w.toggle(str(attr)),
    "vertical": lambda w, kind: w.toggle_vertical(str(kind)),
    "step_size": lambda w, d: w.step_size(int(d)),
    "clear_formatting": lambda w, _: w.clear_formatting(),
    "format": lambda w, changes: w.format_selection(**dict(changes)),
    "change_case": _change_case,
    "align": lambda w, value: w.align(str(value)),
    "list": lambda w, kind: w.toggle_list(str(kind)),
    "paragraphs": lambda w, attrs: w.set_paragraphs(**dict(attrs)),
    "indent": lambda w, d: w.shift_indent(int(d)),
    "style": lambda w, name: w.set_paragraphs(style=str(name)),
    "line_spacing": _line_spacing,
    "page": _page,
    "insert": _insert,
    "table_grid": _table_grid,
    "table_style": lambda w, name: w.set_table(style=str(name)),
    "clipboard": _clipboard,
    "history": lambda w, what: w.undo() if what == "undo" else w.redo(),
    "save": _save,
    "select_all": _select_all,
    "replace_all": lambda w, _: w.replace_all_from_dialog(),
    "dialog_apply": lambda w, kind: w.apply_dialog(str(kind)),
    "text": _text,
    "noop": lambda w, _: "ok",
}
