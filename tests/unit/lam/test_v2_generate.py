"""The v2 generator: five splits through the protocol, every task solvable by its expert, kinds as
promised, sealed splits on sealed documents, deterministic output."""

from __future__ import annotations

import json
import random
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lam.sim.word2.behaviours.fileinsert import date_choices
from lam.tasks.catalog.loader import load_catalog
from lam.tasks.catalog.protocol import RENDER, SEALED, SPLITS, build_protocol, committed_fingerprints
from lam.tasks.checker import check
from lam.tasks.expert import build_app
from lam.tasks.model import read_tasks
from lam.tasks.v2.documents import load_sources
from lam.tasks.v2.generate import Dataset, generate, sealed_sample
from lam.tasks.v2.render import fill, join_place, place_text, place_texts, value_text, value_words, worded_value
from lam.tasks.v2.targets import sentences_of

SIZES = {"train": 3, "val": 1, "test": 2, "heldout_dev": 2, "heldout_test": 2}


@cache
def _data() -> Dataset:
    return generate(5, SIZES)


def test_five_splits_each_line_has_family_and_kind() -> None:
    data = _data()
    assert set(data.tasks) == set(SPLITS)
    for split, tasks in data.tasks.items():
        assert tasks, split
        assert all(t.family and t.kind and t.split == split and t.sim == "word2" for t in tasks)


def test_heldout_families_never_in_train_or_val() -> None:
    data = _data()
    seen = {t.family for s in ("train", "val") for t in data.tasks[s]}
    for split in ("heldout_dev", "heldout_test"):
        families = {t.family for t in data.tasks[split]}
        assert families and not families & seen
        assert families <= set(build_protocol().families_in(split))
    assert not {t.family for t in data.tasks["heldout_dev"]} & {t.family for t in data.tasks["heldout_test"]}


def test_sealed_splits_act_on_sealed_documents_only() -> None:
    sealed = {f"{s.id}.docx" for s in load_sources() if s.sealed}
    for split, tasks in _data().tasks.items():
        names = {t.doc_name for t in tasks}
        assert names <= sealed if split in ("test", "heldout_test") else not names & sealed, split


def test_replaying_the_expert_passes_the_checker_and_kinds_hold() -> None:
    kinds: set[str] = set()
    for split, tasks in _data().tasks.items():
        for task, trajectory in zip(tasks, _data().trajectories[split], strict=True):
            app = build_app(task)
            for step in trajectory.steps:
                result = app.execute_action(step.action())
                assert not result.startswith("error:"), (task.task_id, step)
            kinds.add(str(task.kind))
            last = trajectory.steps[-1]
            if task.kind == "infeasible":
                assert [s.status for s in trajectory.steps] == ["FAIL"] and not task.ops
            elif task.kind == "already_done":
                assert [s.status for s in trajectory.steps] == ["FINISH"]
            else:
                assert last.status == "FINISH" and len(trajectory.steps) >= 2
                assert check(task, app.doc).passed, task.task_id
            if task.kind == "confirm":
                assert any(s.status == "CONFIRM" for s in trajectory.steps)
            confirms = sum(s.status == "CONFIRM" for s in trajectory.steps)
            assert confirms <= len(task.ops), "consent is asked once per operation, not per keystroke"
            if task.kind == "feasible":
                assert confirms == 0, "a task that asks first is a confirm task"
            if task.kind == "recovery":
                (wrong,) = task.prefix
                assert wrong.result.startswith("error:") or "nothing" in wrong.result
                first = trajectory.steps[0]
                assert (first.function, first.args, first.control_label) != (
                    wrong.function,
                    wrong.args,
                    wrong.control_label,
                ), "the expert must not repeat the step that failed"
            else:
                assert not task.prefix
    assert {"feasible", "infeasible", "already_done", "recovery", "confirm"} <= kinds


def test_same_seed_same_tasks_other_seed_other_tasks() -> None:
    again = generate(5, SIZES)
    assert [t.model_dump() for t in again.tasks["val"]] == [t.model_dump() for t in _data().tasks["val"]]
    other = generate(6, SIZES)
    assert [t.request for t in other.tasks["val"]] != [t.request for t in _data().tasks["val"]]


def test_cli_writes_the_five_files_and_training_records(tmp_path: Path) -> None:
    from lam import cli

    out = tmp_path / "data"
    args = ["data", "generate", "--out", str(out), "--seed", "1", "--train-per-family", "1"]
    args += ["--val-per-family", "1", "--test-per-family", "1", "--heldout-per-family", "1"]
    done = CliRunner().invoke(cli.app, args)
    assert done.exit_code == 0, done.output
    for split in SPLITS:
        assert read_tasks(out / f"{split}.jsonl"), split
    for name in ("phase1_train.jsonl", "phase2_train.jsonl", "phase2_val.jsonl"):
        assert (out / name).stat().st_size > 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["environment"] == "word2" and set(manifest["splits"]) == set(SPLITS)
    assert manifest["render"] == RENDER


