"""Rates with their intervals, overall and per group (task kind, family), offline and online.

Kept apart from ``metrics`` (how a step is judged) and ``online`` (the loop): this is only how the
judged outcomes are counted. The values equal those ``metrics.offline_summary`` and
``online.online_summary`` always reported (same outcomes, same k/n); this adds the intervals, the
counts and the groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from statistics import fmean
from typing import TYPE_CHECKING, Any, TypeVar

from lam.eval.intervals import with_intervals
from lam.tasks.model import KINDS

if TYPE_CHECKING:
    from lam.eval.metrics import StepJudgement, TaskJudgement

T = TypeVar("T")

STEP_RATES: dict[str, Callable[[StepJudgement], bool]] = {
    "object_acc": lambda s: s.object_ok,
    "operation_acc": lambda s: s.operation_ok,
    "args_acc": lambda s: s.args_ok,
    "status_acc": lambda s: s.status_ok,
    "ssr": lambda s: s.success,
    "ssr_strict": lambda s: s.strict_success,
    "ssr_lenient": lambda s: s.success,
}
TASK_RATES: dict[str, Callable[[TaskJudgement], bool]] = {
    "tsr": lambda t: t.success,
    "tsr_strict": lambda t: t.strict_success,
    "tsr_lenient": lambda t: t.success,
}


def grouped(
    items: Iterable[T],
    key: Callable[[T], str],
    summarize: Callable[[list[T]], dict[str, Any]],
    order: Sequence[str] = (),
) -> dict[str, Any]:
    """``summarize`` of each group: the names in ``order`` first, in that order, then the rest sorted."""
    groups: dict[str, list[T]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    rank = {name: i for i, name in enumerate(order)}
    names = sorted(groups, key=lambda name: (rank.get(name, len(rank)), name))
    return {name: summarize(groups[name]) for name in names}


def offline_rates(tasks: Sequence[TaskJudgement]) -> dict[str, Any]:
    """Every offline rate of ``tasks`` with intervals and counts (answered steps / answered tasks)."""
    steps = [s for t in tasks for s in t.steps if not s.unanswered]
    whole = [t for t in tasks if t.answered]
    outcomes = {name: [judge(s) for s in steps] for name, judge in STEP_RATES.items()}
    outcomes |= {name: [judge(t) for t in whole] for name, judge in TASK_RATES.items()}
    return {"n_tasks": len(tasks), "n_steps": sum(len(t.steps) for t in tasks), **with_intervals(outcomes)}


def offline_breakdown(tasks: Sequence[TaskJudgement]) -> dict[str, Any]:
    """What the offline summary adds: the lenient twins, intervals and counts, per kind and family."""
    overall = offline_rates(tasks)
    return {
        "ssr_lenient": overall["ssr_lenient"],
        "tsr_lenient": overall["tsr_lenient"],
        "intervals": overall["intervals"],
        "n": overall["n"],
        "by_kind": grouped(tasks, lambda t: t.kind, offline_rates, KINDS),
        "by_family": grouped(tasks, lambda t: t.family, offline_rates),
    }


def online_rates(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """TSR (and the checker-only TSR) of answered online runs, with intervals, counts and mean steps."""
    outcomes = {
        "tsr": [bool(r["success"]) for r in results],
        "tsr_checker_only": [bool(r["checker_passed"]) for r in results],
    }
    avg_steps = fmean(r["steps"] for r in results) if results else None
    return {"n_tasks": len(results), **with_intervals(outcomes), "avg_steps": avg_steps}


def online_breakdown(all_results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """What the online summary adds: intervals and counts, per kind and family, and the repeat loops."""
    results = [r for r in all_results if r["ended"] != "unanswered"]
    overall = online_rates(results)
    loops = [r["task_id"] for r in all_results if r.get("repeat_loop")]
    return {
        "intervals": overall["intervals"],
        "n": overall["n"],
        "by_kind": grouped(results, lambda r: str(r["kind"]), online_rates, KINDS),
        "by_family": grouped(results, lambda r: str(r["family"]), online_rates),
        "n_repeat_loops": len(loops),
        "repeat_loop_task_ids": loops,
    }
