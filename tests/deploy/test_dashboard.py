"""The Grafana dashboard and its provisioning: structure, metric names, and every panel's query run
through a real Prometheus scraping stand-in exporters shaped like the layer and vLLM (fast: no vLLM).

The layer's stand-in re-declares service/metrics.py's metrics (same names, labels, buckets) in a
registry of its own, so a wrong metric or label name in a panel gives an empty result here.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.metrics import MetricWrapperBase

from service import metrics as layer_metrics
from service.settings import DEFAULT_MODEL
from stack.engine import ENGINE_VENV

REPO = Path(__file__).resolve().parents[2]
GRAFANA = REPO / "deploy" / "grafana"
DASHBOARD = GRAFANA / "dashboards" / "lam-service.json"
RULE_FILES = sorted((REPO / "deploy" / "prometheus" / "rules").glob("*.yml"))

MODEL = DEFAULT_MODEL
APP = "word"
SUFFIXES = re.compile(r"_(bucket|sum|count|total|created)$")

# What the issue asks the dashboard to show, as metric names its queries must use.
REQUIRED_METRICS = {
    "lam_step_latency_seconds_bucket",
    "lam_requests_total",
    "lam_prompt_tokens_total",
    "lam_completion_tokens_total",
    "lam_actions_total",
    "lam_inflight_requests",
    "lam_rejected_requests_total",
    "vllm:time_to_first_token_seconds_bucket",
    "vllm:num_requests_running",
    "vllm:num_requests_waiting",
    "vllm:kv_cache_usage_perc",
    "vllm:prefix_cache_hits_total",
    "vllm:prefix_cache_queries_total",
    "lam_task_steps_bucket",
    "lam_task_duration_seconds_bucket",
}


def metric_names(expr: str) -> set[str]:
    return set(re.findall(r"(?<![\w:])((?:lam_|vllm:)[a-zA-Z0-9_:]+)", expr))


def all_exprs(panel_queries: list[Any]) -> list[str]:
    rules = [
        rule["expr"]
        for path in RULE_FILES
        for group in yaml.safe_load(path.read_text())["groups"]
        for rule in group["rules"]
    ]
    return [q.expr for q in panel_queries] + rules


# --- structure -------------------------------------------------------------------------------------


def test_dashboard_structure(panel_queries: list[Any]) -> None:
    import json

    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] == "lam-service"
    panels = dashboard["panels"]
    ids = [p["id"] for p in panels]
    assert len(ids) == len(set(ids)), "duplicate panel ids"
    for panel in panels:
        assert {"h", "w", "x", "y"} <= set(panel["gridPos"]), panel["title"]
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24, panel["title"]
        if panel["type"] != "row":
            assert panel["targets"], f"{panel['title']} has no query"
            assert panel["datasource"]["uid"] == "${datasource}"
            refs = [t["refId"] for t in panel["targets"]]
            assert len(refs) == len(set(refs))
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert {"datasource", "app", "model"} <= set(variables)
    assert variables["app"]["allValue"] == variables["model"]["allValue"] == ".*"
    assert len(panel_queries) >= 20


def test_dashboard_shows_what_the_issue_asks(panel_queries: list[Any]) -> None:
    used = set().union(*(metric_names(q.expr) for q in panel_queries))
    assert REQUIRED_METRICS - used == set()
    titles = " ".join(q.panel.lower() for q in panel_queries)
    for words in (
        "p50 / p95 / p99",
        "by outcome",
        "error ratio",
        "tokens per second",
        "function and status",
        "in flight and rejected",
        "time to first token",
        "running and waiting",
        "kv-cache",
        "prefix-cache hit rate",
        "task completion steps",
        "task completion time",
    ):
        assert words in titles, words


def test_layer_metrics_exist_in_service_metrics(panel_queries: list[Any]) -> None:
    declared = {m._name for m in vars(layer_metrics).values() if isinstance(m, MetricWrapperBase)}
    for expr in all_exprs(panel_queries):
        for name in metric_names(expr):
            if name.startswith("lam_"):
                assert SUFFIXES.sub("", name) in declared, f"{name} is not declared in service/metrics.py"


@pytest.mark.skipif(not ENGINE_VENV.exists(), reason=f"no engine venv at {ENGINE_VENV}")
def test_vllm_metrics_exist_in_vllm_source(panel_queries: list[Any]) -> None:
    """Names checked against the installed vLLM's own metric declarations."""
    sources = list(ENGINE_VENV.glob("lib/python3*/site-packages/vllm/v1/metrics/loggers.py"))
    assert sources, "vllm/v1/metrics/loggers.py not found in the engine venv"
    source = sources[0].read_text()
    declared = set(re.findall(r'name="(vllm:[a-zA-Z0-9_:]+)"', source))
    for expr in all_exprs(panel_queries):
        for name in metric_names(expr):
            if name.startswith("vllm:"):
                assert SUFFIXES.sub("", name) in declared, f"{name}: vLLM declares no such metric"


