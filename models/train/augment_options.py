"""The ``--augment-*`` flags of phases 2 and 3: parsed, recorded in the run's config, applied to records."""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from models.train.augment import augment
from models.train.options import from_namespace
from models.train.rephrase import rephrase_all, tasks_by_id
from models.train.wordings import BATCHES

PREFIX = "augment_"
# Settings added after runs were made: recorded only when they change something, so an earlier run's
# config (which lacks them, and behaved as their default) still matches on --resume.
LATER_SETTINGS: dict[str, object] = {"augment_followup": 0, "augment_paraphrases": [1]}


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
        help="paraphrase batches rewording draws from (models/train/wordings/paraphrases*.yaml); "
        "runs up to LAM3+p used 1",
    )


@dataclass(frozen=True)
class AugmentOptions:
    """What ``add_augment_args`` parses: field ``x`` is flag ``--augment-x`` (the order is the flags')."""

    rename: int
    move: int
    move_rename: float
    followup: int
    relabel: float
    drop: float
    rephrase: float
    paraphrases: tuple[int, ...]

    @classmethod
    def from_namespace(cls, ns: argparse.Namespace) -> AugmentOptions:
        return from_namespace(cls, ns, prefix=PREFIX)

    def settings(self) -> dict[str, object]:
        """As the run's config records them (a resumed run must use the same ones)."""
        named = {PREFIX + f.name: getattr(self, f.name) for f in fields(self)}
        out = {k: list(v) if isinstance(v, tuple) else v for k, v in named.items()}
        return {k: v for k, v in out.items() if not (k in LATER_SETTINGS and v == LATER_SETTINGS[k])}

    def apply(self, records: list[dict[str, Any]], data: Path, seed: int, phase: str) -> list[dict[str, Any]]:
        """The records with this augmentation; rewording first, so renamed copies are reworded too."""
        if not (self.rename or self.relabel or self.rephrase or self.move or self.followup):
            return records
        if self.rephrase:
            records = rephrase_all(records, tasks_by_id(data), self.rephrase, seed, self.paraphrases)
        out = augment(
            records,
            self.rename,
            self.relabel,
            seed,
            self.drop,
            move_copies=self.move,
            move_rename_rate=self.move_rename,
            followup_copies=self.followup,
        )
        kinds = Counter(r.get("augmented", "as recorded") for r in out)
        print(f"[{phase}] {len(records)} steps -> {len(out)} with augmentation: {dict(kinds)}", flush=True)
        return out
