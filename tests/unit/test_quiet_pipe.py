"""The bench commands read through ``| head`` end quietly when the reader has gone (``bench.quiet_pipe``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _result(rights: list[bool]) -> dict[str, object]:
    steps = [
        {
            "step": i,
            "strict_success": ok,
            "object_ok": ok,
            "args_ok": ok,
            "expected": {"action": {"function": "click_input", "control_text": "Bold"}, "status": "CONTINUE"},
            "predicted": {"action": {"function": "click_input", "control_text": "Italic"}, "status": "CONTINUE"},
        }
        for i, ok in enumerate(rights)
    ]
    return {"mode": "offline", "tasks": [{"task_id": "t", "steps": steps}]}


@pytest.mark.parametrize("command", [["bench.paired", "a.json", "b.json"], ["bench.step_errors", "a.json"]])
def test_a_closed_pipe_ends_it_quietly(tmp_path: Path, command: list[str]) -> None:
    """Read by a reader that has gone (`| head -1` after its line): no traceback, exit status 1."""
    (tmp_path / "a.json").write_text(json.dumps(_result([True, False])))
    (tmp_path / "b.json").write_text(json.dumps(_result([False, True])))
    module, *files = command
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as in a shell pipe
    proc = subprocess.Popen(
        [sys.executable, "-m", module, *(str(tmp_path / f) for f in files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1, err
    assert "BrokenPipeError" not in err and "Traceback" not in err
