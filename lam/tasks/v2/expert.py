"""Play an op's expert on a WordWindow: each Act grounded to a label at run time, then executed."""

from __future__ import annotations

from typing import Any

from lam.sim.document import Document
from lam.sim.word2 import WordWindow, is_error
from lam.tasks.v2.ops import Op
from lam.tasks.v2.registry import OPS


class ExpertError(RuntimeError):
    """The expert's own action failed in the simulator: a bug in a family, never a model error."""


def run_expert(doc: Document, op: Op, width: Any = "wide") -> tuple[list[dict[str, Any]], Document]:
    """The expert's actions (grounded, with their results) and the final document.

    The initial document is not touched; an op the document already satisfies yields no action.
    """
    win = WordWindow(doc.copy(), width=width)
    kind = OPS[op["family"]]
    actions: list[dict[str, Any]] = []
    if kind.satisfied(win.doc, op):
        return actions, win.doc
    for act in kind.expert(win, op):
        label = win.label_of(*act.control) if act.control else ""
        result = win.execute(act.function, act.args, label)
        if is_error(result):
            raise ExpertError(f"{op['family']}: {act} -> {result}")
        actions.append(
            {
                "function": act.function,
                "args": act.args,
                "control_label": label,
                "control_text": act.control[1] if act.control else "",
                "subtask": act.subtask,
                "status": act.status,
                "destructive": act.destructive,
                "result": result,
            }
        )
    return actions, win.doc
