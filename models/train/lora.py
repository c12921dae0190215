"""The one LoRA adapter the phases carry: a fresh one, a continued one, or one merged into its base."""

from __future__ import annotations

import re
from pathlib import Path

from torch import nn

from models.train.config import TrainConfig
from models.train.modeling import load_base

LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


def lora_model(base_model: nn.Module, config: TrainConfig, init: Path | None = None) -> nn.Module:
    """A trainable LoRA on attention and MLP: a fresh one, or the previous phase's (``init``) to continue."""
    from peft import LoraConfig, PeftModel, get_peft_model

    if config.grad_checkpointing:
        base_model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    if init is not None:
        model = PeftModel.from_pretrained(base_model, init, is_trainable=True)
    else:
        lora = LoraConfig(
            r=config.lora_r,
            lora_alpha=config.lora_alpha,
            lora_dropout=config.lora_dropout,
            target_modules=list(LORA_TARGETS),
            task_type="CAUSAL_LM",
        )
        model = get_peft_model(base_model, lora)
    if config.train_layers is not None:
        freeze_below(model, int(base_model.config.num_hidden_layers) - config.train_layers)
    return model


_LAYER = re.compile(r"\.layers\.(\d+)\.")


def freeze_below(model: nn.Module, first: int) -> None:
    """Freeze the LoRA weights of decoder layers below ``first``: no trainable weight below it, so
    autograd's backward pass ends there (the cost the option is for)."""
    for name, param in model.named_parameters():
        match = _LAYER.search(name)
        if param.requires_grad and match is not None and int(match.group(1)) < first:
            param.requires_grad_(False)


def trainable(model: nn.Module) -> list[nn.Parameter]:
    return [p for p in model.parameters() if p.requires_grad]


def load_merged(base: Path, adapter: Path | None) -> nn.Module:
    """Base with an adapter merged in (inference, or the frozen start of the reward model)."""
    model = load_base(base)
    if adapter is None:
        return model
    from peft import PeftModel

    return PeftModel.from_pretrained(model, adapter).merge_and_unload()
