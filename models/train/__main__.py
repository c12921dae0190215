"""``python -m models.train PHASE ...``: one command per phase, plus rollout, export and merge.

    phase1   --data DIR --out RUN1                                    request -> plan
    phase2   --data DIR --out RUN2 [--init RUN1/adapter]              state -> action (expert)
    phase3   --data DIR --out RUN3 --init RUN2/adapter                self-boosting
    rollout  --data DIR --adapter RUN3/adapter --out R.jsonl          episodes of a model (for phase 4)
    reward   --data DIR --rollouts R.jsonl --init RUN3/adapter --out RM
    phase4   --rollouts R.jsonl --reward RM/adapter --init RUN3/adapter --out RUN4
    export   RUN/adapter                                              -> models/<card>/adapter (bf16)
    merge    RUN/adapter --out DIR                                    servable folder for vLLM
    soup     A/adapter B/adapter ... --out DIR                        weighted mean of adapters

Every training command takes --seed, --max-steps, --resume and the LoRA/optimizer settings
(``--help`` on each).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from models.train import phase1, phase2, phase3, phase4, reward, rollout_cmd, ship, soup
from models.train.sft import resolve_base


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m models.train", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    commands: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], None]]] = {
        "phase1": (phase1.add_args, phase1.run),
        "phase2": (phase2.add_args, phase2.run),
        "phase3": (phase3.add_args, phase3.run),
        "rollout": (rollout_cmd.add_args, rollout_cmd.run),
        "reward": (reward.add_args, reward.run),
        "phase4": (phase4.add_args, phase4.run),
        "export": (ship.add_export_args, ship.export),
        "merge": (ship.add_merge_args, ship.merge),
        "soup": (soup.add_args, soup.run),
    }
    for name, (add, run) in commands.items():
        add(sub.add_parser(name, help=f"see {run.__module__}"))
    args = parser.parse_args(argv)
    if getattr(args, "base", "") is None:
        resolve_base(args)
    commands[args.command][1](args)


if __name__ == "__main__":
    main()
