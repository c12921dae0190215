"""A short headless locust run against the layer backed by the instant stub upstream: zero failures.

Bounded (15 s, 8 users) so that it fits in ``make test``; it exercises the locustfile, the realistic
observation mix (both apps, 10-200 controls) and the layer's whole pipeline, with no model.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from bench import procs

LOCUSTFILE = Path(__file__).resolve().parents[2] / "deploy" / "locust" / "locustfile.py"


def _locust(layer_url: str, prefix: Path, users: int, seconds: int) -> dict[tuple[str, str], dict[str, str]]:
    run = subprocess.run(
        [
            sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "-H", layer_url,
            "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--csv", str(prefix),
            "--html", f"{prefix}.html", "--only-summary", "--exit-code-on-error", "1",
        ],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    with open(f"{prefix}_stats.csv", newline="") as f:
        return {(r["Type"], r["Name"]): r for r in csv.DictReader(f)}


def test_headless_locust_run_has_no_failures(tmp_path: Path) -> None:
    prefix = tmp_path / "locust"
    with procs.stub_upstream() as stub, procs.layer(stub) as layer_url:
        rows = _locust(layer_url, prefix, users=8, seconds=15)
    predict = rows[("POST", "/predict_action")]
    assert int(predict["Request Count"]) > 50, predict
    assert int(predict["Failure Count"]) == 0 and int(rows[("", "Aggregated")]["Failure Count"]) == 0
    for name in ("timing_ms.total", "timing_ms.model", "timing_ms.overhead"):
        assert int(rows[("LAYER", name)]["Request Count"]) == int(predict["Request Count"])
    assert (tmp_path / "locust.html").stat().st_size > 10_000


def test_agents_wait_out_429s_and_count_them_apart_from_steps_and_failures(tmp_path: Path) -> None:
    """One slot and no queue: most attempts get a 429; agents wait Retry-After and retry, so the run has
    retried 429s, successful steps, and no failures."""
    with procs.stub_upstream() as stub, procs.layer(stub, LAM_MAX_CONCURRENCY="1", LAM_MAX_QUEUE="0") as layer_url:
        rows = _locust(layer_url, tmp_path / "overload", users=8, seconds=8)
    predict, retried = rows[("POST", "/predict_action")], rows[("POST", "/predict_action [429, retried]")]
    assert int(retried["Request Count"]) > 0 and int(predict["Request Count"]) > 0
    assert int(rows[("", "Aggregated")]["Failure Count"]) == 0
    # each agent waits >= 1 s after a 429: 8 agents for 8 s make at most ~8 x 8 retried attempts
    assert int(retried["Request Count"]) <= 8 * 9
