"""Fill a request template: ``{target}`` with the target's reference, every other placeholder with its
value as a user writes it (``value_texts.yaml`` for mapping values; numbers without a needless ".0")."""

from __future__ import annotations

import functools
import random
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import yaml

from lam.tasks.catalog.request_wordings import PLACEHOLDER

VALUE_TEXTS_FILE: Final = Path(__file__).resolve().parent / "value_texts.yaml"
UNIT_WORDS: Final = {"in": "inches", "cm": "centimetres", "pt": "points", "mm": "millimetres"}


@functools.cache
def _formats(path: Path = VALUE_TEXTS_FILE) -> Mapping[str, tuple[str, ...]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(k): tuple(str(f) for f in v) for k, v in raw.items()}


def number_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def value_text(pool: str, value: Any, rng: random.Random) -> str:
    """How ``value`` of ``pool`` reads in a request (one of the pool's formats, chosen by ``rng``)."""
    if not isinstance(value, Mapping):
        return number_text(value)
    fields = {k: number_text(v) for k, v in value.items()}
    if "unit" in fields:
        fields["unit_word"] = UNIT_WORDS.get(fields["unit"], fields["unit"])
    specific = f"{pool}_{'_'.join(sorted(set(value) - {'rule', 'separator'}))}"
    for name in (specific, pool):  # a format for the item's extra keys first (line_spacings_at)
        usable = [f for f in _formats().get(name, ()) if _names(f) <= set(fields)]
        if usable:
            return rng.choice(usable).format(**fields)
    return ", ".join(f"{k} {v}" for k, v in fields.items())


def _names(fmt: str) -> set[str]:
    return {n for _, n, _, _ in string.Formatter().parse(fmt) if n}


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace each ``{name}`` by ``values[name]`` (KeyError names a placeholder with no value)."""
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
