"""Where the model runs and how it is loaded: the device, the base LM and its tokenizer, bf16 autocast."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn

from models.train.config import TrainConfig


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


def causal_lm(model: nn.Module) -> nn.Module:
    """The ``*ForCausalLM`` inside a peft wrapper (LoRA layers injected), or the model itself."""
    get = getattr(model, "get_base_model", None)
    return get() if callable(get) else model


def autocast(config: TrainConfig) -> Any:
    return torch.autocast(device().type, dtype=torch.bfloat16, enabled=config.bf16)
