"""``python -m bench.table3`` serves each adapter under the output format it was trained on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.table3 import trained_format


def _run(tmp_path: Path, name: str, extra: dict[str, str]) -> str:
    run = tmp_path / name
    (run / "adapter").mkdir(parents=True)
    (run / "config.json").write_text(json.dumps({"phase": "phase2", "extra": extra}))
    return str(run / "adapter")


def test_format_comes_from_the_run_then_the_card(tmp_path: Path) -> None:
    assert trained_format(_run(tmp_path, "v2", {"output_format": "compact-v2"}), "compact-v1") == "compact-v2"
    assert trained_format(_run(tmp_path, "old", {"expert": "full"}), "compact-v2") == "compact-v1"  # before v2
    assert trained_format("base", "compact-v2") == "compact-v2"
    assert trained_format(str(tmp_path / "exported"), "json-v1") == "json-v1"  # no run config beside it


def test_base_and_card_take_the_cards_format_whatever_lies_in_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"extra": {"output_format": "compact-v1"}}))
    assert trained_format("card", "json-v1") == "json-v1"  # the card's prepared folder: the card's format
    assert trained_format("base", "json-v1") == "json-v1"
