"""The three objectives, all on the backbone's hidden states at the positions that matter.

The LM head (576 x 49,152) is applied only where a target token is predicted: with ~450 prompt
tokens and ~6 target tokens per step, computing logits everywhere would be most of the head's cost
for positions that carry no label.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from models.train.config import TrainConfig
from models.train.data import IGNORE, Batch
from models.train.modeling import autocast, causal_lm

MIN_SHARED_PREFIX = 32  # below this, one plain forward is as cheap


def shared_prefix_len(batch: Batch) -> int:
    """Tokens every row starts with, stopping before any row's first label (targets stay in the suffix)."""
    ids, labels = batch.input_ids, batch.labels
    if ids.shape[0] < 2:
        return 0
    same = (ids == ids[:1]).all(dim=0) & (labels == IGNORE).all(dim=0)
    differs = (~same).nonzero()
    limit = int(differs[0, 0]) if len(differs) else ids.shape[1]
    return min(limit, ids.shape[1] - 1)


def hidden_states(model: nn.Module, batch: Batch, config: TrainConfig) -> torch.Tensor:
    """The backbone's last hidden states; a prefix all rows share is computed once.

    Our prompts share most of their tokens (system text and the screen's controls come first, see
    ``service.prompt``), and batches are grouped by prompt (``schedule.epoch_batches``), so running
    the shared prefix once and the rows' suffixes on its key/value cache does the same maths (the
    gradient flows through the cache into the prefix) for a fraction of the compute.
    """
    backbone = causal_lm(model).model
    shared = shared_prefix_len(batch)
    with autocast(config):
        if shared < MIN_SHARED_PREFIX:
            return backbone(input_ids=batch.input_ids, attention_mask=batch.attention_mask).last_hidden_state
        rows = batch.input_ids.shape[0]
        prefix = backbone(input_ids=batch.input_ids[:1, :shared], use_cache=True)
        cache = prefix.past_key_values
        cache.batch_repeat_interleave(rows)
        suffix = backbone(
            input_ids=batch.input_ids[:, shared:],
            attention_mask=batch.attention_mask,
            past_key_values=cache,
            use_cache=True,
        )
    head = prefix.last_hidden_state.expand(rows, -1, -1)
    return torch.cat([head, suffix.last_hidden_state], dim=1)


def target_logprobs(model: nn.Module, batch: Batch, config: TrainConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """Log-probability of every target token (flat) and the row each belongs to."""
    hidden = hidden_states(model, batch, config)
    labels = batch.labels[:, 1:]
    where = labels != IGNORE
    with autocast(config):
        logits = causal_lm(model).lm_head(hidden[:, :-1][where])
    logp = torch.log_softmax(logits.float(), dim=-1)
    token_logp = logp.gather(1, labels[where].unsqueeze(1)).squeeze(1)
    rows = torch.arange(labels.shape[0], device=labels.device).unsqueeze(1).expand_as(labels)[where]
    return token_logp, rows


def sft_loss(model: nn.Module, batch: Batch, config: TrainConfig) -> torch.Tensor:
    """Cross-entropy on target tokens only, each example weighted (``Example.weight``)."""
    token_logp, rows = target_logprobs(model, batch, config)
    weights = batch.weights[rows]
    return -(token_logp * weights).sum() / weights.sum().clamp_min(1e-8)


def sequence_logprobs(model: nn.Module, batch: Batch, config: TrainConfig) -> torch.Tensor:
    """Sum of the target tokens' log-probabilities, one per row (DPO compares these)."""
    token_logp, rows = target_logprobs(model, batch, config)
    out = torch.zeros(batch.labels.shape[0], device=token_logp.device, dtype=token_logp.dtype)
    return out.index_add(0, rows, token_logp)


class RewardHead(nn.Module):
    """The paper's reward model: LAM3's backbone with an output layer that gives one scalar."""

    def __init__(self, hidden_size: int) -> None:
        super().__init__()
        self.score = nn.Linear(hidden_size, 1)
        nn.init.zeros_(self.score.bias)
        nn.init.zeros_(self.score.weight)  # starts at 0, between the labels; hidden norms are large

    def forward(self, model: nn.Module, batch: Batch, config: TrainConfig) -> torch.Tensor:
        """The scalar at the last real token (the EOS after the action): it has seen state and action."""
        hidden = hidden_states(model, batch, config)
        last = batch.attention_mask.sum(dim=1) - 1
        pooled = hidden[torch.arange(hidden.shape[0], device=hidden.device), last].float()
        return self.score(pooled).squeeze(-1)


def mse_loss(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return F.mse_loss(pred, target)


def dpo_loss(
    policy_chosen: torch.Tensor,
    policy_rejected: torch.Tensor,
    ref_chosen: torch.Tensor,
    ref_rejected: torch.Tensor,
    beta: float,
) -> torch.Tensor:
    """-log sigmoid(beta * ((pi_c - ref_c) - (pi_r - ref_r))), Rafailov et al. 2023."""
    margin = (policy_chosen - ref_chosen) - (policy_rejected - ref_rejected)
    return -F.logsigmoid(beta * margin).mean()
