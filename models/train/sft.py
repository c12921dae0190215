"""Supervised fine-tuning on target tokens: the engine of phases 1, 2 and 3 (they differ in data only)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, TypeVar

from models.train.checkpoints import prepare_run
from models.train.config import TrainConfig
from models.train.data import Example, Renderer, collate
from models.train.loop import train_loop
from models.train.lora import lora_model, trainable
from models.train.losses import sft_loss
from models.train.modeling import device, load_base
from models.train.options import RunOptions

T = TypeVar("T")


def subset(items: Sequence[T], limit: int | None, seed: int) -> list[T]:
    """At most ``limit`` items, a seeded sample (order kept): a bounded run on a budget."""
    if limit is None or limit >= len(items):
        return list(items)
    keep = sorted(random.Random(f"{seed}/subset").sample(range(len(items)), limit))
    return [items[i] for i in keep]


def run_sft(
    run: RunOptions, config: TrainConfig, renderer: Renderer, examples: Sequence[Example]
) -> list[dict[str, float]]:
    """Train a LoRA (fresh or ``--init``) on ``examples``; the adapter lands in ``out/adapter``."""
    examples = subset(examples, run.max_examples, run.seed)
    if not examples:
        raise SystemExit("no training examples")
    prepare_run(run.out, config, run.resume)
    model = lora_model(load_base(run.base), config, run.init)
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
        out=run.out,
        resume=run.resume,
    )
