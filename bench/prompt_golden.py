"""Golden dump of what the layer sends and answers for every expert step of a task file, so that two
trees can be diffed byte for byte (a change that must not alter requests without a new field).

For each step (``lam.tasks.records.step_bodies``, the bodies training and evaluation use): the prompt
of every output format, with the served model's tokenizer and the default memory budget and with a
tight one (trimming exercised), then the layer's whole HTTP answer to that body from a scripted
upstream that replies with the expert's action (``timing_ms`` masked: it is a clock). One JSON line a
step. Run it with the tree under test first on the path::

    PYTHONPATH=/tmp/values_orig python bench/prompt_golden.py data/test.jsonl /tmp/before.jsonl
    PYTHONPATH=.                python bench/prompt_golden.py data/test.jsonl /tmp/after.jsonl
    cmp /tmp/before.jsonl /tmp/after.jsonl
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path
from typing import Any

import httpx

from lam.tasks.expert import expert_trajectory
from lam.tasks.model import read_tasks
from lam.tasks.records import step_bodies
from service.action_space import load_action_spaces
from service.app import create_app
from service.formats import CompactFormat, make_output_format
from service.prompt import build_prompt
from service.settings import DEFAULT_ACTION_SPACES_DIR, DEFAULT_MODEL, Settings
from service.tokens import load_token_counter
from service.vllm_client import VllmClient

FORMATS = ("compact", "compact-v2", "json")
BUDGETS = (1024, 40)
_TIMING = re.compile(rb'"timing_ms":\{[^}]*\}')


async def main(tasks_path: Path, out_path: Path) -> None:
    settings = Settings(output_format="compact", vllm_base_url="http://upstream/v1")
    counter = load_token_counter(settings.resolved_tokenizer_path())
    spaces = load_action_spaces([DEFAULT_ACTION_SPACES_DIR])
    formats = {name: make_output_format(name) for name in FORMATS}
    compact = CompactFormat()
    answer: list[str] = [""]

    def upstream(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/models"):
            return httpx.Response(200, json={"data": [{"id": DEFAULT_MODEL}]})
        usage = {"prompt_tokens": 100, "completion_tokens": 12}
        choice = {"message": {"content": answer[0]}, "finish_reason": "stop"}
        return httpx.Response(200, json={"choices": [choice], "usage": usage})

    client = VllmClient.from_settings(settings, http_transport=httpx.MockTransport(upstream))
    app = create_app(settings, client=client)
    steps = 0
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://layer") as layer,
    ):
        with out_path.open("w") as out:
            for task in read_tasks(tasks_path):
                trajectory = expert_trajectory(task)
                for body, step in zip(step_bodies(task, trajectory), trajectory.steps, strict=True):
                    space = spaces[body.app]
                    prompts = {
                        f"{name}/{budget}": build_prompt(body, space, counter, budget, fmt).messages
                        for name, fmt in formats.items()
                        for budget in BUDGETS
                    }
                    answer[0] = compact.render(space, step.function, step.control_label, step.args, step.status)
                    headers = {"X-Request-ID": f"golden-{steps}", "content-type": "application/json"}
                    response = await layer.post("/predict_action", content=body.model_dump_json(), headers=headers)
                    masked = _TIMING.sub(b'"timing_ms":"masked"', response.content).decode()
                    row: dict[str, Any] = {"task_id": task.task_id, "step": step.step, "prompts": prompts}
                    row["response"] = [response.status_code, masked]
                    out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
                    steps += 1
    await client.aclose()
    print(f"{steps} steps of {tasks_path} -> {out_path}", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2])))
