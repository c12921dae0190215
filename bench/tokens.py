"""Prompt tokens of one observation, ours vs UFO-style, counted the way vLLM renders the chat.

SmolLM2's chat template is ChatML and adds a default system message only when none is sent; both
builders send one. When an engine URL is given, vLLM's own ``/tokenize`` counts (template included).
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import httpx
from tokenizers import Tokenizer

from bench.observations import observation_body
from bench.ufo_style import ufo_style_messages
from service.action_space import ActionSpace
from service.formats import CompactFormat
from service.prompt import build_prompt
from service.protocol import PredictRequest
from service.settings import DEFAULT_MODEL
from service.tokens import HFTokenCounter


def render_chatml(messages: list[dict[str, str]]) -> str:
    return "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages) + "<|im_start|>assistant\n"


class ChatTokens:
    def __init__(self, tokenizer_path: Path, vllm_url: str | None = None, model: str = DEFAULT_MODEL) -> None:
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.vllm_url = vllm_url
        self.model = model

    def count(self, messages: list[dict[str, str]]) -> int:
        if self.vllm_url:
            body = {"model": self.model, "messages": messages, "add_generation_prompt": True}
            return int(httpx.post(f"{self.vllm_url}/tokenize", json=body, timeout=30).json()["count"])
        return len(self.tokenizer.encode(render_chatml(messages), add_special_tokens=False).ids)


def prompt_tokens_table(
    spaces: dict[str, ActionSpace], counter: ChatTokens, tokenizer_path: Path, sizes: tuple[int, ...] = (10, 50, 200)
) -> list[dict[str, Any]]:
    """For Word observations of each size (2 memory steps): our prompt (compact-v1's rules) vs the UFO-style prompt."""
    memory_counter = HFTokenCounter(tokenizer_path)
    fmt = CompactFormat()
    rows = []
    for n in sizes:
        body = observation_body("word", n, 2)
        ours = build_prompt(PredictRequest.model_validate(body), spaces["word"], memory_counter, 1024, fmt).messages
        ufo = ufo_style_messages(body, spaces["word"])
        ours_n, ufo_n = counter.count(ours), counter.count(ufo)
        rows.append({"controls": n, "ours": ours_n, "ufo_style": ufo_n, "ratio": round(ours_n / ufo_n, 4)})
    return rows


def expert_action_tokens(tokenizer_path: Path, tasks: int = 40) -> dict[str, Any] | None:
    """Tokens a trained LAM generates per step: the expert actions of generated Word tasks
    (``lam.tasks``, the training data's source), rendered in each output format, plus end of sequence.
    ``None`` where the task generator is not available."""
    try:
        from lam.action_space import load_space
        from lam.tasks.generate import generate
        from lam.tasks.records import phase2_records
    except ImportError:
        return None
    from service.formats import make_output_format
    from service.protocol import PredictRequest

    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    data = generate(seed=3, sizes={"train": 0, "val": 0, "test": tasks})
    records = [
        r for t, j in zip(data.tasks["test"], data.trajectories["test"], strict=True) for r in phase2_records(t, j)
    ]
    space = load_space("word")
    out: dict[str, Any] = {"steps": len(records)}
    screens = [PredictRequest.model_validate(r["body"]).observation.controls for r in records]
    for name in ("compact", "compact-v2", "json"):
        fmt = make_output_format(name)  # type: ignore[arg-type]
        counts = []
        for record, controls in zip(records, screens, strict=True):
            action = record["expected"].get("action") or {}
            written = {label: ref for ref, label in fmt.references(controls).items()}  # v2: the quoted name
            label = written.get(action.get("control_label", ""), "")
            text = fmt.render(
                space, action.get("function", ""), label, action.get("args") or {}, record["expected"]["status"]
            )
            counts.append(len(tokenizer.encode(text, add_special_tokens=False).ids) + 1)
        out[name] = {"median": statistics.median(counts), "mean": round(statistics.mean(counts), 1), "max": max(counts)}
    return out
