"""Closed-loop agents against ``/predict_action``, the way agents use it: one step after another, and
after a 429/503 they wait ``Retry-After`` and send the step again.

What an operator wants to know from such a run: successful steps a second (goodput), how many
answers were 429s, the latency of the admitted steps, and how fast a 429 comes back.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson

from bench.e2e import percentile
from lam.client import parse_retry_after

AGENTS = (1, 4, 16, 64)  # the rows of the "defaults under load" table


@dataclass
class LoadResult:
    agents: int
    seconds: float = 0.0
    admitted_s: list[float] = field(default_factory=list)
    rejected_s: list[float] = field(default_factory=list)  # time to answer each 429
    statuses: Counter[int] = field(default_factory=Counter)
    transport_errors: int = 0
    limits: list[float] = field(default_factory=list)  # the layer's admission limit, sampled every second

    def summary(self) -> dict[str, Any]:
        answers = sum(self.statuses.values())
        untyped = sum(n for status, n in self.statuses.items() if status not in (200, 429))
        return {
            "agents": self.agents,
            "seconds": round(self.seconds, 1),
            "ok_steps_per_s": round(len(self.admitted_s) / self.seconds, 2) if self.seconds else None,
            "share_429": round(self.statuses[429] / answers, 3) if answers else None,
            "admitted_p50_s": round(percentile(self.admitted_s, 50), 3),
            "admitted_p99_s": round(percentile(self.admitted_s, 99), 3),
            "p99_429_ms": round(percentile(self.rejected_s, 99) * 1000, 1) if self.rejected_s else None,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors_other_than_429": untyped + self.transport_errors,
            "limit_min_median_max": [min(self.limits), statistics.median(self.limits), max(self.limits)]
            if self.limits
            else None,
        }


async def _agent(
    session: aiohttp.ClientSession,
    url: str,
    bodies: itertools.cycle[bytes],
    warm_until: float,
    stop_at: float,
    result: LoadResult,
) -> None:
    body = next(bodies)
    while (now := time.perf_counter()) < stop_at:
        counted = now >= warm_until
        try:
            async with session.post(url, data=body, headers={"content-type": "application/json"}) as response:
                await response.read()
                status, retry_after = response.status, response.headers.get("Retry-After")
        except (aiohttp.ClientError, TimeoutError):
            result.transport_errors += counted
            await asyncio.sleep(1.0)
            continue
        elapsed = time.perf_counter() - now
        if counted:
            result.statuses[status] += 1
            if status == 200:
                result.admitted_s.append(elapsed)
            elif status == 429:
                result.rejected_s.append(elapsed)
        if status in (429, 503):
            wait_s = parse_retry_after(retry_after)
            await asyncio.sleep(min(1.0 if wait_s is None else wait_s, max(0.0, stop_at - time.perf_counter())))
            continue  # the same step again
        body = next(bodies)


async def closed_loop(
    layer_url: str, bodies: list[dict[str, Any]], agents: int, seconds: float, warmup_s: float
) -> LoadResult:
    """``agents`` closed-loop agents for ``warmup_s`` (not counted) then ``seconds`` (counted)."""
    result = LoadResult(agents)
    encoded = itertools.cycle([orjson.dumps(b) for b in bodies])
    connector = aiohttp.TCPConnector(limit=agents + 4)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        warm_until, stop_at = started + warmup_s, started + warmup_s + seconds
        url = f"{layer_url}/predict_action"
        sampler = asyncio.create_task(_sample_limit(layer_url, warm_until, result))
        await asyncio.gather(*(_agent(session, url, encoded, warm_until, stop_at, result) for _ in range(agents)))
        result.seconds = time.perf_counter() - warm_until
        sampler.cancel()
    return result


async def _sample_limit(layer_url: str, warm_until: float, result: LoadResult) -> None:
    await asyncio.sleep(max(0.0, warm_until - time.perf_counter()))
    while True:
        state = await admission_state(layer_url)
        if "admission_limit" in state:
            result.limits.append(state["admission_limit"])
        await asyncio.sleep(1.0)


_GAUGES = {
    "lam_admission_limit": "admission_limit",
    "lam_admission_latency_baseline_seconds": "baseline_s",
    "lam_admission_latency_recent_seconds": "recent_s",
}


async def scrape(layer_url: str, names: dict[str, str]) -> dict[str, float]:
    """Unlabelled samples of the layer's ``/metrics`` now, for ``names`` (metric -> key to return it under)."""
    async with aiohttp.ClientSession() as session, session.get(f"{layer_url}/metrics") as response:
        text = await response.text()
    found: dict[str, float] = {}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name in names:
            found[names[name]] = float(value)
    return found


async def admission_state(layer_url: str) -> dict[str, float]:
    """The layer's admission gauges now (its limit and the latencies it judges by)."""
    return {key: round(value, 3) for key, value in (await scrape(layer_url, _GAUGES)).items()}
