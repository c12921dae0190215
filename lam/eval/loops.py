"""No-op loops in online runs: the model sends the same action again and again and nothing changes.

A run that ends at the step limit may have been working or may have been stuck; a repeat loop says
which. A loop is ``REPEATS`` consecutive steps with the same action (function, args and control
name, i.e. ``control_text``) none of which changed the document.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

REPEATS = 3


def action_key(action: Mapping[str, Any] | None) -> str | None:
    """What makes two actions "the same"; None for a step that took no action (it cannot loop)."""
    if not action or not action.get("function"):
        return None
    parts = [action.get("function"), action.get("args") or {}, action.get("control_text") or ""]
    return json.dumps(parts, sort_keys=True, default=str)


def has_repeat_loop(trace: Sequence[Mapping[str, Any]], repeats: int = REPEATS) -> bool:
    """Whether ``trace`` (entries with ``action`` and ``doc_changed``) has ``repeats`` same no-op steps in a row."""
    run, last = 0, None
    for entry in trace:
        key = action_key(entry.get("action"))
        if key is None or entry.get("doc_changed", True):
            run, last = 0, None
            continue
        run = run + 1 if key == last else 1
        last = key
        if run >= repeats:
            return True
    return False
