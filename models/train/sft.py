"""Supervised fine-tuning on target tokens: the engine of phases 1, 2 and 3 (they differ in data only)."""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from models.card import load_card
from models.train.common import (
    TrainConfig,
    device,
    load_base,
    load_tokenizer,
    lora_model,
    prepare_run,
    train_loop,
    trainable,
)
from models.train.data import Example, Renderer, collate
from models.train.losses import sft_loss
from service.formats import FORMAT_SETTINGS

T = TypeVar("T")


def add_common_args(parser: argparse.ArgumentParser, *, lr: float = 2e-4) -> None:
    """Arguments every phase takes (a phase adds its own)."""
    parser.add_argument("--out", type=Path, required=True, help="run folder (config, log, checkpoints, adapter)")
    parser.add_argument(
        "--base",
        type=Path,
        default=None,
        help="base model folder (HF format); default: the card's base, built under the model cache",
    )
    parser.add_argument("--card", default="lam-smollm2-135m", help="model card: prompt and output format")
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
        "--bf16",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="bf16 autocast (default: where this machine has fast bf16 kernels, else fp32 maths)",
    )


FROM_ARGS = (
    "seed", "lr", "epochs", "max_steps", "batch_size", "grad_accum", "max_len",
    "lora_r", "lora_alpha", "lora_dropout", "bf16", "save_every", "grad_checkpointing", "threads",
)  # fmt: skip


def config_from(args: argparse.Namespace, phase: str, **extra: Any) -> TrainConfig:
    """The run's config from the common arguments (``add_common_args``) plus the phase's own settings."""
    settings = {
        "init": str(args.init) if args.init else None,
        "base": str(args.base),
        "max_examples": args.max_examples,
        "output_format": output_format_of(args),  # what the adapter writes
        **extra,
    }
    # An argument left unset (None) takes TrainConfig's default: bf16 where this machine has fast kernels.
    common = {name: value for name in FROM_ARGS if (value := getattr(args, name)) is not None}
    return TrainConfig(phase=phase, **common, extra=settings)


def resolve_base(args: argparse.Namespace) -> None:
    """``--base`` defaults to the card's untrained base (never the served folder: see ``base.py``)."""
    if args.base is None:
        from models.train.base import base_folder
        from models.train.common import MODEL_CACHE

        args.base = base_folder(args.card, MODEL_CACHE)


def output_format_of(args: argparse.Namespace) -> str:
    """The format the run's targets are written in: ``--output-format``, else the card's."""
    return str(args.output_format or load_card(args.card).output_format)


def renderer_for(args: argparse.Namespace) -> Renderer:
    card = load_card(args.card).model_copy(update={"output_format": output_format_of(args)})
    return Renderer(card, load_tokenizer(args.base), args.base / "tokenizer.json")


def subset(items: Sequence[T], limit: int | None, seed: int) -> list[T]:
    """At most ``limit`` items, a seeded sample (order kept): a bounded run on a budget."""
    if limit is None or limit >= len(items):
        return list(items)
    keep = sorted(random.Random(f"{seed}/subset").sample(range(len(items)), limit))
    return [items[i] for i in keep]


def run_sft(
    args: argparse.Namespace, config: TrainConfig, renderer: Renderer, examples: Sequence[Example]
) -> list[dict[str, float]]:
    """Train a LoRA (fresh or ``--init``) on ``examples``; the adapter lands in ``out/adapter``."""
    examples = subset(examples, args.max_examples, args.seed)
    if not examples:
        raise SystemExit("no training examples")
    prepare_run(args.out, config, args.resume)
    model = lora_model(load_base(args.base), config, args.init)
    pad_id = int(renderer.tokenizer.pad_token_id or renderer.eos_id)
    dev = device()
    n_target = sum(len(e.input_ids) - e.prompt_len for e in examples)
    print(
        f"[{config.phase}] {len(examples)} examples, {sum(len(e.input_ids) for e in examples)} tokens "
        f"({n_target} target), on {dev}",
        flush=True,
    )

    def loss_fn(indices: list[int]) -> tuple[Any, int]:
        batch = collate([examples[i] for i in indices], pad_id).to(dev)
        return sft_loss(model, batch, config), int(batch.attention_mask.sum())

    return train_loop(
        model=model,
        params=trainable(model),
        keys=[e.input_ids for e in examples],
        loss_fn=loss_fn,
        config=config,
        out=args.out,
        resume=args.resume,
    )
