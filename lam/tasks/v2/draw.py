"""Draw a concrete op of a catalog family on a document: its target and its parameters."""

from __future__ import annotations

import random
from collections.abc import Mapping
from functools import cache
from typing import Any

from lam.sim.document import Document, paragraph
from lam.sim.word2 import WordWindow
from lam.tasks.catalog import load_catalog
from lam.tasks.catalog.protocol import Split, build_protocol
from lam.tasks.v2.ops import Op
from lam.tasks.v2.registry import OPS
from lam.tasks.v2.split_values import drawing_for
from lam.tasks.v2.targets import draw_target


@cache
def font_color_menu() -> frozenset[str]:
    """The colour cells of the Font Color menu (the theme pool names some the menu does not show)."""
    win = WordWindow(Document([paragraph("x")]))
    win.execute("click_input", {}, win.label_of("SplitButton", "Font Color"))
    return frozenset(c["name"] for c in win.observation()["controls"] if c["control_type"] == "ListItem")


def pool_values(family: str, param: str, split: Split | None = None) -> list[Any]:
    """The values ``param`` may take: the pool's items, or only those ``split`` may use (protocol)."""
    fam = load_catalog().families[family]
    pool = fam.params[param]
    items = list(build_protocol().values(pool, split) if split is not None else load_catalog().pools[pool].items)
    if family in ("font_color_theme", "paragraph_shading") and param == "color":
        items = [c for c in items if c in font_color_menu()]
    return items


def prepare_document(family: str, doc: Document, rng: random.Random, split: Split | None = None) -> Document:
    """A copy of ``doc`` with what the family needs to act on (its ``setup``, with ``split``'s values),
    the input of draw_op."""
    out = doc.copy()
    setup = OPS[family].setup
    if setup is not None:
        with drawing_for(split):
            setup(out, rng)
    return out


def draw_op(
    family: str, doc: Document, rng: random.Random, target_kind: str | None = None, split: Split | None = None
) -> Op:
    """An op of ``family`` on ``doc``: the target kind (one the family allows) and parameters by ``rng``
    (from the values ``split`` may use, when given); the family's ``draw`` finishes it."""
    if family not in OPS:
        raise ValueError(f"family {family!r} has no v2 op")
    fam = load_catalog().families[family]
    kind = target_kind if target_kind is not None else rng.choice(list(fam.targets))
    if kind not in fam.targets:
        raise ValueError(f"{family} does not act on a {kind}")
    op: Op = {"family": family, "target": draw_target(doc, kind, rng)}
    for param in sorted(fam.params):
        if param != "scope":
            value = rng.choice(pool_values(family, param, split))
            op[param] = dict(value) if isinstance(value, Mapping) else value  # JSON-ready in task files
    finish = OPS[family].draw
    if finish is None:
        return op
    with drawing_for(split):
        return finish(doc, rng, op)
