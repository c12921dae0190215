"""``OUT/table3.md`` from result dicts: the figures of ``lam eval``'s JSON, per split, compact.

The fixtures are trimmed from ``evaluations/lam-smollm2-135m/word2-v1/heldout_dev.*.json`` (the kinds'
strict and lenient TSR made to differ, so that the table shows it takes the strict one).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.table3_files import result_path
from bench.table3_md import Row, render, table

OFFLINE: dict[str, Any] = {
    "mode": "offline",
    "tasks_file": "/data/heldout_dev.jsonl",
    "n_tasks": 93,
    "n_steps": 464,
    "object_acc": 0.28879310344827586,
    "operation_acc": 0.5797413793103449,
    "args_acc": 0.5646551724137931,
    "status_acc": 0.7370689655172413,
    "ssr": 0.2650862068965517,
    "tsr": 0.010752688172043012,
    "ssr_strict": 0.2521551724137931,
    "tsr_strict": 0.010752688172043012,
    "n_unanswered_steps": 0,
    "n_unanswered_tasks": 0,
    "intervals": {
        "ssr_strict": [0.21478821559412228, 0.29359225034455305],
        "tsr_strict": [0.0019003, 0.0583959],
        "tsr": [0.0019003, 0.0583959],
    },
    "by_kind": {
        "feasible": {"n_tasks": 54, "tsr": 0.05555, "tsr_strict": 0.018518518518518517},
        "infeasible": {"n_tasks": 9, "tsr": 0.0, "tsr_strict": 0.0},
        "confirm": {"n_tasks": 15, "tsr": 0.0, "tsr_strict": 0.0},
    },
}
ONLINE: dict[str, Any] = {
    "mode": "online",
    "tasks_file": "/data/heldout_dev.jsonl",
    "n_tasks": 93,
    "n_unanswered_tasks": 2,
    "tsr": 0.043010752688172046,
    "avg_steps": 11.053763440860216,
    "avg_completion_time_s": 12.362301521183111,
    "avg_step_latency_s": 1.1143487918657529,
    "intervals": {"tsr": [0.016851153993758472, 0.10542559570513925]},
    "by_kind": {
        "feasible": {"n_tasks": 54, "tsr": 0.018518518518518517},
        "already_done": {"n_tasks": 10, "tsr": 0.3},
    },
    "n_repeat_loops": 41,
}
# A v1 result: no intervals, kinds or loop count.
V1_OFFLINE = {k: OFFLINE[k] for k in OFFLINE if k not in ("intervals", "by_kind", "n_unanswered_steps")}
V1_ONLINE = {k: ONLINE[k] for k in ONLINE if k not in ("intervals", "by_kind", "n_repeat_loops")}


def _rows(text: str, model: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(f"| {model} |")]


def test_offline_row_has_the_paper_columns_then_strict_rates_with_intervals() -> None:
    text = render([("heldout_dev", [Row("A", OFFLINE, None)])])
    head = "| model | tasks | steps | Object | Operation | Args | Status | SSR | TSR | SSR strict | TSR strict |"
    assert head in text
    assert _rows(text, "A") == [
        "| A | 93 | 464 | 28.9 | 58.0 | 56.5 | 73.7 | 26.5 | 1.1 | 25.2 (21.5\u201329.4) | 1.1 (0.2\u20135.8) |",
        "| A | offline | 1.9 (n=54) | 0.0 (n=9) | 0.0 (n=15) |",
    ]
    assert "Online" not in text  # no online result: no online table


def test_kind_columns_are_the_kinds_present_in_catalog_order_offline_strict_and_online() -> None:
    text = render([("heldout_dev", [Row("A", OFFLINE, ONLINE), Row("B", V1_OFFLINE, None)])])
    assert "| model | mode | feasible | infeasible | already_done | confirm |" in text  # no recovery column
    kinds = [line for line in _rows(text, "A") if "| offline |" in line or "| online |" in line]
    assert kinds == [
        "| A | offline | 1.9 (n=54) | 0.0 (n=9) | - | 0.0 (n=15) |",  # tsr_strict (lenient feasible: 5.6)
        "| A | online | 1.9 (n=54) | - | 30.0 (n=10) | - |",
    ]
    assert not [line for line in _rows(text, "B") if "| offline |" in line]  # B has no kinds: no kind row


def test_online_row_shows_tsr_interval_loops_steps_and_latency() -> None:
    text = render([("heldout_dev", [Row("A", OFFLINE, ONLINE)])])
    assert "| model | tasks | TSR | loops | steps | step latency, s | completion time, s |" in text
    assert "| A | 93 (2 unanswered) | 4.3 (1.7\u201310.5) | 41 | 11.05 | 1.114 | 12.36 |" in _rows(text, "A")
    assert "3 times" in text  # the loop's definition is stated


def test_a_v1_result_renders_with_dashes_and_no_kind_table() -> None:
    text = render([("test", [Row("LAM0", V1_OFFLINE, V1_ONLINE)])])
    assert "by task kind" not in text
    assert _rows(text, "LAM0") == [
        "| LAM0 | 93 | 464 | 28.9 | 58.0 | 56.5 | 73.7 | 26.5 | 1.1 | 25.2 | 1.1 |",
        "| LAM0 | 93 (2 unanswered) | 4.3 | - | 11.05 | 1.114 | 12.36 |",
    ]


def test_table_reads_each_split_and_names_models_without_results(tmp_path: Path) -> None:
    result_path(tmp_path, "A", "val", "offline").write_text(json.dumps({**OFFLINE, "n_tasks": 11}))
    result_path(tmp_path, "A", "heldout_dev", "offline").write_text(json.dumps(OFFLINE))
    result_path(tmp_path, "A", "heldout_dev", "online").write_text(json.dumps(ONLINE))
    (tmp_path / "B.online.json").write_text(json.dumps({**V1_ONLINE, "tasks_file": "/d/val.jsonl"}))  # v1 name
    text = table(["A", "B"], ["val", "heldout_dev"], tmp_path)
    val, dev = text.split("## val")[1].split("## heldout_dev")
    assert "| A | 11 | 464 |" in val and "| A | 93 | 464 |" not in val
    assert "| B | 93 (2 unanswered) | 4.3 | - |" in val and "Online" in val
    assert "No results: B." in dev and "| A | 93 (2 unanswered) | 4.3 (1.7\u201310.5) | 41 |" in dev
