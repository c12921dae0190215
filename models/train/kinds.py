"""Oversampling of the rarer task kinds in phases 2 and 3 (``--kind-repeat KIND=N``).

In word2's training split the steps that answer FAIL (infeasible), FINISH at once (already_done),
CONFIRM or recover from a wrong prefix are a few percent of the expert's steps; a run that sees a few
hundred examples meets a handful of each. Repeating every step of a task of such a kind N times
raises its share without a longer run. Whole tasks are repeated, so a task is never half-weighted.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lam.tasks.model import KINDS
from models.train.data import read_jsonl


def kind_repeat_arg(text: str) -> tuple[str, int]:
    """``KIND=N`` (argparse type): a known kind and a repeat count of at least 1."""
    kind, _, count = text.partition("=")
    if kind not in KINDS or not count.isdigit() or int(count) < 1:
        known = ", ".join(KINDS)
        raise argparse.ArgumentTypeError(f"expected KIND=N with KIND one of {known} and N >= 1, got {text!r}")
    return kind, int(count)


def task_kinds(tasks_file: Path) -> dict[str, str]:
    """task_id -> kind of every task in a split file (tasks without a stored kind are not listed)."""
    return {r["task_id"]: r["kind"] for r in read_jsonl(tasks_file) if r.get("kind")}


def repeat_by_kind(
    records: Sequence[dict[str, Any]], kinds: Mapping[str, str], repeat: Mapping[str, int]
) -> list[dict[str, Any]]:
    """Each record ``repeat[kind of its task]`` times (once where its kind is not named), order kept."""
    return [r for r in records for _ in range(repeat.get(kinds.get(r["task_id"], ""), 1))]


def add_kind_repeat_arg(parser: argparse.ArgumentParser) -> None:
    """``--kind-repeat KIND=N`` (repeatable), as phases 2 and 3 take it."""
    parser.add_argument(
        "--kind-repeat",
        type=kind_repeat_arg,
        action="append",
        default=[],
        metavar="KIND=N",
        help="every expert step of the tasks of this kind N times (repeatable), e.g. infeasible=4",
    )
