"""What control values cost in prompt tokens: the measurement behind ``LAM_VALUE_TOKEN_BUDGET``'s default.

A Word Home screen as UI Automation lists it (``lam.sim.word_ui``: 114 controls, the Font, Font Size,
AutoSave, selected tab and Zoom values) with a Document of N words of the task corpus's prose (one
page of 11 pt Calibri, single-spaced, holds about 500), counted with the served model's tokenizer:
the value part as ``service.values`` budgets it, and the whole prompt as vLLM renders the chat::

    python -m bench.value_budget [data/test.jsonl]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from bench.tokens import render_chatml
from lam.sim.word_ui import screen
from lam.tasks.model import read_tasks
from service.action_space import load_action_spaces
from service.formats import make_output_format
from service.prompt import build_prompt
from service.protocol import PredictRequest
from service.settings import DEFAULT_ACTION_SPACES_DIR, Settings
from service.tokens import HFTokenCounter
from service.values import render_values

WORDS = (250, 500, 750, 1000)


def prose(tasks_path: Path, words: int) -> str:
    """Paragraphs of the corpus's documents, one per line, until ``words`` words."""
    out: list[str] = []
    count = 0
    for task in read_tasks(tasks_path):
        for block in task.doc.get("blocks", []):
            text = "".join(run.get("text", "") for run in block.get("runs", []))
            if text:
                out.append(text)
                count += len(text.split())
                if count >= words:
                    return "\n".join(out)
    return "\n".join(out)


def body(document: str | None) -> dict[str, Any]:
    controls = []
    for i, c in enumerate(screen("Home"), start=1):
        control: dict[str, Any] = {"label": str(i), "control_type": c.control_type, "name": c.name}
        if c.control_type == "Document":
            control["value"] = document
        elif c.value is not None and document is not None:
            control["value"] = c.value
        controls.append({k: v for k, v in control.items() if v is not None})
    return {"request": "Make the title bold", "app": "word", "observation": {"window_title": "a.docx - Word",
            "controls": controls}}  # fmt: skip


def main(tasks_path: Path) -> None:
    settings = Settings()
    tokenizer = settings.resolved_tokenizer_path()
    counter = HFTokenCounter(tokenizer)
    space = load_action_spaces([DEFAULT_ACTION_SPACES_DIR])["word"]
    fmt = make_output_format(settings.output_format)

    def prompt_tokens(raw: dict[str, Any], budget: int) -> int:
        messages = build_prompt(PredictRequest.model_validate(raw), space, counter, 1024, fmt, budget).messages
        return counter.count_many([render_chatml(messages)])[0]

    base = prompt_tokens(body(None), 0)
    print(f"tokenizer {tokenizer}; Word Home screen, {len(body(None)['observation']['controls'])} controls")
    print(f"prompt without values: {base} tokens")
    print("words  chars  value-tokens (budgeted)  prompt tokens (unbounded)  prompt - no-values")
    for words in WORDS:
        raw = body(prose(tasks_path, words))
        req = PredictRequest.model_validate(raw)
        values = render_values(req.observation.controls, 10**9, counter)
        assert values is not None
        suffixes, blocks = list(values.suffixes.values()), values.blocks
        lines = suffixes + ["\n" + b for b in blocks if b.startswith("> ")]
        budgeted = sum(counter.count_many(lines))
        total = prompt_tokens(raw, 10**9)
        chars = sum(len(c.get("value", "")) for c in raw["observation"]["controls"])
        print(f"{words:5}  {chars:5}  {budgeted:23}  {total:25}  {total - base:17}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "data/test.jsonl"))
