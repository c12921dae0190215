"""The order of the batches and the learning rate over the steps: both functions of the seed alone.

``--resume`` rebuilds the same order from (seed, epoch) and skips what was done, so an interrupted
run continues exactly as an uninterrupted one would have.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence

from models.train.config import TrainConfig


def epoch_batches(
    keys: Sequence[Sequence[int]], batch_size: int, seed: int, epoch: int, group: int = 64
) -> list[list[int]]:
    """Shuffled batches of examples whose token ids sort together (``keys``: each example's ids).

    Neighbours in sorted order share the longest prompt prefix (the same screen), which the loss
    computes once per batch (``losses.hidden_states``), and have similar lengths (less padding).
    A function of (seed, epoch) only, so ``--resume`` rebuilds the same order and skips what was done.
    """
    rng = random.Random(f"{seed}/{epoch}")
    order = list(range(len(keys)))
    rng.shuffle(order)
    batches: list[list[int]] = []
    chunk = batch_size * group
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: tuple(keys[i]))
        batches.extend(part[i : i + batch_size] for i in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


def batch_stream(keys: Sequence[Sequence[int]], batch_size: int, seed: int) -> Iterator[list[int]]:
    epoch = 0
    while True:
        yield from epoch_batches(keys, batch_size, seed, epoch)
        epoch += 1


def total_steps(config: TrainConfig, n_examples: int) -> int:
    if config.max_steps is not None:
        return config.max_steps
    per_epoch = math.ceil(n_examples / config.batch_size)
    return max(1, math.ceil(per_epoch * config.epochs / config.grad_accum))


def lr_lambda(total: int, warmup_ratio: float) -> Callable[[int], float]:
    """Linear warm-up, then cosine decay to 10 %."""
    warmup = max(1, int(total * warmup_ratio))

    def f(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        progress = min(1.0, (step - warmup) / max(1, total - warmup))
        return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress))

    return f
