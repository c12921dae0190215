"""Task families: how to draw a document and the ops of one task, given a random source and a split.

A family only chooses *parameters* (which phrase, which colour, which table); what the ops mean
and how the expert performs them lives in ``lam.tasks.ops``, and how they are asked for in
``lam.tasks.phrasings``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lam.sim.document import Document, Paragraph, Table, paragraph
from lam.tasks.corpus import TEST_TOPICS, TRAIN_TEXT, TRAIN_TOPICS, Topic
from lam.tasks.ops import OPS
from lam.tasks.pools import pick


class Resample(Exception):
    """The drawn document cannot host this task (e.g. no unique phrase): draw again."""


@dataclass
class Ctx:
    """What a family builder draws from: the random source, the split and the document so far."""

    rng: random.Random
    split: str
    doc: Document
    used: set[str]
    phrased_as: str = ""  # the family whose wording the request uses (already_done borrows one)

    def pick(self, kind: str) -> Any:
        return pick(self.rng, kind, self.split)

    def fresh(self, text: str) -> bool:
        return (
            any(len(w.strip(".,;:")) >= 5 for w in text.split())
            and self.doc.count(text) == 1
            and text.casefold() not in self.used
            and (self.split != "test" or text.casefold() not in TRAIN_TEXT)
        )

    def phrase(self) -> str:
        """2-4 consecutive words of a body paragraph, unique in the document."""
        body = [p for _, p in self.doc.paragraphs()[1:] if p.text]
        for _ in range(40):
            words = self.rng.choice(body).text.split()
            n = self.rng.randint(2, min(4, len(words)))
            start = self.rng.randint(0, len(words) - n)
            text = " ".join(words[start : start + n]).strip(".,;:")
            if self.fresh(text):
                self.used.add(text.casefold())
                return text
        raise Resample("no unique phrase")

    def lead(self, include_title: bool = False) -> str:
        """The opening words of a paragraph, the way people point at a paragraph."""
        pars = [p for _, p in self.doc.paragraphs() if p.text]
        pars = pars if include_title else pars[1:]
        for _ in range(20):
            par = self.rng.choice(pars)
            words = par.text.split()
            text = par.text if par.style == "Title" and include_title else " ".join(words[:4]).strip(".,;:")
            if self.fresh(text):
                self.used.add(text.casefold())
                return text
        raise Resample("no unique paragraph opening")

    def table_number(self) -> int:
        return self.rng.randint(1, len(self.doc.tables()))


def make_document(rng: random.Random, split: str, tables: int = 0) -> tuple[Document, str]:
    topic: Topic = rng.choice(TEST_TOPICS if split == "test" else TRAIN_TOPICS)
    sentences = rng.sample(topic.sentences, k=rng.randint(4, 7))
    title = paragraph(topic.title, style="Title", size=rng.choice([16.0, 20.0, 26.0]))
    body: list[Paragraph] = []
    while sentences:
        take = min(len(sentences), rng.randint(1, 2))
        body.append(paragraph(" ".join(sentences[:take])))
        sentences = sentences[take:]
    blocks: list[Paragraph | Table] = [title, *body]
    for _ in range(max(tables, rng.choice([0, 0, 0, 1]))):
        at = rng.randint(2, len(blocks))
        blocks.insert(at, Table(rng.randint(2, 4), rng.randint(2, 4)))
    if rng.random() < 0.3:  # some pre-existing formatting, as real documents have
        body[rng.randrange(len(body))].runs[0].fmt = paragraph("x", italic=True).runs[0].fmt
    doc = Document(blocks=list(blocks))
    doc.normalize()
    return doc, topic.file


Builder = Callable[[Ctx], list[dict[str, Any]]]


@dataclass(frozen=True)
class Family:
    name: str
    build: Builder
    tables: int = 0  # tables the document needs
    preapplied: bool = False  # the document already satisfies the request: FINISH at once


def _char(attr: str) -> Builder:
    return lambda c: [{"op": "char_format", "attr": attr, "phrase": c.phrase()}]


def _orientation(c: Ctx) -> list[dict[str, Any]]:
    value = c.pick("orientation")
    c.doc.page["orientation"] = "Portrait" if value == "Landscape" else "Landscape"
    return [{"op": "orientation", "value": value}]


def _table(after: bool) -> Builder:
    def build(c: Ctx) -> list[dict[str, Any]]:
        op = {"op": "insert_table", "rows": c.pick("rows"), "columns": c.pick("columns")}
        if after:
            op["after"] = c.lead()
        return [op]

    return build


def _replace(c: Ctx) -> list[dict[str, Any]]:
    words = [w.strip(".,;:") for _, p in c.doc.paragraphs()[1:] for w in p.text.split()]
    candidates = sorted({w for w in words if len(w) >= 5 and w.isalpha() and c.fresh(w)})
    if not candidates:
        raise Resample("no word to replace")
    replacement = c.pick("replacement")
    if c.doc.count(replacement):
        raise Resample("replacement already in the document")
    return [{"op": "replace_all", "find": c.rng.choice(candidates), "replace": replacement}]


FAMILIES: list[Family] = [
    Family("bold", _char("bold")),
    Family("italic", _char("italic")),
    Family("underline", _char("underline")),
    Family("strikethrough", _char("strike")),
    Family("shortcut_format", lambda c: [{"op": "shortcut_format", "attr": c.pick("attr"), "phrase": c.phrase()}]),
    Family("highlight", lambda c: [{"op": "highlight", "phrase": c.phrase(), "color": c.pick("highlight")}]),
    Family("font_color", lambda c: [{"op": "font_color", "phrase": c.phrase(), "color": c.pick("color")}]),
    Family("font", lambda c: [{"op": "font", "phrase": c.phrase(), "font": c.pick("font")}]),
    Family("font_size", lambda c: [{"op": "font_size", "phrase": c.phrase(), "size": c.pick("size")}]),
    Family("align", lambda c: [{"op": "align", "lead": c.lead(include_title=True), "align": c.pick("align")}]),
    Family("bullets", lambda c: [{"op": "list", "lead": c.lead(), "kind": "bullet"}]),
    Family("numbering", lambda c: [{"op": "list", "lead": c.lead(), "kind": "number"}]),
    Family("heading_style", lambda c: [{"op": "style", "lead": c.lead(), "style": c.pick("style")}]),
    Family(
        "paragraph_spacing",
        lambda c: [{"op": "spacing", "lead": c.lead(), "where": c.pick("where"), "points": c.pick("spacing")}],
    ),
    Family("insert_table_end", _table(after=False)),
    Family("insert_table_after", _table(after=True)),
    Family(
        "table_style",
        lambda c: [{"op": "table_style", "number": c.table_number(), "style": c.pick("table_style")}],
        tables=1,
    ),
    Family("page_border", lambda c: [{"op": "page_border", "value": c.pick("border")}]),
    Family("page_color", lambda c: [{"op": "page_color", "value": c.pick("color")}]),
    Family("watermark", lambda c: [{"op": "watermark", "value": c.pick("watermark")}]),
    Family("orientation", _orientation),
    Family("margins", lambda c: [{"op": "margins", "value": c.pick("margins")}]),
    Family("columns", lambda c: [{"op": "columns", "value": c.pick("page_columns")}]),
    Family("delete_text", lambda c: [{"op": "delete_text", "phrase": c.phrase()}]),
    Family("delete_table", lambda c: [{"op": "delete_table", "number": c.table_number()}], tables=1),
    Family("replace_all", _replace),
    Family(
        "bold_italic",
        lambda c: [
            {"op": "char_format", "attr": "bold", "phrase": (p := c.phrase())},
            {"op": "char_format", "attr": "italic", "phrase": p},
        ],
    ),
    Family(
        "font_and_size",
        lambda c: [
            {"op": "font", "phrase": (p := c.phrase()), "font": c.pick("font")},
            {"op": "font_size", "phrase": p, "size": c.pick("size")},
        ],
    ),
    Family(
        "emphasis_triple",
        lambda c: [
            {"op": "char_format", "attr": "bold", "phrase": (p := c.phrase())},
            {"op": "char_format", "attr": "underline", "phrase": p},
            {"op": "highlight", "phrase": p, "color": c.pick("highlight")},
        ],
    ),
    Family(
        "format_and_align",
        lambda c: [
            {"op": "char_format", "attr": c.pick("attr"), "phrase": c.phrase()},
            {"op": "align", "lead": c.lead(), "align": c.pick("align")},
        ],
    ),
    Family(
        "page_setup",
        lambda c: [
            {"op": "margins", "value": c.pick("margins")},
            {"op": "page_border", "value": c.pick("border")},
            {"op": "page_color", "value": c.pick("color")},
        ],
    ),
]

IDEMPOTENT_FAMILIES = {
    "bold", "italic", "underline", "highlight", "font", "font_size", "align", "bullets", "heading_style",
    "page_border", "watermark", "margins", "table_style", "bold_italic", "page_setup",
}  # fmt: skip


def _already(c: Ctx) -> list[dict[str, Any]]:
    family = FAMILY_BY_NAME[c.rng.choice(sorted(IDEMPOTENT_FAMILIES))]
    if family.tables > len(c.doc.tables()):
        raise Resample("needs a table")
    c.phrased_as = family.name
    ops = family.build(c)
    assert all(OPS[op["op"]].idempotent for op in ops)
    return ops


FAMILIES.append(Family("already_done", _already, tables=0, preapplied=True))
FAMILY_BY_NAME: dict[str, Family] = {f.name: f for f in FAMILIES}
