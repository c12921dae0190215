"""scripts/table3.py serves each adapter under the output format it was trained on."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _table3() -> ModuleType:
    spec = importlib.util.spec_from_file_location("table3", ROOT / "scripts" / "table3.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(tmp_path: Path, name: str, extra: dict) -> str:
    run = tmp_path / name
    (run / "adapter").mkdir(parents=True)
    (run / "config.json").write_text(json.dumps({"phase": "phase2", "extra": extra}))
    return str(run / "adapter")


def test_format_comes_from_the_run_then_the_card(tmp_path: Path) -> None:
    trained_format = _table3().trained_format
    assert trained_format(_run(tmp_path, "v2", {"output_format": "compact-v2"}), "compact-v1") == "compact-v2"
    assert trained_format(_run(tmp_path, "old", {"expert": "full"}), "compact-v2") == "compact-v1"  # before v2
    assert trained_format("base", "compact-v2") == "compact-v2"
    assert trained_format(str(tmp_path / "exported"), "json-v1") == "json-v1"  # no run config beside it
