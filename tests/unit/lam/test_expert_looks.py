"""``already_done`` with ``expert_looks``: the expert brings the state onto the screen, then FINISHes.

Without it the expert FINISHes at once from a first screen that often does not show the state (the
Italic button reads ``off`` with nothing selected), so for a model that FINISH is a guess; with it the
task's first steps are the feasible task's own (select the target, open the tab or menu) and the end
is read from the screen. Every family with ``already_done`` tasks is played: the looks never change the
document, the checker accepts the end, and the same draws come out of the generator either way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lam.sim.document import Document
from lam.tasks.catalog import load_catalog
from lam.tasks.catalog.protocol import SPLITS, build_protocol
from lam.tasks.checker import check
from lam.tasks.expert import build_app, run_expert
from lam.tasks.model import Task
from lam.tasks.v2.checker import expected_document
from lam.tasks.v2.generate import feasible_task, generate, implemented, write_dataset
from lam.tasks.v2.registry import OPS

PROTOCOL = build_protocol()
FAMILIES = sorted(f for f, fam in load_catalog().families.items() if "already_done" in fam.kinds and implemented(f))


def _already_done(family: str, index: int, looks: bool) -> Task | None:
    """The family's drawn task made already done (its ops applied to its document), or None where an op
    may be applied more than once (inserting text: never "already done")."""
    split = next(s for s in SPLITS if family in PROTOCOL.families_in(s))  # held-out families: their own split
    task, _ = feasible_task(family, split, 0, index)
    if not all(OPS[op["family"]].once(op) for op in task.ops):
        return None
    doc = Document.from_dict(task.doc)
    for op in task.ops:
        doc = expected_document(doc, op)
    return task.model_copy(update={"kind": "already_done", "doc": doc.to_dict(), "prefix": [], "expert_looks": looks})


@pytest.mark.parametrize("family", FAMILIES)
def test_the_looks_leave_the_document_and_end_in_finish(family: str) -> None:
    played = 0
    for index in range(3):
        task = _already_done(family, index, looks=True)
        if task is None:
            continue
        trajectory, app = run_expert(task)
        *looks, end = trajectory.steps
        assert end.is_terminal and end.status == "FINISH", (family, end)
        assert all(s.function and s.status == "CONTINUE" for s in looks), (family, looks)
        assert all(s.function != "set_edit_text" for s in looks), f"{family}: a look typed a value"
        assert app.doc.state() == Document.from_dict(task.doc).state(), f"{family}: a look changed the document"
        assert check(task, app.doc).passed
        assert trajectory.plan[-1].startswith("The document already does")
        unlooked, _ = run_expert(task.model_copy(update={"expert_looks": False}))
        assert [s.status for s in unlooked.steps] == ["FINISH"]  # as before, where the flag is off
        played += 1
    assert played, f"{family}: no already_done draw played"


def test_italic_selects_and_reads_the_button_before_finishing() -> None:
    task = _already_done("italic", 1, looks=True)
    assert task is not None
    trajectory, _ = run_expert(task)
    assert [s.function or s.status for s in trajectory.steps] == ["select_text", "FINISH"]

    def italic(step_index: int) -> str:
        controls = trajectory.steps[step_index].observation["controls"]
        return next(c["value"] for c in controls if c.get("name") == "Italic")

    assert (italic(0), italic(1)) == ("off", "on")  # the state is on screen only once the target is selected


def test_most_families_look_before_they_finish() -> None:
    looked = []
    for family in FAMILIES:
        task = _already_done(family, 0, looks=True) or _already_done(family, 1, looks=True)
        if task is not None:
            looked.append(len(run_expert(task)[0].steps) > 1)
    assert sum(looked) >= 0.9 * len(looked), f"{sum(looked)} of {len(looked)} families look first"


def test_the_flag_changes_only_already_done_trajectories() -> None:
    families = ["italic", "margins_preset", "view_mode"]
    sizes = {"train": 8, "val": 0, "test": 0, "heldout_dev": 0, "heldout_test": 0}
    plain, looking = generate(0, sizes, families), generate(0, sizes, families, expert_looks=True)
    done = 0
    for before, after, old, new in zip(
        plain.tasks["train"],
        looking.tasks["train"],
        plain.trajectories["train"],
        looking.trajectories["train"],
        strict=True,
    ):
        assert before.model_copy(update={"expert_looks": after.expert_looks}) == after
        assert after.expert_looks == (after.kind == "already_done")
        if after.kind == "already_done":
            done += 1
            assert [s.status for s in old.steps] == ["FINISH"] and len(new.steps) > 1
        else:
            assert old == new
    assert done, "no already_done draw among these tasks: pick others"


def test_a_task_the_model_changed_does_the_work_instead_of_looking() -> None:
    """A DAgger continuation of a looking already_done task, after the model unset the italic: the
    expert re-applies it (no look, a plan of work), the checker passes."""
    task = _already_done("italic", 1, looks=True)
    assert task is not None
    trajectory, _ = run_expert(task)
    select, _finish = trajectory.steps
    app = build_app(task)
    app.execute_action(select.action())
    italic = app.label_of("Button", "Italic")
    result = app.execute("click_input", {"button": "left", "double": False}, italic)  # italic off again
    taken = [
        select,
        select.model_copy(
            update={
                "step": 1,
                "function": "click_input",
                "control_label": italic,
                "control_text": "Italic",
                "args": {"button": "left", "double": False},
                "result": result,
            }
        ),
    ]
    continued = task.model_copy(update={"prefix": taken})
    redo, app = run_expert(continued)
    assert [s.function for s in redo.steps][-2:] == ["click_input", ""]  # click Italic, then FINISH
    assert not any(p.startswith("The document already does") for p in redo.plan)
    assert check(continued, app.doc).passed


def test_default_files_carry_no_trace_of_the_flag(tmp_path: Path) -> None:
    sizes = {"train": 8, "val": 0, "test": 0, "heldout_dev": 0, "heldout_test": 0}
    write_dataset(tmp_path, generate(0, sizes, ["italic"]), 0)
    assert "expert_looks" not in (tmp_path / "train.jsonl").read_text()
    assert "expert_looks" not in json.loads((tmp_path / "manifest.json").read_text())
    write_dataset(tmp_path / "looks", generate(0, sizes, ["italic"], expert_looks=True), 0)
    assert json.loads((tmp_path / "looks" / "manifest.json").read_text())["expert_looks"] is True
