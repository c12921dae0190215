"""Load for ``POST /predict_action``: agents stepping through tasks on realistic screens.

Each simulated agent sends observations like UFO's (Word and Excel, 10 to 200 controls, 0 to 10
memory steps; ``bench/observations.py``), one step after another with an optional think time (the
UI executing the action). Besides locust's own client-side timings it reports the service's own
``timing_ms`` as custom request types, so the layer's share is visible next to the model's:

    LAYER  timing_ms.total     whole /predict_action time as the service measured it
    LAYER  timing_ms.model     time waiting on vLLM
    LAYER  timing_ms.overhead  total - model: what the layer itself added

Headless runs (from the repository root; CSV and HTML reports under results/):

    # against a running layer (make run): 16 agents, 60 s
    .venv/bin/locust -f deploy/locust/locustfile.py --headless -H http://127.0.0.1:8000 \\
        -u 16 -r 4 -t 60s --csv results/locust --html results/locust.html

    # the layer alone, against the instant stub upstream (what tests/perf runs for 15 s)
    .venv/bin/python -m bench.stub_upstream --port 8021 &
    LAM_VLLM_BASE_URL=http://127.0.0.1:8021/v1 LAM_PORT=8000 LAM_MAX_CONCURRENCY=256 \\
        LAM_MAX_QUEUE=256 .venv/bin/python -m service &
    .venv/bin/locust -f deploy/locust/locustfile.py --headless -H http://127.0.0.1:8000 \\
        -u 32 -r 32 -t 30s --csv results/locust-stub --html results/locust-stub.html

Agents behave like agents: a 429 or 503 with ``Retry-After`` is not a failure but a "come back later":
the agent waits that long and retries the same step (up to ``LAM_LOCUST_MAX_RETRIES`` times; past
that it counts as a failure). Each such answer is reported under its own name,
``/predict_action [429, retried]`` (or 503), so ``POST /predict_action`` counts successful steps only:
its requests/s is the goodput, and failures are real errors (anything else, or retries exhausted). A
request cut off by locust's own stop at ``--run-time`` is reported as ``[cut by the stop]``, not as a failure.

Knobs (environment): ``LAM_LOCUST_THINK_S`` think time between an agent's steps (default 0: as
fast as answers come; each wait is 0.5x to 1.5x it), ``LAM_LOCUST_MAX_RETRIES`` retries of one step
after 429/503 (default 20), ``LAM_LOCUST_BODIES`` distinct observations in the pool (default 200),
``LAM_API_KEY`` sent as a bearer key when the service requires one. The web UI works too: drop
``--headless`` and open http://127.0.0.1:8089.
"""

from __future__ import annotations

import os
import random
import time

import orjson
from locust import between, constant, task
from locust.contrib.fasthttp import FastHttpUser
from locust.runners import STATE_CLEANUP, STATE_STOPPED, STATE_STOPPING

from bench.observations import realistic_mix  # bench and lam: installed packages (make install)
from lam.client import parse_retry_after

THINK_S = float(os.environ.get("LAM_LOCUST_THINK_S", "0"))
MAX_RETRIES = int(os.environ.get("LAM_LOCUST_MAX_RETRIES", "20"))
POOL = [orjson.dumps(body) for body in realistic_mix(int(os.environ.get("LAM_LOCUST_BODIES", "200")), seed=7)]
HEADERS = {"content-type": "application/json"}
if os.environ.get("LAM_API_KEY"):
    HEADERS["authorization"] = f"Bearer {os.environ['LAM_API_KEY']}"


def _fire(user: FastHttpUser, name: str, ms: float) -> None:
    user.environment.events.request.fire(
        request_type="LAYER", name=name, response_time=ms, response_length=0, exception=None, context={}
    )


class Agent(FastHttpUser):
    """One agent: asks for the next action, "executes" it (think time), asks again; backs off when told."""

    wait_time = between(0.5 * THINK_S, 1.5 * THINK_S) if THINK_S > 0 else constant(0)
    network_timeout = 300.0
    connection_timeout = 10.0

    @task
    def step(self) -> None:
        body = random.choice(POOL)
        for attempt in range(MAX_RETRIES + 1):
            wait_s = self._post(body, last_try=attempt == MAX_RETRIES)
            if wait_s is None:
                return
            time.sleep(wait_s)  # gevent-patched: this agent waits, the others go on

    def _stopping(self) -> bool:
        runner = self.environment.runner
        return runner is not None and runner.state in (STATE_CLEANUP, STATE_STOPPING, STATE_STOPPED)

    def _post(self, body: bytes, last_try: bool) -> float | None:
        """One attempt; the seconds to wait before retrying, or None when the step is over."""
        with self.client.post("/predict_action", data=body, headers=HEADERS, catch_response=True) as response:
            status = response.status_code
            wait_s = parse_retry_after(response.headers.get("retry-after")) if status in (429, 503) else None
            if wait_s is not None and not last_try:
                response.request_meta["name"] = f"/predict_action [{status}, retried]"
                response.success()
                return wait_s
            if status == 0 and self._stopping():  # cut by locust's own stop at --run-time: not the service's
                response.request_meta["name"] = "/predict_action [cut by the stop]"
                response.success()
                return None
            if status != 200:
                response.failure(f"{status}: {(response.text or '')[:200]}")
                return None
            try:
                timing = orjson.loads(response.content)["timing_ms"]
            except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
                response.failure(f"unreadable answer: {exc}")
                return None
            response.success()
        _fire(self, "timing_ms.total", timing["total"])
        _fire(self, "timing_ms.model", timing["model"])
        _fire(self, "timing_ms.overhead", max(0.0, timing["total"] - timing["model"]))
        return None
