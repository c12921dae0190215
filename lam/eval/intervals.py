"""95 % Wilson score intervals for the evaluators' rates.

A rate from a few hundred tasks moves by several points between runs of the same model, so every
rate is reported with its interval and its count ``n``; two models whose intervals overlap are not
shown apart by the evaluation. Wilson rather than the normal approximation: it stays inside [0, 1]
and keeps a sensible width at 0/n and n/n, which are common here (a family solved every time).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from math import sqrt
from typing import Any

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile
DASH = "\u2013"  # en dash, between an interval's ends


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``successes``/``n``; (0, 1) when there is nothing to go on."""
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be in [0, {n}], got {successes}")
    p, z2 = successes / n, z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    lo = 0.0 if successes == 0 else max(0.0, centre - half)  # exact ends where rounding would miss them
    hi = 1.0 if successes == n else min(1.0, centre + half)
    return lo, hi


def rate(outcomes: Iterable[bool]) -> tuple[float, int, int]:
    """(rate, successes, n): the rate as the evaluators always computed it (0.0 when n is 0)."""
    items = list(outcomes)
    k = sum(items)
    return (k / len(items) if items else 0.0), k, len(items)


def with_intervals(outcomes: Mapping[str, Iterable[bool]]) -> dict[str, Any]:
    """Each named rate, plus ``intervals`` ({name: [lo, hi]}) and ``n`` ({name: count})."""
    out: dict[str, Any] = {"intervals": {}, "n": {}}
    for name, values in outcomes.items():
        value, k, n = rate(values)
        out[name] = value
        out["intervals"][name] = list(wilson(k, n))
        out["n"][name] = n
    return out


def percent_ci(value: float | None, interval: list[float] | None) -> str:
    """A rate and its interval in percent as RESULT.md shows them: 98.0 (96.3 en dash 99.0)."""
    if value is None:
        return "-"
    if not interval:
        return f"{100 * value:.1f}"
    return f"{100 * value:.1f} ({100 * interval[0]:.1f}{DASH}{100 * interval[1]:.1f})"
