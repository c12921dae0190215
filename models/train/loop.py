"""The training loop every phase shares: AdamW, gradient accumulation, logging, resumable checkpoints.

Why a small loop of our own rather than ``transformers.Trainer``: the phases need three different
losses (target-only cross-entropy, MSE on a scalar head, DPO) and only the target positions'
logits (the LM head over a 49k vocabulary on ~450 prompt tokens would cost a fifth of the
compute for nothing); resuming must reproduce the exact data order from the seed; and the whole
thing has to stay readable. The run folder it fills is described in ``checkpoints.py``.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from models.train.checkpoints import latest_checkpoint, load_checkpoint, save_checkpoint, save_trainable, truncate_log
from models.train.config import TrainConfig
from models.train.schedule import batch_stream, lr_lambda, total_steps

LossFn = Callable[[list[int]], tuple[torch.Tensor, int]]  # batch indices -> (loss, tokens processed)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train_loop(
    *,
    model: nn.Module,
    params: list[nn.Parameter],
    keys: Sequence[Sequence[int]],
    loss_fn: LossFn,
    config: TrainConfig,
    out: Path,
    resume: bool,
    extra: dict[str, nn.Module] | None = None,
) -> list[dict[str, float]]:
    """AdamW over ``params``; gradient accumulation; checkpoint every ``save_every`` steps; resumable.

    Returns the log (one dict per optimizer step). The final adapter goes to ``out/adapter``.
    """
    if config.threads:
        torch.set_num_threads(config.threads)
    seed_everything(config.seed)
    optimizer = torch.optim.AdamW(params, lr=config.lr, weight_decay=config.weight_decay)
    total = total_steps(config, len(keys))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda(total, config.warmup_ratio))
    step = 0
    checkpoint = latest_checkpoint(out) if resume else None
    if checkpoint is not None:
        step = load_checkpoint(checkpoint, model, optimizer, scheduler, extra)
        truncate_log(out / "log.jsonl", step)
        print(f"[train] resumed from {checkpoint} at step {step}/{total}", flush=True)
    stream = batch_stream(keys, config.batch_size, config.seed)
    for _ in range(step * config.grad_accum):  # the same order as an uninterrupted run
        next(stream)
    log_path = out / "log.jsonl"
    history: list[dict[str, float]] = []
    model.train()
    while step < total:
        started = time.perf_counter()
        loss_sum, tokens = 0.0, 0
        for _ in range(config.grad_accum):
            loss, n_tokens = loss_fn(next(stream))
            (loss / config.grad_accum).backward()
            loss_sum += float(loss.detach()) / config.grad_accum
            tokens += n_tokens
        grad_norm = float(torch.nn.utils.clip_grad_norm_(params, config.max_grad_norm))
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
        elapsed = time.perf_counter() - started
        row = {
            "step": step,
            "loss": round(loss_sum, 5),
            "lr": scheduler.get_last_lr()[0],
            "grad_norm": round(grad_norm, 4),
            "tokens": tokens,
            "tokens_per_s": round(tokens / elapsed, 1),
            "time": round(time.time(), 1),
        }
        history.append(row)
        with log_path.open("a") as fh:
            fh.write(json.dumps(row) + "\n")
        if step % config.log_every == 0 or step == total:
            print(
                f"[train] {config.phase} step {step}/{total} loss {row['loss']:.4f} "
                f"lr {row['lr']:.2e} {row['tokens_per_s']:.0f} tok/s",
                flush=True,
            )
        if step % config.save_every == 0 and step < total:
            save_checkpoint(out, step, model, optimizer, scheduler, extra)
    save_checkpoint(out, step, model, optimizer, scheduler, extra)
    save_trainable(model, out / "adapter", extra)
    return history
