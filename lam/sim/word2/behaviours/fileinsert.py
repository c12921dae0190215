"""The File backstage and the Insert commands: what their dialogs read and apply, and what their
galleries and boxes show.

File state lives in ``Document.settings`` so the checker sees it in ``state()``:

* ``file.saved:<folder>\\<name>.<ext>`` = the type's name (``Word Document``, ``PDF``...): a file
  written by Save As, Export or Publish (or one already on disk, for a task's setup);
* ``file.current`` = the path of the file the window now edits after a Save As to another file
  (a PDF or XPS is written as a copy and leaves it alone);
* ``file.unsaved`` = ``yes`` while the document has changes not written to its file;
* ``file.closed`` = ``yes`` once the document is closed; ``file.final`` = ``on`` when marked as
  final; ``file.password`` = the password that opens it; ``file.property:<name>`` = a property.

Inserted objects are ``Element`` blocks placed where the cursor is (``effects.insert_at``);
floating ones (shapes, text boxes) are anchored to the first paragraph. A bookmark, a footnote, an
endnote and a date field are ``Document.annotations`` by block and character offsets.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from lam.sim.document import Document, Element, Paragraph
from lam.sim.editing import SimError, TextSel
from lam.sim.word2 import dialogs
from lam.sim.word2.effects import insert_at, register_effect
from lam.sim.word2.window import KEY_SINKS, VALUE_READERS
from lam.sim.word_ui import load_catalog
from lam.sim.word_ui.catalog import UiControl

if TYPE_CHECKING:
    from lam.sim.word2.window import WordWindow

DATA_FILE = Path(__file__).with_suffix(".yaml")
SAVED = "file.saved:"
PROPERTY = "file.property:"
FLOATING = ("shape", "text_box")
BOOKMARK_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
BAD_FILE_CHARS = set('\\/:*?"<>|')


@cache
def data() -> dict[str, Any]:
    loaded = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return dict(loaded)


def clock() -> dt.datetime:
    return dt.datetime.fromisoformat(str(data()["clock"]))


# ---- dates as Word's date pictures ------------------------------------------------------------
_PICTURE = re.compile(r"yyyy|yy|MMMM|MMM|MM|M|dddd|ddd|dd|d|HH|H|hh|h|mm|ss|am/pm|AM/PM")


def format_date(picture: str, when: dt.datetime) -> str:
    """``when`` in a Word date picture (``dddd, MMMM d, yyyy``, ``h:mm am/pm``...)."""
    hour12 = when.hour % 12 or 12
    parts = {
        "yyyy": f"{when.year:04d}",
        "yy": f"{when.year % 100:02d}",
        "MMMM": when.strftime("%B"),
        "MMM": when.strftime("%b"),
        "MM": f"{when.month:02d}",
        "M": str(when.month),
        "dddd": when.strftime("%A"),
        "ddd": when.strftime("%a"),
        "dd": f"{when.day:02d}",
        "d": str(when.day),
        "HH": f"{when.hour:02d}",
        "H": str(when.hour),
        "hh": f"{hour12:02d}",
        "h": str(hour12),
        "mm": f"{when.minute:02d}",
        "ss": f"{when.second:02d}",
        "am/pm": "AM" if when.hour < 12 else "PM",
        "AM/PM": "AM" if when.hour < 12 else "PM",
    }
    return _PICTURE.sub(lambda m: parts[m.group()], picture)


def date_field_code(picture: str) -> str:
    """The field Word's Date and Time dialog inserts when it updates: TIME for a time-only picture."""
    name = "TIME" if picture[:1] in ("h", "H") else "DATE"
    return f'{name} \\@ "{picture}"'


# ---- placing objects --------------------------------------------------------------------------
def place_element(doc: Document, block: int, offset: int, element: Element) -> int:
    """An inline object at the cursor (block, offset): see ``effects.insert_at``."""
    return insert_at(doc, block, offset, [element])


def place_floating(doc: Document, element: Element) -> int:
    """A floating object (shape, text box) is anchored to the first paragraph, before it."""
    first = next((i for i, b in enumerate(doc.blocks) if isinstance(b, Paragraph)), 0)
    doc.blocks.insert(first, element)
    return first


def set_cover_page(doc: Document, design: str) -> None:
    """Word keeps one cover page, first in the document: a new design replaces the old one."""
    doc.blocks = [b for b in doc.blocks if not (isinstance(b, Element) and b.kind == "cover_page")]
    doc.blocks.insert(0, Element("cover_page", {"design": design}))


