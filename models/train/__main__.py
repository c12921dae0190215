"""``python -m models.train PHASE ...``: one command per phase, plus rollout, export, merge, soup and summary.

    phase1   --data DIR --out RUN1                                    request -> plan
    phase2   --data DIR --out RUN2 [--init RUN1/adapter]              state -> action (expert)
    phase3   --data DIR --out RUN3 --init RUN2/adapter                self-boosting
    rollout  --data DIR --adapter RUN3/adapter --out R.jsonl          episodes of a model (for phase 4)
    reward   --data DIR --rollouts R.jsonl --init RUN3/adapter --out RM
    phase4   --rollouts R.jsonl --reward RM/adapter --init RUN3/adapter --out RUN4
    phase4   --rollouts R.jsonl --pairs expert --init RUN3/adapter --out RUN4   (expert-ranked pairs)
    export   RUN/adapter                                              -> models/<card>/adapter (bf16)
    merge    RUN/adapter --out DIR                                    servable folder for vLLM
    soup     A/adapter B/adapter ... --out DIR                        weighted mean of adapters
    summary  RUN                                                      a run's time, speed and loss

Every training command takes --seed, --max-steps, --resume and the LoRA/optimizer settings
(``--help`` on each).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, NamedTuple

from models.train import phase1, phase2, phase3, phase4, reward, rollout_cmd, ship, soup, summary
from models.train.options import parse


class Command(NamedTuple):
    """A subcommand: its flags, the typed config they are parsed into (once), and what runs on it."""

    add_args: Callable[[argparse.ArgumentParser], None]
    config: type[Any]
    run: Callable[[Any], None]


COMMANDS = {
    "phase1": Command(phase1.add_args, phase1.Phase1Config, phase1.run),
    "phase2": Command(phase2.add_args, phase2.Phase2Config, phase2.run),
    "phase3": Command(phase3.add_args, phase3.Phase3Config, phase3.run),
    "rollout": Command(rollout_cmd.add_args, rollout_cmd.RolloutConfig, rollout_cmd.run),
    "reward": Command(reward.add_args, reward.RewardConfig, reward.run),
    "phase4": Command(phase4.add_args, phase4.Phase4Config, phase4.run),
    "export": Command(ship.add_export_args, ship.ExportConfig, ship.export),
    "merge": Command(ship.add_merge_args, ship.MergeConfig, ship.merge),
    "soup": Command(soup.add_args, soup.SoupConfig, soup.run),
    "summary": Command(summary.add_args, summary.SummaryConfig, summary.run),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m models.train", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, command in COMMANDS.items():
        command.add_args(sub.add_parser(name, help=f"see {command.run.__module__}"))
    args = parser.parse_args(argv)
    command = COMMANDS[args.command]
    command.run(parse(command.config, args))


if __name__ == "__main__":
    main()
