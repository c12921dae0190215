"""Online evaluation: the closed loop observe -> ``POST /predict_action`` -> execute, in the simulator.

The evaluator plays UFO's part: it keeps the memory (each step's action, status and the app's
result), executes whatever action comes back (a wrong one has its effect; an impossible one its
error result), consents when the service asks (CONFIRM: execute and go on), and stops on FINISH,
FAIL, an error answer or the step limit. Success is the checker's verdict on the final document,
and the run must have ended with FINISH (``tsr_checker_only`` drops that condition); a task of kind
infeasible or already_done instead needs FAIL or FINISH and an untouched document (``lam.eval.kinds``).
Each step records whether it changed the document, to find no-op repeat loops (``lam.eval.loops``).
A task the service stopped answering (429/503/504 after the client's retries, or no connection) ends
``unanswered``: it is reported apart and left out of TSR, since it says nothing about the model.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict
from statistics import fmean, quantiles
from typing import Any

from lam.client import AsyncLamClient, LamClientError
from lam.eval.breakdown import online_breakdown
from lam.eval.kinds import online_success, task_kind
from lam.eval.loops import has_repeat_loop
from lam.eval.metrics import failure_of
from lam.tasks.checker import check
from lam.tasks.expert import build_app
from lam.tasks.model import Task
from lam.tasks.records import memory_step, request_body
from service.protocol import MemoryStep

MAX_STEPS = 30


async def run_task(client: AsyncLamClient, task: Task, max_steps: int = MAX_STEPS) -> dict[str, Any]:
    app = build_app(task)
    kind = task_kind(task)
    initial = before = app.doc.state()
    history: list[MemoryStep] = [memory_step(s) for s in task.prefix]  # steps taken before the model's turn
    trace: list[dict[str, Any]] = []
    latencies: list[float] = []
    ended, error, confirmations = "step_limit", None, 0
    started = time.perf_counter()
    for step in range(len(history), len(history) + max_steps):
        body = request_body(task, app.observation(), history, step)
        t0 = time.perf_counter()
        try:
            response = await client.predict(body)
        except LamClientError as exc:
            latencies.append(time.perf_counter() - t0)
            error, unanswered = failure_of(exc)
            ended = "unanswered" if unanswered else "error"
            break
        latencies.append(time.perf_counter() - t0)
        action = response.action.model_dump() if response.action is not None else None
        confirmations += response.status == "CONFIRM"
        result = app.execute_action(action)  # CONFIRM: the evaluator is the consenting user
        history.append(
            MemoryStep(
                control_label=(action or {}).get("control_label", ""),
                control_text=(action or {}).get("control_text", ""),
                function=(action or {}).get("function", ""),
                args=(action or {}).get("args", {}),
                status=response.status,
                result=result[:2000],
            )
        )
        after = app.doc.state()
        trace.append(
            {
                "status": response.status,
                "action": action,
                "result": result,
                "latency_s": latencies[-1],
                "prompt_tokens": response.usage.prompt_tokens,  # the step's prefill, for make bench
                "doc_changed": after != before,
            }
        )
        before = after
        if response.status in ("FINISH", "FAIL"):
            ended = response.status
            break
    verdict = check(task, app.doc)
    unchanged = app.doc.state() == initial
    return {
        "task_id": task.task_id,
        "family": task.family,
        "kind": kind,
        "request": task.request,
        "success": online_success(kind, ended, verdict.passed, unchanged),
        "checker_passed": verdict.passed,
        "ended": ended,
        "error": error,
        "steps": len(latencies),
        "confirmations": confirmations,
        "completion_time_s": time.perf_counter() - started,
        "step_latencies_s": latencies,
        "differences": verdict.differences,
        "doc_unchanged": unchanged,
        "repeat_loop": has_repeat_loop(trace),
        "trace": trace,
    }


def _mean(values: list[float]) -> float | None:
    return fmean(values) if values else None


def online_summary(all_results: list[dict[str, Any]]) -> dict[str, Any]:
    results = [r for r in all_results if r["ended"] != "unanswered"]
    n = len(results)
    wins = [r for r in results if r["success"]]
    latencies = [x for r in results for x in r["step_latencies_s"]]
    summary: dict[str, Any] = {
        "n_tasks": len(all_results),
        "n_unanswered_tasks": len(all_results) - n,
        "tsr": len(wins) / n if n else 0.0,
        "tsr_checker_only": sum(r["checker_passed"] for r in results) / n if n else 0.0,
        "avg_steps": _mean([float(r["steps"]) for r in results]),
        "avg_steps_success": _mean([float(r["steps"]) for r in wins]),
        "avg_completion_time_s": _mean([r["completion_time_s"] for r in results]),
        "avg_completion_time_success_s": _mean([r["completion_time_s"] for r in wins]),
        "avg_step_latency_s": _mean(latencies),
        "p50_step_latency_s": quantiles(latencies, n=100)[49] if len(latencies) > 1 else _mean(latencies),
        "p95_step_latency_s": quantiles(latencies, n=100)[94] if len(latencies) > 1 else _mean(latencies),
        "n_requests": sum(len(r["step_latencies_s"]) for r in all_results),
        "ended": dict(
            sorted({e: sum(r["ended"] == e for r in all_results) for e in {r["ended"] for r in all_results}}.items())
        ),
        "errors": dict(Counter(r["error"] for r in all_results if r["error"])),
    }
    by_family: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by_family[r["family"]].append(r)
    summary["per_family"] = {
        name: {
            "n_tasks": len(group),
            "tsr": sum(r["success"] for r in group) / len(group),
            "avg_steps": fmean(r["steps"] for r in group),
        }
        for name, group in sorted(by_family.items())
    }
    return {**summary, **online_breakdown(all_results)}


async def evaluate_online(
    client: AsyncLamClient, tasks: list[Task], concurrency: int = 6, max_steps: int = MAX_STEPS
) -> dict[str, Any]:
    """Run the tasks, ``concurrency`` at a time (each task's own steps are sequential by nature)."""
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(task: Task) -> dict[str, Any]:
        async with gate:
            return await run_task(client, task, max_steps)

    started = time.perf_counter()
    results = await asyncio.gather(*(one(t) for t in tasks))
    return {
        "mode": "online",
        **online_summary(list(results)),
        "wall_time_s": time.perf_counter() - started,
        "tasks": results,
    }