def cover_page(doc: Document) -> str:
    first = doc.blocks[0] if doc.blocks else None
    return first.props.get("design", "") if isinstance(first, Element) and first.kind == "cover_page" else ""


def _cursor_for_insert(win: WordWindow) -> tuple[int, int]:
    """Inserting replaces a text selection (Word deletes it first); the cursor is where it was."""
    if win.text_spans():
        win.delete_selection()
    win.selection = None
    return win.cursor


def _insert_text_at_cursor(win: WordWindow, text: str) -> tuple[int, int, int]:
    block, offset = _cursor_for_insert(win)
    if not isinstance(win.doc.blocks[block], Paragraph):
        raise SimError("put the cursor in text first")
    end = win.doc.insert_text(block, offset, text)
    win.cursor = (block, end)
    return block, offset, end


@register_effect("fileinsert_block")
def _block(win: WordWindow, spec: Any) -> str:
    """An inline object at the cursor: ``{kind: equation, name: $item}``."""
    spec = dict(spec)
    element = Element(str(spec.pop("kind")), {str(k): str(v) for k, v in spec.items()})
    block, offset = _cursor_for_insert(win)
    at = place_element(win.doc, block, offset, element)
    win.cursor = (min(at + 1, len(win.doc.blocks) - 1), 0)
    return "ok"


@register_effect("fileinsert_float")
def _float(win: WordWindow, spec: Any) -> str:
    spec = dict(spec)
    place_floating(win.doc, Element(str(spec.pop("kind")), {str(k): str(v) for k, v in spec.items()}))
    win.selection = None
    return "ok"


@register_effect("fileinsert_cover_page")
def _cover(win: WordWindow, design: Any) -> str:
    set_cover_page(win.doc, str(design))
    win.selection, win.cursor = None, (0, 0)
    return "ok"


@register_effect("fileinsert_text")
def _text(win: WordWindow, text: Any) -> str:
    """A character of the Symbol gallery, typed at the cursor."""
    _insert_text_at_cursor(win, str(text))
    return "ok"


@register_effect("fileinsert_dialog")
def _dialog(win: WordWindow, key: Any) -> str:
    """A split button's main part that opens a dialog (Insert > Link opens Insert Hyperlink)."""
    return _open(win, str(key))


def _open(win: WordWindow, key: str) -> str:
    return win._open_dialog(key)


def _pop(win: WordWindow) -> None:
    win._close_dialog()


def _field(win: WordWindow, name: str) -> str:
    dialog = win.dialog
    return dialog.fields.get(name, "").strip() if dialog is not None else ""


# ---- Insert Picture --------------------------------------------------------------------------
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".svg", ".emf", ".wmf", ".ico", ".webp")


@register_effect("fileinsert_picture")
def _picture(win: WordWindow, _: Any) -> str:
    name = _field(win, "File name:")
    if not name.lower().endswith(IMAGE_EXTENSIONS) or BAD_FILE_CHARS & set(name):
        raise SimError(f"Word cannot find a picture named {name!r} in Pictures")
    _pop(win)
    return _block(win, {"kind": "picture", "file": name})


# ---- Symbol ------------------------------------------------------------------------------------
def read_symbol(win: WordWindow) -> dialogs.Fields:
    return {"Character:": next(iter(data()["special_characters"]))}


@register_effect("fileinsert_symbol")
def _symbol(win: WordWindow, _: Any) -> str:
    """Insert: the selected special character, or the symbol of the character code (hex)."""
    dialog = win.dialog
    if dialog is None:
        raise SimError("no dialog is open")
    if dialog.tab == "Special Characters":
        char = data()["special_characters"].get(_field(win, "Character:"))
        if char is None:
            raise SimError("pick a special character first")
    else:
        code = _field(win, "Character code:")
        try:
            char = chr(int(code, 16))
        except ValueError:
            raise SimError(f"not a character code: {code!r}") from None
        if not char.isprintable():
            raise SimError(f"not a character code: {code!r}")
    _insert_text_at_cursor(win, str(char))
    return "ok"  # the dialog stays open (its Cancel now closes it), as in Word


# ---- Date and Time -------------------------------------------------------------------------------
def date_choices() -> dict[str, str]:
    """The Available formats list: shown text -> Word's picture, at the simulator's clock."""
    pictures = [
        "M/d/yyyy", "dddd, MMMM d, yyyy", "MMMM d, yyyy", "M/d/yy", "yyyy-MM-dd", "d-MMM-yy", "M.d.yyyy",
        "MMM. d, yy", "d MMMM yyyy", "MMMM yy", "MMM-yy", "M/d/yyyy h:mm am/pm", "M/d/yyyy h:mm:ss am/pm",
        "h:mm am/pm", "h:mm:ss am/pm", "HH:mm", "HH:mm:ss",
    ]  # fmt: skip
    return {format_date(p, clock()): p for p in pictures}


