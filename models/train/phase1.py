"""Phase 1, task-plan pretraining: request -> plan (the paper's LAM1).

The model learns to break a request into the steps the expert takes (the ``plan`` of each
phase-1 record, one ``Plan:`` line per step, as the output format writes a plan), before it learns
to act. The prompt is the app's system part (functions and rules, as served) and the request.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from models.train.data import read_jsonl, select_tasks, tokenize_all
from models.train.options import RunOptions, add_run_args
from models.train.sft import run_sft


def add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, required=True, help="folder of `lam data generate` (phase1_train.jsonl)")
    parser.add_argument("--per-family", type=int, default=None, help="tasks per family (default: all)")
    add_run_args(parser)


@dataclass(frozen=True)
class Phase1Config:
    """``phase1``'s flags (``add_args``), parsed once by ``options.parse``."""

    data: Path
    per_family: int | None
    run: RunOptions


def run(config: Phase1Config) -> None:
    opts = config.run
    records = select_tasks(read_jsonl(config.data / "phase1_train.jsonl"), config.per_family, opts.seed)
    train = opts.train_config("phase1", data=str(config.data), per_family=config.per_family)
    renderer = opts.renderer()
    run_sft(opts, train, renderer, tokenize_all(renderer, records, "phase1", opts.max_len))
