"""Phase 4a, the reward model: LAM3 with a scalar output layer, step labels +1 / -1, MSE (as the paper).

Every step of a successful trajectory (the expert's, and the model's own successes from the
rollouts) is labelled +1, every step of a failed trajectory -1. The input is the step exactly as
the policy sees and answers it (served prompt + rendered action + EOS); the scalar is read at the
EOS, where the backbone has seen both. The backbone is LAM3 (``--init``, merged, frozen) with a
fresh LoRA and the head trained on top: the reward model starts from the policy's own knowledge of
the app, which is why the paper builds it on LAM3.

Steps labelled -1 include correct early steps of failed episodes: the label is the trajectory's
fate, not the step's. That noise is the paper's choice too; it averages out as a per-step estimate
of "does this lead to success".
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from models.train.checkpoints import prepare_run
from models.train.data import collate, read_jsonl, select_tasks, tokenize_kept
from models.train.expert import ExpertOptions, add_expert_args, split_by_expert
from models.train.loop import train_loop
from models.train.lora import load_merged, lora_model, trainable
from models.train.losses import RewardHead, mse_loss
from models.train.modeling import device
from models.train.options import RunOptions, add_run_args
from models.train.rollout import episode_records, read_episodes
from models.train.sft import subset

HEAD = "reward_head"


def add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, required=True, help="folder of `lam data generate`")
    parser.add_argument("--rollouts", type=Path, nargs="+", required=True, help="rollouts.jsonl files (phase 3)")
    parser.add_argument("--per-family", type=int, default=4, help="expert tasks per family as positives")
    add_expert_args(parser)
    add_run_args(parser, lr=1e-4)


@dataclass(frozen=True)
class RewardConfig:
    """``reward``'s flags (``add_args``), parsed once by ``options.parse``."""

    data: Path
    rollouts: tuple[Path, ...]
    per_family: int
    expert: ExpertOptions
    run: RunOptions


def labelled_records(config: RewardConfig) -> list[dict[str, Any]]:
    """The expert's steps (+1) and every rollout step, +1 or -1 as its episode ended; shuffled by the seed."""
    seed = config.run.seed
    solved, _ = split_by_expert(read_jsonl(config.data / "phase2_train.jsonl"), config.expert.limited())
    out = [{**r, "reward": 1.0} for r in select_tasks(solved, config.per_family, seed)]
    for path in config.rollouts:
        for episode in read_episodes(path):
            label = 1.0 if episode["success"] else -1.0
            out.extend({**r, "reward": label} for r in episode_records(episode))
    random.Random(seed).shuffle(out)
    return out


def run(config: RewardConfig) -> None:
    opts = config.run
    if opts.init is None:
        raise SystemExit("reward needs --init: the LAM3 adapter the reward model is built on")
    records = labelled_records(config)
    pos = sum(r["reward"] > 0 for r in records)
    print(f"[reward] {len(records)} steps: {pos} labelled +1, {len(records) - pos} labelled -1", flush=True)
    renderer = opts.renderer()
    kept = subset(tokenize_kept(renderer, records, "phase2", opts.max_len), opts.max_examples, opts.seed)
    examples = [ex for ex, _ in kept]
    rewards = torch.tensor([r["reward"] for _, r in kept])
    train = opts.train_config("reward", data=str(config.data), rollouts=[str(p) for p in config.rollouts])
    prepare_run(opts.out, train, opts.resume)
    # The backbone is LAM3 merged and frozen; the reward model trains its own LoRA and the head.
    model = lora_model(load_merged(opts.base, opts.init), train)
    head = RewardHead(model.config.hidden_size).to(device())
    pad_id = int(renderer.tokenizer.pad_token_id or renderer.eos_id)

    def loss_fn(indices: list[int]) -> tuple[torch.Tensor, int]:
        batch = collate([examples[i] for i in indices], pad_id).to(device())
        return mse_loss(head(model, batch, train), rewards[indices].to(device())), int(batch.attention_mask.sum())

    train_loop(
        model=model,
        params=trainable(model) + list(head.parameters()),
        keys=[e.input_ids for e in examples],
        loss_fn=loss_fn,
        config=train,
        out=opts.out,
        resume=opts.resume,
        extra={HEAD: head},
    )
    (opts.out / "adapter" / "reward.json").write_text(json.dumps({"init": str(opts.init)}) + "\n")


class RewardModel:
    """A trained reward model, for scoring (state, action) steps in phase 4."""

    def __init__(self, base: Path, folder: Path) -> None:
        from peft import PeftModel

        meta = json.loads((folder / "reward.json").read_text())
        backbone = load_merged(base, Path(meta["init"]))
        self.model = PeftModel.from_pretrained(backbone, folder).eval()
        self.head = RewardHead(backbone.config.hidden_size).to(device())
        self.head.load_state_dict(torch.load(folder / f"{HEAD}.pt"))
        self.head.eval()

    @torch.no_grad()
    def score(self, batch: Any, config: Any) -> torch.Tensor:
        return self.head(self.model, batch, config)
