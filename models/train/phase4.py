"""Phase 4b, offline RL on failed trajectories (the paper's LAM4): DPO on reward-ranked action pairs.

The paper runs offline PPO with its reward model over LAM3's failed trajectories. We keep the
data (states of failed episodes) and the reward model, and replace PPO by DPO on pairs ranked by
that reward model:

1. every state of a failed episode (``--rollouts``) is a prompt;
2. candidates: the action the model took there, its greedy action and ``--candidates`` samples
   (at ``--temperature``, 1 by default, each valid under the step's grammar, so every candidate is servable);
3. the reward model (``reward.py``) scores each (state, candidate); the best and the worst form a
   pair when their rewards differ by at least ``--margin``;
4. DPO (beta ``--beta``) moves the policy, starting from LAM3 (``--init``), towards the better
   action relative to the LAM3 reference, whose log-probabilities are computed once up front.

Why DPO and not reward-weighted regression: RWR can only re-weight the actions the model already
took in failed episodes, most of them the very mistakes that failed them; a pair at the same state
says which of two actions is better, pushing the mistake down as much as the alternative up. Why
not PPO: on-policy rollouts in the loop are what a CPU cannot afford, and DPO with a fixed reference
is stable without a value model. The reward model's step noise (see ``reward.py``) is tolerated by
the margin filter.

``--pairs expert`` ranks by the environment instead of the learned reward model: at every distinct
state of a failed episode where the model left the expert's way (``dagger.expert_pairs``), the full
expert's action (its continuation passes the checker) over the one the model took (its episode
failed). No generation, no scoring: exact pairs at the model's own states, where the reward model's
ranking of the model's own samples found almost none (v1: 4 pairs passed the margin).
"""

from __future__ import annotations

import argparse
import gc
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import torch

from models.train.checkpoints import prepare_run
from models.train.config import TrainConfig
from models.train.dagger import expert_pairs
from models.train.data import Example, Renderer, collate
from models.train.decode import LocalPolicy
from models.train.loop import train_loop
from models.train.lora import load_merged, lora_model, trainable
from models.train.losses import dpo_loss, sequence_logprobs
from models.train.modeling import device, load_base
from models.train.options import RunOptions, add_run_args
from models.train.reward import RewardModel
from models.train.rollout import episode_records, read_episodes
from models.train.sft import subset
from service.errors import ModelOutputError
from service.protocol import PredictRequest


def add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rollouts", type=Path, nargs="+", required=True, help="rollouts.jsonl files")
    parser.add_argument(
        "--pairs",
        choices=("reward", "expert"),
        default="reward",
        help="reward: the model's candidates ranked by --reward; expert: the full expert's action over the one taken",
    )
    parser.add_argument("--reward", type=Path, default=None, help="reward model folder (reward run's adapter/)")
    parser.add_argument("--candidates", type=int, default=4, help="sampled alternatives per state")
    parser.add_argument(
        "--temperature", type=float, default=1.0, help="sampling temperature of the alternatives (higher: more diverse)"
    )
    parser.add_argument("--max-states", type=int, default=None, help="at most this many states")
    parser.add_argument("--max-candidate-tokens", type=int, default=64, help="longer candidates are dropped")
    parser.add_argument("--margin", type=float, default=0.5, help="least reward gap of a pair")
    parser.add_argument("--beta", type=float, default=0.1)
    add_run_args(parser, lr=5e-5)


@dataclass(frozen=True)
class Phase4Config:
    """``phase4``'s flags (``add_args``), parsed once by ``options.parse``."""

    rollouts: tuple[Path, ...]
    pairs: Literal["reward", "expert"]
    reward: Path | None
    candidates: int
    temperature: float
    max_states: int | None
    max_candidate_tokens: int
    margin: float
    beta: float
    run: RunOptions


def failed_records(paths: Sequence[Path], limit: int | None) -> list[dict[str, Any]]:
    """Every step of every failed episode, as a phase-2 record (the body and the action taken)."""
    records: list[dict[str, Any]] = []
    for path in paths:
        for episode in read_episodes(path):
            if not episode["success"]:
                records.extend(episode_records(episode))
    return records[:limit] if limit else records


def candidate_texts(
    policy: LocalPolicy, req: PredictRequest, taken: str, n: int, max_tokens: int, temperature: float
) -> list[str]:
    """The action taken, the greedy one and ``n`` samples; duplicates and unservable ones dropped."""
    greedy, space = policy.generate(req, max_new_tokens=max_tokens)
    sampled: list[str] = []
    if n:
        sampled, _ = policy.generate(req, n=n, sample=True, temperature=temperature, max_new_tokens=max_tokens)
    texts: list[str] = []
    for text in [taken, *greedy, *sampled]:
        if text in texts:
            continue
        try:
            policy.to_decision(req, text, space)
        except ModelOutputError:
            continue
        texts.append(text)
    return texts


def expert_ranked_pairs(config: Phase4Config, renderer: Renderer) -> list[dict[str, Any]]:
    """``--pairs expert``: at each distinct state of a failed episode where the model left the expert's
    way, the full expert's action (chosen) over the model's (rejected), rendered as the policy writes.

    The environment ranks these exactly (the expert's continuation passes the checker, the model's
    episode failed), where a learned reward model would rank them with its own noise.
    """
    episodes = [e for path in config.rollouts for e in read_episodes(path)]
    found = expert_pairs(episodes)
    pairs = []
    for pair in found[: config.max_states] if config.max_states else found:  # as failed_records reads it
        req = PredictRequest.model_validate(pair["body"])
        _, space = renderer.step_messages(req)
        chosen, rejected = (renderer.render_target(req, space, pair[k]) for k in ("chosen", "rejected"))
        if chosen != rejected:
            pairs.append({"body": pair["body"], "chosen": chosen, "rejected": rejected})
    return pairs


