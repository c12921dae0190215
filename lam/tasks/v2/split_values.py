"""The pool values the split being drawn may use, for a family's ``setup`` and ``draw`` hooks.

A hook that replaces a drawn value (a colour the menu lacks, a file name that must already exist)
or puts values into the document must take them from the split's side of the pool, or a sealed
value would reach train and a dev value the sealed sets. ``draw.prepare_document`` and
``draw.draw_op`` say which split is being drawn; outside them (tests) the whole pool is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from lam.tasks.catalog import load_catalog
from lam.tasks.catalog.protocol import Split, build_protocol

_SPLIT: ContextVar[Split | None] = ContextVar("v2_split", default=None)


@contextmanager
def drawing_for(split: Split | None) -> Iterator[None]:
    token = _SPLIT.set(split)
    try:
        yield
    finally:
        _SPLIT.reset(token)


def split_values(pool: str) -> list[Any]:
    """The items of ``pool`` the split being drawn may use (the whole pool outside a draw)."""
    split = _SPLIT.get()
    items = build_protocol().values(pool, split) if split is not None else load_catalog().pools[pool].items
    return list(items)
