"""Two offline scorings of the same steps, compared step by step (the figures RESULTS quotes).

    python -m bench.paired BEFORE.json AFTER.json

Wilson intervals of two rates overlap long before a change is noise; on the *same* steps the
question is how many steps each model gets right that the other gets wrong. Prints those counts with
the exact McNemar p-value (two-sided binomial test on the discordant steps), and AFTER's expected ->
predicted status counts (FINISH and FAIL where asked, and where not). Reads ``lam eval offline``'s
RESULT.json or its ``.full.json.gz``.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from math import comb
from pathlib import Path
from typing import Any

from bench import quiet_pipe

Key = tuple[str, int]


def load(path: Path) -> dict[str, Any]:
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    result: dict[str, Any] = json.loads(raw)
    if result.get("mode", "offline") != "offline":  # an online result's tasks hold a step count, not steps
        raise SystemExit(f"{path}: an {result['mode']} result; paired compares lam eval offline's steps")
    if "tasks" not in result:
        raise SystemExit(f"{path}: no per-step records (use the RESULT.json of lam eval offline or its .full.json.gz)")
    return result


def strict_steps(result: dict[str, Any]) -> dict[Key, bool]:
    return {(t["task_id"], s["step"]): bool(s["strict_success"]) for t in result["tasks"] for s in t["steps"]}


def mcnemar_exact(gained: int, lost: int) -> float:
    """Two-sided exact p of ``gained`` vs ``lost`` discordant steps under "no difference" (p = 1/2)."""
    n = gained + lost
    if n == 0:
        return 1.0
    tail: float = sum(comb(n, i) for i in range(min(gained, lost) + 1)) / 2**n
    return min(1.0, 2 * tail)


def compare(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Steps right in AFTER only (gained) and in BEFORE only (lost); both must judge the same steps."""
    a, b = strict_steps(before), strict_steps(after)
    if a.keys() != b.keys():
        raise SystemExit(f"not the same steps: {len(a.keys() ^ b.keys())} differ")
    gained = sum(b[k] and not a[k] for k in a)
    lost = sum(a[k] and not b[k] for k in a)
    return {"steps": len(a), "gained": gained, "lost": lost, "p": mcnemar_exact(gained, lost)}


def status_counts(result: dict[str, Any]) -> Counter[tuple[str, str]]:
    """(expected status, predicted status) over every step; an unanswered or failed step predicts "-"."""
    return Counter(
        (s["expected"]["status"], (s["predicted"] or {}).get("status", "-"))
        for t in result["tasks"]
        for s in t["steps"]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    before, after = load(args.before), load(args.after)
    c = compare(before, after)
    counts = f"{c['gained']} right only after, {c['lost']} right only before"
    print(f"{c['steps']} steps: {counts}; exact McNemar p = {c['p']:.3f}")
    print("after, expected -> predicted status:")
    for (expected, predicted), n in sorted(status_counts(after).items()):
        print(f"  {expected:>8} -> {predicted:<8} {n}")


if __name__ == "__main__":
    quiet_pipe.run(main)  # read by `head`: stop quietly
