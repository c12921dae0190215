"""``rollout``: episodes of any adapter on a split's tasks, e.g. LAM3 on the tasks it still fails,
to give the reward model and phase 4 the failures of the policy they improve."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from lam.tasks.model import read_tasks
from models.train.base import resolve_base
from models.train.data import read_jsonl, select_tasks
from models.train.decode import LocalPolicy
from models.train.expert import ExpertOptions, add_expert_args, expert_from_args, split_by_expert
from models.train.lora import load_merged
from models.train.options import from_namespace, renderer_for
from models.train.rollout import MAX_STEPS, roll_out
from service.formats import FORMAT_SETTINGS
from service.settings import DEFAULT_MODEL


def add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, required=True, help="folder of `lam data generate`")
    parser.add_argument("--adapter", type=Path, default=None, help="adapter to run (default: the base model)")
    parser.add_argument("--out", type=Path, required=True, help="rollouts JSONL (appended; done tasks skipped)")
    parser.add_argument("--split", default="train")
    parser.add_argument("--expert-failed-only", action="store_true", help="only tasks the limited expert fails")
    parser.add_argument("--per-family", type=int, default=None)
    parser.add_argument("--max-episode-steps", type=int, default=MAX_STEPS)
    parser.add_argument("--base", type=Path, default=None, help="default: the card's base")
    parser.add_argument("--card", default=DEFAULT_MODEL)
    parser.add_argument(
        "--output-format", choices=sorted(FORMAT_SETTINGS), default=None, help="the adapter's, if not the card's"
    )
    parser.add_argument("--seed", type=int, default=0)
    add_expert_args(parser)


@dataclass(frozen=True)
class RolloutConfig:
    """``rollout``'s flags (``add_args``), parsed once; ``--base`` resolved to the card's base if not given."""

    data: Path
    adapter: Path | None
    out: Path
    split: str
    expert_failed_only: bool
    per_family: int | None
    max_episode_steps: int
    base: Path
    card: str
    output_format: str | None
    seed: int
    expert: ExpertOptions  # only its --expert-max-actions and --expert-unable: the expert here is the limited one

    @classmethod
    def from_namespace(cls, ns: argparse.Namespace) -> RolloutConfig:
        return from_namespace(cls, ns, base=resolve_base(ns.base, ns.card))


def run(config: RolloutConfig) -> None:
    tasks = read_tasks(config.data / f"{config.split}.jsonl")
    if config.expert_failed_only:
        expert = expert_from_args("limited", config.expert.expert_max_actions, config.expert.expert_unable)
        _, failed = split_by_expert(read_jsonl(config.data / f"phase2_{config.split}.jsonl"), expert)
        tasks = [t for t in tasks if t.task_id in failed]
    keep = {
        r["task_id"]
        for r in select_tasks(
            [{"task_id": t.task_id, "family": t.family} for t in tasks], config.per_family, config.seed
        )
    }
    model = load_merged(config.base, config.adapter)
    policy = LocalPolicy(model, renderer_for(config.card, config.output_format, config.base))
    config.out.parent.mkdir(parents=True, exist_ok=True)
    episodes = roll_out(policy, [t for t in tasks if t.task_id in keep], config.out, config.max_episode_steps)
    wins = sum(e["success"] for e in episodes)
    print(f"[rollout] {wins}/{len(episodes)} tasks solved")