def read_date_time(win: WordWindow) -> dialogs.Fields:
    return {"Available formats:": next(iter(date_choices()))}


def apply_date_time(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    shown = after.get("Available formats:", "")
    picture = date_choices().get(shown)
    if picture is None:
        raise SimError("pick a format")
    block, start, end = _insert_text_at_cursor(win, shown)
    if after.get("Update automatically") == dialogs.ON:
        win.doc.annotations.append(
            {"kind": "field", "code": date_field_code(picture), "block": block, "start": start, "end": end}
        )
    return "ok"


# ---- Insert Hyperlink, Bookmark ------------------------------------------------------------------
def read_hyperlink(win: WordWindow) -> dialogs.Fields:
    links = {f.link for s in win.text_spans() for f in win.doc.char_formats(s)}
    return {"Text to display:": win.selected_text(), "Address:": links.pop() if len(links) == 1 else ""}


def apply_hyperlink(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    address = after.get("Address:", "").strip()
    if not address:
        return "ok"  # OK with no address inserts nothing
    if not win.text_spans():
        text = after.get("Text to display:", "").strip() or address
        block, start, end = _insert_text_at_cursor(win, text)
        win.select(TextSel(((block, start, end),)))
    win.format_selection(link=address, char_style="Hyperlink")
    return "ok"


def add_bookmark(doc: Document, name: str, block: int, start: int, end: int) -> None:
    """A bookmark of an existing name moves to the new place, as in Word."""
    doc.annotations = [a for a in doc.annotations if not (a.get("kind") == "bookmark" and a.get("name") == name)]
    doc.annotations.append({"kind": "bookmark", "name": name, "block": block, "start": start, "end": end})


@register_effect("fileinsert_bookmark")
def _bookmark(win: WordWindow, _: Any) -> str:
    name = _field(win, "Bookmark name:")
    if not BOOKMARK_NAME.fullmatch(name):
        raise SimError("a bookmark name begins with a letter and holds only letters, digits and underscores")
    spans = win.text_spans()
    block, start, end = spans[0] if spans else (*win.cursor, win.cursor[1])
    add_bookmark(win.doc, name, block, start, end)
    _pop(win)
    return "ok"


# ---- Footnotes and endnotes --------------------------------------------------------------------
_WRITING: weakref.WeakKeyDictionary[WordWindow, tuple[int, tuple[int, int]]] = weakref.WeakKeyDictionary()


def add_note(doc: Document, kind: str, block: int, offset: int, text: str = "") -> int:
    doc.annotations.append({"kind": kind, "block": block, "offset": offset, "text": text})
    return len(doc.annotations) - 1


@register_effect("fileinsert_note")
def _note(win: WordWindow, kind: Any) -> str:
    """References > Insert Footnote/Endnote: the mark goes at the cursor (after a selection), and
    what is typed next goes into the note."""
    spans = win.text_spans()
    block, offset = (spans[-1][0], spans[-1][2]) if spans else win.cursor
    if not isinstance(win.doc.blocks[block], Paragraph):
        raise SimError("put the cursor in text first")
    win.selection = None
    win.cursor = (block, offset)
    _WRITING[win] = (add_note(win.doc, str(kind), block, offset), win.cursor)
    return "ok"


def _type_into_note(win: WordWindow, keys: str) -> str | None:
    writing = _WRITING.get(win)
    if writing is None:
        return None
    index, cursor = writing
    if win.cursor != cursor or win.selection is not None or index >= len(win.doc.annotations):
        _WRITING.pop(win, None)  # the cursor went back to the body text
        return None
    note = win.doc.annotations[index]
    text = str(note.get("text", ""))
    for p in win.parse(keys):
        if p.mods & {"ctrl", "alt"}:
            continue
        if p.is_char:
            text += p.key.upper() if "shift" in p.mods else p.key
        elif p.key == "SPACE":
            text += " "
        elif p.key == "BACKSPACE":
            text = text[:-1]
    note["text"] = text
    return "ok"


KEY_SINKS.append(_type_into_note)


# ---- Drop Cap, Printed Watermark -----------------------------------------------------------------
def read_drop_cap(win: WordWindow) -> dialogs.Fields:
    blocks = win.target_paragraphs()
    if not blocks:
        return {}
    par = win.doc.para(blocks[0])
    position = par.prop("drop_cap", "None")
    out = {name: dialogs.ON if name == position else dialogs.OFF for name in ("None", "Dropped", "In margin")}
    out["Lines to drop:"] = par.prop("drop_cap_lines", "3")
    return out


def apply_drop_cap(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    position = next((n for n in ("Dropped", "In margin") if after.get(n) == dialogs.ON), "")
    lines = after.get("Lines to drop:", "3").strip()
    if not lines.isdigit() or not 1 <= int(lines) <= 10:
        raise SimError("the number must be between 1 and 10")
    for b in win.target_paragraphs():
        par = win.doc.para(b)
        par.set_prop("drop_cap", position)
        par.set_prop("drop_cap_lines", str(int(lines)) if position else "")
    return "ok"


CUSTOM_WATERMARK = "Custom: "


def read_watermark(win: WordWindow) -> dialogs.Fields:
    current = win.doc.page.get("watermark", "")
    if current.startswith(CUSTOM_WATERMARK):
        return {"No watermark": dialogs.OFF, "Text watermark": dialogs.ON, "Text:": current[len(CUSTOM_WATERMARK) :]}
    return {}


def apply_watermark(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    if after.get("No watermark") == dialogs.ON:
        win.doc.page["watermark"] = ""
    elif after.get("Text watermark") == dialogs.ON:
        text = after.get("Text:", "").strip()
        if not text:
            raise SimError("type the watermark's text")
        win.doc.page["watermark"] = CUSTOM_WATERMARK + text
    return "ok"


# ---- the File backstage ------------------------------------------------------------------------
def type_extension(type_name: str) -> str:
    """``Web Page (*.htm;*.html)`` -> ``.htm``."""
    m = re.search(r"\(\*(\.[^;)]+)", type_name)
    return m.group(1) if m else ".docx"


def type_label(type_name: str) -> str:
    """``Word Document (*.docx)`` -> ``Word Document``."""
    return type_name.split(" (*")[0]


def file_path(folder: str, name: str, type_name: str) -> str:
    ext = type_extension(type_name)
    base = name if name.lower().endswith(ext.lower()) else name + ext
    return f"{folder.rstrip(chr(92))}\\{base}"


def save_file(doc: Document, path: str, type_name: str) -> None:
    """Write the document to ``path``: a copy (PDF, XPS) or the file the window now edits."""
    doc.set_setting(SAVED + path, type_label(type_name))
    if type_name not in data()["copy_types"]:
        doc.set_setting("file.current", path)
        doc.set_setting("file.unsaved", "")


def _leave_backstage(win: WordWindow) -> None:
    if win.tab == "File":
        win.tab, win.backstage_page = win.last_tab, None


def _save_as_target(win: WordWindow) -> tuple[str, str]:
    name = _field(win, "File name:")
    if not name or BAD_FILE_CHARS & set(name):
        raise SimError("the file name is not valid")
    type_name = _field(win, "Save as type:") or str(data()["default_type"])
    folder = _field(win, "Address") or str(data()["default_folder"])
    return file_path(folder, name, type_name), type_name


@register_effect("fileinsert_save_as")
def _save_as(win: WordWindow, _: Any) -> str:
    path, type_name = _save_as_target(win)
    if win.doc.setting(SAVED + path):
        return _open(win, "Confirm Save As")  # the file exists: Word asks before replacing it
    return _finish_save_as(win, path, type_name)


def _finish_save_as(win: WordWindow, path: str, type_name: str) -> str:
    save_file(win.doc, path, type_name)
    if type_name not in data()["copy_types"]:
        win.name = path.rsplit("\\", 1)[-1]
        win.saved = True
    _pop(win)
    _leave_backstage(win)
    return "ok"


@register_effect("fileinsert_replace")
def _replace(win: WordWindow, answer: Any) -> str:
    """Confirm Save As: Yes replaces the existing file, No goes back to the Save As dialog."""
    _pop(win)
    if str(answer) != "yes":
        return "ok"
    path, type_name = _save_as_target(win)
    return _finish_save_as(win, path, type_name)


@register_effect("fileinsert_folder")
def _folder(win: WordWindow, folder: Any) -> str:
    dialog = win.dialog
    if dialog is not None:
        dialog.fields["Address"] = str(folder)
    return "ok"


@register_effect("fileinsert_publish")
def _publish(win: WordWindow, _: Any) -> str:
    name = _field(win, "File name:")
    if not name or BAD_FILE_CHARS & set(name):
        raise SimError("the file name is not valid")
    type_name = _field(win, "Save as type:") or "PDF (*.pdf)"
    folder = _field(win, "Address") or str(data()["default_folder"])
    save_file(win.doc, file_path(folder, name, type_name), type_name)
    _pop(win)
    _leave_backstage(win)
    return "ok"


@register_effect("fileinsert_close")
def _close(win: WordWindow, _: Any) -> str:
    """File > Close: asks about unsaved changes first."""
    if win.doc.setting("file.unsaved"):
        return _open(win, "Save Changes")
    win.doc.set_setting("file.closed", "yes")
    _leave_backstage(win)
    return "ok"


@register_effect("fileinsert_close_answer")
def _close_answer(win: WordWindow, answer: Any) -> str:
    """Save Changes: Save writes the file and closes; Don't Save closes and discards the changes."""
    _pop(win)
    if str(answer) == "save":
        win.doc.set_setting("file.unsaved", "")
        win.saved = True
    win.doc.set_setting("file.closed", "yes")
    _leave_backstage(win)
    return "ok"


@register_effect("fileinsert_encrypt")
def _encrypt(win: WordWindow, step: Any) -> str:
    """Encrypt Document OK asks for the password again; Confirm Password OK sets it (an empty
    password removes the encryption)."""
    if str(step) == "password":
        return _open(win, "Confirm Password")
    again = _field(win, "Reenter password:")
    _pop(win)
    first = _field(win, "Password:")
    _pop(win)
    if again != first:
        raise SimError("The passwords don't match")
    win.doc.set_setting("file.password", first)
    return "ok"


@register_effect("fileinsert_mark_final")
def _mark_final(win: WordWindow, _: Any) -> str:
    """Mark as Final toggles the marking; marking saves the document and then says so."""
    _pop(win)
    final = win.doc.setting("file.final") != "on"
    win.doc.set_setting("file.final", "on" if final else "")
    if final:
        win.doc.set_setting("file.unsaved", "")
        win.saved = True
        return _open(win, "Marked as Final")
    return "ok"


# ---- what controls show --------------------------------------------------------------------------
def _value(win: WordWindow, c: UiControl, place: str) -> str | None:
    if place == "menu:Page Color" and c.control_type == "ListItem":
        return "selected" if win.doc.page.get("page_color") == c.name else None
    if place == "menu:Watermark" and c.control_type == "ListItem":
        return "selected" if win.doc.page.get("watermark") == c.name else None
    if place == "menu:Cover Page" and c.control_type == "ListItem":
        return "selected" if cover_page(win.doc) == c.name else None
    if place == "backstage" and c.control_type == "Edit" and c.name in data()["properties"]:
        return win.doc.setting(PROPERTY + c.name) or None
    if place == "backstage" and c.name == "Protect Document":
        states = [
            ("file.final", "This document has been marked as final to discourage editing."),
            ("file.password", "A password is required to open this document."),
        ]
        shown = [text for key, text in states if win.doc.setting(key)]
        return " ".join(shown) or None
    return None


VALUE_READERS.append(_value)
dialogs.READERS.update(
    {
        "Symbol": read_symbol,
        "Date and Time": read_date_time,
        "Insert Hyperlink": read_hyperlink,
        "Drop Cap": read_drop_cap,
        "Printed Watermark": read_watermark,
    }
)
dialogs.APPLIERS.update(
    {
        "date_time": apply_date_time,
        "hyperlink": apply_hyperlink,
        "drop_cap": apply_drop_cap,
        "watermark": apply_watermark,
    }
)


def date_list_matches_catalog() -> bool:
    """The Date and Time dialog's list (dialogs.yaml) is the clock in Word's pictures."""
    spec = load_catalog().dialogs["Date and Time"]
    shown = [c.name for c in spec.controls(None) if c.control_type == "ListItem"]
    return shown == list(date_choices())


# ---- Table of contents -------------------------------------------------------------------------
HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3")


def toc_element(doc: Document, design: str) -> Element:
    """An automatic table lists the Heading 1-3 paragraphs; the manual one holds placeholders."""
    props = {"design": design}
    if design.startswith("Automatic"):
        props["entries"] = " | ".join(p.text for _, p in doc.paragraphs() if p.style in HEADING_STYLES)
    return Element("toc", props)


@register_effect("fileinsert_toc")
def _toc(win: WordWindow, design: Any) -> str:
    block, offset = _cursor_for_insert(win)
    place_element(win.doc, block, offset, toc_element(win.doc, str(design)))
    return "ok"
