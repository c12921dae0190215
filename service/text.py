"""Client text as the model sees it: one line, no control characters, no special-token opener, bounded.

Shared by the prompt (``service.prompt``), which shows each control's name, and by the output format
that refers to controls by that same name (``compact-v2`` in ``service.formats.compact``): the name
the model reads and the name it writes must be the same string.
"""

from __future__ import annotations

import re

MAX_NAME_CHARS = 80
_SQUASH = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# "<|" opens the chat template's special tokens (<|im_start|>): client text must never form one.
_SPECIAL_OPEN = "<|"


def squash(text: str, limit: int) -> str:
    """One line, control characters removed, no special-token opener, at most ``limit`` characters."""
    if len(text) <= limit and text.isprintable() and _SPECIAL_OPEN not in text:  # common case, ~10x faster
        return text.strip()
    flat = _SQUASH.sub(" ", text).replace(_SPECIAL_OPEN, "< |").strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def display_name(name: str) -> str:
    """A control's name as the prompt lists it (and as ``compact-v2`` writes it)."""
    return squash(name, MAX_NAME_CHARS)