def reward_ranked_pairs(config: Phase4Config, renderer: Renderer, train: TrainConfig) -> list[dict[str, Any]]:
    """``--pairs reward``: the model's candidates at each state of a failed episode, scored by the reward
    model; the best over the worst where their rewards differ by at least ``--margin``."""
    opts = config.run
    if config.reward is None:
        raise SystemExit("phase4 --pairs reward needs --reward: the reward model's folder")
    torch.manual_seed(opts.seed)
    records = failed_records(config.rollouts, config.max_states)
    states = [PredictRequest.model_validate(r["body"]) for r in records]
    policy = LocalPolicy(load_merged(opts.base, opts.init), renderer)
    candidates = []
    for i, (req, record) in enumerate(zip(states, records, strict=True)):
        _, space = renderer.step_messages(req)
        taken = renderer.render_target(req, space, record["expected"])
        candidates.append(
            candidate_texts(policy, req, taken, config.candidates, config.max_candidate_tokens, config.temperature)
        )
        if (i + 1) % 20 == 0:
            print(f"[phase4] candidates for {i + 1}/{len(states)} states", flush=True)
    del policy
    gc.collect()
    reward = RewardModel(opts.base, config.reward)
    pad_id = int(renderer.tokenizer.pad_token_id or renderer.eos_id)
    pairs = []
    for req, texts in zip(states, candidates, strict=True):
        if len(texts) < 2:
            continue
        messages, _ = renderer.step_messages(req)
        batch = collate([renderer.encode(messages, t) for t in texts], pad_id).to(device())
        scores = reward.score(batch, train).tolist()
        best, worst = max(range(len(texts)), key=scores.__getitem__), min(range(len(texts)), key=scores.__getitem__)
        if best != worst and scores[best] - scores[worst] >= config.margin:
            pairs.append(
                {
                    "body": req.model_dump(mode="json", exclude_none=True),
                    "chosen": texts[best],
                    "rejected": texts[worst],
                    "rewards": [scores[best], scores[worst]],
                }
            )
    del reward
    gc.collect()
    return pairs


def build_pairs(config: Phase4Config, renderer: Renderer, train: TrainConfig) -> list[dict[str, Any]]:
    """Ranked pairs (``--pairs``), cached in ``out/pairs.jsonl`` (generation and scoring are the slow part)."""
    cache = config.run.out / "pairs.jsonl"
    if cache.exists():
        return [json.loads(line) for line in cache.read_text().splitlines() if line]
    if config.pairs == "expert":
        pairs = expert_ranked_pairs(config, renderer)
    else:
        pairs = reward_ranked_pairs(config, renderer, train)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs))
    return pairs


def run(config: Phase4Config) -> None:
    opts = config.run
    if opts.init is None:
        raise SystemExit("phase4 needs --init: the LAM3 adapter to improve")
    renderer = opts.renderer()
    train = opts.train_config(
        "phase4",
        rollouts=[str(p) for p in config.rollouts],
        pairs=config.pairs,
        **({"reward": str(config.reward)} if config.reward else {}),
        beta=config.beta,
        margin=config.margin,
        candidates=config.candidates,
        temperature=config.temperature,
    )
    prepare_run(opts.out, train, opts.resume)
    pairs = build_pairs(config, renderer, train)
    print(f"[phase4] {len(pairs)} ranked pairs ({config.pairs})", flush=True)
    if not pairs:
        raise SystemExit(f"no pair ({config.pairs}): nothing to learn from")
    pairs = subset(pairs, opts.max_examples, opts.seed)
    examples: list[tuple[Example, Example]] = []
    for p in pairs:
        messages, _ = renderer.step_messages(p["body"])
        examples.append((renderer.encode(messages, p["chosen"]), renderer.encode(messages, p["rejected"])))
    pad_id = int(renderer.tokenizer.pad_token_id or renderer.eos_id)
    model = lora_model(load_base(opts.base), train, opts.init)
    dev = device()

    def rows(indices: list[int]) -> Any:
        return collate([examples[i][0] for i in indices] + [examples[i][1] for i in indices], pad_id).to(dev)

    model.eval()  # the reference: LAM3 itself, before any update, without dropout
    with torch.no_grad():
        ref = torch.cat([sequence_logprobs(model, rows([i]), train) for i in range(len(examples))]).view(-1, 2)

    def loss_fn(indices: list[int]) -> tuple[torch.Tensor, int]:
        batch = rows(indices)
        logp = sequence_logprobs(model, batch, train)
        n = len(indices)
        idx = torch.tensor(indices, device=dev)
        loss = dpo_loss(logp[:n], logp[n:], ref[idx, 0], ref[idx, 1], config.beta)
        return loss, int(batch.attention_mask.sum())

    train_loop(
        model=model,
        params=trainable(model),
        keys=[c.input_ids for c, _ in examples],
        loss_fn=loss_fn,
        config=train,
        out=opts.out,
        resume=opts.resume,
    )
