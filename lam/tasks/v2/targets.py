"""Targets: a concrete span of a document for a family's target kind, and how a request names it.

Every target but ``document`` is text that occurs exactly once in the document (case-insensitive,
as Word's find), so ``select_text`` selects exactly it. A target is a plain JSON dict stored in the
op: ``{"kind": "word", "text": "budget", "ref": 'the word "budget"'}``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

from lam.sim.document import Document, Span

TEXT_KINDS = ("word_part", "word", "phrase", "sentence", "paragraph", "paragraphs", "document")
# Targets that name no text: the op acts on the window, the file, the page, the header or footer
# (``text`` is None; families that need more put it in the op through their ``draw``).
WHOLE_KINDS = {
    "view": "the window",
    "file": "the document file",
    "page": "the page",
    "header": "the header",
    "footer": "the footer",
}
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_WORD = re.compile(r"[A-Za-z]+")
# A sentence ends at . ! or ? before a space (or the paragraph's end), not inside a number ("1.5")
# nor after an abbreviation ("10 a.m. to", "St. Mary's"): render 3 (it cut at every full stop:
# 'the sentence "m."', 'the sentence "Pour in the lentils along with 1."').
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_ABBREVIATION_END = re.compile(r"(?:^|[\s(])(?:mr|mrs|ms|dr|st|no|vs|etc|e\.g|i\.e|a\.m|p\.m|u\.s)\.$")


def sentences_of(text: str) -> list[str]:
    """The paragraph's sentences, in order."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(text.strip()):
        if out and _ABBREVIATION_END.search(out[-1].casefold()):  # a whole word: "first." ends a sentence
            out[-1] += " " + piece
        else:
            out.append(piece)
    return [s for s in out if s]


class NoTarget(ValueError):
    """The document has no span of the asked kind that a request could point at unambiguously."""


def _unique(doc: Document, text: str) -> bool:
    return bool(text) and doc.count(text) == 1


def _words(doc: Document) -> list[str]:
    return [m.group() for _, p in doc.paragraphs() for m in _WORD.finditer(p.text)]


def _candidates(doc: Document, kind: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if kind == "word":
        for w in _words(doc):
            if len(w) >= 4 and _unique(doc, w):
                out.append({"text": w, "ref": f'the word "{w}"'})
    elif kind == "word_part":
        for w in _words(doc):
            if len(w) < 6 or not _unique(doc, w):
                continue
            for part, where in ((w[-3:], "end"), (w[:3], "start")):
                if _unique(doc, part):
                    out.append({"text": part, "ref": f'the letters "{part}" at the {where} of "{w}"', "word": w})
    elif kind == "phrase":
        for _, par in doc.paragraphs():
            ws = _WORD.findall(par.text)
            for n in (2, 3):
                for i in range(len(ws) - n + 1):
                    text = " ".join(ws[i : i + n])
                    if text in par.text and _unique(doc, text):
                        out.append({"text": text, "ref": f'the phrase "{text}"'})
    elif kind == "sentence":
        for _, par in doc.paragraphs():
            sentences = sentences_of(par.text)
            if len(sentences) < 2:
                continue  # a one-sentence paragraph is the paragraph target, not a sentence
            for s in sentences:
                if _unique(doc, s):
                    out.append({"text": s, "ref": f'the sentence "{s}"'})
    elif kind == "paragraph":
        for n, (_, par) in enumerate(doc.paragraphs()):
            if n < len(ORDINALS) and _unique(doc, par.text):
                out.append({"text": par.text, "ref": f"the {ORDINALS[n]} paragraph"})
    elif kind == "paragraphs":
        pars = doc.paragraphs()
        for n in range(len(pars) - 1):
            for count in (2, 3):
                run = pars[n : n + count]
                consecutive = all(b == run[0][0] + k for k, (b, _) in enumerate(run))
                if len(run) == count and consecutive and n + count <= len(ORDINALS) and _unique(doc, run[0][1].text):
                    ref = (
                        f"the {ORDINALS[n]} and {ORDINALS[n + 1]} paragraphs"
                        if count == 2
                        else f"the {ORDINALS[n]} to {ORDINALS[n + count - 1]} paragraphs"
                    )
                    out.append({"text": run[0][1].text, "count": count, "ref": ref})
    elif kind == "document":
        out.append({"text": None, "ref": "the whole document"})
    elif kind in WHOLE_KINDS:
        out.append({"text": None, "ref": WHOLE_KINDS[kind]})
    else:
        raise ValueError(f"unknown target kind {kind!r}")
    seen: set[str] = set()
    unique: list[dict[str, Any]] = []
    for c in out:
        key = str(c["text"])
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return unique


# Target kinds beyond text (table, table_cell, header, footer, page, section, view, file,
# paragraphs...): a family module registers a drawer returning the target dict (with ``ref``).
TargetDrawer = Callable[[Document, random.Random], dict[str, Any]]
TARGET_DRAWERS: dict[str, TargetDrawer] = {}


def register_target(kind: str) -> Callable[[TargetDrawer], TargetDrawer]:
    def add(fn: TargetDrawer) -> TargetDrawer:
        if kind in TARGET_DRAWERS or kind in TEXT_KINDS:
            raise ValueError(f"target kind {kind!r} is defined twice")
        TARGET_DRAWERS[kind] = fn
        return fn

    return add


def draw_target(doc: Document, kind: str, rng: random.Random) -> dict[str, Any]:
    """A target of ``kind`` in ``doc``, chosen by ``rng`` (same document and seed, same target)."""
    if kind in TARGET_DRAWERS:
        return {"kind": kind, **TARGET_DRAWERS[kind](doc, rng)}
    found = _candidates(doc, kind)
    if not found:
        raise NoTarget(f"the document has no {kind} target")
    return {"kind": kind, **rng.choice(found)}


def spans(doc: Document, target: dict[str, Any]) -> list[Span]:
    """The spans the target covers in ``doc`` (every paragraph's text for ``document``)."""
    if target["kind"] == "document":
        return [(i, 0, len(p.text)) for i, p in doc.paragraphs()]
    if target["kind"] in WHOLE_KINDS:
        return []
    span = doc.find(str(target["text"]))
    if span is not None and target["kind"] == "paragraphs":
        first = span[0]
        blocks = list(range(first, first + int(target["count"])))
        return [(b, 0, len(doc.para(b).text)) for b in blocks]
    if span is None:
        raise ValueError(f"{target['text']!r} is not in the document")
    return [span]
