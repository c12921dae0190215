"""Fill a request template: ``{target}`` with the target's reference, every other placeholder with its
value as a user writes it (``value_texts.yaml`` for mapping values; numbers without a needless ".0"),
and a place together with what it is relative to (``place_texts.yaml``: "after the second paragraph",
not "after paragraph the second paragraph")."""

from __future__ import annotations

import functools
import random
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from lam.tasks.catalog.request_wordings import PLACEHOLDER

VALUE_TEXTS_FILE: Final = Path(__file__).resolve().parent / "value_texts.yaml"
PLACE_TEXTS_FILE: Final = Path(__file__).resolve().parent / "place_texts.yaml"
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


@dataclass(frozen=True)
class PlaceTexts:
    """The pools that hold places, and each place's phrases (``{of}``: what it is relative to)."""

    pools: frozenset[str]
    places: Mapping[str, tuple[str, ...]]


@functools.cache
def place_texts(path: Path = PLACE_TEXTS_FILE) -> PlaceTexts:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    places = {str(k): tuple(str(f) for f in v) for k, v in raw["places"].items()}
    if not all(places.values()) or not raw["pools"]:
        raise ValueError(f"{path}: every place needs a phrase and the file names its pools")
    return PlaceTexts(frozenset(str(p) for p in raw["pools"]), places)


def place_text(place: str, anchor: str, rng: random.Random) -> str:
    """How ``place`` reads relative to ``anchor`` (a paragraph's or phrase's reference); KeyError for a
    place the file does not phrase, so a new pool item cannot slip through unread."""
    return rng.choice(place_texts().places[place]).format(of=anchor)


def join_place(template: str, param: str) -> str:
    """``{param} {target}`` in ``template`` as one placeholder ``{param}``: the place's phrase names
    the target itself (or drops it, for the document's start and end)."""
    return template.replace(f"{{{param}}} {{target}}", f"{{{param}}}")


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace each ``{name}`` by ``values[name]`` (KeyError names a placeholder with no value)."""
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
