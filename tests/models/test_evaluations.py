"""Evaluation results live outside the code packages, as small summaries plus compressed full records."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EVALUATIONS = ROOT / "evaluations"


def test_no_results_inside_the_models_package() -> None:
    assert not list((ROOT / "models").glob("*/results")), "evaluation results belong under evaluations/<card>/"


def test_each_summary_has_its_full_records_and_no_per_task_records() -> None:
    summaries = sorted(p for p in EVALUATIONS.rglob("*.json"))
    assert len(summaries) >= 2
    for summary in summaries:
        result = json.loads(summary.read_text(encoding="utf-8"))
        assert "tasks" not in result and result["mode"] in ("offline", "online"), summary
        full = summary.with_name(summary.name.removesuffix(".json") + ".full.json.gz")
        records = json.loads(gzip.decompress(full.read_bytes()))
        assert {k: v for k, v in records.items() if k != "tasks"} == result, summary


def test_the_model_docs_link_the_evaluations_folder() -> None:
    results_md = (ROOT / "models" / "lam-smollm2-135m" / "RESULTS.md").read_text(encoding="utf-8")
    assert "](../../evaluations/lam-smollm2-135m/)" in results_md
    assert (ROOT / "models" / "lam-smollm2-135m" / "../../evaluations/lam-smollm2-135m/README.md").exists()
