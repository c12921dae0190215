"""The step as the issue states it: word2's own tasks played closed loop at concurrency 1, as
``lam eval online --concurrency 1`` plays them.

The e2e rows post one synthetic 50-control screen; a real session sends the environment's screens,
a memory that grows step by step and the prefix-cache hits that follow from both. So this section
does not post bodies of its own: it runs ``lam.eval.online.evaluate_online`` through the client of
``lam eval`` (``lam.eval.connect``) and reports the per-step latency that loop records.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import httpx

from bench import procs
from bench.e2e import percentile, prefix_cache_counters, run_steps
from bench.observations import observation_body
from bench.report import GOALS
from lam.client import AsyncLamClient
from lam.eval.connect import eval_client
from lam.eval.online import evaluate_online
from lam.tasks.catalog.protocol import SPLITS
from lam.tasks.model import Task
from lam.tasks.v2.generate import generate

TASKS = 24  # ~5 steps a task at ~0.5-1 s a step: a few minutes on 2 cores
QUICK_TASKS = 12
MAX_STEPS = 10  # about twice the expert's 5.2 steps a val task: a looping model is cut off sooner
SPLIT = "val"  # development data: the sealed splits (test, heldout_test) are scored only once
SEED = 0


def val_tasks(count: int, seed: int = SEED) -> list[Task]:
    """``count`` tasks of word2's val split, families evenly spread: each is the first task of its family
    in ``lam data generate --seed SEED``'s val.jsonl, built in memory (seconds, no phase files)."""
    sizes: dict[str, int] = {split: int(split == SPLIT) for split in SPLITS}
    tasks = generate(seed, sizes).tasks[SPLIT]
    n = min(count, len(tasks))
    return [tasks[i * len(tasks) // n] for i in range(n)]


def summarize(result: dict[str, Any], prefix_hit_rate: float | None, max_steps: int) -> dict[str, Any]:
    """The section's figures from ``evaluate_online``'s result: latencies are those the loop recorded for
    each answered step (its trace), so this is the figure ``lam eval online`` reports, not a re-timing."""
    steps = [step for task in result["tasks"] for step in task["trace"]]
    latencies = [float(step["latency_s"]) for step in steps]
    p50 = percentile(latencies, 50)
    goal = GOALS["online_c1_p50_s"]
    return {
        "split": f"word2 {SPLIT} (seed {SEED})",
        "concurrency": 1,
        "max_steps": max_steps,
        "tasks": len(result["tasks"]),
        "steps": len(steps),
        "failures": sum(task["ended"] in ("error", "unanswered") for task in result["tasks"]),
        "p50_s": round(p50, 3),
        "p95_s": round(percentile(latencies, 95), 3),
        "p50_goal_s": goal,
        "p50_goal_met": bool(latencies) and p50 <= goal,
        "prompt_tokens_median": statistics.median(s["prompt_tokens"] for s in steps) if steps else None,
        "prefix_cache_hit_rate": None if prefix_hit_rate is None else round(prefix_hit_rate, 3),
        "ended": result["ended"],
        "tsr": round(result["tsr"], 3),
        "wall_s": round(result["wall_time_s"], 1),
    }


async def play(
    client: AsyncLamClient, metrics: httpx.AsyncClient, vllm_url: str, tasks: list[Task], max_steps: int
) -> dict[str, Any]:
    """``tasks`` one at a time through ``client``, with vLLM's prefix-cache counters read around the run."""
    hits0, queries0 = await prefix_cache_counters(metrics, vllm_url)
    result = await evaluate_online(client, tasks, concurrency=1, max_steps=max_steps)
    hits1, queries1 = await prefix_cache_counters(metrics, vllm_url)
    rate = (hits1 - hits0) / (queries1 - queries0) if queries1 > queries0 else None
    return summarize(result, rate, max_steps)


async def _run(layer_url: str, vllm_url: str, tasks: list[Task], max_steps: int) -> dict[str, Any]:
    async with eval_client(layer_url, concurrency=1) as client, httpx.AsyncClient(timeout=30) as metrics:
        return await play(client, metrics, vllm_url, tasks, max_steps)


def measure_online(vllm_url: str, count: int, max_steps: int = MAX_STEPS) -> dict[str, Any]:
    """The section on a layer of its own in front of ``vllm_url``, warmed up first like the e2e rows."""
    started = time.perf_counter()
    tasks = val_tasks(count)
    print(f"[bench] {len(tasks)} word2 {SPLIT} tasks ready in {time.perf_counter() - started:.1f} s", flush=True)
    with procs.layer(vllm_url) as layer_url:
        warm = [{**observation_body("word", 50, 2), "task_id": f"warm-{i}"} for i in range(2)]
        asyncio.run(run_steps(layer_url, warm, 1, vllm_url))
        return asyncio.run(_run(layer_url, vllm_url, tasks, max_steps))
