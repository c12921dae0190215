"""Base documents for v2 tasks: a title and a few body paragraphs built from ``documents.yaml``.

A document's split side is fixed by a hash of its id (``sha256("documents-v1:<id>")`` below 30 % of
the range: sealed side), so the sealed splits (``test``, ``heldout_test``) act on text development
never sees, and adding documents never moves one across.
"""

from __future__ import annotations

import functools
import hashlib
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import yaml

from lam.sim.document import Document, paragraph

DOCUMENTS_FILE: Final = Path(__file__).resolve().parent / "documents.yaml"
SEALED_SHARE: Final = 0.30
MAX_PARAGRAPH: Final = 190  # characters; select_text takes at most 200


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    sentences: tuple[str, ...]

    @property
    def sealed(self) -> bool:
        digest = hashlib.sha256(f"documents-v1:{self.id}".encode()).digest()
        return int.from_bytes(digest[:8], "big") < SEALED_SHARE * 2**64


@functools.cache
def load_sources(path: Path = DOCUMENTS_FILE) -> tuple[Source, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: list[Source] = []
    for entry in raw["documents"]:
        sentences = tuple(str(s) for s in entry["sentences"])
        if len(sentences) < 6:
            raise ValueError(f"{path.name} {entry['id']}: a document needs at least 6 sentences")
        out.append(Source(str(entry["id"]), str(entry["title"]), sentences))
    if len({s.id for s in out}) != len(out):
        raise ValueError(f"{path.name}: document ids must be unique")
    return tuple(out)


def sources_for(sealed: bool) -> tuple[Source, ...]:
    return tuple(s for s in load_sources() if s.sealed == sealed)


def base_document(source: Source, rng: random.Random) -> tuple[Document, str]:
    """A title paragraph and 3-4 body paragraphs of 1-3 consecutive sentences; and its file name."""
    sentences = list(source.sentences)
    start = rng.randrange(len(sentences))
    sentences = sentences[start:] + sentences[:start]
    body: list[str] = []
    n_pars = rng.choice((3, 3, 4))
    pos = 0
    for _ in range(n_pars):
        take = rng.choice((1, 2, 2, 3))
        chunk = sentences[pos : pos + take]
        while len(chunk) > 1 and len(" ".join(chunk)) > MAX_PARAGRAPH:
            chunk.pop()  # a paragraph stays short enough to be selected by its text (select_text)
        if not chunk:
            break
        body.append(" ".join(chunk))
        pos += len(chunk)
    doc = Document([paragraph(source.title), *(paragraph(t) for t in body)])
    return doc, f"{source.id}.docx"
