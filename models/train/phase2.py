"""Phase 2, learning from the expert: state -> action (the paper's LAM2).

Each phase-2 record is one expert step: the full ``/predict_action`` body (observation, memory of
the expert's earlier steps) and the expected action and status. The prompt is what the service
renders for that body, the target what the output format renders for the expected answer; the
loss is on the target tokens only. ``--expert limited`` keeps only the tasks the limited expert
(``expert.py``) solves, as the paper trained LAM2 on GPT-4o's successes; ``full`` takes them all.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from models.train.augment import augment
from models.train.data import read_jsonl, select_tasks, tokenize_all
from models.train.expert import expert_from_args, split_by_expert
from models.train.rephrase import BATCHES, rephrase_all, tasks_by_id
from models.train.sft import add_common_args, config_from, renderer_for, run_sft


def add_expert_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--expert",
        choices=("limited", "full"),
        default="limited",
        help="whose trajectories to learn from (default: the limited expert's successes)",
    )
    parser.add_argument("--expert-max-actions", type=int, default=4, help="the limited expert gives up past this")
    parser.add_argument("--expert-unable", nargs="*", default=[], help="families the limited expert cannot do")


def add_augment_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--augment-rename",
        type=int,
        default=0,
        help="copies of each gallery step with the item under an invented name (models/train/augment.py)",
    )
    parser.add_argument(
        "--augment-move",
        type=int,
        default=0,
        help="copies of each gallery step with the requested name swapped onto another item (the answer follows)",
    )
    parser.add_argument(
        "--augment-move-rename", type=float, default=0.5, help="share of moved copies also renamed (invented names)"
    )
    parser.add_argument(
        "--augment-followup",
        type=int,
        default=0,
        help="copies of each step after a chosen value, the value under an invented name throughout",
    )
    parser.add_argument(
        "--augment-relabel", type=float, default=0.0, help="share of steps shown with controls dropped and renumbered"
    )
    parser.add_argument("--augment-drop", type=float, default=0.25, help="share of controls a relabelled step drops")
    parser.add_argument(
        "--augment-rephrase",
        type=float,
        default=0.0,
        help="share of steps whose request is reworded with extra training phrasings (models/train/rephrase.py)",
    )
    parser.add_argument(
        "--augment-paraphrases",
        type=int,
        nargs="+",
        choices=sorted(BATCHES),
        default=[1],
        help="paraphrase batches rewording draws from (models/train/paraphrases*.py); runs up to LAM3+p used 1",
    )


def add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, required=True, help="folder of `lam data generate`")
    parser.add_argument("--per-family", type=int, default=None, help="tasks per family (default: all)")
    parser.add_argument("--families", nargs="*", default=None, help="only these families")
    add_expert_args(parser)
    add_augment_args(parser)
    add_common_args(parser)


def expert_records(args: argparse.Namespace) -> list[dict]:
    records = read_jsonl(args.data / "phase2_train.jsonl")
    expert = expert_from_args(args.expert, args.expert_max_actions, args.expert_unable)
    solved, failed = split_by_expert(records, expert)
    if expert is not None:
        print(
            f"[phase2] {expert.describe()}: solves {len({r['task_id'] for r in solved})} tasks, fails {len(failed)}",
            flush=True,
        )
    return augmented(select_tasks(solved, args.per_family, args.seed, args.families), args)


def augmented(records: list[dict], args: argparse.Namespace) -> list[dict]:
    """The records with the augmentation ``args`` ask for; rewording first, so renamed copies are reworded too."""
    if not (
        args.augment_rename
        or args.augment_relabel
        or args.augment_rephrase
        or args.augment_move
        or args.augment_followup
    ):
        return records
    if args.augment_rephrase:
        records = rephrase_all(
            records, tasks_by_id(args.data), args.augment_rephrase, args.seed, tuple(args.augment_paraphrases)
        )
    out = augment(
        records,
        args.augment_rename,
        args.augment_relabel,
        args.seed,
        args.augment_drop,
        move_copies=args.augment_move,
        move_rename_rate=args.augment_move_rename,
        followup_copies=args.augment_followup,
    )
    kinds = Counter(r.get("augmented", "as recorded") for r in out)
    print(f"[{args.command}] {len(records)} steps -> {len(out)} with augmentation: {dict(kinds)}", flush=True)
    return out


# Settings added after runs were made: recorded only when they change something, so an earlier run's
# config (which lacks them, and behaved as their default) still matches on --resume.
LATER_SETTINGS = {"augment_followup": 0, "augment_paraphrases": [1]}


def augment_settings(args: argparse.Namespace) -> dict[str, object]:
    """The ``--augment-*`` settings, for the run's config (a resumed run must use the same ones)."""
    return {
        k: v
        for k, v in vars(args).items()
        if k.startswith("augment_") and not (k in LATER_SETTINGS and v == LATER_SETTINGS[k])
    }


def expert_settings(args: argparse.Namespace) -> dict[str, object]:
    """The data settings phases 2 and 3 record in their run's config (and check on ``--resume``)."""
    return {
        "data": str(args.data),
        "per_family": args.per_family,
        "expert": args.expert,
        "expert_max_actions": args.expert_max_actions,
        "expert_unable": args.expert_unable,
    }


def run(args: argparse.Namespace) -> None:
    records = expert_records(args)
    config = config_from(args, "phase2", families=args.families, **expert_settings(args), **augment_settings(args))
    renderer = renderer_for(args)
    run_sft(args, config, renderer, tokenize_all(renderer, records, "phase2", args.max_len))
