"""``bench.table3`` result files: one per model, split and mode; what exists is not run again."""

from __future__ import annotations

import json
from pathlib import Path

from bench.table3_files import MODES, find_result, load_result, pending, result_path


def _write(path: Path, tasks_file: str = "/data/val.jsonl") -> Path:
    path.write_text(json.dumps({"mode": path.name.split(".")[-2], "tasks_file": tasks_file, "n_tasks": 1}))
    return path


def test_results_are_named_by_model_split_and_mode(tmp_path: Path) -> None:
    assert result_path(tmp_path, "LAM3+", "heldout_dev", "online") == tmp_path / "LAM3+.heldout_dev.online.json"


def test_pending_lists_the_missing_pairs_split_by_split(tmp_path: Path) -> None:
    _write(result_path(tmp_path, "A", "val", "offline"))
    _write(result_path(tmp_path, "A", "heldout_dev", "online"))
    assert pending(tmp_path, "A", ["val", "heldout_dev"], MODES) == [("val", "online"), ("heldout_dev", "offline")]
    assert pending(tmp_path, "A", ["val"], ("offline",)) == []  # --no-online: nothing left on val
    assert pending(tmp_path, "B", ["val"], MODES) == [("val", "offline"), ("val", "online")]


def test_a_v1_file_counts_for_the_split_its_tasks_file_names_only(tmp_path: Path) -> None:
    legacy = _write(tmp_path / "LAM0.offline.json", "/root/.cache/lam/data/seed0/test.jsonl")
    assert find_result(tmp_path, "LAM0", "test", "offline") == legacy
    assert find_result(tmp_path, "LAM0", "val", "offline") is None
    left = [("test", "online"), ("val", "offline"), ("val", "online")]
    assert pending(tmp_path, "LAM0", ["test", "val"], MODES) == left


def test_the_current_name_wins_over_a_v1_file(tmp_path: Path) -> None:
    _write(tmp_path / "A.offline.json", "/d/test.jsonl")
    current = result_path(tmp_path, "A", "test", "offline")
    current.write_text(json.dumps({"mode": "offline", "tasks_file": "/d/test.jsonl", "n_tasks": 7}))
    assert find_result(tmp_path, "A", "test", "offline") == current
    assert (load_result(tmp_path, "A", "test", "offline") or {})["n_tasks"] == 7
    assert load_result(tmp_path, "A", "val", "offline") is None
