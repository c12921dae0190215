"""The training-only wordings, kept as YAML beside this loader: data that writers edit, not code.

``paraphrasesN.yaml`` is batch N of extra request wordings (``--augment-paraphrases N``, see
``models/train/rephrase.py``): clause, family and connector templates keyed as ``lam.tasks.phrasings``
keys its own. ``invented_names.yaml`` holds the names ``augment.py`` gives renamed gallery items.
Each file is read once (cached) and checked as it is read, so a malformed entry fails at load time
with the file and the entry named, not as a ``KeyError`` deep in a training run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml

HERE = Path(__file__).resolve().parent
BATCHES = (1, 2, 3)  # written apart, drawn from by choice: a run's rewordings stay reproducible

K = TypeVar("K", str, int)


class WordingsError(ValueError):
    """A wordings file that does not hold what its loader expects."""


@dataclass(frozen=True)
class ParaphraseBatch:
    """One batch of extra wordings: each bank maps a key of ``lam.tasks.phrasings`` to its templates."""

    clauses: Mapping[str, tuple[str, ...]]
    family_templates: Mapping[str, tuple[str, ...]]
    connectors: Mapping[int, tuple[str, ...]]  # clause count -> templates with fields {0}, {1}, ...


@dataclass(frozen=True)
class InventedNames:
    """Head words and modifiers of the names ``augment.invented_name`` draws."""

    modifiers: tuple[str, ...]
    heads: tuple[str, ...]


def _read(path: Path, sections: tuple[str, ...]) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise WordingsError(f"{path}: cannot be read as YAML: {exc}") from exc
    if not isinstance(data, dict) or set(data) != set(sections):
        found = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise WordingsError(f"{path}: expected a mapping of exactly {list(sections)}, found {found}")
    return data


def _strings(path: Path, where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise WordingsError(f"{path}: {where}: expected a non-empty list of strings, found {value!r}")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise WordingsError(f"{path}: {where}[{i}]: expected a non-empty string, found {item!r}")
    return tuple(value)


def _bank(path: Path, section: str, value: Any, key_type: type[K]) -> Mapping[K, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise WordingsError(f"{path}: {section}: expected a mapping of key -> list of templates")
    for key in value:
        if type(key) is not key_type:
            raise WordingsError(f"{path}: {section}: key {key!r} should be of type {key_type.__name__}")
    return MappingProxyType({key: _strings(path, f"{section}[{key!r}]", v) for key, v in value.items()})


@cache
def paraphrase_batch(batch: int, folder: Path = HERE) -> ParaphraseBatch:
    """Batch ``batch``'s wordings (``paraphrases{batch}.yaml``), read-only."""
    path = folder / f"paraphrases{batch}.yaml"
    data = _read(path, ("clauses", "family_templates", "connectors"))
    return ParaphraseBatch(
        clauses=_bank(path, "clauses", data["clauses"], str),
        family_templates=_bank(path, "family_templates", data["family_templates"], str),
        connectors=_bank(path, "connectors", data["connectors"], int),
    )


@cache
def invented_names(folder: Path = HERE) -> InventedNames:
    """The word lists of ``invented_names.yaml``."""
    path = folder / "invented_names.yaml"
    data = _read(path, ("modifiers", "heads"))
    return InventedNames(
        modifiers=_strings(path, "modifiers", data["modifiers"]), heads=_strings(path, "heads", data["heads"])
    )
