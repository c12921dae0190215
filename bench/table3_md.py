"""``OUT/table3.md``: the paper's Table 3 rows for each split, from the results ``lam eval`` wrote.

Per split, up to three tables, so that no row is wider than a screen: offline (the paper's columns,
then the strict rates with their 95 % intervals), TSR by task kind (offline strict and online, side by
side per model) and online (TSR, repeat loops, steps and time). A result without a field (a v1 file
has no intervals, kinds or loop count) shows ``-`` there, and a table nobody has data for is left out.
Rates and intervals are formatted by ``lam eval``'s own helper, so the table reads like its reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from bench.table3_files import load_result
from lam.eval.intervals import percent_ci
from lam.eval.loops import REPEATS
from lam.tasks.model import KINDS

Result = dict[str, Any]
ACCURACIES = ("object_acc", "operation_acc", "args_acc", "status_acc", "ssr", "tsr")
STRICT = ("ssr_strict", "tsr_strict")


class Row(NamedTuple):
    """One model's results on one split (None: not run)."""

    name: str
    offline: Result | None
    online: Result | None


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def _num(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _ci(result: Result, key: str) -> str:
    return percent_ci(result.get(key), result.get("intervals", {}).get(key))


def _count(n: int, unanswered: int | None) -> str:
    """A count, with the unanswered part (left out of every rate) when there is one."""
    return f"{n} ({unanswered} unanswered)" if unanswered else str(n)


def _line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _head(titles: Sequence[str]) -> list[str]:
    return [_line(titles), "|" + "---|" * len(titles)]


def offline_table(rows: Sequence[Row]) -> list[str]:
    lines = _head(
        ["model", "tasks", "steps", "Object", "Operation", "Args", "Status", "SSR", "TSR", "SSR strict", "TSR strict"]
    )
    for row in rows:
        r = row.offline
        if r is None:
            continue
        steps = _count(r.get("n_steps", 0), r.get("n_unanswered_steps"))
        tasks = _count(r["n_tasks"], r.get("n_unanswered_tasks"))
        rates = [_pct(r.get(key)) for key in ACCURACIES] + [_ci(r, key) for key in STRICT]
        lines.append(_line([row.name, tasks, steps, *rates]))
    return lines


def _kinds(rows: Sequence[Row]) -> list[str]:
    """The kinds any result has, in the catalog's order (unknown ones after, sorted)."""
    seen = {kind for row in rows for r in (row.offline, row.online) if r for kind in r.get("by_kind", {})}
    return [k for k in KINDS if k in seen] + sorted(seen - set(KINDS))


def _kind_cell(result: Result, kind: str, key: str) -> str:
    group = result.get("by_kind", {}).get(kind)
    return "-" if group is None else f"{_pct(group.get(key))} (n={group['n_tasks']})"


def kind_table(rows: Sequence[Row]) -> list[str]:
    kinds = _kinds(rows)
    if not kinds:
        return []
    lines = _head(["model", "mode", *kinds])
    for row in rows:
        for mode, result, key in (("offline", row.offline, "tsr_strict"), ("online", row.online, "tsr")):
            if result is not None and result.get("by_kind"):
                lines.append(_line([row.name, mode, *(_kind_cell(result, kind, key) for kind in kinds)]))
    return lines


def online_table(rows: Sequence[Row]) -> list[str]:
    lines = _head(["model", "tasks", "TSR", "loops", "steps", "step latency, s", "completion time, s"])
    for row in rows:
        r = row.online
        if r is None:
            continue
        loops = r.get("n_repeat_loops")
        cells = [
            _count(r["n_tasks"], r.get("n_unanswered_tasks")),
            _ci(r, "tsr"),
            "-" if loops is None else str(loops),
            _num(r.get("avg_steps"), 2),
            _num(r.get("avg_step_latency_s"), 3),
            _num(r.get("avg_completion_time_s"), 2),
        ]
        lines.append(_line([row.name, *cells]))
    return lines


def split_section(split: str, rows: Sequence[Row]) -> list[str]:
    lines = [f"## {split}"]
    if any(row.offline for row in rows):
        lines += ["", "Offline (teacher forcing), %; strict rates with their 95 % Wilson intervals.", ""]
        lines += offline_table(rows)
    kinds = kind_table(rows)
    if kinds:
        lines += ["", "TSR by task kind, % (n = tasks): offline strict, online.", "", *kinds]
    if any(row.online for row in rows):
        loops = f"loops: tasks repeating one action {REPEATS} times, document unchanged"
        lines += ["", f"Online (closed loop): TSR % (95 % interval); {loops}; means per task or step.", ""]
        lines += online_table(rows)
    missing = [row.name for row in rows if row.offline is None and row.online is None]
    if missing:
        lines += ["", "No results: " + ", ".join(missing) + "."]
    return lines


def render(sections: Sequence[tuple[str, Sequence[Row]]]) -> str:
    """The whole file, one section per (split, rows)."""
    lines = ["# Table 3", ""]
    for split, rows in sections:
        lines += [*split_section(split, rows), ""]
    return "\n".join(lines)


def table(names: Sequence[str], splits: Sequence[str], out: Path) -> str:
    """``render`` of the results in ``out`` of the models ``names`` on ``splits``."""

    def row(name: str, split: str) -> Row:
        return Row(name, load_result(out, name, split, "offline"), load_result(out, name, split, "online"))

    return render([(split, [row(name, split) for name in names]) for split in splits])
