"""Training examples, rendered and tokenized exactly as the service and vLLM do at serving time.

One source of truth: the chat messages come from ``service.prompt.build_prompt`` applied to the
phase-2 record's ``body`` (the very body ``POST /predict_action`` receives), the target from the
card's output format's ``render`` (what the layer parses back), and the token ids from the
tokenizer's chat template with ``add_generation_prompt=True`` (what vLLM's chat endpoint feeds the
model), then the target and EOS. Only target tokens carry a label; the prompt is context.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.card import ModelCard
from service.action_space import ActionSpace
from service.formats import FORMAT_SETTINGS, PLAN_PREFIX, make_output_format
from service.prompt import PROMPT_FORMAT, build_prompt, system_text
from service.protocol import PredictRequest
from service.tokens import HFTokenCounter

if TYPE_CHECKING:
    import torch

IGNORE = -100
MEMORY_TOKEN_BUDGET = 1024  # the layer's default LAM_MEMORY_TOKEN_BUDGET


@dataclass(frozen=True)
class Example:
    input_ids: list[int]
    labels: list[int]  # IGNORE on prompt tokens
    weight: float = 1.0  # per-example loss weight (phase 3 may down-weight self-generated data)

    @property
    def prompt_len(self) -> int:
        return next(i for i, label in enumerate(self.labels) if label != IGNORE)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_space(app: str = "word") -> ActionSpace:
    from lam.action_space import load_space as load

    return load(app)


class Renderer:
    """Chat messages and token ids of training examples, for one model card and tokenizer.

    Refuses a card whose prompt format is not the one ``service.prompt`` renders: a model trained on
    another prompt than the one it is served with silently underperforms.
    """

    def __init__(self, card: ModelCard, tokenizer: Any, tokenizer_json: Path, max_arg_chars: int = 100) -> None:
        if card.prompt_format != PROMPT_FORMAT:
            raise SystemExit(
                f"card {card.name} says prompt format {card.prompt_format!r} but service.prompt renders "
                f"{PROMPT_FORMAT!r}: update the card (and retrain) first"
            )
        if card.output_format not in FORMAT_SETTINGS:
            raise SystemExit(f"unknown output format {card.output_format!r} in card {card.name}")
        self.tokenizer = tokenizer
        self.format = make_output_format(FORMAT_SETTINGS[card.output_format], max_arg_chars)
        self.counter = HFTokenCounter(tokenizer_json)
        self.eos_id = int(tokenizer.eos_token_id)

    # ---- text

    def step_messages(self, body: dict[str, Any] | PredictRequest) -> tuple[list[dict[str, str]], ActionSpace]:
        req = body if isinstance(body, PredictRequest) else PredictRequest.model_validate(body)
        space = load_space(req.app)
        return build_prompt(req, space, self.counter, MEMORY_TOKEN_BUDGET, self.format).messages, space

    def render_target(self, req: PredictRequest, space: ActionSpace, expected: dict[str, Any]) -> str:
        """Adapter to the output format's renderer: ``expected`` is a phase-2 record's {action, status}.

        The label becomes the format's reference to that control on this screen (itself in
        compact-v1, the quoted name in compact-v2), as the layer's ``parse`` reads it back.
        """
        action = expected.get("action") or {}
        label = action.get("control_label", "")
        if label:
            written = {lab: ref for ref, lab in self.format.references(req.observation.controls).items()}
            label = written.get(label, label)
        return self.format.render(
            space, action.get("function", ""), label, action.get("args") or {}, expected["status"]
        )

    def plan_messages(self, request: str, app: str = "word") -> tuple[list[dict[str, str]], ActionSpace]:
        """Phase 1's prompt: the app's system part, then the request alone."""
        space = load_space(app)
        user = f"Request: {' '.join(request.split())}\nWrite the plan, one step a line."
        return [
            {"role": "system", "content": system_text(space, self.format)},
            {"role": "user", "content": user},
        ], space

    @staticmethod
    def plan_target(plan: Sequence[str]) -> str:
        return "\n".join(f"{PLAN_PREFIX}{' '.join(step.split())}" for step in plan)

    # ---- tokens

    def prompt_ids(self, messages: list[dict[str, str]]) -> list[int]:
        """As vLLM's chat endpoint: the template with the generation prompt, no extra special tokens."""
        ids = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True, return_dict=False)
        return list(ids)

    def encode(self, messages: list[dict[str, str]], target: str, weight: float = 1.0) -> Example:
        prompt = self.prompt_ids(messages)
        answer = [*self.tokenizer(target, add_special_tokens=False)["input_ids"], self.eos_id]
        return Example(prompt + answer, [IGNORE] * len(prompt) + answer, weight)

    def phase2_example(self, record: dict[str, Any], weight: float = 1.0) -> Example:
        req = PredictRequest.model_validate(record["body"])
        messages, space = self.step_messages(req)
        return self.encode(messages, self.render_target(req, space, record["expected"]), weight)

    def phase1_example(self, record: dict[str, Any]) -> Example:
        messages, _ = self.plan_messages(record["request"], record.get("app", "word"))
        return self.encode(messages, self.plan_target(record["plan"]))


