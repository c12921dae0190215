"""The hyper-parameters of one training run: what ``config.json`` records and ``--resume`` checks."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch


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
    """Hyper-parameters of one run; written to ``config.json`` and checked on ``--resume``.

    ``extra`` holds the phase's own settings (data, expert, augmentation...): other tools read it
    back (``python -m bench.table3`` serves a run under ``extra.output_format``), so its keys stay put.
    """

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
    # Train only the LoRA of the top N decoder layers (the rest stay as they are, init's or zero): the
    # backward pass then stops at layer L-N, ~1.8x faster at N = L/3 and without the lower layers'
    # saved activations. None: every layer.
    train_layers: int | None = None
    save_every: int = 50
    log_every: int = 1
    threads: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n")
