"""Task families, the expert, the checker, the splits and the generator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lam.sim import is_error
from lam.tasks.checker import check
from lam.tasks.expert import build_app, run_expert
from lam.tasks.families import FAMILIES
from lam.tasks.generate import Dataset, generate, write_dataset
from lam.tasks.model import Task
from lam.tasks.phrasings import all_templates
from lam.tasks.pools import POOLS, SHARED

CLICK = {"button": "left", "double": False}


def _all(dataset: Dataset) -> list[tuple[str, Task]]:
    return [(split, t) for split, tasks in dataset.tasks.items() for t in tasks]


def test_there_are_at_least_20_families_in_every_split(dataset: Dataset) -> None:
    assert len(FAMILIES) >= 20
    for tasks in dataset.tasks.values():
        assert {t.family for t in tasks} == {f.name for f in FAMILIES}


def test_every_expert_solves_its_tasks_on_every_split(dataset: Dataset) -> None:
    failures = []
    for split, task in _all(dataset):
        trajectory, app = run_expert(task)
        assert trajectory.steps[-1].is_terminal
        assert all(not is_error(s.result) for s in trajectory.steps[:-1])
        result = check(task, app.doc)
        if not result.passed:
            failures.append((split, task.task_id, result.differences))
    assert failures == []


def test_terminal_step_is_finish_with_no_action(dataset: Dataset) -> None:
    for trajectory in dataset.trajectories["train"]:
        last = trajectory.steps[-1]
        assert (last.status, last.function, last.control_label, last.args) == ("FINISH", "", "", {})
        assert all(s.status in ("CONTINUE", "CONFIRM") for s in trajectory.steps[:-1])


def test_already_done_tasks_finish_at_once_and_delete_tasks_confirm(dataset: Dataset) -> None:
    for task, trajectory in zip(dataset.tasks["test"], dataset.trajectories["test"], strict=True):
        if task.family == "already_done":
            assert [s.status for s in trajectory.steps] == ["FINISH"]
            assert check(task, build_app(task).doc).passed  # untouched document passes
        if task.family in ("delete_text", "delete_table"):
            confirm = [s for s in trajectory.steps if s.status == "CONFIRM"]
            assert len(confirm) == 1 and confirm[0].function == "keyboard_input"
        if task.family in ("bold", "page_setup"):
            assert not check(task, build_app(task).doc).passed  # not done at the start


def _task(dataset: Dataset, family: str) -> Task:
    return next(t for t in dataset.tasks["train"] if t.family == family)


def test_checker_rejects_bold_on_the_wrong_phrase(dataset: Dataset) -> None:
    task = _task(dataset, "bold")
    phrase = task.ops[0]["phrase"]
    app = build_app(task)
    other = next(w for w in app.doc.text().split() if len(w) > 4 and w.strip(".") not in phrase).strip(".")
    app.execute("select_text", {"text": other})
    app.execute("click_input", CLICK, app.label_of("Button", "Bold"))
    result = check(task, app.doc)
    assert not result.passed and "formatting" in result.differences[0]


def test_checker_rejects_a_wrong_font_size_and_a_partial_selection(dataset: Dataset) -> None:
    task = _task(dataset, "font_size")
    phrase, size = task.ops[0]["phrase"], task.ops[0]["size"]
    app = build_app(task)
    app.execute("select_text", {"text": phrase})
    app.execute("set_edit_text", {"text": str(int(size) + 1)}, app.label_of("ComboBox", "Font Size"))
    assert not check(task, app.doc).passed
    app = build_app(task)
    app.execute("select_text", {"text": phrase[:-2]})
    app.execute("set_edit_text", {"text": str(int(size))}, app.label_of("ComboBox", "Font Size"))
    assert not check(task, app.doc).passed


def test_checker_rejects_side_effects_and_the_wrong_border(dataset: Dataset) -> None:
    task = _task(dataset, "page_border")
    _, app = run_expert(task)
    assert check(task, app.doc).passed
    app.execute("insert_table", {"rows": 1, "columns": 1})  # an extra change nobody asked for
    assert not check(task, app.doc).passed
    wrong = {"Box": "Shadow", "Shadow": "Box"}[task.ops[0]["value"]]
    app = build_app(task)
    app.doc.page["page_border"] = wrong
    result = check(task, app.doc)
    assert not result.passed and "page_border" in result.differences[0]


def test_checker_accepts_another_route_to_the_same_result(dataset: Dataset) -> None:
    task = _task(dataset, "bold")
    app = build_app(task)
    app.execute("select_text", {"text": task.ops[0]["phrase"]})
    doc_label = app.label_of("Document", "Document")
    app.execute("keyboard_input", {"keys": "^b^b^b"}, doc_label)  # on, off, on
    assert check(task, app.doc).passed


def test_rephrasing_the_request_changes_neither_expert_nor_checker(dataset: Dataset) -> None:
    task = _task(dataset, "emphasis_triple")
    reworded = task.model_copy(update={"request": "Do the thing to the words, you know which."})
    a, b = run_expert(task)[0], run_expert(reworded)[0]
    assert [s.model_dump(exclude={"observation"}) for s in a.steps] == [
        s.model_dump(exclude={"observation"}) for s in b.steps
    ]


def test_test_split_phrasings_and_parameters_are_disjoint_from_train(dataset: Dataset) -> None:
    assert all_templates("train").isdisjoint(all_templates("test"))
    for kind, pool in POOLS.items():
        if kind == "columns":  # table width: the (rows, columns) pair is what differs, see below
            continue
        assert set(pool["train"]).isdisjoint(pool["test"]), kind
    colours = ("highlight", "color")
    assert {c for k in colours for c in POOLS[k]["train"]}.isdisjoint(c for k in colours for c in POOLS[k]["test"])
    assert set(SHARED) == {"align", "list", "orientation", "attr", "where"}

    def params(split: str) -> dict[str, set]:
        out: dict[str, set] = {}
        for t in dataset.tasks[split]:
            for op in t.ops:
                for key in ("phrase", "lead", "font", "size", "color", "style", "value", "after", "find", "replace"):
                    if key in op:
                        out.setdefault(key, set()).add(op[key])
                if op["op"] == "insert_table":
                    out.setdefault("dims", set()).add((op["rows"], op["columns"]))
        return out

    train, test = params("train"), params("test")
    for key, values in test.items():
        if key in ("value",):  # orientation is shared; the other page values are checked via POOLS
            values = {v for v in values if v not in SHARED["orientation"]}
        assert values.isdisjoint(train.get(key, set())), key
    train_requests = {t.request for t in dataset.tasks["train"]}
    assert train_requests.isdisjoint(t.request for t in dataset.tasks["test"])


def test_generation_is_deterministic_by_seed(tmp_path: Path) -> None:
    sizes = {"train": 1, "val": 1, "test": 1}
    write_dataset(tmp_path / "a", generate(7, sizes), 7)
    write_dataset(tmp_path / "b", generate(7, sizes), 7)
    write_dataset(tmp_path / "c", generate(8, sizes), 8)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "phase1_train.jsonl" in names and "phase2_test.jsonl" in names and "val.jsonl" in names
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a" / "train.jsonl").read_bytes() != (tmp_path / "c" / "train.jsonl").read_bytes()


def test_written_records_have_the_documented_shape(tmp_path: Path) -> None:
    write_dataset(tmp_path, generate(0, {"train": 1, "val": 0, "test": 0}), 0)
    task = json.loads((tmp_path / "train.jsonl").read_text().splitlines()[0])
    assert {"task_id", "family", "request", "doc", "ops", "doc_name", "split"} <= set(task)
    phase1 = json.loads((tmp_path / "phase1_train.jsonl").read_text().splitlines()[0])
    assert set(phase1) == {"task_id", "family", "request", "plan"} and phase1["plan"]
    rows = [json.loads(line) for line in (tmp_path / "phase2_train.jsonl").read_text().splitlines()]
    from service.protocol import PredictRequest

    for row in rows:
        body = PredictRequest.model_validate(row["body"])
        assert body.task_id == row["task_id"] and len(body.memory.steps) == row["step"]
        assert set(row["expected"]) == {"action", "status"}
    assert rows[0]["expected"]["action"] is not None
    assert rows[-1]["expected"] == {"action": None, "status": "FINISH"}


@pytest.mark.parametrize("family", ["insert_table_end", "replace_all", "table_style", "delete_table"])
def test_multi_step_families_check_the_right_thing(dataset: Dataset, family: str) -> None:
    task = _task(dataset, family)
    assert not check(task, build_app(task).doc).passed
    trajectory, app = run_expert(task)
    assert len(trajectory.steps) >= 3
    assert check(task, app.doc).passed


def test_read_tasks_per_family_takes_the_first_of_each_family(dataset: Dataset, tmp_path: Path) -> None:
    """``--per-family`` evaluates a stratified subset: every family, in file order, then ``--limit``."""
    from lam.tasks.model import read_tasks, write_jsonl

    path = tmp_path / "test.jsonl"
    write_jsonl(path, dataset.tasks["test"])
    families = {t.family for t in dataset.tasks["test"]}
    two = read_tasks(path, per_family=2)
    assert len(two) == 2 * len(families)
    assert {t.family for t in two} == families
    firsts = [t.task_id for t in dataset.tasks["test"] if t.family == two[0].family][:2]
    assert [t.task_id for t in two if t.family == two[0].family] == firsts
    assert len(read_tasks(path, limit=5, per_family=2)) == 5
