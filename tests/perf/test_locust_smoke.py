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


def test_headless_locust_run_has_no_failures(tmp_path: Path) -> None:
    prefix = tmp_path / "locust"
    with procs.stub_upstream() as stub, procs.layer(stub) as layer_url:
        run = subprocess.run(
            [
                sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "-H", layer_url,
                "-u", "8", "-r", "8", "-t", "15s", "--csv", str(prefix), "--html", str(tmp_path / "report.html"),
                "--only-summary", "--exit-code-on-error", "1",
            ],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = {(r["Type"], r["Name"]): r for r in csv.DictReader(f)}
    predict = rows[("POST", "/predict_action")]
    assert int(predict["Request Count"]) > 50, predict
    assert int(predict["Failure Count"]) == 0 and int(rows[("", "Aggregated")]["Failure Count"]) == 0
    for name in ("timing_ms.total", "timing_ms.model", "timing_ms.overhead"):
        assert int(rows[("LAYER", name)]["Request Count"]) == int(predict["Request Count"])
    assert (tmp_path / "report.html").stat().st_size > 10_000
