"""Word's Find and Replace on the document model: what the dialog's fields ask for and how a match
is replaced, shared by the window (Find Next, Replace, Replace All) and the task families.

Word's rules kept here: without Match case the search ignores case and the replacement takes the
found text's capitals (all capitals, or a capital first letter); Find whole words only skips
matches inside longer words; ``^`` codes stand for special marks (``^t`` tab, ``^l`` manual line
break, ``^p`` paragraph mark, ``^m`` manual page break, ``^+`` em dash...); a format set through
Format > Font is required of the found text (Find what) or given to the replacement (Replace with);
an empty Replace with that carries a format keeps the found text and only formats it.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from lam.sim.document import Document, PageBreak, Paragraph, Span
from lam.sim.editing import SimError

PARA = "\r"  # a paragraph mark inside a decoded search (no paragraph's text holds one)
BREAK = "\f"  # a manual page break (a PageBreak block)
LINE_BREAK = "\v"  # a manual line break (Shift+Enter) inside a paragraph's text, as Word stores it
CODES = {
    "^p": PARA,
    "^m": BREAK,
    "^t": "\t",
    "^l": LINE_BREAK,
    "^+": "\u2014",
    "^=": "\u2013",
    "^s": "\u00a0",
    "^~": "\u2011",
    "^-": "\u00ad",
    "^^": "^",
}
# Dialog fields (hidden: no control shows them) holding a format set through Format > Font
FORMAT_KEYS = {"Find what:": "(find format)", "Replace with:": "(replace format)"}


@dataclass(frozen=True)
class Search:
    find: str  # decoded (^ codes turned into characters)
    replace: str = ""
    match_case: bool = False
    whole_words: bool = False
    find_format: dict[str, Any] = field(default_factory=dict)
    replace_format: dict[str, Any] = field(default_factory=dict)


def decode(text: str) -> str:
    """The characters a Find what / Replace with entry stands for (``^t`` a tab...)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "^":
            code = text[i : i + 2]
            if code not in CODES:
                raise SimError(f"{code!r} is not a special character Word can search for here")
            out.append(CODES[code])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def encode_format(changes: dict[str, Any]) -> str:
    return json.dumps(changes, sort_keys=True) if changes else ""


def search_from_fields(fields: dict[str, str]) -> Search:
    """The search the Find and Replace dialog's fields describe."""

    def fmt(box: str) -> dict[str, Any]:
        raw = fields.get(FORMAT_KEYS[box], "")
        return dict(json.loads(raw)) if raw else {}

    return Search(
        decode(fields.get("Find what:", "")),
        decode(fields.get("Replace with:", "")),
        match_case=fields.get("Match case") == "on",
        whole_words=fields.get("Find whole words only") == "on",
        find_format=fmt("Find what:"),
        replace_format=fmt("Replace with:"),
    )


def _pattern(search: Search) -> re.Pattern[str]:
    body = re.escape(search.find)
    if search.whole_words:
        body = rf"(?<![^\W_]){body}(?![^\W_])"
    return re.compile(body, 0 if search.match_case else re.IGNORECASE)


def matches(doc: Document, search: Search) -> list[Span]:
    """Every match inside a paragraph, in document order (marks that span paragraphs aside)."""
    if not search.find or PARA in search.find or BREAK in search.find:
        return []
    pattern = _pattern(search)
    out: list[Span] = []
    for i, par in doc.paragraphs():
        for m in pattern.finditer(par.text):
            span = (i, m.start(), m.end())
            if all(all(getattr(f, k) == v for k, v in search.find_format.items()) for f in doc.char_formats(span)):
                out.append(span)
    return out


