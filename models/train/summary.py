"""``summary RUN``: a run's training figures from its own files, so that the time, speed and loss a
model card quotes come from a command rather than from arithmetic by hand.

Reads ``RUN/config.json`` (phase, seed, batch) and ``RUN/log.jsonl`` (one line per optimizer step,
``loop.py``). A step's duration is its ``tokens / tokens_per_s``; their sum is the time spent
training, which excludes loading, checkpointing and any pause between a stop and its ``--resume``.
``span`` is wall clock from the first step's start to the last step's end, pauses included.
Like every ``models.train`` command it runs in the engine environment; the module itself imports no
torch (its tests run in the layer's).
"""

from __future__ import annotations

import argparse
import json
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


def add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", type=Path, help="a run folder (config.json, log.jsonl)")
    parser.add_argument(
        "--window", type=int, default=10, help="steps averaged for the first and last loss (at most half the run)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")


@dataclass(frozen=True)
class SummaryConfig:
    """``summary``'s flags, parsed once by ``options.parse``."""

    run: Path
    window: int
    json: bool


@dataclass(frozen=True)
class RunSummary:
    """What a run did and what it cost, from its log."""

    phase: str
    seed: int
    steps: int
    examples: int
    tokens: int
    train_s: float
    span_s: float
    tokens_per_s: float
    median_step_tokens_per_s: float
    loss_first: float
    loss_last: float
    window: int


def read_log(path: Path) -> list[dict[str, Any]]:
    """The log's rows, one per optimizer step, in order."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    if not rows:
        raise SystemExit(f"{path}: no step logged")
    return rows


def summarise(run: Path, window: int = 10) -> RunSummary:
    """The run's figures; ``window`` steps (at most half the run) give the first and last mean loss."""
    config = json.loads((run / "config.json").read_text())
    rows = read_log(run / "log.jsonl")
    durations = [r["tokens"] / r["tokens_per_s"] if r["tokens_per_s"] > 0 else 0.0 for r in rows]
    tokens = sum(int(r["tokens"]) for r in rows)
    train_s = sum(durations)
    k = max(1, min(window, len(rows) // 2))
    return RunSummary(
        phase=str(config.get("phase", "?")),
        seed=int(config.get("seed", 0)),
        steps=len(rows),
        examples=len(rows) * int(config.get("batch_size", 1)) * int(config.get("grad_accum", 1)),
        tokens=tokens,
        train_s=round(train_s, 1),
        span_s=round(rows[-1]["time"] - rows[0]["time"] + durations[0], 1),
        tokens_per_s=round(tokens / train_s, 1) if train_s else 0.0,
        median_step_tokens_per_s=round(statistics.median(r["tokens_per_s"] for r in rows), 1),
        loss_first=round(statistics.fmean(r["loss"] for r in rows[:k]), 4),
        loss_last=round(statistics.fmean(r["loss"] for r in rows[-k:]), 4),
        window=k,
    )


def render(s: RunSummary) -> str:
    """A few lines for a terminal or a model card."""
    return "\n".join(
        [
            f"{s.phase}, seed {s.seed}: {s.steps} steps, {s.examples} examples, {s.tokens} tokens",
            f"time training {s.train_s / 60:.1f} min (span {s.span_s / 60:.1f} min, pauses and checkpoints included)",
            f"speed {s.tokens_per_s} tokens/s overall, median step {s.median_step_tokens_per_s} tokens/s",
            f"loss {s.loss_first} (mean of the first {s.window} steps) -> {s.loss_last} (last {s.window})",
        ]
    )


def run(config: SummaryConfig) -> None:
    """Print the run's figures: lines for a reader, or one JSON object (``--json``) for a script."""
    summary = summarise(config.run, config.window)
    print(json.dumps(asdict(summary)) if config.json else render(summary))