def test_provisioning_matches_the_dashboard_and_compose() -> None:
    datasource = yaml.safe_load((GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text())
    (source,) = datasource["datasources"]
    assert source["type"] == "prometheus" and source["url"] == "http://prometheus:9090"
    import json

    dashboard = json.loads(DASHBOARD.read_text())
    ds_var = next(v for v in dashboard["templating"]["list"] if v["name"] == "datasource")
    assert ds_var["current"]["value"] == source["uid"]

    provider = yaml.safe_load((GRAFANA / "provisioning" / "dashboards" / "lam.yml").read_text())
    (entry,) = provider["providers"]
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    mounts = compose["services"]["grafana"]["volumes"]
    assert f"./deploy/grafana/dashboards:{entry['options']['path']}:ro" in mounts
    assert "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro" in mounts


# --- every panel against a real Prometheus ------------------------------------------------------------


def _clone(metric: MetricWrapperBase, registry: CollectorRegistry) -> MetricWrapperBase:
    """The same metric (name, help, labels, buckets) in another registry."""
    kwargs: dict[str, Any] = {"labelnames": metric._labelnames, "registry": registry}
    if isinstance(metric, Histogram):
        kwargs["buckets"] = [b for b in metric._upper_bounds if b != float("inf")]
    return type(metric)(metric._name, metric._documentation, **kwargs)


class LayerLike:
    """service/metrics.py's metrics with traffic that moves on every scrape."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.m = {
            name: _clone(metric, self.registry)
            for name, metric in vars(layer_metrics).items()
            if isinstance(metric, MetricWrapperBase)
        }
        self.tick()

    def tick(self) -> None:
        m = self.m
        for outcome, seconds in (
            ("ok", 0.8),
            ("ok", 1.3),
            ("invalid_request", 0.002),
            ("model_error", 1.1),
            ("timeout", 30.0),
            ("unavailable", 0.01),
            ("rejected", 0.001),
        ):
            m["STEP_LATENCY"].labels(model=MODEL, app=APP, outcome=outcome).observe(seconds)
            m["REQUESTS"].labels(outcome=outcome).inc()
        m["MODEL_LATENCY"].labels(model=MODEL, app=APP).observe(0.7)
        m["INFLIGHT"].set(3)
        m["REJECTED"].labels(reason="overloaded").inc()
        m["PROMPT_TOKENS"].labels(model=MODEL, app=APP).inc(480)
        m["COMPLETION_TOKENS"].labels(model=MODEL, app=APP).inc(29)
        m["ACTIONS"].labels(function="click_input", status="CONTINUE").inc()
        m["INVALID_OUTPUTS"].labels(reason="unknown_label").inc()
        for status, steps, seconds in (("FINISH", 5, 6.0), ("FAIL", 12, 20.0)):
            m["TASK_STEPS"].labels(model=MODEL, app=APP, status=status).observe(steps)
            m["TASK_DURATION"].labels(model=MODEL, app=APP, status=status).observe(seconds)


class VllmLike:
    """The vLLM 0.32 metrics the dashboard reads, with its label names (model_name, engine)."""

    def __init__(self) -> None:
        self.registry = r = CollectorRegistry()
        labels = ["model_name", "engine"]
        self.gauges = {
            name: Gauge(name, name, labels, registry=r)
            for name in ("vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc")
        }
        self.counters = {
            name: Counter(name, name, labels, registry=r)
            for name in (
                "vllm:prefix_cache_queries",
                "vllm:prefix_cache_hits",
                "vllm:prompt_tokens",
                "vllm:generation_tokens",
            )
        }
        self.histograms = {
            name: Histogram(name, name, labels, registry=r)
            for name in (
                "vllm:time_to_first_token_seconds",
                "vllm:e2e_request_latency_seconds",
                "vllm:request_queue_time_seconds",
            )
        }
        self.tick()

    def tick(self) -> None:
        values = {"model_name": MODEL, "engine": "0"}
        for name, value in (
            ("vllm:num_requests_running", 2),
            ("vllm:num_requests_waiting", 1),
            ("vllm:kv_cache_usage_perc", 0.3),
        ):
            self.gauges[name].labels(**values).set(value)
        for name, amount in (
            ("vllm:prefix_cache_queries", 500),
            ("vllm:prefix_cache_hits", 300),
            ("vllm:prompt_tokens", 500),
            ("vllm:generation_tokens", 29),
        ):
            self.counters[name].labels(**values).inc(amount)
        for histogram in self.histograms.values():
            histogram.labels(**values).observe(0.2)


def _serve(source: LayerLike | VllmLike) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            source.tick()
            body = generate_latest(source.registry)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def stand_in_targets() -> Iterator[dict[str, str]]:
    servers = {"lam-layer": _serve(LayerLike()), "vllm": _serve(VllmLike())}
    yield {job: f"127.0.0.1:{s.server_address[1]}" for job, s in servers.items()}
    for server in servers.values():
        server.shutdown()
        server.server_close()


def test_every_panel_returns_data_from_a_real_prometheus(
    stand_in_targets: dict[str, str],
    render_prom_config: Callable[..., str],
    start_prometheus: Callable[[str], Any],
    panel_queries: list[Any],
    grafana_substitute: Callable[[str, dict[str, str]], str],
) -> None:
    prometheus = start_prometheus(render_prom_config(stand_in_targets, interval="1s"))
    prometheus.wait_for_scrapes(list(stand_in_targets), samples=3, timeout_s=20)

    # Concrete values, not ".*": a panel filtering on a label the metric lacks comes back empty.
    values = {"__rate_interval": "1m", "app": APP, "model": MODEL, "datasource": "prometheus"}
    empty = []
    for query in panel_queries:
        result = prometheus.query(grafana_substitute(query.expr, values))
        if not result or any(r["value"][1] in ("NaN", "+Inf", "-Inf") for r in result):
            empty.append(f"{query}: {query.expr} -> {result}")
    assert not empty, "panels without data:\n" + "\n".join(empty)

    # The recording and alerting rules loaded and evaluate without errors on the same data.
    groups = prometheus.get("/api/v1/rules")["groups"]
    rules = [rule for group in groups for rule in group["rules"]]
    assert len(rules) == sum(
        len(group["rules"]) for path in RULE_FILES for group in yaml.safe_load(path.read_text())["groups"]
    )
    assert [r["name"] for r in rules if r["health"] != "ok"] == []
    for record in ("model_app:lam_step_latency_seconds:p95_5m", ":lam_requests:error_ratio_5m"):
        assert prometheus.query(record), f"recording rule {record} has no data"
