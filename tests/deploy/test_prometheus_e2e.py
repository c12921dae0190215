"""End to end: a real Prometheus scrapes a real layer and a real vLLM (the session's ``layer_url`` and
``vllm_url``) while agents' steps go through, then every dashboard panel's query must return data.

The traffic is agents' real tasks: the simulated Word app's test tasks, each step's body as an agent
sends it (the expert's earlier steps as memory, ``task_id`` and ``step`` set), so tasks end with
FINISH and the task-completion panels get data too, plus bodies the layer must reject. Every panel
must return data; an empty one is either a broken query or a layer that never produced its
samples, and both fail.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

pytestmark = pytest.mark.integration

CONTROLS = [
    {"label": "1", "control_type": "Button", "name": "Bold"},
    {"label": "2", "control_type": "Button", "name": "Italic"},
]
TASKS = 4


def task_steps() -> list[list[dict[str, Any]]]:
    """Each task's step bodies, in order, as an agent replaying the expert's trajectory sends them."""
    from lam.tasks.expert import expert_trajectory
    from lam.tasks.families import FAMILY_BY_NAME
    from lam.tasks.generate import generate
    from lam.tasks.records import compact, step_bodies

    families = [FAMILY_BY_NAME[name] for name in ("bold", "font_size", "page_color", "already_done")]
    tasks = generate(seed=7, sizes={"train": 0, "val": 0, "test": 1}, families=families).tasks["test"][:TASKS]
    return [[compact(b) for b in step_bodies(task, expert_trajectory(task))] for task in tasks]


def invalid_body(i: int) -> dict[str, Any]:
    bodies: list[dict[str, Any]] = [
        {"app": "word", "observation": {"controls": CONTROLS}},  # no request
        {"request": "x", "app": "word", "observation": {"controls": [CONTROLS[0], CONTROLS[0]]}},  # duplicate labels
        {"request": "x", "app": "word", "observation": {"controls": CONTROLS}, "surprise": 1},  # extra field
    ]
    return bodies[i % len(bodies)]


def send_traffic(layer_url: str, tasks: list[list[dict[str, Any]]]) -> tuple[dict[int, int], list[str]]:
    """The tasks' steps, one step of every task at a time, with a 422 between rounds.

    Returns the status codes seen and each answer's status (CONTINUE, FINISH, ...).
    """
    statuses: dict[int, int] = {}
    answers: list[str] = []

    def post(body: dict[str, Any]) -> list[int]:
        """One step as an agent sends it: a 429 is waited out (its Retry-After, at most 2 s) and
        retried, up to 5 times, so every step is answered whatever the admission limit; every status
        seen is counted, the 429s included (their panels need them)."""
        codes = []
        with httpx.Client(base_url=layer_url, timeout=60) as client:
            for _ in range(6):
                response = client.post("/predict_action", json=body)
                codes.append(response.status_code)
                if response.status_code != 429:
                    break
                time.sleep(min(float(response.headers.get("retry-after", "1")), 2.0))
            if response.status_code == 200:
                answers.append(response.json()["status"])
        return codes

    with ThreadPoolExecutor(max_workers=TASKS) as pool:
        for step in range(max(len(t) for t in tasks)):
            codes = [c for cs in pool.map(post, [t[step] for t in tasks if step < len(t)]) for c in cs]
            codes.extend(post(invalid_body(step)))
            for code in codes:
                statuses[code] = statuses.get(code, 0) + 1
            time.sleep(1.0)  # let Prometheus scrape between rounds: counters must move, not just appear
    return statuses, answers


def families_with_samples(exposition: str) -> set[str]:
    names = set()
    for line in exposition.splitlines():
        if line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return {re.sub(r"_(bucket|sum|count|total|created)$", "", n) for n in names}


def has_data(result: list[dict[str, Any]]) -> bool:
    """A panel has data when one of its series has a number. Not all: the layer exports the task series
    of every app and ending at zero from start-up, and the rate of one that saw no task is 0/0 (NaN)."""
    return any(not math.isnan(float(r["value"][1])) for r in result)


def test_every_dashboard_panel_has_data_from_real_traffic(
    layer_url: str,
    vllm_url: str,
    render_prom_config: Callable[..., str],
    start_prometheus: Callable[[str], Any],
    panel_queries: list[Any],
    grafana_substitute: Callable[[str, dict[str, str]], str],
) -> None:
    targets = {"lam-layer": urlsplit(layer_url).netloc, "vllm": urlsplit(vllm_url).netloc}
    prometheus = start_prometheus(render_prom_config(targets, interval="1s"))
    prometheus.wait_for_scrapes(list(targets), samples=2, timeout_s=30)

    tasks = task_steps()
    statuses, answers = send_traffic(layer_url, tasks)
    rounds = max(len(t) for t in tasks)
    assert statuses.get(422, 0) == rounds, statuses
    assert statuses.get(200, 0) > 0, f"no step succeeded: {statuses}"
    assert {"FINISH", "FAIL"} & set(answers), f"no task ended (the LAM never said FINISH/FAIL): {answers}"

    # Wait until Prometheus holds the layer's final count, then two more scrapes for the rates.
    expected = sum(statuses.values())
    deadline = time.monotonic() + 30
    while True:
        result = prometheus.query('sum(lam_requests_total{job="lam-layer"})')
        if result and float(result[0]["value"][1]) >= expected:
            break
        assert time.monotonic() < deadline, f"Prometheus never saw {expected} requests: {result}"
        time.sleep(0.5)
    time.sleep(2.5)

    exposition = httpx.get(f"{layer_url}/metrics", timeout=10).text
    produced = families_with_samples(exposition)
    values = {"__rate_interval": "1m", "app": ".*", "model": ".*", "datasource": "prometheus"}
    empty = []
    for query in panel_queries:
        expr = grafana_substitute(query.expr, values)
        if has_data(prometheus.query(expr)):
            continue
        layer_families = {
            re.sub(r"_(bucket|sum|count|total|created)$", "", name)
            for name in re.findall(r"(?<![\w:])(lam_[a-zA-Z0-9_]+)", expr)
        }
        missing = sorted(layer_families - produced)
        empty.append(f"{query}: {expr}" + (f" (the layer produced no {missing})" if missing else ""))
    assert not empty, "panels without data:\n" + "\n".join(empty)

    # Recording rules computed on the real series, too.
    assert has_data(prometheus.query("model_app:lam_step_latency_seconds:p95_5m"))
    assert has_data(prometheus.query(":lam_requests:error_ratio_5m"))
