"""Phase 3, self-boosting (the paper's LAM3): the model tries what the expert could not.

1. Tasks of the training split that the limited expert fails (``expert.py``).
2. The phase-2 model (``--init``) runs each of them in the simulator (``rollout.py``: in-process
   decoding under the service's constraint, not the HTTP service: see ``decode.py``).
3. Its successful episodes (checker passed, ended with FINISH) become phase-2 records, added to the
   expert's; training continues from the phase-2 adapter on the union.

Every episode, success or not, is kept in ``out/rollouts.jsonl``: the failures are the reward
model's negatives and phase 4's states. Rollouts are resumable (finished tasks are skipped).
"""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

from lam.tasks.model import read_tasks
from models.train.common import load_merged
from models.train.data import read_jsonl, select_tasks, tokenize_all
from models.train.decode import LocalPolicy
from models.train.expert import expert_from_args, split_by_expert
from models.train.phase2 import add_augment_args, add_expert_args, augment_settings, augmented, expert_settings
from models.train.rollout import MAX_STEPS, roll_out, success_records
from models.train.sft import add_common_args, config_from, renderer_for, run_sft


def add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, required=True, help="folder of `lam data generate`")
    parser.add_argument("--per-family", type=int, default=None, help="expert tasks per family in the retraining")
    parser.add_argument(
        "--rollout-per-family", type=int, default=None, help="expert-failed tasks tried per family (default: all)"
    )
    parser.add_argument("--max-episode-steps", type=int, default=MAX_STEPS)
    parser.add_argument("--self-weight", type=float, default=1.0, help="loss weight of self-generated steps")
    add_expert_args(parser)
    add_augment_args(parser)
    add_common_args(parser, lr=1e-4)


def run(args: argparse.Namespace) -> None:
    if args.init is None:
        raise SystemExit("phase3 needs --init: the phase-2 adapter that plays the tasks")
    expert = expert_from_args(args.expert, args.expert_max_actions, args.expert_unable)
    if expert is None:
        raise SystemExit("phase3 boosts on the tasks a limited expert fails: use --expert limited")
    records = read_jsonl(args.data / "phase2_train.jsonl")
    solved, failed = split_by_expert(records, expert)
    args.out.mkdir(parents=True, exist_ok=True)
    renderer = renderer_for(args)

    tried = [t for t in read_tasks(args.data / "train.jsonl") if t.task_id in failed]
    keep = {
        r["task_id"]
        for r in select_tasks(
            [{"task_id": t.task_id, "family": t.family} for t in tried], args.rollout_per_family, args.seed
        )
    }
    tried = [t for t in tried if t.task_id in keep]
    print(
        f"[phase3] {expert.describe()}; the phase-2 model tries {len(tried)} of its {len(failed)} failures", flush=True
    )
    policy = LocalPolicy(load_merged(args.base, args.init), renderer)
    episodes = roll_out(policy, tried, args.out / "rollouts.jsonl", args.max_episode_steps)
    del policy
    gc.collect()
    wins = sum(e["success"] for e in episodes)
    print(f"[phase3] self-boosting: {wins}/{len(episodes)} expert-failed tasks solved by the model", flush=True)

    own = [{**r, "weight": args.self_weight} for r in success_records(episodes)]
    train = augmented(select_tasks(solved, args.per_family, args.seed) + own, args)
    config = config_from(
        args,
        "phase3",
        **expert_settings(args),
        rollout_per_family=args.rollout_per_family,
        self_weight=args.self_weight,
        boosted_tasks=wins,
        tried_tasks=len(episodes),
        **augment_settings(args),
    )
    run_sft(args, config, renderer, tokenize_all(renderer, train, "phase2", args.max_len))
