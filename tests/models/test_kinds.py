"""``--kind-repeat``: whole tasks of the named kinds repeated, others once, bad flags refused."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from models.train.kinds import kind_repeat_arg, repeat_by_kind, task_kinds


def test_tasks_of_a_named_kind_are_repeated_whole_and_in_order(tmp_path: Path) -> None:
    tasks = tmp_path / "train.jsonl"
    rows = [{"task_id": "a", "kind": "feasible"}, {"task_id": "b", "kind": "infeasible"}, {"task_id": "c"}]
    tasks.write_text("".join(json.dumps(r) + "\n" for r in rows))
    records = [{"task_id": "a", "step": 0}, {"task_id": "a", "step": 1}, {"task_id": "b", "step": 0}]
    records.append({"task_id": "c", "step": 0})
    kinds = task_kinds(tasks)
    assert kinds == {"a": "feasible", "b": "infeasible"}
    out = repeat_by_kind(records, kinds, {"infeasible": 3})
    assert [(r["task_id"], r["step"]) for r in out] == [("a", 0), ("a", 1), ("b", 0), ("b", 0), ("b", 0), ("c", 0)]
    assert repeat_by_kind(records, kinds, {}) == records


@pytest.mark.parametrize("text", ["infeasible", "infeasible=0", "nonsense=2", "confirm=x", "=3"])
def test_a_malformed_kind_repeat_is_refused(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="KIND=N"):
        kind_repeat_arg(text)
