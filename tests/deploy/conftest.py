"""Fixtures of the deploy tests: the Prometheus binaries, a Prometheus started on a free port with its
own storage, the repo's Prometheus config rendered for other targets, and the dashboard's queries.

Helpers are handed out as fixtures (not imported) so that they work whatever the package layout of
tests/ becomes. The Debian packages come from scripts/install-system-deps.sh.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from stack.engine import free_port

REPO = Path(__file__).resolve().parents[2]
PROM_DIR = REPO / "deploy" / "prometheus"
DASHBOARD = REPO / "deploy" / "grafana" / "dashboards" / "lam-service.json"
INSTALL_HINT = "missing {0}: run scripts/install-system-deps.sh (Debian package prometheus)"


def _binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(INSTALL_HINT.format(name))
    return path


@pytest.fixture(scope="session")
def promtool() -> str:
    return _binary("promtool")


@pytest.fixture(scope="session")
def prometheus_binary() -> str:
    return _binary("prometheus")


def render_prometheus_config(targets: dict[str, str], interval: str = "1s") -> str:
    """deploy/prometheus/prometheus.yml with each job's targets replaced (jobs not named are dropped),
    the scrape and rule intervals set to ``interval`` and the rule files made absolute."""
    config = yaml.safe_load((PROM_DIR / "prometheus.yml").read_text())
    config["global"].update(scrape_interval=interval, scrape_timeout=interval, evaluation_interval=interval)
    config["rule_files"] = [str(PROM_DIR / pattern) for pattern in config["rule_files"]]
    jobs = []
    for job in config["scrape_configs"]:
        if job["job_name"] in targets:
            job["static_configs"] = [{"targets": [targets[job["job_name"]]]}]
            jobs.append(job)
    missing = set(targets) - {job["job_name"] for job in jobs}
    assert not missing, f"no such jobs in prometheus.yml: {missing}"
    config["scrape_configs"] = jobs
    return yaml.safe_dump(config, sort_keys=False)


@pytest.fixture(scope="session")
def render_prom_config() -> Callable[..., str]:
    return render_prometheus_config


@dataclass
class PrometheusServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def query(self, expr: str) -> list[dict[str, Any]]:
        """Instant query; raises on a PromQL error (the message names it)."""
        response = httpx.get(f"{self.url}/api/v1/query", params={"query": expr}, timeout=10)
        body = response.json()
        if body.get("status") != "success":
            raise AssertionError(f"query failed: {expr}\n{body.get('errorType')}: {body.get('error')}")
        result: list[dict[str, Any]] = body["data"]["result"]
        return result

    def get(self, path: str) -> Any:
        response = httpx.get(f"{self.url}{path}", timeout=10)
        response.raise_for_status()
        return response.json()["data"]

    def wait_for_scrapes(self, jobs: list[str], samples: int, timeout_s: float) -> None:
        """Until every job was scraped successfully ``samples`` times (rates need two)."""
        deadline = time.monotonic() + timeout_s
        while True:
            counts = {
                r["metric"]["job"]: float(r["value"][1]) for r in self.query("sum by (job) (sum_over_time(up[5m]))")
            }
            ups = {r["metric"]["job"]: float(r["value"][1]) for r in self.query("up")}
            if all(counts.get(j, 0) >= samples and ups.get(j) == 1 for j in jobs):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"scrapes not done in {timeout_s}s: up={ups} counts={counts}\n{self.tail()}")
            time.sleep(0.5)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


@pytest.fixture
def start_prometheus(prometheus_binary: str, tmp_path: Path) -> Iterator[Callable[[str], PrometheusServer]]:
    """Factory: start a Prometheus on a free port, own temp storage, with the given config text."""
    started: list[PrometheusServer] = []

    def start(config_text: str) -> PrometheusServer:
        workdir = tmp_path / f"prometheus-{len(started)}"
        workdir.mkdir()
        config = workdir / "prometheus.yml"
        config.write_text(config_text)
        port = free_port()
        log = workdir / "prometheus.log"
        with log.open("wb") as log_file:
            process = subprocess.Popen(
                [
                    prometheus_binary,
                    f"--config.file={config}",
                    f"--storage.tsdb.path={workdir / 'data'}",
                    f"--web.listen-address=127.0.0.1:{port}",
                    "--storage.tsdb.retention.time=1h",
                    "--log.level=warn",
                ],
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        server = PrometheusServer(url=f"http://127.0.0.1:{port}", process=process, log=log)
        started.append(server)
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise AssertionError(f"prometheus exited with {process.returncode}:\n{server.tail()}")
            try:
                if httpx.get(f"{server.url}/-/ready", timeout=1).status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"prometheus not ready in 30 s:\n{server.tail()}")
            time.sleep(0.2)

    yield start
    for server in started:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@dataclass(frozen=True)
class PanelQuery:
    panel: str
    ref_id: str
    expr: str

    def __str__(self) -> str:
        return f"{self.panel} [{self.ref_id}]"


def load_dashboard() -> dict[str, Any]:
    dashboard: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return dashboard


def iter_panels(dashboard: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for panel in dashboard["panels"]:
        yield panel
        yield from panel.get("panels", [])  # panels inside collapsed rows


def dashboard_queries() -> list[PanelQuery]:
    return [
        PanelQuery(panel["title"], target["refId"], target["expr"])
        for panel in iter_panels(load_dashboard())
        for target in panel.get("targets", [])
    ]


_VARIABLE = re.compile(r"\$\{(\w+)\}|\$(\w+)")


def substitute(expr: str, values: dict[str, str]) -> str:
    """Replace Grafana variables ($x and ${x}); fails on a variable not in ``values``."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name not in values:
            raise AssertionError(f"unknown Grafana variable ${name} in {expr}")
        return values[name]

    return _VARIABLE.sub(one, expr)


@pytest.fixture(scope="session")
def panel_queries() -> list[PanelQuery]:
    return dashboard_queries()


@pytest.fixture(scope="session")
def grafana_substitute() -> Callable[[str, dict[str, str]], str]:
    return substitute
