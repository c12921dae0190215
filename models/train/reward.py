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
from pathlib import Path
from typing import Any

import torch

from models.train.common import device, load_merged, lora_model, prepare_run, train_loop, trainable
from models.train.data import collate, read_jsonl, select_tasks, tokenize_kept
from models.train.expert import expert_from_args, split_by_expert
from models.train.losses import RewardHead, mse_loss
from models.train.phase2 import add_expert_args
from models.train.rollout import episode_records, read_episodes
from models.train.sft import add_common_args, config_from, renderer_for, subset

HEAD = "reward_head"


def add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, required=True, help="folder of `lam data generate`")
    parser.add_argument("--rollouts", type=Path, nargs="+", required=True, help="rollouts.jsonl files (phase 3)")
    parser.add_argument("--per-family", type=int, default=4, help="expert tasks per family as positives")
    add_expert_args(parser)
    add_common_args(parser, lr=1e-4)


def labelled_records(args: argparse.Namespace) -> list[dict[str, Any]]:
    expert = expert_from_args(args.expert, args.expert_max_actions, args.expert_unable)
    solved, _ = split_by_expert(read_jsonl(args.data / "phase2_train.jsonl"), expert)
    out = [{**r, "reward": 1.0} for r in select_tasks(solved, args.per_family, args.seed)]
    for path in args.rollouts:
        for episode in read_episodes(path):
            label = 1.0 if episode["success"] else -1.0
            out.extend({**r, "reward": label} for r in episode_records(episode))
    random.Random(args.seed).shuffle(out)
    return out


def run(args: argparse.Namespace) -> None:
    if args.init is None:
        raise SystemExit("reward needs --init: the LAM3 adapter the reward model is built on")
    records = labelled_records(args)
    pos = sum(r["reward"] > 0 for r in records)
    print(f"[reward] {len(records)} steps: {pos} labelled +1, {len(records) - pos} labelled -1", flush=True)
    renderer = renderer_for(args)
    kept = subset(tokenize_kept(renderer, records, "phase2", args.max_len), args.max_examples, args.seed)
    examples = [ex for ex, _ in kept]
    rewards = torch.tensor([r["reward"] for _, r in kept])
    config = config_from(args, "reward", data=str(args.data), rollouts=[str(p) for p in args.rollouts])
    prepare_run(args.out, config, args.resume)
    # The backbone is LAM3 merged and frozen; the reward model trains its own LoRA and the head.
    model = lora_model(load_merged(args.base, args.init), config)
    head = RewardHead(model.config.hidden_size).to(device())
    pad_id = int(renderer.tokenizer.pad_token_id or renderer.eos_id)

    def loss_fn(indices: list[int]) -> tuple[torch.Tensor, int]:
        batch = collate([examples[i] for i in indices], pad_id).to(device())
        return mse_loss(head(model, batch, config), rewards[indices].to(device())), int(batch.attention_mask.sum())

    train_loop(
        model=model,
        params=trainable(model) + list(head.parameters()),
        keys=[e.input_ids for e in examples],
        loss_fn=loss_fn,
        config=config,
        out=args.out,
        resume=args.resume,
        extra={HEAD: head},
    )
    (args.out / "adapter" / "reward.json").write_text(json.dumps({"init": str(args.init)}) + "\n")


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
