"""Phase 1, task-plan pretraining: request -> plan (the paper's LAM1).

The model learns to break a request into the steps the expert takes (the ``plan`` of each
phase-1 record, one ``Plan:`` line per step, as the output format writes a plan), before it learns
to act. The prompt is the app's system part (functions and rules, as served) and the request.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from models.train.data import read_jsonl, select_tasks, tokenize_all
from models.train.sft import add_common_args, config_from, renderer_for, run_sft


def add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, required=True, help="folder of `lam data generate` (phase1_train.jsonl)")
    parser.add_argument("--per-family", type=int, default=None, help="tasks per family (default: all)")
    add_common_args(parser)


def run(args: argparse.Namespace) -> None:
    records = select_tasks(read_jsonl(args.data / "phase1_train.jsonl"), args.per_family, args.seed)
    config = config_from(args, "phase1", data=str(args.data), per_family=args.per_family)
    renderer = renderer_for(args)
    run_sft(args, config, renderer, tokenize_all(renderer, records, "phase1", args.max_len))
