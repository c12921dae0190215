"""Each distinct task is evaluated once: identical request + initial document + expected result."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from typer.testing import CliRunner

from lam.client import AsyncLamClient
from lam.eval.dedupe import identity, read_eval_tasks
from lam.tasks.model import Task, write_jsonl


def _variants(task: Task) -> dict[str, Task]:
    other_op = {**task.ops[0], "attr": "italic"}
    return {
        "orig": task,
        "copy": task.model_copy(update={"task_id": "copy", "split": "val"}),  # the same task under another id
        "reworded": task.model_copy(update={"task_id": "reworded", "request": task.request + " please"}),
        "other_result": task.model_copy(update={"task_id": "other_result", "ops": [other_op]}),
        "other_doc": task.model_copy(update={"task_id": "other_doc", "doc": {"blocks": []}, "ops": []}),
        "copy2": task.model_copy(update={"task_id": "copy2"}),
    }


def test_identity_ignores_the_id_only(small_tasks: list[Task]) -> None:
    bold = next(t for t in small_tasks if t.family == "bold")
    keys = {name: identity(t) for name, t in _variants(bold).items()}
    assert keys["orig"] == keys["copy"] == keys["copy2"]
    assert len({keys[n] for n in ("orig", "reworded", "other_result", "other_doc")}) == 4


def test_read_eval_tasks_drops_and_counts_duplicates_before_limit(tmp_path: Path, small_tasks: list[Task]) -> None:
    bold = next(t for t in small_tasks if t.family == "bold")
    path = tmp_path / "tasks.jsonl"
    write_jsonl(path, list(_variants(bold).values()))
    tasks, dropped = read_eval_tasks(path)
    assert [t.task_id for t in tasks] == [bold.task_id, "reworded", "other_result", "other_doc"]
    assert dropped == ["copy", "copy2"]
    limited, _ = read_eval_tasks(path, limit=2)
    assert [t.task_id for t in limited] == [bold.task_id, "reworded"]  # the copy does not take a place


def test_cli_reports_the_dropped_duplicates(tmp_path: Path, small_tasks, expert_double, monkeypatch) -> None:
    from lam import cli
    from lam.eval import connect

    a, b = small_tasks[:2]
    write_jsonl(tmp_path / "tasks.jsonl", [a, b, a.model_copy(update={"task_id": "again"})])
    real = AsyncLamClient
    monkeypatch.setattr(  # where `lam eval` builds its client
        connect, "AsyncLamClient", lambda *a, **k: real(*a, **k, transport=httpx.MockTransport(expert_double))
    )
    out = tmp_path / "RESULT.json"
    args = ["eval", "offline", "--tasks", str(tmp_path / "tasks.jsonl"), "--base-url", "http://d", "--out", str(out)]
    done = CliRunner().invoke(cli.app, args)
    assert done.exit_code == 0, done.output
    data = json.loads(out.read_text())
    assert data["n_tasks"] == 2 and data["n_duplicates_dropped"] == 1 and data["duplicate_task_ids"] == ["again"]
    assert "duplicate tasks dropped (each distinct task counted once): 1" in out.with_suffix(".md").read_text()
