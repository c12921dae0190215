"""``models.train summary``: a run's figures come from its config.json and log.jsonl as the loop writes them.

Runs in the layer's environment (no torch): the run folder is written by hand in the loop's format.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.train.summary import render, summarise


def _run(tmp_path: Path, rows: list[dict[str, float]], batch_size: int = 8, grad_accum: int = 1) -> Path:
    (tmp_path / "config.json").write_text(
        json.dumps({"phase": "phase3", "seed": 3, "batch_size": batch_size, "grad_accum": grad_accum})
    )
    (tmp_path / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return tmp_path


def _row(step: int, loss: float, tokens: int, seconds: float, time: float) -> dict[str, float]:
    return {"step": step, "loss": loss, "tokens": tokens, "tokens_per_s": tokens / seconds, "time": time}


def test_time_speed_and_loss_come_from_the_log(tmp_path: Path) -> None:
    # Four steps of 10 s, 1,000 tokens each, a 100 s pause (a stop and --resume) before the third.
    rows = [
        _row(1, 0.9, 1000, 10.0, 1010.0),
        _row(2, 0.7, 1000, 10.0, 1020.0),
        _row(3, 0.5, 1000, 10.0, 1130.0),
        _row(4, 0.3, 1000, 10.0, 1140.0),
    ]
    s = summarise(_run(tmp_path, rows, batch_size=4, grad_accum=2), window=2)
    assert (s.phase, s.seed, s.steps, s.examples, s.tokens) == ("phase3", 3, 4, 32, 4000)
    assert s.train_s == pytest.approx(40.0)  # the steps' own time: the pause is not training
    assert s.span_s == pytest.approx(140.0)  # first step's start (1000) to the last step's end (1140)
    assert s.tokens_per_s == pytest.approx(100.0)
    assert s.median_step_tokens_per_s == pytest.approx(100.0)
    assert (s.loss_first, s.loss_last, s.window) == (pytest.approx(0.8), pytest.approx(0.4), 2)
    text = render(s)
    assert "0.8 (mean of the first 2 steps) -> 0.4 (last 2)" in text
    assert "32 examples" in text


def test_the_loss_window_is_at_most_half_the_run(tmp_path: Path) -> None:
    rows = [_row(1, 1.0, 100, 1.0, 1.0), _row(2, 0.2, 100, 1.0, 2.0), _row(3, 0.4, 100, 1.0, 3.0)]
    s = summarise(_run(tmp_path, rows), window=10)
    assert s.window == 1
    assert (s.loss_first, s.loss_last) == (pytest.approx(1.0), pytest.approx(0.4))


def test_an_empty_log_is_an_error_not_zeros(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="no step logged"):
        summarise(_run(tmp_path, []))