def adapt_case(found: str, repl: str) -> str:
    """Word without Match case: a found word in capitals gets the replacement in capitals, a
    found word with a capital first letter gets the replacement's first letter capitalised."""
    letters = [c for c in found if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return repl.upper()
    if letters and found.lstrip()[:1].isupper():
        return repl[:1].upper() + repl[1:]
    return repl


def replace_span(doc: Document, span: Span, search: Search) -> int | None:
    """Replace one match; the offset after the replacement in its paragraph (None when the
    replacement holds paragraph marks and split the paragraph)."""
    block, start, end = span
    found = doc.para(block).text[start:end]
    fmt = replace(doc.char_formats(span)[0], **search.replace_format)
    if not search.replace and search.replace_format:
        doc.format_span(span, **search.replace_format)  # empty Replace with + a format: format only
        return end
    new = search.replace if search.match_case else adapt_case(found, search.replace)
    doc.delete_span(span)
    if new:
        doc.insert_text(block, start, new)
        doc.format_span((block, start, start + len(new)), **asdict(fmt))
    if PARA not in new:
        return start + len(new)
    for cut in reversed([start + k for k, ch in enumerate(new) if ch == PARA]):
        doc.delete_span((block, cut, cut + 1))
        doc.split_paragraph(block, cut)
    return None


def _drop_empty_paragraphs(doc: Document) -> int:
    """^p^p -> ^p: each empty paragraph that follows a paragraph goes (matches do not overlap)."""
    count, i = 0, 0
    while i + 1 < len(doc.blocks):
        here, nxt = doc.blocks[i], doc.blocks[i + 1]
        if isinstance(here, Paragraph) and isinstance(nxt, Paragraph) and not nxt.text:
            del doc.blocks[i + 1]
            count += 1
        i += 1
    return count


def replace_all(doc: Document, search: Search) -> int:
    """Replace All; the number of replacements."""
    if not search.find:
        raise SimError("type the text to find in the Find what box")
    if search.find == BREAK and not search.replace:
        before = len(doc.blocks)
        doc.blocks[:] = [b for b in doc.blocks if not isinstance(b, PageBreak)]
        return before - len(doc.blocks)
    if search.find == PARA * 2 and search.replace == PARA:
        return _drop_empty_paragraphs(doc)
    if PARA in search.find or BREAK in search.find:
        raise SimError("this search across paragraph marks or page breaks is not modelled")
    found = matches(doc, search)
    for span in reversed(found):  # from the end, so earlier offsets stay valid
        replace_span(doc, span, search)
    doc.normalize()
    return len(found)


def font_format(fields: dict[str, str]) -> dict[str, Any]:
    """The format a Find/Replace Font dialog's fields set (a box left empty, a check box left
    grey: not part of the format)."""
    out: dict[str, Any] = {}
    style = fields.get("Font style:", "").strip().lower()
    if style:
        if style not in ("regular", "bold", "italic", "bold italic"):
            raise SimError(f"not a font style: {fields['Font style:']!r}")
        out["bold"], out["italic"] = "bold" in style, "italic" in style
    if fields.get("Font:", "").strip():
        out["font"] = fields["Font:"].strip()
    if fields.get("Size:", "").strip():
        size = fields["Size:"].strip()
        try:
            out["size"] = round(float(size) * 2) / 2
        except ValueError as exc:
            raise SimError("the number must be between 1 and 1638") from exc
    if fields.get("Font color:", "").strip():
        out["color"] = fields["Font color:"].strip()
    underline = fields.get("Underline style:", "").strip()
    if underline:
        out["underline"] = underline != "(none)"
        out["underline_style"] = "" if underline in ("(none)", "Single") else underline
    boxes = {
        "Strikethrough": "strike",
        "Double strikethrough": "double_strike",
        "Small caps": "small_caps",
        "All caps": "all_caps",
        "Hidden": "hidden",
    }
    for box, attr in boxes.items():
        if fields.get(box) in ("on", "off"):
            out[attr] = fields[box] == "on"
    for box, kind in (("Superscript", "super"), ("Subscript", "sub")):
        if fields.get(box) == "on":
            out["vertical"] = kind
    return out
