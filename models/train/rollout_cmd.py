"""``rollout``: episodes of any adapter on a split's tasks, e.g. LAM3 on the tasks it still fails,
to give the reward model and phase 4 the failures of the policy they improve."""

from __future__ import annotations

import argparse
from pathlib import Path

from lam.tasks.model import read_tasks
from models.train.common import load_merged
from models.train.data import read_jsonl, select_tasks
from models.train.decode import LocalPolicy
from models.train.expert import expert_from_args, split_by_expert
from models.train.phase2 import add_expert_args
from models.train.rollout import MAX_STEPS, roll_out
from models.train.sft import renderer_for
from service.formats import FORMAT_SETTINGS


def add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, required=True, help="folder of `lam data generate`")
    parser.add_argument("--adapter", type=Path, default=None, help="adapter to run (default: the base model)")
    parser.add_argument("--out", type=Path, required=True, help="rollouts JSONL (appended; done tasks skipped)")
    parser.add_argument("--split", default="train")
    parser.add_argument("--expert-failed-only", action="store_true", help="only tasks the limited expert fails")
    parser.add_argument("--per-family", type=int, default=None)
    parser.add_argument("--max-episode-steps", type=int, default=MAX_STEPS)
    parser.add_argument("--base", type=Path, default=None, help="default: the card's base")
    parser.add_argument("--card", default="lam-smollm2-135m")
    parser.add_argument(
        "--output-format", choices=sorted(FORMAT_SETTINGS), default=None, help="the adapter's, if not the card's"
    )
    parser.add_argument("--seed", type=int, default=0)
    add_expert_args(parser)


def run(args: argparse.Namespace) -> None:
    tasks = read_tasks(args.data / f"{args.split}.jsonl")
    if args.expert_failed_only:
        expert = expert_from_args("limited", args.expert_max_actions, args.expert_unable)
        _, failed = split_by_expert(read_jsonl(args.data / f"phase2_{args.split}.jsonl"), expert)
        tasks = [t for t in tasks if t.task_id in failed]
    keep = {
        r["task_id"]
        for r in select_tasks([{"task_id": t.task_id, "family": t.family} for t in tasks], args.per_family, args.seed)
    }
    policy = LocalPolicy(load_merged(args.base, args.adapter), renderer_for(args))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    episodes = roll_out(policy, [t for t in tasks if t.task_id in keep], args.out, args.max_episode_steps)
    wins = sum(e["success"] for e in episodes)
    print(f"[rollout] {wins}/{len(episodes)} tasks solved")
