"""Did the final document do what the task asked? Compared on the whole canonical state.

The expected document is the initial one with each op applied through the document model
(``ops.apply``), never through the UI; the final document must equal it exactly. So a task
passes however the agent got there, and fails on any side effect: bold on the wrong phrase,
a wrong size, an extra table, a border nobody asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from lam.sim import Document
from lam.tasks.model import Task
from lam.tasks.ops import OPS
from lam.tasks.v2.registry import OPS as V2_OPS


@dataclass(frozen=True)
class CheckResult:
    passed: bool
    differences: list[str] = field(default_factory=list)


class OpKindLike(Protocol):
    """What the checker and the expert need of an op's kind, in both simulators' op tables."""

    def apply(self, doc: Document, op: dict[str, Any]) -> None: ...
    def satisfied(self, doc: Document, op: dict[str, Any]) -> bool: ...
    def expert(self, app: Any, op: dict[str, Any]) -> Iterator[Any]: ...


def op_kind(op: dict[str, Any]) -> OpKindLike:
    """The kind of an op: WordApp's table by ``op``, word2's (lam.tasks.v2) by ``family``."""
    if "family" in op and "op" not in op:
        return cast(OpKindLike, V2_OPS[op["family"]])
    return cast(OpKindLike, OPS[op["op"]])


def expected_document(task: Task) -> Document:
    doc = Document.from_dict(task.doc)
    for op in task.ops:
        kind = op_kind(op)
        if not kind.satisfied(doc, op):
            kind.apply(doc, op)
    return doc


def check(task: Task, final: Document) -> CheckResult:
    want, got = expected_document(task).state(), final.state()
    diffs = [
        f"page {key}: expected {want['page'][key]!r}, got {got['page'].get(key)!r}"
        for key in want["page"]
        if want["page"][key] != got["page"].get(key)
    ]
    for part in ("settings", "annotations"):
        if want[part] != got[part]:
            diffs.append(f"{part}: expected {want[part]!r}, got {got[part]!r}")
    if len(want["blocks"]) != len(got["blocks"]):
        diffs.append(f"expected {len(want['blocks'])} blocks, got {len(got['blocks'])}")
    for i, (w, g) in enumerate(zip(want["blocks"], got["blocks"], strict=False)):
        if w != g:
            diffs.append(f"block {i}: {_describe(w, g)}")
    return CheckResult(passed=not diffs, differences=diffs[:20])


def _describe(want: dict[str, Any], got: dict[str, Any]) -> str:
    if want.get("type") != got.get("type"):
        return f"expected a {want.get('type')}, got a {got.get('type')}"
    keys = [k for k in dict.fromkeys([*want, *got]) if k != "runs" and want.get(k) != got.get(k)]
    if keys:
        return ", ".join(f"{k} expected {want.get(k)!r} got {got.get(k)!r}" for k in keys)
    if "runs" not in want or "runs" not in got:
        return "differs"
    if _text(want) != _text(got):
        return f"text expected {_text(want)[:80]!r} got {_text(got)[:80]!r}"
    return "character formatting differs: expected " + _runs(want) + " got " + _runs(got)


def _text(block: dict[str, Any]) -> str:
    return "".join(r["text"] for r in block["runs"])


def _runs(block: dict[str, Any]) -> str:
    defaults = {"font": "Calibri", "size": 11.0, "color": "Automatic", "highlight": "", "vertical": ""}
    parts = []
    for run in block["runs"]:
        marks = [k for k, v in run.items() if k != "text" and v not in (False, defaults.get(k))]
        attrs = ",".join(f"{k}={run[k]}" if not isinstance(run[k], bool) else k for k in marks)
        parts.append(f"[{run['text'][:30]!r} {attrs}]" if attrs else f"[{run['text'][:30]!r}]")
    return " ".join(parts)
