"""Prometheus config and rules: promtool's checks, the rule unit tests, and coverage of every alert."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
PROM_DIR = REPO / "deploy" / "prometheus"
RULE_FILES = sorted((PROM_DIR / "rules").glob("*.yml"))
RULE_TESTS = sorted((PROM_DIR / "tests").glob("*.test.yml"))
OPERATING = REPO / "docs" / "operating.md"


def promtool_run(promtool: str, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([promtool, *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"promtool {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def alert_rules() -> list[dict[str, Any]]:
    return [
        rule
        for path in RULE_FILES
        for group in yaml.safe_load(path.read_text())["groups"]
        for rule in group["rules"]
        if "alert" in rule
    ]


def test_check_config(promtool: str) -> None:
    # Also loads the rule files it names (rules/*.yml).
    out = promtool_run(promtool, "check", "config", str(PROM_DIR / "prometheus.yml"))
    assert f"{len(RULE_FILES)} rule files found" in out.stdout


def test_check_rules(promtool: str) -> None:
    assert RULE_FILES
    promtool_run(promtool, "check", "rules", *map(str, RULE_FILES))


def test_rule_unit_tests(promtool: str) -> None:
    assert RULE_TESTS
    promtool_run(promtool, "test", "rules", *map(str, RULE_TESTS))


def test_every_alert_is_seen_firing_and_quiet_in_a_unit_test() -> None:
    fired: set[str] = set()
    quiet: set[str] = set()
    for path in RULE_TESTS:
        for case in yaml.safe_load(path.read_text())["tests"]:
            for check in case.get("alert_rule_test", []):
                (fired if check.get("exp_alerts") else quiet).add(check["alertname"])
    names = {rule["alert"] for rule in alert_rules()}
    assert names - fired == set(), "alerts never seen firing in a unit test"
    assert names - quiet == set(), "alerts never seen staying quiet in a unit test"


def test_the_issue_s_alerts_exist() -> None:
    """Step latency, error ratio, both targets down, vLLM queue and KV-cache, rejections."""
    exprs = {rule["alert"]: rule["expr"] for rule in alert_rules()}
    recorded = {
        rule["record"]: rule["expr"]
        for path in RULE_FILES
        for group in yaml.safe_load(path.read_text())["groups"]
        for rule in group["rules"]
        if "record" in rule
    }

    def expanded(expr: str) -> str:
        for name, body in recorded.items():
            expr = expr.replace(name, body)
        return expr

    wanted = {
        "lam_step_latency_seconds_bucket": "histogram_quantile(0.95",
        "lam_requests_total": 'outcome!~"ok|invalid_request"',
        'up{job="vllm"}': "== 0",
        'up{job="lam-layer"}': "== 0",
        "vllm:num_requests_waiting": ">",
        "vllm:kv_cache_usage_perc": ">",
        "lam_rejected_requests_total": "rate(",
    }
    for needle, also in wanted.items():
        matching = [name for name, expr in exprs.items() if needle in expanded(expr) and also in expanded(expr)]
        assert matching, f"no alert on {needle}"


@pytest.mark.parametrize("rule", alert_rules(), ids=lambda rule: rule["alert"])
def test_alert_is_documented(rule: dict[str, Any]) -> None:
    assert rule["labels"]["severity"] in {"critical", "warning"}
    assert {"summary", "description", "runbook_url"} <= set(rule["annotations"])
    anchor = rule["annotations"]["runbook_url"].split("#", 1)[1]
    headings = re.findall(r"^#+ +(.+)$", OPERATING.read_text(), flags=re.MULTILINE)
    anchors = {re.sub(r"[^a-z0-9 -]", "", h.strip().lower()).replace(" ", "-") for h in headings}
    assert anchor in anchors, f"docs/operating.md has no heading for #{anchor}"
