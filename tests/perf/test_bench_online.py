"""``make bench``'s online section without an engine: the online loop meets a scripted service at the
HTTP boundary (``httpx.MockTransport``), vLLM's counters are a fixed ``/metrics`` text."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

import bench.online
from bench.e2e import percentile
from bench.online import play, summarize, val_tasks
from bench.report import GOALS, online_row, table
from lam.client import AsyncLamClient
from lam.tasks.catalog.protocol import SPLITS
from lam.tasks.model import Task
from lam.tasks.v2.generate import generate

STEP_S = 0.03  # the scripted service answers a task's n-th step after n x this
PROMPT_TOKENS = (400, 500, 600)  # and reports these prompt tokens for steps 1, 2, 3 (the last says FINISH)


class ScriptedService:
    """Three answers per task, slower each step: CONTINUE (no action), CONTINUE, FINISH."""

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        task_id = json.loads(request.content)["task_id"]
        n = self.calls[task_id] = self.calls.get(task_id, 0) + 1
        await asyncio.sleep(STEP_S * n)
        body = {
            "action": None,
            "status": "FINISH" if n == 3 else "CONTINUE",
            "model": "scripted",
            "usage": {"prompt_tokens": PROMPT_TOKENS[n - 1], "completion_tokens": 3},
            "timing_ms": {"total": 1.0, "model": 1.0},
            "request_id": f"{task_id}-{n}",
            "prompt_format": "scripted",
        }
        return httpx.Response(200, json=body)


class Counters:
    """vLLM's ``/metrics``: 80 of 100 more prompt tokens hit the prefix cache between two reads."""

    def __init__(self) -> None:
        self.reads = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        hits, queries = (1000, 2000) if self.reads == 0 else (1080, 2100)
        self.reads += 1
        text = (
            f'vllm:prefix_cache_hits_total{{engine="0",model_name="m"}} {hits}\n'
            f'vllm:prefix_cache_queries_total{{engine="0",model_name="m"}} {queries}\n'
        )
        return httpx.Response(200, text=text)


def _tasks() -> list[Task]:
    sizes = {split: int(split == "val") for split in SPLITS}
    return generate(0, sizes, families=["italic", "font_size", "hidden_text"]).tasks["val"]


def test_the_section_reports_the_latencies_the_online_loop_records(monkeypatch: pytest.MonkeyPatch) -> None:
    recorded: list[dict[str, Any]] = []
    real = bench.online.evaluate_online

    async def spy(*args: Any, **kwargs: Any) -> dict[str, Any]:
        recorded.append(await real(*args, **kwargs))
        assert kwargs["concurrency"] == 1  # one task at a time, as the issue measures it
        return recorded[-1]

    monkeypatch.setattr(bench.online, "evaluate_online", spy)
    tasks = _tasks()

    async def run() -> dict[str, Any]:
        async with (
            AsyncLamClient("http://layer", transport=httpx.MockTransport(ScriptedService())) as client,
            httpx.AsyncClient(transport=httpx.MockTransport(Counters())) as metrics,
        ):
            return await play(client, metrics, "http://vllm", tasks, max_steps=5)

    summary = asyncio.run(run())
    latencies = [s["latency_s"] for t in recorded[0]["tasks"] for s in t["trace"]]
    assert summary["tasks"] == len(tasks) == 3 and summary["steps"] == len(latencies) == 9
    assert summary["p50_s"] == round(percentile(latencies, 50), 3)
    assert summary["p95_s"] == round(percentile(latencies, 95), 3)
    assert summary["p50_s"] == pytest.approx(2 * STEP_S, abs=0.025)  # the middle step of each task
    assert summary["p95_s"] >= 3 * STEP_S
    assert summary["prompt_tokens_median"] == 500
    assert summary["prefix_cache_hit_rate"] == 0.8
    assert summary["failures"] == 0 and summary["ended"] == {"FINISH": 3}
    assert summary["p50_goal_met"] is True


def _result(latencies_per_task: list[list[float]], ended: str = "FINISH") -> dict[str, Any]:
    tasks = [
        {"ended": ended, "trace": [{"latency_s": x, "prompt_tokens": 500 + i} for i, x in enumerate(latencies)]}
        for latencies in latencies_per_task
    ]
    return {"tasks": tasks, "ended": {ended: len(tasks)}, "tsr": 0.5, "wall_time_s": 12.0}


def test_p50_and_p95_are_nearest_rank_over_every_step_and_the_goal_is_judged_at_p50() -> None:
    met = summarize(_result([[0.1 * i for i in range(1, 11)], [0.1 * i for i in range(11, 21)]]), 0.9, 10)
    assert (met["steps"], met["tasks"], met["p50_s"], met["p95_s"]) == (20, 2, 1.0, 1.9)
    assert met["p50_goal_s"] == GOALS["online_c1_p50_s"] == 1.0
    assert met["p50_goal_met"] is True  # p50 exactly at the goal meets it
    assert met["prompt_tokens_median"] == 504.5
    missed = summarize(_result([[1.05] * 3, [0.2, 3.0]], ended="step_limit"), None, 10)
    assert (missed["p50_s"], missed["p95_s"], missed["p50_goal_met"]) == (1.05, 3.0, False)
    assert online_row(met)[2:] == ("p50 <= 1 s", "yes")
    assert online_row(missed)[2:] == ("p50 <= 1 s", "MISSED")
    assert "prefix-cache hits n/a" in online_row(missed)[1]


def test_the_goal_is_the_setting_in_goals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(GOALS, "online_c1_p50_s", 1.1)
    result = summarize(_result([[1.05] * 3]), 0.5, 10)
    assert result["p50_goal_met"] is True and online_row(result)[2] == "p50 <= 1.1 s"


def test_failed_tasks_are_counted_and_their_unanswered_steps_left_out() -> None:
    result = _result([[0.5, 0.7]])
    result["tasks"].append({"ended": "error", "trace": [{"latency_s": 0.6, "prompt_tokens": 500}]})
    result["tasks"].append({"ended": "unanswered", "trace": []})
    s = summarize(result, 0.5, 10)
    assert (s["failures"], s["steps"], s["p50_s"]) == (2, 3, 0.6)


def test_online_only_results_print_one_table() -> None:
    results = {"online": summarize(_result([[0.4, 0.6, 1.2]]), 0.75, 10)}
    printed = table(results)
    assert "closed loop (lam eval online), c=1" in printed and "p50 0.600 s" in printed
    assert "prefix-cache hits 75%" in printed and printed.splitlines()[-1].endswith("yes")


def test_the_tasks_are_word2_val_tasks_never_a_sealed_split() -> None:
    tasks = val_tasks(4)
    assert len(tasks) == 4 and {t.split for t in tasks} == {"val"} and {t.sim for t in tasks} == {"word2"}
    assert len({t.family for t in tasks}) == 4  # spread over the families
    assert [t.task_id for t in tasks] == [t.task_id for t in val_tasks(4)]