def _split_of(family: str) -> Any:
    group = build_protocol().split_of_family(family)
    return "train" if group == "main" else group


def test_every_implemented_composition_is_solved_and_its_checker_rejects_the_untouched_document() -> None:
    from lam.tasks.catalog import load_catalog
    from lam.tasks.v2.generate import feasible_task, implemented

    compositions = [f.id for f in load_catalog().compositions() if implemented(f.id)]
    assert len(compositions) >= 20
    for family in compositions:
        for index in range(2):
            task, trajectory = feasible_task(family, _split_of(family), 11, index)
            assert len(task.ops) == len(load_catalog().families[family].members)
            app = build_app(task)
            for step in trajectory.steps:
                app.execute_action(step.action())
            assert check(task, app.doc).passed, task.task_id
            if task.kind != "already_done":
                assert not check(task, build_app(task).doc).passed, task.task_id


def test_every_drawn_value_is_on_its_splits_side_of_the_pool() -> None:
    from lam.tasks.catalog import load_catalog

    protocol = build_protocol()
    checked = 0
    for split, tasks in _data().tasks.items():
        for task in tasks:
            for op in task.ops:
                for param, pool in load_catalog().families[op["family"]].params.items():
                    if param == "scope":
                        continue
                    allowed = [json.dumps(dict(v) if not isinstance(v, str | int | float) else v, sort_keys=True)
                               for v in protocol.values(pool, split)]  # fmt: skip
                    assert json.dumps(op[param], sort_keys=True) in allowed, (split, task.task_id, param, op[param])
                    checked += 1
    assert checked > 50


def _place_params(family: str) -> dict[str, str]:
    """The family's params that hold a place (``place_texts.yaml``'s pools), by name without member."""
    params = load_catalog().families[family].params
    return {p.rpartition(".")[2]: pool for p, pool in params.items() if pool in place_texts().pools}


def test_every_place_in_a_place_pool_has_phrases() -> None:
    pools = load_catalog().pools
    for pool in place_texts().pools:
        assert set(pools[pool].items) <= set(place_texts().places), pool


def test_a_place_reads_with_its_anchor_never_bare() -> None:
    """Requests read "after paragraph the second paragraph" or "Move X before paragraph.", a place
    told by half: every request of a place family names the paragraph or phrase it is relative to."""
    bare = {str(i) for pool in place_texts().pools for i in load_catalog().pools[pool].items}
    seen = 0
    for tasks in _data().tasks.values():
        for task in tasks:
            places = {} if task.kind == "infeasible" else _place_params(task.family)
            if not places:
                continue
            assert not any(b in task.request for b in bare), task.request
            for op in task.ops:
                for name in places:
                    place = op.get(name)
                    if isinstance(place, str) and place.endswith(("paragraph", "phrase")):
                        anchor = op["to"]["ref"] if "to" in op else op["target"]["ref"]
                        assert anchor in task.request, (task.request, anchor)
                        seen += 1
    assert seen >= 5


def test_an_unknown_place_is_refused() -> None:
    with pytest.raises(KeyError):
        place_text("beside paragraph", "the first paragraph", random.Random(0))
    assert join_place("add {x.position} {target} now", "x.position") == "add {x.position} now"


def test_a_date_picture_reads_as_the_simulators_list_shows_it() -> None:
    """value_words.yaml spells each picture as Word's Date and Time list shows it at the simulator's
    clock: the request names what the user sees, and the two files cannot drift apart."""
    shown = {picture: text for text, picture in date_choices().items()}
    texts = value_words().texts["date_formats"]
    assert set(texts) == set(shown) == {str(i) for i in load_catalog().pools["date_formats"].items}
    assert all(texts[p] == (shown[p],) for p in shown)


def test_labels_read_as_what_they_stand_for() -> None:
    """A button's label reads as its meaning ("the ruler visible", "2 steps up", "below the second
    row"); a family's own phrases win over its pool's; no date request carries a picture's code."""
    rng = random.Random(0)
    assert worded_value("ruler", "state", "visibility", "Show", "Set the ruler to {state}.", rng) == "visible"
    assert worded_value("insert_rows", "side", "row_positions", "Below", "rows {side} {target}", rng) == "below"
    assert worded_value("step_font_size", "direction", "step_directions", "Increase", "{direction}", rng) == "up"
    indent = worded_value("step_indent", "direction", "step_directions", "Increase", "{direction}", rng)
    assert indent in value_words().texts["step_indent.direction"]["Increase"]
    dates = [t.request for ts in _data().tasks.values() for t in ts if t.family == "insert_date_time"]
    assert dates and not any(code in r for r in dates for code in ("yyyy", "MMMM", "h:mm", "am/pm")), dates


