"""Fill a request template: ``{target}`` with the target's reference, every other placeholder with its
value as a user writes it (``value_texts.yaml`` for mapping values; numbers without a needless ".0"),
and a place together with what it is relative to (``place_texts.yaml``: "after the second paragraph",
not "after paragraph the second paragraph")."""

from __future__ import annotations

import functools
import random
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from lam.tasks.catalog.request_wordings import PLACEHOLDER

VALUE_TEXTS_FILE: Final = Path(__file__).resolve().parent / "value_texts.yaml"
PLACE_TEXTS_FILE: Final = Path(__file__).resolve().parent / "place_texts.yaml"
VALUE_WORDS_FILE: Final = Path(__file__).resolve().parent / "value_words.yaml"
QUOTES: Final = "\"'“”"
UNIT_WORDS: Final = {"in": "inches", "cm": "centimetres", "pt": "points", "mm": "millimetres"}


@functools.cache
def _formats(path: Path = VALUE_TEXTS_FILE) -> Mapping[str, tuple[str, ...]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(k): tuple(str(f) for f in v) for k, v in raw.items()}


def number_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def value_text(pool: str, value: Any, rng: random.Random, *, seed: str = "") -> str:
    """How ``value`` of ``pool`` reads in a request: a mapping by one of the pool's formats (chosen by
    ``rng``), a scalar by its pool's ``{value}`` format where it has one (chosen by ``seed``'s own
    draw, so the task stream stays as it was) or as itself."""
    if not isinstance(value, Mapping):
        text = number_text(value)
        formats = _formats().get(pool, ())
        return random.Random(f"value:{seed}:{pool}:{text}").choice(formats).format(value=text) if formats else text
    fields = {k: number_text(v) for k, v in value.items()}
    if "unit" in fields:
        unit_word = UNIT_WORDS.get(fields["unit"], fields["unit"])
        fields["unit_word"] = (
            value_words().singular.get(unit_word, unit_word) if fields.get("value") == "1" else unit_word
        )
    if "at" in fields:
        fields["at_unit"] = value_words().rule_units.get(fields.get("rule", ""), "")
    specific = f"{pool}_{'_'.join(sorted(set(value) - {'rule', 'separator'}))}"
    for name in (specific, pool):  # a format for the item's extra keys first (line_spacings_at)
        usable = [f for f in _formats().get(name, ()) if _names(f) <= set(fields)]
        if usable:
            text = rng.choice(usable).format(**fields)
            return _one_in(text) if "1" in fields.values() else text
    return ", ".join(f"{k} {v}" for k, v in fields.items())


def _names(fmt: str) -> set[str]:
    return {n for _, n, _, _ in string.Formatter().parse(fmt) if n}


@dataclass(frozen=True)
class PlaceTexts:
    """The pools that hold places, and each place's phrases (``{of}``: what it is relative to)."""

    pools: frozenset[str]
    places: Mapping[str, tuple[str, ...]]
    own_anchor: frozenset[str]  # pools whose place is relative to the op's own ``to``, not the target


