"""``python -m bench.paired``: discordant steps and their exact McNemar p, on the same steps only."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bench.paired import compare, load, main, mcnemar_exact, status_counts


def result(rights: list[bool], predicted: str = "CONTINUE") -> dict[str, object]:
    steps = [
        {"step": i, "strict_success": ok, "expected": {"status": "CONTINUE"}, "predicted": {"status": predicted}}
        for i, ok in enumerate(rights)
    ]
    return {"mode": "offline", "tasks": [{"task_id": "t", "steps": steps}]}


def test_gained_and_lost_are_the_discordant_steps() -> None:
    c = compare(result([True, False, False, True]), result([True, True, True, False]))
    assert (c["steps"], c["gained"], c["lost"]) == (4, 2, 1)
    assert c["p"] == pytest.approx(1.0)


def test_the_exact_p_matches_the_binomial_by_hand() -> None:
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(5, 0) == pytest.approx(2 / 32)  # 2 * (1/2)^5
    assert mcnemar_exact(66, 36) < 0.01 < mcnemar_exact(30, 18)
    assert mcnemar_exact(3, 9) == mcnemar_exact(9, 3)


def test_different_steps_are_refused() -> None:
    with pytest.raises(SystemExit, match="not the same steps"):
        compare(result([True]), result([True, False]))


def test_status_counts_and_the_command_read_a_full_gz(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    after = result([True, False], predicted="FAIL")
    assert status_counts(after) == {("CONTINUE", "FAIL"): 2}
    (tmp_path / "b.json").write_text(json.dumps(result([False, False])))
    (tmp_path / "a.full.json.gz").write_bytes(gzip.compress(json.dumps(after).encode()))
    assert load(tmp_path / "a.full.json.gz") == after
    main([str(tmp_path / "b.json"), str(tmp_path / "a.full.json.gz")])
    out = capsys.readouterr().out
    assert "2 steps: 1 right only after, 0 right only before" in out and "CONTINUE -> FAIL" in out


def test_an_online_result_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "o.json").write_text(json.dumps({"mode": "online", "tasks": [{"task_id": "t", "steps": 3}]}))
    with pytest.raises(SystemExit, match="an online result; paired compares lam eval offline"):
        load(tmp_path / "o.json")


def test_a_summary_without_steps_is_refused(tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text(json.dumps({"mode": "offline"}))
    with pytest.raises(SystemExit, match="no per-step records"):
        load(tmp_path / "s.json")