@pytest.mark.parametrize(
    ("template", "values", "expected"),
    [
        ("Put a {design} table of contents here.", {"design": "Automatic Table 1"}, "Put an Automatic Table 1 table"),
        ("a {x} name", {"x": "Unicode"}, "a Unicode name"),
        ("Insert {count} empty rows below it.", {"count": "1"}, "Insert 1 empty row below it."),
        ("Insert {count} empty rows below it.", {"count": "2"}, "Insert 2 empty rows below it."),
        ("Press it {steps} times", {"steps": "1"}, "Press it 1 time"),
        ("Put a {design} table", {"design": '"Automatic Table 2"'}, 'Put an "Automatic Table 2" table'),
        ("a {border} page border", {"border": "a Box border"}, "a a Box border"),
    ],
)
def test_fill_agrees_articles_and_numbers(template: str, values: dict[str, str], expected: str) -> None:
    assert fill(template, values).startswith(expected)


def test_typed_text_is_quoted_once_and_units_are_written() -> None:
    words = value_words()
    plain = "Type {text} at the end."
    assert worded_value("insert_text", "text", "typed_sentences", "Hi there.", plain, random.Random(0)) == '"Hi there."'
    quoted = 'Type "{insert_text.text}" at the end.'
    assert worded_value("insert_text", "insert_text.text", "typed_sentences", "Hi.", quoted, random.Random(0)) == "Hi."
    assert "typed_sentences" in words.quoted
    assert worded_value("zoom_percent", "zoom", "zoom_percents", 110, "Zoom to {zoom}.", random.Random(0)) == "110%"
    exactly = {"rule": "Exactly", "at": 24}
    assert "24 pt" in worded_value("line_spacing", "spacing", "line_spacings", exactly, "{spacing}", random.Random(0))
    assert value_text("split_shapes", {"rows": 1, "columns": 5}, random.Random(0)) in (
        "5 columns and 1 row",
        "1 row by 5 columns",
    )


def test_a_reference_does_not_repeat_its_templates_noun() -> None:
    """The templates of these families name the comment, the page numbers or the break themselves:
    the target's reference is what they are on or in ("the comment on the comment on ..." before)."""
    doubled = re.compile(
        r"comment\b.{0,12}\bthe comment|page numbers\b.{0,12}\bthe page numbers|break\b.{0,30}\bthe page break"
    )
    families = {"delete_comment", "reply_to_comment", "resolve_comment", "page_number_format", "remove_page_break"}
    requests = [t.request for ts in _data().tasks.values() for t in ts if t.family in families]
    assert len(requests) >= 5
    assert not [r for r in requests if doubled.search(r)]


def test_a_sentence_is_not_cut_at_an_abbreviation_or_a_decimal_point() -> None:
    assert sentences_of("Pool hours are 10 a.m. to 6 p.m. daily. Bring a towel!") == [
        "Pool hours are 10 a.m. to 6 p.m. daily.",
        "Bring a towel!",
    ]
    assert sentences_of("We came first. He plays piano. U.S. law applies.") == [
        "We came first.",
        "He plays piano.",
        "U.S. law applies.",
    ]
    assert sentences_of("Add 1.5 cups of water. Stir at St. Mary's pace.") == [
        "Add 1.5 cups of water.",
        "Stir at St. Mary's pace.",
    ]
    targets = [op["target"]["text"] for ts in _data().tasks.values() for t in ts for op in t.ops]
    assert any(op["target"]["kind"] == "sentence" for ts in _data().tasks.values() for t in ts for op in t.ops)
    cut = [s for s in targets if isinstance(s, str) and re.search(r"\b[ap]\.$|^\S+$", s) and s.endswith(".")]
    assert not cut


def _every_format(pool: str, value: dict[str, Any]) -> set[str]:
    """The value's text under each of its pool's formats (enough draws to meet them all)."""
    return {value_text(pool, value, random.Random(seed)) for seed in range(30)}


def test_a_shared_unit_stays_plural_and_a_lone_one_is_singular() -> None:
    margins = {"top": 1, "bottom": 0.75, "left": 1.25, "right": 1, "unit": "in"}
    assert _every_format("custom_margins", margins) == {
        "top 1, bottom 0.75, left 1.25 and right 1 inches",
        "1 in top, 0.75 in bottom, 1.25 in left, 1 in right",
    }
    assert _every_format("table_shapes", {"rows": 1, "columns": 1}) == {
        "1 row by 1 column",
        "1 column and 1 row",
        "1x1",
    }


def test_the_sealed_sample_matches_the_committed_file() -> None:
    """The generator's code (drawers, the sentence rule, ``fill``) is outside the catalog's
    fingerprints: the first task of every sealed family, as generated now, must be the committed one."""
    committed = committed_fingerprints()
    assert sealed_sample() == {f"{split}_sample": committed[f"{split}_sample"] for split in SEALED}
