"""Phase 2, learning from the expert: state -> action (the paper's LAM2).

Each phase-2 record is one expert step: the full ``/predict_action`` body (observation, memory of
the expert's earlier steps) and the expected action and status. The prompt is what the service
renders for that body, the target what the output format renders for the expected answer; the
loss is on the target tokens only. ``--expert limited`` keeps only the tasks the limited expert
(``expert.py``) solves, as the paper trained LAM2 on GPT-4o's successes; ``full`` takes them all.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.train.augment_options import AugmentOptions, add_augment_args
from models.train.data import read_jsonl, select_tasks, tokenize_all
from models.train.expert import ExpertOptions, add_expert_args, split_by_expert
from models.train.kinds import add_kind_repeat_arg, repeat_by_kind, task_kinds
from models.train.options import RunOptions, add_run_args
from models.train.sft import run_sft


def add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, required=True, help="folder of `lam data generate`")
    parser.add_argument("--per-family", type=int, default=None, help="tasks per family (default: all)")
    parser.add_argument("--families", nargs="*", default=None, help="only these families")
    add_kind_repeat_arg(parser)
    add_expert_args(parser)
    add_augment_args(parser)
    add_run_args(parser)


@dataclass(frozen=True)
class Phase2Config:
    """``phase2``'s flags (``add_args``), parsed once by ``options.parse``; phase 3 shares the option groups."""

    data: Path
    per_family: int | None
    families: tuple[str, ...] | None
    kind_repeat: tuple[tuple[str, int], ...]
    expert: ExpertOptions
    augment: AugmentOptions
    run: RunOptions


def expert_records(config: Phase2Config) -> list[dict[str, Any]]:
    """The steps of the tasks the expert solves (of the chosen families), augmented as asked."""
    records = read_jsonl(config.data / "phase2_train.jsonl")
    expert = config.expert.limited()
    solved, failed = split_by_expert(records, expert)
    if expert is not None:
        print(
            f"[phase2] {expert.describe()}: solves {len({r['task_id'] for r in solved})} tasks, fails {len(failed)}",
            flush=True,
        )
    chosen = select_tasks(solved, config.per_family, config.run.seed, config.families)
    if config.kind_repeat:
        repeated = repeat_by_kind(chosen, task_kinds(config.data / "train.jsonl"), dict(config.kind_repeat))
        print(f"[phase2] {len(chosen)} steps -> {len(repeated)} with {dict(config.kind_repeat)}", flush=True)
        chosen = repeated
    return config.augment.apply(chosen, config.data, config.run.seed, "phase2")


def expert_settings(data: Path, per_family: int | None, expert: ExpertOptions) -> dict[str, object]:
    """The data settings phases 2 and 3 record in their run's config (and check on ``--resume``)."""
    return {"data": str(data), "per_family": per_family, **expert.settings()}


def run(config: Phase2Config) -> None:
    records = expert_records(config)
    opts = config.run
    train = opts.train_config(
        "phase2",
        families=None if config.families is None else list(config.families),
        **({"kind_repeat": dict(config.kind_repeat)} if config.kind_repeat else {}),
        **expert_settings(config.data, config.per_family, config.expert),
        **config.augment.settings(),
    )
    renderer = opts.renderer()
    run_sft(opts, train, renderer, tokenize_all(renderer, records, "phase2", opts.max_len))
