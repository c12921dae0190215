"""Client text as the model sees it: one line, no control characters, no special-token opener, bounded.

Shared by the prompt (``service.prompt``), which shows each control's name, and by the output format
that refers to controls by that same name (``compact-v2`` in ``service.formats.compact``): the name
the model reads and the name it writes must be the same string. Control values (``service.values``)
go through the same ``squash`` and, being new, through a stricter rule on special tokens too.
"""

from __future__ import annotations

import re
from functools import lru_cache

MAX_NAME_CHARS = 80
MAX_TYPE_CHARS = 32
_SQUASH = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_NOT_LETTERS = re.compile(r"[^A-Za-z]+")
# "<|" opens the chat template's special tokens (<|im_start|>): client text must never form one.
_SPECIAL_OPEN = "<|"
# The bases' other added tokens, which their tokenizers match inside any text too: SmolLM2's
# (StarCoder's) and Qwen2.5's <tool_call>/</tool_call>. Values break them as well; names keep the "<|"
# rule alone, since their rendering must not change.
_OTHER_SPECIAL = re.compile(
    r"<(?=(?:repo_?name|file_sep|filename|gh_stars|issue_(?:start|comment|closed)"
    r"|jupyter_(?:start|text|code|output|script)|empty_output|/?tool_call)>)"
)


def squash(text: str, limit: int) -> str:
    """One line, control characters removed, no special-token opener, at most ``limit`` characters."""
    if len(text) <= limit and text.isprintable() and _SPECIAL_OPEN not in text:  # common case, ~10x faster
        return text.strip()
    flat = _SQUASH.sub(" ", text).replace(_SPECIAL_OPEN, "< |").strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@lru_cache(maxsize=4096)
def display_name(name: str) -> str:
    """A control's name as the prompt lists it (and as ``compact-v2`` writes it); cached: the prompt
    and the compact-v2 references both ask for every control's name, and agents resend screens."""
    return squash(name, MAX_NAME_CHARS)


def value_text(text: str, limit: int) -> str:
    """A value (or one paragraph of it) as the prompt shows it: ``squash``, and no special token at all."""
    flat = squash(text, limit)
    return _OTHER_SPECIAL.sub("< ", flat) if "<" in flat else flat


@lru_cache(maxsize=1024)
def type_letters(raw: str) -> str:
    """A control type's letters (UI Automation types are words), "" where it has none; cached: the
    prompt and the action space's ``control_types`` read every control's type, and agents resend screens."""
    return _NOT_LETTERS.sub("", raw)[:MAX_TYPE_CHARS]


def control_type(raw: str) -> str:
    """A type as the prompt lists it: letters only, so it cannot pass for a control line."""
    return type_letters(raw) or "Control"