@functools.cache
def place_texts(path: Path = PLACE_TEXTS_FILE) -> PlaceTexts:
    """``place_texts.yaml``, read once; refused if a place has no phrase or the file names no pools."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    places = {str(k): tuple(str(f) for f in v) for k, v in raw["places"].items()}
    if not all(places.values()) or not raw["pools"]:
        raise ValueError(f"{path}: every place needs a phrase and the file names its pools")
    return PlaceTexts(frozenset(str(p) for p in raw["pools"]), places, frozenset(str(p) for p in raw["own_anchor"]))


def place_text(place: str, anchor: str, rng: random.Random) -> str:
    """How ``place`` reads relative to ``anchor`` (a paragraph's or phrase's reference); KeyError for a
    place the file does not phrase, so a new pool item cannot slip through unread."""
    return rng.choice(place_texts().places[place]).format(of=anchor)


def join_place(template: str, param: str) -> str:
    """``{param} {target}`` in ``template`` as one placeholder ``{param}``: the place's phrase names
    the target itself (or drops it, for the document's start and end)."""
    return template.replace(f"{{{param}}} {{target}}", f"{{{param}}}")


@dataclass(frozen=True)
class ValueWords:
    """``value_words.yaml``: per-value phrases, quoted pools, rule units and the agreements of ``fill``."""

    texts: Mapping[str, Mapping[str, tuple[str, ...]]]
    quoted: frozenset[str]
    rule_units: Mapping[str, str]
    singular: Mapping[str, str]
    not_an: tuple[str, ...]


@functools.cache
def value_words(path: Path = VALUE_WORDS_FILE) -> ValueWords:
    """``value_words.yaml``, read once; refused if a listed value has no phrase."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = {
        str(key): {str(v): tuple(str(t) for t in phrases) for v, phrases in by_value.items()}
        for key, by_value in raw["texts"].items()
    }
    if not all(all(p) for by_value in texts.values() for p in by_value.values()):
        raise ValueError(f"{path}: every listed value needs a phrase")
    return ValueWords(
        texts=texts,
        quoted=frozenset(str(p) for p in raw["quoted"]),
        rule_units={str(k): str(v) for k, v in raw["rule_units"].items()},
        singular={str(k): str(v) for k, v in raw["singular"].items()},
        not_an=tuple(str(b) for b in raw["not_an"]),
    )


def worded_value(family: str, placeholder: str, pool: str, value: Any, template: str, rng: random.Random) -> str:
    """``value`` of the template's ``placeholder`` (``param`` or ``member.param``; ``family``: the
    family or member the param belongs to) as the request writes it: its phrase (``value_words.yaml``,
    by ``family.param`` or pool; drawn from its own seed) or its format (``value_text``), quoted for a
    quoted pool unless the template quotes the placeholder itself."""
    words = value_words()
    by_value = words.texts.get(f"{family}.{placeholder.rpartition('.')[2]}") or words.texts.get(pool) or {}
    phrases = by_value.get(number_text(value)) if not isinstance(value, Mapping) else None
    if phrases:
        text = random.Random(f"word:{template}:{placeholder}:{value}").choice(phrases)
    else:
        text = value_text(pool, value, rng, seed=template)
    at = template.find(f"{{{placeholder}}}")
    quoted_there = at > 0 and template[at - 1] in QUOTES
    return f'"{text}"' if pool in words.quoted and not quoted_there else text


_NUMBER: Final = re.compile(r"(\d+(?:\.\d+)?)")


def _one_in(text: str) -> str:
    """A value's own text with a plural after a 1 singular ("1 row by 5 columns"), unless other
    numbers before it share that unit ("top 1, bottom 0.75, left 1.25 and right 1 inches")."""
    singular = value_words().singular
    nouns = set(singular) | set(singular.values())
    pieces = _NUMBER.split(text)  # text, number, text, number, ..., text
    out = [pieces[0]]
    for number, after in zip(pieces[1::2], pieces[2::2], strict=True):
        if number == "1" and not _NUMBER.search(_since_last_noun("".join(out), nouns)):
            after = _singular_after_one(after, singular)
        out += [number, after]
    return "".join(out)


def _since_last_noun(before: str, nouns: set[str]) -> str:
    """The text after the last unit or noun in ``before``: numbers there share the next one."""
    ends = [m.end() for m in re.finditer(r"[a-z]+", before) if m.group() in nouns]
    return before[ends[-1] :] if ends else before


_TWO_WORDS: Final = re.compile(r"^ ([a-z]+)(?: ([a-z]+))?")


def _singular_after_one(literal: str, singular: Mapping[str, str]) -> str:
    """The first plural among the two words that follow a filled-in 1, singular ("1 empty row")."""
    match = _TWO_WORDS.match(literal)
    if match is None:
        return literal
    for group in (1, 2):
        word = match.group(group)
        if word in singular:
            return literal[: match.start(group)] + singular[word] + literal[match.end(group) :]
    return literal


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace each ``{name}`` by ``values[name]`` (KeyError names a placeholder with no value), with
    two agreements a bare substitution misses: "a" before a value that starts with a vowel reads
    "an" ("an Automatic Table 2 table of contents"), and a plural after a filled-in 1 reads singular
    ("1 empty row", "1 step up"); the words are in ``value_words.yaml``."""
    words = value_words()
    out: list[str] = []
    last = 0
    for match in PLACEHOLDER.finditer(template):
        literal, value = template[last : match.start()], values[match.group(1)]
        if out and out[-1] == "1":
            literal = _singular_after_one(literal, words.singular)
        word = value.lstrip(QUOTES)  # "a "Automatic Table 2" table of contents" reads "an"
        if re.search(r"(?:^|\W)[Aa] $", literal) and word[:1] in "AEIOUaeiou" and not word.startswith(words.not_an):
            literal = literal[:-1] + "n "
        out += [literal, value]
        last = match.end()
    tail = template[last:]
    if out and out[-1] == "1":
        tail = _singular_after_one(tail, words.singular)
    return "".join(out) + tail
