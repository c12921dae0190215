"""Where ``bench.table3`` keeps each result, and which results a run still has to produce.

One file per model, split and mode, ``OUT/NAME.SPLIT.MODE.json``, as ``lam eval`` writes it (its
``.md`` and ``.png`` beside it). A result that is there is not run again, so the command resumes
after a stop, and adding a split to a finished model serves it only for that split.

Before the split was part of the name (the v1 tables), a model wrote ``OUT/NAME.MODE.json``. Such a
file still counts, for the one split its ``tasks_file`` names (``.../test.jsonl``: test), so the
committed v1 folders resume and re-render as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SPLITS = ("train", "val", "test", "heldout_dev", "heldout_test")  # what `lam data generate` writes
MODES = ("offline", "online")


def result_path(out: Path, name: str, split: str, mode: str) -> Path:
    """Where a new result is written."""
    return out / f"{name}.{split}.{mode}.json"


def _split_of(path: Path) -> str | None:
    tasks_file = json.loads(path.read_text(encoding="utf-8")).get("tasks_file")
    return Path(tasks_file).stem if tasks_file else None


def find_result(out: Path, name: str, split: str, mode: str) -> Path | None:
    """The result file of (name, split, mode): the current name, else a v1 name of that split; None if neither."""
    path = result_path(out, name, split, mode)
    if path.exists():
        return path
    legacy = out / f"{name}.{mode}.json"
    return legacy if legacy.exists() and _split_of(legacy) == split else None


def load_result(out: Path, name: str, split: str, mode: str) -> dict[str, Any] | None:
    path = find_result(out, name, split, mode)
    return None if path is None else dict(json.loads(path.read_text(encoding="utf-8")))


def pending(out: Path, name: str, splits: Iterable[str], modes: Iterable[str]) -> list[tuple[str, str]]:
    """The (split, mode) pairs of ``name`` with no result yet, split by split, offline before online."""
    wanted = tuple(modes)
    return [(split, mode) for split in splits for mode in wanted if find_result(out, name, split, mode) is None]
