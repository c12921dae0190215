"""The paper's metrics (docs/design.md section 8), as plain arithmetic on judged steps.

A step is judged on four independent parts: object (the control label), operation (the
function), args (with the action space's defaults filled and text compared case-insensitively)
and status. SSR, as in the paper, needs object, operation and status right; ``ssr_strict`` also
needs the args. TSR: every step of the task a success (``tsr_strict``: with args).
``ssr_lenient``/``tsr_lenient`` (args ignored) are the same numbers as ``ssr``/``tsr`` under the name
that says so: today's ``ssr`` IS the lenient one (``select_text`` of the wrong text still passes
it); only ``ssr_strict`` counts that step wrong. Every rate comes with its 95 % Wilson interval and
count, overall, per task kind and per family (``lam.eval.breakdown``).
The terminal step expects no action: any action there is wrong on object, operation and args.

An answer the service could not give (429/503/504 after the client's retries, or no connection) is
*unanswered*: it says nothing about the model, so it is counted apart and left out of every accuracy
(a task with an unanswered step is left out of TSR). An error answer the model caused (502: unusable
output) stays a wrong step.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from statistics import fmean
from typing import Any

from lam.action_space import load_space
from lam.client import LamApiError, LamClientError
from lam.eval.breakdown import offline_breakdown
from lam.tasks.model import ExpertStep, Kind

STEP_PARTS = ("object", "operation", "args", "status")
UNANSWERED_STATUSES = frozenset({429, 503, 504})  # capacity and availability: the service's, not the model's


def failure_of(exc: LamClientError) -> tuple[str, bool]:
    """What a failed call is recorded as, and whether it went unanswered (the service's, not the model's)."""
    if isinstance(exc, LamApiError):
        return f"{exc.status_code} {exc.error_type}", exc.status_code in UNANSWERED_STATUSES
    return "transport_error", True


@dataclass
class StepJudgement:
    step: int
    object_ok: bool
    operation_ok: bool
    args_ok: bool
    status_ok: bool
    expected: dict[str, Any]
    predicted: dict[str, Any] | None = None
    error: str | None = None
    latency_s: float | None = None
    unanswered: bool = False

    @property
    def success(self) -> bool:
        return self.object_ok and self.operation_ok and self.status_ok

    @property
    def strict_success(self) -> bool:
        return self.success and self.args_ok

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "success": self.success, "strict_success": self.strict_success}


@dataclass
class TaskJudgement:
    task_id: str
    family: str
    request: str
    steps: list[StepJudgement] = field(default_factory=list)
    kind: Kind = "feasible"

    @property
    def answered(self) -> bool:
        return not any(s.unanswered for s in self.steps)

    @property
    def success(self) -> bool:
        return bool(self.steps) and all(s.success for s in self.steps)

    @property
    def strict_success(self) -> bool:
        return bool(self.steps) and all(s.strict_success for s in self.steps)


def _fold(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    return value


def normalize_args(function: str, args: Mapping[str, Any], app: str = "word") -> dict[str, Any] | None:
    """Args with defaults filled and text folded; None when they are not valid for the function."""
    fdef = load_space(app).functions.get(function)
    if fdef is None:
        return None
    try:
        clean = fdef.validate_args(dict(args))
    except ValueError:
        return None
    return {k: _fold(v) for k, v in clean.items()}


def _no_action(action: Mapping[str, Any] | None) -> bool:
    return action is None or not action.get("function")


def judge_step(
    expected: ExpertStep, action: Mapping[str, Any] | None, status: str, latency_s: float | None = None
) -> StepJudgement:
    want = {"action": expected.action(), "status": expected.status}
    got = {"action": dict(action) if action is not None else None, "status": status}
    status_ok = status == expected.status
    if expected.action() is None:
        empty = _no_action(action)
        return StepJudgement(expected.step, empty, empty, empty, status_ok, want, got, latency_s=latency_s)
    if _no_action(action):
        return StepJudgement(expected.step, False, False, False, status_ok, want, got, latency_s=latency_s)
    assert action is not None
    operation_ok = action.get("function") == expected.function
    object_ok = str(action.get("control_label") or "") == expected.control_label
    args_ok = operation_ok and normalize_args(expected.function, action.get("args") or {}) == normalize_args(
        expected.function, expected.args
    )
    return StepJudgement(expected.step, object_ok, operation_ok, args_ok, status_ok, want, got, latency_s=latency_s)


def judge_error(
    expected: ExpertStep, error: str, latency_s: float | None = None, *, unanswered: bool = False
) -> StepJudgement:
    """An error answer is a wrong step on every part; ``unanswered`` ones are set apart by the summary."""
    want = {"action": expected.action(), "status": expected.status}
    return StepJudgement(
        expected.step, False, False, False, False, want, None, error=error, latency_s=latency_s, unanswered=unanswered
    )


def _frac(values: Iterable[bool]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def offline_summary(tasks: list[TaskJudgement]) -> dict[str, Any]:
    all_steps = [s for t in tasks for s in t.steps]
    steps = [s for s in all_steps if not s.unanswered]
    whole = [t for t in tasks if t.answered]
    latencies = [s.latency_s for s in steps if s.latency_s is not None]
    summary: dict[str, Any] = {
        "n_tasks": len(tasks),
        "n_steps": len(all_steps),
        "object_acc": _frac(s.object_ok for s in steps),
        "operation_acc": _frac(s.operation_ok for s in steps),
        "args_acc": _frac(s.args_ok for s in steps),
        "status_acc": _frac(s.status_ok for s in steps),
        "ssr": _frac(s.success for s in steps),
        "tsr": _frac(t.success for t in whole),
        "ssr_strict": _frac(s.strict_success for s in steps),
        "tsr_strict": _frac(t.strict_success for t in whole),
        "n_errors": sum(s.error is not None for s in all_steps),
        "errors": dict(Counter(s.error for s in all_steps if s.error)),
        "n_unanswered_steps": len(all_steps) - len(steps),
        "n_unanswered_tasks": len(tasks) - len(whole),
        "avg_step_latency_s": fmean(latencies) if latencies else None,
    }
    by_family: dict[str, list[TaskJudgement]] = defaultdict(list)
    for t in tasks:
        by_family[t.family].append(t)
    summary["per_family"] = {
        name: {
            "n_tasks": len(group),
            "tsr": _frac(t.success for t in group if t.answered),
            "ssr": _frac(s.success for t in group for s in t.steps if not s.unanswered),
        }
        for name, group in sorted(by_family.items())
    }
    return {**summary, **offline_breakdown(tasks)}
