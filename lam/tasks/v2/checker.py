"""Did the final document do what the op asked? Compared on the whole canonical state.

The expected document is the initial one with the op applied through the document model (unless
the initial document already satisfies it); the final one must equal it exactly, so an edit
anywhere else, a missing edit or a wrong value fails.
"""

from __future__ import annotations

from lam.sim.document import Document
from lam.tasks.v2.ops import Op
from lam.tasks.v2.registry import OPS


def expected_document(initial: Document, op: Op) -> Document:
    doc = initial.copy()
    kind = OPS[op["family"]]
    if not kind.satisfied(doc, op):
        kind.apply(doc, op)
    return doc


def check(initial: Document, op: Op, final: Document) -> bool:
    return expected_document(initial, op).state() == final.state()
