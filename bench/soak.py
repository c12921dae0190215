"""Soak: closed-loop agents against a running layer for a long while; errors and the layer's memory.

    python -m bench.soak [--url http://127.0.0.1:8000] [--agents 16] [--minutes 30] [--out results/soak.json]

Meant for ``make run`` on its defaults (not for CI: it takes half an hour). Agents behave as in
``bench.load`` (Retry-After honoured). Every minute it prints that minute's figures; at the end,
the totals: answers by status, errors other than a typed 429, and the layer's resident memory
(``process_resident_memory_bytes`` from its ``/metrics``) before the load, after the first minute
(caches filled) and at the end, with the growth from the first minute to the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.load import closed_loop, scrape
from bench.run import e2e_bodies


async def layer_rss_bytes(url: str) -> float:
    found = await scrape(url, {"process_resident_memory_bytes": "rss"})
    if "rss" not in found:
        raise RuntimeError(f"{url}/metrics has no process_resident_memory_bytes (several workers?)")
    return found["rss"]


def soak(url: str, agents: int, minutes: int) -> dict[str, Any]:
    bodies = e2e_bodies(64, offset=200)
    statuses: Counter[str] = Counter()
    other_errors, ok = 0, 0
    rss = {"before_mib": asyncio.run(layer_rss_bytes(url)) / 2**20}
    started = time.monotonic()
    for minute in range(1, minutes + 1):
        run = asyncio.run(closed_loop(url, bodies, agents, 60.0, 0.0)).summary()
        statuses.update(run["statuses"])
        other_errors += run["errors_other_than_429"]
        ok += sum(int(n) for s, n in run["statuses"].items() if s == "200")
        now_mib = asyncio.run(layer_rss_bytes(url)) / 2**20
        if minute == 1:
            rss["after_first_minute_mib"] = now_mib
        print(
            f"[soak] minute {minute}/{minutes}: {run['ok_steps_per_s']} ok/s, 429s {run['share_429']:.0%}, "
            f"p99 {run['admitted_p99_s']:.3f} s, other errors {run['errors_other_than_429']}, RSS {now_mib:.1f} MiB",
            flush=True,
        )
    rss["end_mib"] = now_mib
    warm = rss["after_first_minute_mib"]
    return {
        "url": url,
        "agents": agents,
        "minutes": minutes,
        "wall_s": round(time.monotonic() - started, 1),
        "ok_steps": ok,
        "statuses": dict(statuses),
        "errors_other_than_429": other_errors,
        "rss": {k: round(v, 1) for k, v in rss.items()},
        "rss_growth_after_first_minute": round((rss["end_mib"] - warm) / warm, 4),
        "rss_growth_from_before": round((rss["end_mib"] - rss["before_mib"]) / rss["before_mib"], 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Soak a running layer with closed-loop agents.")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--agents", type=int, default=16)
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--out", type=Path, default=Path("results/soak.json"))
    args = parser.parse_args(argv)
    result = soak(args.url, args.agents, args.minutes)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0 if result["errors_other_than_429"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
