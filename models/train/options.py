"""The command line of the training commands, parsed once into frozen dataclasses.

Each command's config (``Phase2Config``...) is a frozen dataclass whose fields are named after its
flags; ``parse`` builds it from argparse's namespace in one place, so the code below the CLI takes
typed fields instead of a namespace whose attributes depend on the subparser that made it. Flags,
defaults and what a run writes to ``config.json`` are those of the namespace-passing code before.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast, get_type_hints

from models.card import load_card
from models.train.base import resolve_base
from models.train.config import TrainConfig
from models.train.data import Renderer
from models.train.modeling import load_tokenizer
from service.formats import FORMAT_SETTINGS
from service.settings import DEFAULT_MODEL

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

C = TypeVar("C", bound="DataclassInstance")


def from_namespace(cls: type[C], ns: argparse.Namespace, prefix: str = "", **given: Any) -> C:
    """``cls`` field by field, unless in ``given``: a dataclass field is an option group (``parse``d from the
    same flags), any other field the flag ``prefix + name`` (lists frozen as tuples)."""
    hints = get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name in given:
            continue
        kind = hints[f.name]
        if isinstance(kind, type) and is_dataclass(kind):
            values[f.name] = parse(kind, ns)
        else:
            value = getattr(ns, prefix + f.name)
            values[f.name] = tuple(value) if isinstance(value, list) else value
    return cls(**values, **given)


def parse(cls: type[C], ns: argparse.Namespace) -> C:
    """The typed config ``cls`` of the parsed flags: by its own ``from_namespace`` where it has one (to
    resolve or rename a flag), else field by field."""
    own = getattr(cls, "from_namespace", None)
    return cast(C, own(ns)) if own is not None else from_namespace(cls, ns)


def add_run_args(parser: argparse.ArgumentParser, *, lr: float = 2e-4) -> None:
    """Arguments every training phase takes (a phase adds its own)."""
    parser.add_argument("--out", type=Path, required=True, help="run folder (config, log, checkpoints, adapter)")
    parser.add_argument(
        "--base",
        type=Path,
        default=None,
        help="base model folder (HF format); default: the card's base, built under the model cache",
    )
    parser.add_argument("--card", default=DEFAULT_MODEL, help="model card: prompt and output format")
    parser.add_argument(
        "--output-format",
        choices=sorted(FORMAT_SETTINGS),
        default=None,
        help="train on this output format instead of the card's (a model to be shipped under a card naming it)",
    )
    parser.add_argument("--init", type=Path, default=None, help="adapter of the previous phase to continue from")
    parser.add_argument("--resume", action="store_true", help="continue from the latest checkpoint in --out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lr", type=float, default=lr)
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--max-steps", type=int, default=None, help="optimizer steps (overrides --epochs)")
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--grad-accum", type=int, default=2)
    parser.add_argument("--max-len", type=int, default=1024, help="longer examples are dropped, not cut")
    parser.add_argument("--max-examples", type=int, default=None, help="a seeded subset of this many examples")
    parser.add_argument("--lora-r", type=int, default=16)
    parser.add_argument("--lora-alpha", type=int, default=32)
    parser.add_argument(
        "--lora-dropout", type=float, default=0.05, help="of a fresh adapter (a continued one keeps its own)"
    )
    parser.add_argument("--save-every", type=int, default=50)
    parser.add_argument("--grad-checkpointing", action="store_true", help="less memory, ~1/3 more compute")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    parser.add_argument(
        "--train-layers",
        type=int,
        default=None,
        help="train only the LoRA of the top N decoder layers (backward stops below them: faster on a CPU)",
    )
    parser.add_argument(
        "--bf16",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="bf16 autocast (default: where this machine has fast bf16 kernels, else fp32 maths)",
    )


# The run options that become TrainConfig fields (the rest go to its ``extra`` or stay out of it).
TRAIN_FIELDS = (
    "seed", "lr", "epochs", "max_steps", "batch_size", "grad_accum", "max_len",
    "lora_r", "lora_alpha", "lora_dropout", "bf16", "save_every", "grad_checkpointing", "threads",
    "train_layers",
)  # fmt: skip


@dataclass(frozen=True)
class RunOptions:
    """What ``add_run_args`` parses: the run folder, the model to train, the optimizer and the LoRA."""

    out: Path
    base: Path  # resolved: the card's untrained base when --base is not given
    card: str
    output_format: str | None
    init: Path | None
    resume: bool
    seed: int
    lr: float
    epochs: float
    max_steps: int | None
    batch_size: int
    grad_accum: int
    max_len: int
    max_examples: int | None
    lora_r: int
    lora_alpha: int
    lora_dropout: float
    save_every: int
    grad_checkpointing: bool
    threads: int | None
    train_layers: int | None
    bf16: bool | None  # None: TrainConfig's default, bf16 where this machine has fast kernels

    @classmethod
    def from_namespace(cls, ns: argparse.Namespace) -> RunOptions:
        return from_namespace(cls, ns, base=resolve_base(ns.base, ns.card))

    def train_config(self, phase: str, **extra: Any) -> TrainConfig:
        """The run's config: these options plus the phase's own settings (``extra``, in that order)."""
        settings = {
            "init": str(self.init) if self.init else None,
            "base": str(self.base),
            "max_examples": self.max_examples,
            "output_format": output_format_of(self.card, self.output_format),  # what the adapter writes
            **extra,
        }
        common = {name: value for name in TRAIN_FIELDS if (value := getattr(self, name)) is not None}
        return TrainConfig(phase=phase, **common, extra=settings)

    def renderer(self) -> Renderer:
        return renderer_for(self.card, self.output_format, self.base)


def output_format_of(card: str, output_format: str | None) -> str:
    """The format the run's targets are written in: ``--output-format``, else the card's."""
    return str(output_format or load_card(card).output_format)


def renderer_for(card: str, output_format: str | None, base: Path) -> Renderer:
    """The renderer of ``card`` under the trained format, with the base's tokenizer."""
    model_card = load_card(card).model_copy(update={"output_format": output_format_of(card, output_format)})
    return Renderer(model_card, load_tokenizer(base), base / "tokenizer.json")
