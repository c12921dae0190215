"""Prompt format ``lam-prompt-v3``: the one renderer shared by the service and the training code.

Layout, most shared first, so that vLLM's prefix cache (128-token blocks on CPU) reuses what it can::

    system: role + the app's functions + the output rules     same for every request of an app
    user:   Controls (by type), values on their lines           same for agents on the same screen
            Document text (only when the client sends it)       the screen's content
            Window (the document's title)                       same within a task
            Plan / History (oldest first)                       grows step by step within a task
            Request                                             last: nearest to the answer

v3 moves the window title after the controls: it names the document, so in v2 it split the prefix
cache at the first user line between agents on the same screen of different documents.

Every token is paid for in prefill on every step, so the rendering is lean (v1 cost ~850 tokens for
50 controls, v2 ~500): controls are grouped under a ``Type:`` line, then one ``label name`` line each
(a newline before a label is one token, a ``|`` separator two); history steps are written in the
compact action syntax whatever the output format, the past control's text in brackets in place of its
label (labels are renumbered every step), status CONTINUE left implicit. The output format supplies
its part of the system message (its rules, the functions' signatures: ``service.formats``). We always
send a system message, so SmolLM2's chat template does not add its default one. Client text is
squashed to one line and cut to a length, and control types to letters, so no name or memory entry
can forge prompt structure. Memory is trimmed oldest-first to a token budget counted with the
model's tokenizer. Control values (optional; ``service.values``) end their control's line, a
Document's text follows the list, both within their own token budget; a request without values
renders byte for byte as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import orjson

from service.action_space import ActionSpace
from service.formats import IMPLICIT_STATUS, OutputFormat, function_arg_specs, render_args
from service.protocol import Control, MemoryStep, PredictRequest
from service.text import MAX_NAME_CHARS, control_type, display_name, squash
from service.tokens import TokenCounter
from service.values import DEFAULT_VALUE_TOKEN_BUDGET, render_values

PROMPT_FORMAT = "lam-prompt-v3"

MAX_RESULT_CHARS = 120
MAX_REQUEST_CHARS = 1000


@lru_cache(maxsize=64)
def system_text(space: ActionSpace, output_format: OutputFormat) -> str:
    """The static part: identical for every request of an app and format, so it is rendered once.

    Functions are listed by signature only: their names and typed args carry the meaning and the
    trained model learns the rest (descriptions stay in the action space file and on
    ``GET /v1/action-spaces/{app}``); each description would cost every step ~12 prompt tokens.
    """
    control = [fn for fn in space.functions.values() if fn.targets_control]
    app = [fn for fn in space.functions.values() if not fn.targets_control]
    lines = [f"You operate the app {space.app}: choose the next action for the request."]
    if control:
        lines.append("Functions on a control, after its label:")
        lines.extend(output_format.signature(fn) for fn in control)
    if app:
        lines.append("Functions on the app, no label:")
        lines.extend(output_format.signature(fn) for fn in app)
    lines.append(output_format.rules())
    return "\n".join(lines)


def render_controls(controls: list[Control], suffixes: Mapping[str, str] | None = None) -> list[str]:
    """Grouped by type (types sorted, screen order kept within a type): ``Type:`` then ``label name``,
    then the control's value where ``suffixes`` (by label, ``service.values``) has one."""
    groups: dict[str, list[str]] = {}
    for control in controls:  # hot: 50-200 controls a request, kept to plain operations
        name = display_name(control.name)
        line = f"{control.label} {name}" if name else control.label
        if suffixes and control.label in suffixes:
            line += suffixes[control.label]
        kind = control_type(control.control_type)
        group = groups.get(kind)
        if group is None:
            groups[kind] = [line]
        else:
            group.append(line)
    lines = []
    for kind in sorted(groups):
        lines.append(f"{kind}:")
        lines.extend(groups[kind])
    return lines


def render_step(step: MemoryStep, space: ActionSpace) -> str:
    """One past step, in the compact action syntax: ``[control text] function args STATUS: result``."""
    function = squash(step.function, 64)
    specs = function_arg_specs(space).get(function)
    if specs is not None and all(any(name == s.name for s in specs) for name in step.args):
        args = render_args(specs, step.args)
    elif step.args:
        args = " " + squash(orjson.dumps(step.args, option=orjson.OPT_SORT_KEYS).decode(), 300)
    else:
        args = ""
    target = squash(step.control_text, MAX_NAME_CHARS) or squash(step.control_label, 32)
    parts = [f"[{target}] " if target else "", function or "none", args]
    if step.status != IMPLICIT_STATUS:
        parts.append(f" {step.status}")
    if step.result:
        parts.append(f": {squash(step.result, MAX_RESULT_CHARS)}")
    return "".join(parts)


@dataclass(frozen=True)
class Prompt:
    messages: list[dict[str, str]]
    memory_steps_dropped: int
    value_chars_cut: int | None = None  # None: the request carried no value (``usage`` leaves both out)
    document_paragraphs_cut: int | None = None


def trim_memory(lines: list[str], budget: int, counter: TokenCounter) -> int:
    """How many of the oldest lines to drop so that the rest fit in ``budget`` tokens."""
    if not lines:
        return 0
    # A byte-level BPE token covers at least one byte: when the bytes fit, the tokens do (no tokenizer call).
    if sum(len(line.encode()) + 1 for line in lines) <= budget:
        return 0
    counts = counter.count_many(lines)
    total, keep = 0, 0
    for count in reversed(counts):
        if total + count > budget:
            break
        total += count
        keep += 1
    return len(lines) - keep


def build_prompt(
    req: PredictRequest,
    space: ActionSpace,
    counter: TokenCounter,
    memory_budget: int,
    output_format: OutputFormat,
    value_budget: int = DEFAULT_VALUE_TOKEN_BUDGET,
) -> Prompt:
    step_lines = [render_step(s, space) for s in req.memory.steps]
    dropped = trim_memory(step_lines, memory_budget, counter)
    values = render_values(req.observation.controls, value_budget, counter)
    parts = []
    if req.observation.controls:
        parts.append("Controls:")
        parts.extend(render_controls(req.observation.controls, values.suffixes if values else None))
    else:
        parts.append("Controls: none")
    if values:
        parts.extend(values.blocks)
    if req.observation.window_title:
        parts.append(f"Window: {squash(req.observation.window_title, MAX_NAME_CHARS)}")
    if req.memory.plan:
        parts.append("Plan: " + "; ".join(squash(p, MAX_NAME_CHARS) for p in req.memory.plan))
    kept = step_lines[dropped:]
    if kept or dropped:
        parts.append(f"History ({dropped} older steps omitted):" if dropped else "History:")
        parts.extend(kept)
    parts.append(f"Request: {squash(req.request, MAX_REQUEST_CHARS)}")
    return Prompt(
        messages=[
            {"role": "system", "content": system_text(space, output_format)},
            {"role": "user", "content": "\n".join(parts)},
        ],
        memory_steps_dropped=dropped,
        value_chars_cut=values.chars_cut if values else None,
        document_paragraphs_cut=values.paragraphs_cut if values else None,
    )
