"""Word's editing rules the window's keys and the text-editing families share, so what a key press
does in the simulator and what a request's expected document holds are computed by one function.

* smart deletion: deleting whole words takes one neighbouring space with it (Word's "smart cut and
  paste", on by default), so no doubled space or space before punctuation is left;
* joining paragraphs: deleting the mark between two paragraphs; an empty first paragraph simply
  goes, otherwise the first paragraph keeps its paragraph formatting.
"""

from __future__ import annotations

from lam.sim.document import Document, Span

PUNCTUATION = ".,;:!?"


def smart_span(doc: Document, span: Span) -> Span:
    """The span Delete removes when ``span`` is selected: one space more when the selection is whole
    words with a space beside it (the space after, else the space before ahead of punctuation or the
    paragraph's end)."""
    block, start, end = span
    text = doc.para(block).text
    if start >= end or text[start].isspace() or text[end - 1].isspace():
        return span
    if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
        return span  # part of a word: no adjustment
    after = text[end] if end < len(text) else ""
    before = text[start - 1] if start > 0 else ""
    if after == " " and (before in ("", " ")):
        return (block, start, end + 1)
    if before == " " and (after == "" or after in PUNCTUATION):
        return (block, start - 1, end)
    return span


def smart_delete(doc: Document, span: Span) -> int:
    """Delete the selected span as Word does (see :func:`smart_span`); returns where the cursor lands."""
    block, start, end = smart_span(doc, span)
    doc.delete_span((block, start, end))
    return start


def join_paragraphs(doc: Document, block: int) -> None:
    """Remove the paragraph mark between paragraph ``block`` and the next one."""
    first, second = doc.para(block), doc.para(block + 1)
    if not first.text:
        del doc.blocks[block]
        return
    first.runs.extend(second.runs)
    del doc.blocks[block + 1]
    doc.normalize()
