"""What every phase shares: seeds, the LoRA configuration, loading, checkpoints and the training loop.

Why a small loop of our own rather than ``transformers.Trainer``: the phases need three different
losses (target-only cross-entropy, MSE on a scalar head, DPO) and only the target positions'
logits (the LM head over a 49k vocabulary on ~450 prompt tokens would cost a fifth of the
compute for nothing); resuming must reproduce the exact data order from the seed; and the whole
thing has to stay readable. A run folder holds::

    config.json        the arguments of the run (a resumed run must match them)
    log.jsonl          one line per optimizer step: step, loss, lr, tokens/s
    checkpoints/step-N adapter + trainer_state.pt (optimizer, scheduler, RNG, step); the last 2 kept
    adapter/           the final adapter (what the next phase takes as ``--init``)
"""

from __future__ import annotations

import json
import math
import random
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import torch
from torch import nn

from models.cache import MODEL_CACHE as MODEL_CACHE  # re-exported: the one definition is models.cache

LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
KEEP_CHECKPOINTS = 2
RESUMABLE_CHANGES = ("max_steps", "save_every", "log_every", "threads", "grad_checkpointing")  # order unaffected

T = TypeVar("T")


def bf16_is_fast() -> bool:
    """Whether bf16 autocast speeds this machine up: a GPU with bf16, or a CPU with oneDNN's bf16 kernels.

    On a CPU without them (AVX2 only) autocast falls back to slow reference kernels: the CI smoke
    run's first step there ran at 12 tok/s in bf16 and timed out, where AVX-512 machines train at ~200.
    """
    if torch.cuda.is_available():
        return bool(torch.cuda.is_bf16_supported())
    return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


@dataclass
class TrainConfig:
    """Hyper-parameters of one run; written to ``config.json`` and checked on ``--resume``."""

    phase: str
    seed: int = 0
    lr: float = 2e-4
    epochs: float = 1.0
    max_steps: int | None = None  # optimizer steps; overrides epochs when set
    batch_size: int = 4
    grad_accum: int = 2
    warmup_ratio: float = 0.05
    weight_decay: float = 0.0
    max_grad_norm: float = 1.0
    max_len: int = 1024
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    bf16: bool = field(default_factory=bf16_is_fast)  # bf16 autocast (fp32 master weights) where it is fast
    grad_checkpointing: bool = False  # recompute layer activations in backward: ~1/3 more compute, a few GB less
    save_every: int = 50
    log_every: int = 1
    threads: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n")


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def load_tokenizer(base: Path) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(base)


def load_base(base: Path) -> nn.Module:
    """The base causal LM in fp32 (LoRA trains fp32 masters; autocast does the bf16 maths)."""
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
    model.config.use_cache = False
    return model.to(device())


def lora_model(base_model: nn.Module, config: TrainConfig, init: Path | None = None) -> nn.Module:
    """A trainable LoRA on attention and MLP: a fresh one, or the previous phase's (``init``) to continue."""
    from peft import LoraConfig, PeftModel, get_peft_model

    if config.grad_checkpointing:
        base_model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    if init is not None:
        return PeftModel.from_pretrained(base_model, init, is_trainable=True)
    lora = LoraConfig(
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules=list(LORA_TARGETS),
        task_type="CAUSAL_LM",
    )
    return get_peft_model(base_model, lora)


def causal_lm(model: nn.Module) -> nn.Module:
    """The ``*ForCausalLM`` inside a peft wrapper (LoRA layers injected), or the model itself."""
    get = getattr(model, "get_base_model", None)
    return get() if callable(get) else model


def autocast(config: TrainConfig) -> Any:
    return torch.autocast(device().type, dtype=torch.bfloat16, enabled=config.bf16)


# ---------------------------------------------------------------- deterministic, resumable batches


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


# ---------------------------------------------------------------- checkpoints


def _checkpoints(out: Path) -> list[Path]:
    folder = out / "checkpoints"
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob("step-*") if (p / "trainer_state.pt").exists()), key=_step_of)


def _step_of(path: Path) -> int:
    return int(path.name.split("-")[1])


def latest_checkpoint(out: Path) -> Path | None:
    found = _checkpoints(out)
    return found[-1] if found else None


def save_trainable(model: nn.Module, folder: Path, extra: dict[str, nn.Module] | None = None) -> None:
    """The adapter (peft's own format, what ``--init`` and ``prepare`` read) plus any extra heads."""
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    for name, module in (extra or {}).items():
        torch.save(module.state_dict(), folder / f"{name}.pt")


def save_checkpoint(
    out: Path,
    step: int,
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    extra: dict[str, nn.Module] | None = None,
) -> None:
    folder = out / "checkpoints" / f"step-{step}"
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    save_trainable(model, tmp, extra)
    state = {
        "step": step,
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "rng": {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()},
    }
    torch.save(state, tmp / "trainer_state.pt")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)  # a checkpoint is complete or absent, never half-written
    for old in _checkpoints(out)[:-KEEP_CHECKPOINTS]:
        shutil.rmtree(old, ignore_errors=True)


def load_checkpoint(
    folder: Path,
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    extra: dict[str, nn.Module] | None = None,
) -> int:
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    set_peft_model_state_dict(model, load_file(str(folder / "adapter_model.safetensors")))
    for name, module in (extra or {}).items():
        module.load_state_dict(torch.load(folder / f"{name}.pt"))
    state = torch.load(folder / "trainer_state.pt", weights_only=False)
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    random.setstate(state["rng"]["python"])
    np.random.set_state(state["rng"]["numpy"])
    torch.set_rng_state(state["rng"]["torch"])
    return int(state["step"])


# ---------------------------------------------------------------- the loop


LossFn = Callable[[list[int]], tuple[torch.Tensor, int]]  # batch indices -> (loss, tokens processed)


def prepare_run(out: Path, config: TrainConfig, resume: bool) -> None:
    """Refuse to mix runs: a fresh run needs an empty folder, a resumed one the same config."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "config.json"
    if path.exists():
        if not resume:
            raise SystemExit(f"{out} already holds a run: pass --resume to continue it, or pick another --out")
        saved = json.loads(path.read_text())
        mine = json.loads(json.dumps(asdict(config)))
        changed = {k for k in mine if k not in RESUMABLE_CHANGES and saved.get(k) != mine[k]}
        if changed:
            raise SystemExit(f"--resume with different settings {sorted(changed)} than {path}")
    config.save(path)


def _truncate_log(path: Path, step: int) -> None:
    """Drop log lines past the checkpoint we resume from: those steps are done again."""
    if path.exists():
        rows = [line for line in path.read_text().splitlines() if line and json.loads(line)["step"] <= step]
        path.write_text("".join(row + "\n" for row in rows))


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
        _truncate_log(out / "log.jsonl", step)
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


def trainable(model: nn.Module) -> list[nn.Parameter]:
    return [p for p in model.parameters() if p.requires_grad]


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_merged(base: Path, adapter: Path | None) -> nn.Module:
    """Base with an adapter merged in (inference, or the frozen start of the reward model)."""
    model = load_base(base)
    if adapter is None:
        return model
    from peft import PeftModel

    return PeftModel.from_pretrained(model, adapter).merge_and_unload()