# ---------------------------------------------------------------- choosing records


def select_tasks(
    records: Sequence[dict[str, Any]], per_family: int | None, seed: int, families: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """All records of ``per_family`` tasks drawn from each family (a whole task or none of it).

    Stratified, so that a small subset still covers every family; seeded, so it is reproducible.
    """
    wanted = set(families) if families else None
    by_family: dict[str, list[str]] = defaultdict(list)
    for r in records:
        if (wanted is None or r["family"] in wanted) and r["task_id"] not in by_family[r["family"]]:
            by_family[r["family"]].append(r["task_id"])
    keep: set[str] = set()
    for family, ids in sorted(by_family.items()):
        ids = sorted(ids)
        random.Random(f"{seed}/{family}").shuffle(ids)
        keep.update(ids if per_family is None else ids[:per_family])
    return [r for r in records if r["task_id"] in keep]


def tokenize_kept(
    renderer: Renderer, records: Sequence[dict[str, Any]], kind: str, max_len: int
) -> list[tuple[Example, dict[str, Any]]]:
    """(example, its record) for each record that fits in ``max_len`` tokens.

    Longer ones are dropped (and counted), never truncated: a cut prompt would teach an answer to a
    question the service never asks.
    """
    kept = []
    for r in records:
        ex = renderer.phase2_example(r, float(r.get("weight", 1.0))) if kind == "phase2" else renderer.phase1_example(r)
        if len(ex.input_ids) <= max_len:
            kept.append((ex, r))
    dropped = len(records) - len(kept)
    if dropped:
        print(f"[data] dropped {dropped} of {len(records)} {kind} examples longer than {max_len} tokens", flush=True)
    return kept


def tokenize_all(renderer: Renderer, records: Sequence[dict[str, Any]], kind: str, max_len: int) -> list[Example]:
    return [ex for ex, _ in tokenize_kept(renderer, records, kind, max_len)]


# ---------------------------------------------------------------- batches


@dataclass
class Batch:
    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    labels: torch.Tensor
    weights: torch.Tensor

    def to(self, device: torch.device) -> Batch:
        return Batch(*(t.to(device) for t in (self.input_ids, self.attention_mask, self.labels, self.weights)))


def collate(examples: Sequence[Example], pad_id: int) -> Batch:
    """Right padding; padded positions are masked and carry no label."""
    import torch

    width = max(len(e.input_ids) for e in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE, dtype=torch.long)
    for row, e in enumerate(examples):
        n = len(e.input_ids)
        ids[row, :n] = torch.tensor(e.input_ids)
        mask[row, :n] = 1
        labels[row, :n] = torch.tensor(e.labels)
    weights = torch.tensor([e.weight for e in examples], dtype=torch.float32)
    return Batch(ids, mask, labels, weights)
