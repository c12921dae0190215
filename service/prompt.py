"""Prompt format ``lam-prompt-v1``: the one renderer shared by the service and the training code.

Layout (static first, so vLLM's prefix cache reuses it across steps and agents)::

    system: role + the app's functions + the output rules          (same for every request of an app)
    user:   Request / Plan / History (oldest first) / Window / Controls

Controls are one line each, ``label|control_type|name``; history steps one line each,
``[label name] function(args) -> status: result``. Every piece of client text is squashed to a
single line and cut to a length, so no control name or memory entry can forge prompt structure.
Memory is trimmed oldest-first to a token budget counted with the model's tokenizer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from service.action_space import ActionSpace
from service.protocol import Control, MemoryStep, PredictRequest
from service.tokens import TokenCounter

PROMPT_FORMAT = "lam-prompt-v1"

MAX_NAME_CHARS = 80
MAX_RESULT_CHARS = 120
MAX_REQUEST_CHARS = 1000
_SQUASH = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def squash(text: str, limit: int) -> str:
    """One line, control characters removed, at most ``limit`` characters."""
    flat = _SQUASH.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _signature(arg_schema: dict[str, object]) -> str:
    props = arg_schema.get("properties") or {}
    assert isinstance(props, dict)
    parts = []
    for name, prop in props.items():
        kind = "|".join(map(str, prop["enum"])) if "enum" in prop else prop.get("type", "any")
        parts.append(f"{name}:{kind}")
    return ", ".join(parts)


@lru_cache(maxsize=64)
def _system_text(space: ActionSpace) -> str:
    lines = [
        f"You are a Large Action Model operating the app '{space.app}'. "
        "Given the user's request, the steps taken so far and the controls on screen, "
        "choose the single next action.",
        "Functions (* = acts on a control, needs its label):",
    ]
    for fn in space.functions.values():
        star = "*" if fn.targets_control else " "
        lines.append(f"{star}{fn.name}({_signature(fn.args_schema)}): {fn.description}")
    lines.append(
        'Reply with JSON {"function","label","args","status"}. label is "" for functions without *. '
        "status: CONTINUE if more steps follow, FINISH when the request is done "
        '(function "" if nothing is left to do), FAIL if it cannot be done, '
        "CONFIRM if the action is sensitive and needs the user's consent."
    )
    return "\n".join(lines)


def render_control(control: Control) -> str:
    return f"{control.label}|{control.control_type}|{squash(control.name, MAX_NAME_CHARS)}"


def render_step(step: MemoryStep) -> str:
    args = json.dumps(step.args, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    target = (
        f"[{squash(step.control_label, 32)} {squash(step.control_text, MAX_NAME_CHARS)}] "
        if (step.control_label or step.control_text)
        else ""
    )
    result = f": {squash(step.result, MAX_RESULT_CHARS)}" if step.result else ""
    return f"{target}{squash(step.function, 64) or 'none'}({squash(args, 300)}) -> {step.status}{result}"


@dataclass(frozen=True)
class Prompt:
    messages: list[dict[str, str]]
    memory_steps_dropped: int


def trim_memory(lines: list[str], budget: int, counter: TokenCounter) -> int:
    """How many of the oldest lines to drop so that the rest fit in ``budget`` tokens."""
    if not lines:
        return 0
    counts = counter.count_many(lines)
    total, keep = 0, 0
    for count in reversed(counts):
        if total + count > budget:
            break
        total += count
        keep += 1
    return len(lines) - keep


def build_prompt(req: PredictRequest, space: ActionSpace, counter: TokenCounter, memory_budget: int) -> Prompt:
    step_lines = [render_step(s) for s in req.memory.steps]
    dropped = trim_memory(step_lines, memory_budget, counter)
    parts = [f"Request: {squash(req.request, MAX_REQUEST_CHARS)}"]
    if req.memory.plan:
        parts.append("Plan: " + "; ".join(squash(p, MAX_NAME_CHARS) for p in req.memory.plan))
    kept = step_lines[dropped:]
    if kept or dropped:
        header = f"History ({dropped} older steps omitted):" if dropped else "History:"
        parts.append(header)
        parts.extend(f"{dropped + i + 1}. {line}" for i, line in enumerate(kept))
    parts.append(f"Window: {squash(req.observation.window_title, MAX_NAME_CHARS)}")
    if req.observation.controls:
        parts.append("Controls (label|type|name):")
        parts.extend(render_control(c) for c in req.observation.controls)
    else:
        parts.append("Controls: none")
    return Prompt(
        messages=[
            {"role": "system", "content": _system_text(space)},
            {"role": "user", "content": "\n".join(parts)},
        ],
        memory_steps_dropped=dropped,
    )
