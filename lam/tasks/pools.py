"""Parameter values of the tasks, split so the test set asks for values never seen in training.

``val`` draws from the training pools (an in-distribution check); ``test`` from the test pools.
Colours are disjoint across kinds too (no test highlight colour is a training font colour).
A few parameters have too few values in Word to split (alignment, list kind, orientation,
table number); they are listed in ``SHARED`` and are the same in every split.
"""

from __future__ import annotations

import random
from typing import Any

POOLS: dict[str, dict[str, tuple[Any, ...]]] = {
    "font": {
        "train": ("Arial", "Calibri Light", "Times New Roman", "Georgia", "Verdana", "Cambria", "Segoe UI"),
        "test": ("Garamond", "Tahoma", "Courier New", "Trebuchet MS", "Century Gothic"),
    },
    "size": {
        "train": (8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 24.0, 28.0),
        "test": (9.0, 20.0, 22.0, 26.0, 36.0, 48.0),
    },
    "highlight": {
        "train": ("Yellow", "Bright Green", "Turquoise", "Pink", "Blue", "Red", "Dark Blue", "Teal"),
        "test": ("Violet", "Dark Red", "Dark Yellow", "Gray-25%"),
    },
    "color": {
        "train": ("Red", "Blue", "Green", "Orange", "Purple", "Dark Blue"),
        "test": ("Dark Red", "Light Green", "Light Blue"),
    },
    "table_style": {
        "train": ("Plain Table 1", "Plain Table 2", "Grid Table 1 Light", "Grid Table 4", "List Table 2"),
        "test": ("Plain Table 3", "Grid Table 5 Dark", "List Table 4", "List Table 6 Colorful"),
    },
    "rows": {"train": (2, 3, 4, 5), "test": (6, 7, 8, 9)},
    "columns": {"train": (2, 3, 4, 5), "test": (2, 3, 6, 7)},
    "watermark": {"train": ("Confidential", "Draft", "Sample"), "test": ("Do Not Copy", "Urgent", "ASAP")},
    "margins": {"train": ("Narrow", "Moderate"), "test": ("Wide", "Mirrored")},
    "page_columns": {"train": ("Two", "Three"), "test": ("Left", "Right")},
    "border": {"train": ("Box", "Shadow"), "test": ("3-D",)},
    "style": {"train": ("Heading 1", "Heading 2", "Title"), "test": ("Subtitle", "Quote")},
    "spacing": {"train": (6.0, 12.0, 18.0, 24.0), "test": (8.0, 10.0, 30.0)},
    "replacement": {
        "train": ("update", "overview", "schedule", "estimate", "proposal", "summary", "timeline"),
        "test": ("bulletin", "memo", "forecast", "itinerary", "roster"),
    },
}

SHARED: dict[str, tuple[Any, ...]] = {
    "align": ("center", "right", "justify"),
    "list": ("bullet", "number"),
    "orientation": ("Landscape", "Portrait"),
    "attr": ("bold", "italic", "underline"),
    "where": ("after", "before"),
}


def pool_split(split: str) -> str:
    return "test" if split == "test" else "train"


def pick(rng: random.Random, kind: str, split: str) -> Any:
    if kind in SHARED:
        return rng.choice(SHARED[kind])
    return rng.choice(POOLS[kind][pool_split(split)])
