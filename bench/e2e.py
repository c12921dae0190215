"""End-to-end steps through the layer on a real engine: latency, tokens, prefix-cache hits."""

from __future__ import annotations

import asyncio
import re
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

_METRIC = re.compile(r"^(vllm:prefix_cache_(?:hits|queries)_total)\{[^}]*\}\s+([0-9.eE+-]+)$", re.MULTILINE)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Steps:
    """What a run of steps measured."""

    concurrency: int
    latencies_s: list[float] = field(default_factory=list)
    prompt_tokens: list[int] = field(default_factory=list)
    completion_tokens: list[int] = field(default_factory=list)
    failures: int = 0
    wall_s: float = 0.0
    prefix_hit_rate: float | None = None

    def summary(self) -> dict[str, Any]:
        ok = len(self.latencies_s)
        return {
            "concurrency": self.concurrency,
            "steps": ok,
            "failures": self.failures,
            "p50_s": round(percentile(self.latencies_s, 50), 3),
            "p95_s": round(percentile(self.latencies_s, 95), 3),
            "steps_per_s": round(ok / self.wall_s, 2) if self.wall_s else None,
            "prompt_tokens_median": statistics.median(self.prompt_tokens) if self.prompt_tokens else None,
            "completion_tokens_median": statistics.median(self.completion_tokens) if self.completion_tokens else None,
            "prefix_cache_hit_rate": None if self.prefix_hit_rate is None else round(self.prefix_hit_rate, 3),
        }


async def prefix_cache_counters(client: httpx.AsyncClient, vllm_url: str) -> tuple[float, float]:
    """vLLM's (hits, queries) prefix-cache token counters."""
    text = (await client.get(f"{vllm_url}/metrics")).text
    values = {name: float(value) for name, value in _METRIC.findall(text)}
    return values.get("vllm:prefix_cache_hits_total", 0.0), values.get("vllm:prefix_cache_queries_total", 0.0)


async def run_steps(layer_url: str, bodies: list[dict[str, Any]], concurrency: int, vllm_url: str) -> Steps:
    """Send ``bodies`` to ``/predict_action`` with ``concurrency`` requests in flight."""
    result = Steps(concurrency)
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    limits = httpx.Limits(max_connections=concurrency + 2)
    async with httpx.AsyncClient(timeout=300, limits=limits) as client:
        hits0, queries0 = await prefix_cache_counters(client, vllm_url)

        async def worker() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                started = time.perf_counter()
                response = await client.post(f"{layer_url}/predict_action", json=body)
                if response.status_code != 200:
                    result.failures += 1
                    continue
                result.latencies_s.append(time.perf_counter() - started)
                usage = response.json()["usage"]
                result.prompt_tokens.append(usage["prompt_tokens"])
                result.completion_tokens.append(usage["completion_tokens"])

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.wall_s = time.perf_counter() - started
        hits1, queries1 = await prefix_cache_counters(client, vllm_url)
    if queries1 > queries0:
        result.prefix_hit_rate = (hits1 - hits0) / (queries1 - queries0)
    return result
