"""Write an evaluation result three ways: RESULT.json (everything), RESULT.md, RESULT.png."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lam.eval.intervals import percent_ci
from lam.eval.loops import REPEATS

HEADLINE = {
    "offline": (
        "object_acc",
        "operation_acc",
        "args_acc",
        "status_acc",
        "ssr",
        "tsr",
        "ssr_strict",
        "tsr_strict",
        "ssr_lenient",
        "tsr_lenient",
    ),
    "online": (
        "tsr",
        "tsr_checker_only",
        "avg_steps",
        "avg_completion_time_s",
        "avg_step_latency_s",
        "p95_step_latency_s",
    ),
}
# The per-kind table's rate columns (every rate and its interval is in RESULT.json's by_kind).
KIND_COLUMNS = {
    "offline": (("SSR", "ssr"), ("SSR strict", "ssr_strict"), ("TSR", "tsr"), ("TSR strict", "tsr_strict")),
    "online": (("TSR", "tsr"), ("TSR checker only", "tsr_checker_only")),
}


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _ci(row: dict[str, Any], key: str) -> str:
    """A rate of ``row`` in percent with its 95 % interval, when ``row`` has one."""
    interval = row.get("intervals", {}).get(key)
    return percent_ci(row.get(key), interval) if interval is not None else ""


def _by_kind(result: dict[str, Any]) -> list[str]:
    columns = KIND_COLUMNS[result["mode"]]
    lines = ["", "## By task kind", "", "Rates in % with 95 % Wilson intervals.", ""]
    lines.append("| kind | tasks | " + " | ".join(title for title, _ in columns) + " |")
    lines.append("|---|---|" + "---|" * len(columns))
    for kind, row in result["by_kind"].items():
        lines.append(f"| {kind} | {row['n_tasks']} | " + " | ".join(_ci(row, key) for _, key in columns) + " |")
    return lines


def markdown(result: dict[str, Any]) -> str:
    mode = result["mode"]
    lines = [f"# {mode.capitalize()} evaluation", ""]
    for key in ("base_url", "tasks_file", "n_tasks", "n_steps", "n_requests", "n_errors"):
        if key in result:
            lines.append(f"- {key}: {result[key]}")
    if "n_duplicates_dropped" in result:
        lines.append(f"- duplicate tasks dropped (each distinct task counted once): {result['n_duplicates_dropped']}")
    if "n_repeat_loops" in result:
        ids = result["repeat_loop_task_ids"]
        shown = ", ".join(ids[:10]) + (", ..." if len(ids) > 10 else "")
        what = f"same action {REPEATS} times in a row, document unchanged"
        lines.append(f"- repeat loops ({what}): {result['n_repeat_loops']} tasks" + (f" ({shown})" if ids else ""))
    lines += ["", "| metric | value | % (95 % CI) | n |", "|---|---|---|---|"]
    counts = result.get("n", {})
    lines += [f"| {k} | {_cell(result.get(k))} | {_ci(result, k)} | {counts.get(k, '')} |" for k in HEADLINE[mode]]
    if result.get("by_kind"):
        lines += _by_kind(result)
    by_family = result.get("by_family", {})
    lines += ["", "## Per family", "", "| family | tasks | TSR | TSR % (95 % CI) |", "|---|---|---|---|"]
    for name, row in result.get("per_family", {}).items():
        lines.append(f"| {name} | {row['n_tasks']} | {_cell(row['tsr'])} | {_ci(by_family.get(name, {}), 'tsr')} |")
    if result.get("errors"):
        lines += ["", "## Errors", ""] + [f"- {k}: {v}" for k, v in result["errors"].items()]
    return "\n".join(lines) + "\n"


def step_latencies(result: dict[str, Any]) -> list[float]:
    if result["mode"] == "online":
        return [x for t in result["tasks"] for x in t["step_latencies_s"]]
    return [s["latency_s"] for t in result["tasks"] for s in t["steps"] if s.get("latency_s") is not None]


def plot(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    families = result.get("per_family", {})
    fig, (bars, hist) = plt.subplots(1, 2, figsize=(13, max(4.0, 0.28 * len(families) + 1.5)))
    names = list(families)
    bars.barh(names, [families[n]["tsr"] for n in names], color="#4C72B0")
    bars.set_xlim(0, 1)
    bars.invert_yaxis()
    bars.set_xlabel("task success rate")
    bars.set_title(f"{result['mode']} TSR per family (overall {result.get('tsr', 0):.2f})")
    bars.tick_params(axis="y", labelsize=8)
    latencies = step_latencies(result)
    hist.hist(latencies or [0.0], bins=30, color="#DD8452")
    hist.set_xlabel("step latency (s)")
    hist.set_ylabel("steps")
    hist.set_title(f"step latency (n={len(latencies)})")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(result: dict[str, Any], out: Path) -> list[Path]:
    """RESULT.json at ``out``; RESULT.md and RESULT.png beside it, same stem."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md, png = out.with_suffix(".md"), out.with_suffix(".png")
    md.write_text(markdown(result), encoding="utf-8")
    plot(result, png)
    return [out, md, png]
