"""Targets: a concrete span of a document for a family's target kind, and how a request names it.

Every target but ``document`` is text that occurs exactly once in the document (case-insensitive,
as Word's find), so ``select_text`` selects exactly it. A target is a plain JSON dict stored in the
op: ``{"kind": "word", "text": "budget", "ref": 'the word "budget"'}``.
"""

from __future__ import annotations

import random
import re
from typing import Any

from lam.sim.document import Document, Span

TEXT_KINDS = ("word_part", "word", "phrase", "sentence", "paragraph", "document")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_WORD = re.compile(r"[A-Za-z]+")
_SENTENCE = re.compile(r"[^.!?]+[.!?]")


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
            sentences = [m.group().strip() for m in _SENTENCE.finditer(par.text)]
            if len(sentences) < 2:
                continue  # a one-sentence paragraph is the paragraph target, not a sentence
            for s in sentences:
                if _unique(doc, s):
                    out.append({"text": s, "ref": f'the sentence "{s}"'})
    elif kind == "paragraph":
        for n, (_, par) in enumerate(doc.paragraphs()):
            if n < len(ORDINALS) and _unique(doc, par.text):
                out.append({"text": par.text, "ref": f"the {ORDINALS[n]} paragraph"})
    elif kind == "document":
        out.append({"text": None, "ref": "the whole document"})
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


def draw_target(doc: Document, kind: str, rng: random.Random) -> dict[str, Any]:
    """A target of ``kind`` in ``doc``, chosen by ``rng`` (same document and seed, same target)."""
    found = _candidates(doc, kind)
    if not found:
        raise NoTarget(f"the document has no {kind} target")
    return {"kind": kind, **rng.choice(found)}


def spans(doc: Document, target: dict[str, Any]) -> list[Span]:
    """The spans the target covers in ``doc`` (every paragraph's text for ``document``)."""
    if target["kind"] == "document":
        return [(i, 0, len(p.text)) for i, p in doc.paragraphs()]
    span = doc.find(str(target["text"]))
    if span is None:
        raise ValueError(f"{target['text']!r} is not in the document")
    return [span]
