"""Counterfactual training copies keep the expert's answer right and the test split held out.

Runs in the layer's environment (no torch), on records of the real task generator.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from lam.tasks.generate import generate
from lam.tasks.records import phase2_records
from models.train.augment import (
    TEST_VALUES,
    TRAIN_VALUES,
    augment,
    followup_value,
    gallery_of,
    mention,
    move_target,
    relabel,
    renamable,
    rename_followups,
    rename_values,
)
from service.protocol import PredictRequest


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    data = generate(seed=5, sizes={"train": 3, "val": 0, "test": 0})
    return [
        r for t, j in zip(data.tasks["train"], data.trajectories["train"], strict=True) for r in phase2_records(t, j)
    ]


def _at(record: dict[str, Any], label: str) -> dict[str, Any]:
    return next(c for c in record["body"]["observation"]["controls"] if c["label"] == label)


def test_gallery_clicks_named_in_the_request_are_the_renamable_steps(records: list[dict[str, Any]]) -> None:
    chosen = [r for r in records if renamable(r)]
    assert {r["family"] for r in chosen} >= {"highlight", "font_color", "page_color", "watermark", "table_style"}
    for r in records:
        action = r["expected"]["action"]
        if action is None or not action["control_label"]:
            assert not renamable(r)  # FINISH, select_text, keys: nothing on screen to rename


def test_a_renamed_copy_moves_the_name_and_keeps_the_answer(records: list[dict[str, Any]]) -> None:
    rng = random.Random(1)
    for record in (r for r in records if renamable(r)):
        before = copy.deepcopy(record)
        out = rename_values(record, rng)
        assert record == before  # the original is untouched
        label = out["expected"]["action"]["control_label"]
        new, old = _at(out, label)["name"], _at(record, label)["name"]
        assert label == record["expected"]["action"]["control_label"]
        assert new != old and out["expected"]["action"]["control_text"] == new
        assert len(mention(new).findall(out["body"]["request"])) == 1
        assert not mention(old).search(out["body"]["request"])
        names = [c["name"].casefold() for c in out["body"]["observation"]["controls"]]
        assert len(names) == len(set(names)), "two controls share a name"
        invented = set(names) - {c["name"].casefold() for c in record["body"]["observation"]["controls"]}
        assert invented and not invented & TEST_VALUES
        PredictRequest.model_validate(out["body"])  # still a request the service accepts


def test_a_moved_copy_answers_where_the_requested_name_now_is(records: list[dict[str, Any]]) -> None:
    rng = random.Random(3)
    answered: set[tuple[str, str]] = set()
    for record in (r for r in records if renamable(r)):
        before = copy.deepcopy(record)
        out = move_target(record, rng)
        assert record == before and out is not None
        old, new = record["expected"]["action"]["control_label"], out["expected"]["action"]["control_label"]
        name = record["expected"]["action"]["control_text"]
        assert new != old and _at(out, new)["name"] == name == out["expected"]["action"]["control_text"]
        assert _at(out, old)["name"] == _at(record, new)["name"]  # swapped: every name still on screen once
        assert sorted(c["name"] for c in out["body"]["observation"]["controls"]) == sorted(
            c["name"] for c in record["body"]["observation"]["controls"]
        )
        assert _at(out, new)["control_type"] == "ListItem" and out["body"]["request"] == record["body"]["request"]
        PredictRequest.model_validate(out["body"])
        answered.add((record["family"], new))
    trained = {(r["family"], r["expected"]["action"]["control_label"]) for r in records if renamable(r)}
    assert answered - trained, "moved copies answer no label the expert's steps do not"


def test_a_gallery_of_one_cannot_be_moved(records: list[dict[str, Any]]) -> None:
    record = copy.deepcopy(next(r for r in records if renamable(r)))
    controls = record["body"]["observation"]["controls"]
    target = next(c for c in controls if c["label"] == record["expected"]["action"]["control_label"])
    for other in gallery_of(controls, target):
        if other is not target:
            other["control_type"] = "Button"  # the gallery is now the target alone
    assert move_target(record, random.Random(0)) is None


def test_a_relabelled_copy_numbers_what_it_keeps_and_points_at_the_same_control(
    records: list[dict[str, Any]],
) -> None:
    rng = random.Random(2)
    moved = 0
    for record in records:
        out = relabel(record, rng, drop_rate=0.5)
        controls = out["body"]["observation"]["controls"]
        assert [c["label"] for c in controls] == [str(i) for i in range(1, len(controls) + 1)]
        original = [(c["control_type"], c["name"]) for c in record["body"]["observation"]["controls"]]
        kept = iter(original)
        assert all(any(k == (c["control_type"], c["name"]) for k in kept) for c in controls)  # order kept
        action = record["expected"]["action"]
        if action and action["control_label"]:
            new_label = out["expected"]["action"]["control_label"]
            assert _at(out, new_label)["name"] == _at(record, action["control_label"])["name"]
            moved += new_label != action["control_label"]
        PredictRequest.model_validate(out["body"])
    assert moved > 0


def test_augment_is_seeded_and_adds_only_what_it_is_asked_for(records: list[dict[str, Any]]) -> None:
    assert augment(records, 0, 0.0, seed=0) == records
    n_gallery = sum(renamable(r) for r in records)
    one = augment(records, 2, 0.3, seed=7)
    assert len(one) == len(records) + 2 * n_gallery
    assert one == augment(records, 2, 0.3, seed=7)
    assert one != augment(records, 2, 0.3, seed=8)
    assert 0 < sum("relabel" in r.get("augmented", "") for r in one) < len(one)
    moved = augment(records, 2, 0.3, seed=7, move_copies=2)
    assert len(moved) == len(one) + 2 * n_gallery
    kinds = [r.get("augmented", "") for r in moved]
    kept = [r for r, kind in zip(moved, kinds, strict=True) if "move" not in kind]
    assert [(r["task_id"], r["step"]) for r in kept] == [(r["task_id"], r["step"]) for r in one]  # only adds
    assert 0 < sum("rename" in kind for kind in kinds if "move" in kind) < 2 * n_gallery


def test_a_value_named_twice_is_left_alone(records: list[dict[str, Any]]) -> None:
    record = copy.deepcopy(next(r for r in records if renamable(r)))
    name = _at(record, record["expected"]["action"]["control_label"])["name"]
    record["body"]["request"] += f" (the {name} one)"
    assert not renamable(record)


def _texts(record: dict[str, Any]) -> list[str]:
    """Every place a value can show: request, history clicks and typed texts, screen names, the answer."""
    body = record["body"]
    steps = [*body["memory"]["steps"], record["expected"].get("action") or {}]
    return [
        body["request"],
        *(s.get("control_text") or "" for s in steps),
        *(str((s.get("args") or {}).get("text", "")) for s in steps),
        *(c["name"] for c in body["observation"]["controls"]),
    ]


def test_the_steps_after_a_chosen_value_are_the_followups(records: list[dict[str, Any]]) -> None:
    chosen = {r["family"] for r in records if followup_value(r)}
    assert {"page_border", "highlight", "font", "replace_all"} <= chosen
    for r in records:
        value = followup_value(r)
        if r["step"] == 0 or not r["body"]["memory"]["steps"]:
            assert value is None  # nothing chosen yet
        if value is not None:
            assert value.casefold() in TRAIN_VALUES
            assert any(value in (s["control_text"], s["args"].get("text")) for s in r["body"]["memory"]["steps"])
    bold = [r for r in records if r["family"] == "bold" and r["body"]["memory"]["steps"]]
    assert bold and not any(followup_value(r) for r in bold)  # "Bold" is a button, not a value


def test_a_followup_copy_renames_the_value_everywhere_and_keeps_the_answer(records: list[dict[str, Any]]) -> None:
    rng = random.Random(4)
    followups = [r for r in records if followup_value(r)]
    assert followups
    for record in followups:
        before = copy.deepcopy(record)
        value = followup_value(record)
        assert value is not None
        out = rename_followups(record, value, rng)
        assert record == before  # the original is untouched
        assert not any(mention(value).search(text) for text in _texts(out)), "the old value still shows"
        new = {t for t in _texts(out) if t not in _texts(record) and t}
        new_names = {t for t in new if not mention(t).search(record["body"]["request"])}
        assert new_names and not {t.casefold() for t in new_names} & TEST_VALUES
        # same places, one consistent name: every text that was the value is now the same new name
        olds, news = _texts(record)[1:], _texts(out)[1:]
        renamed = {n for o, n in zip(olds, news, strict=True) if o.casefold() == value.casefold()}
        assert len(renamed) == 1 and mention(renamed.pop()).search(out["body"]["request"])
        assert out["expected"]["status"] == record["expected"]["status"]
        if record["expected"]["action"]:
            for key in ("function", "control_label"):
                assert out["expected"]["action"][key] == record["expected"]["action"][key]
        assert [c["label"] for c in out["body"]["observation"]["controls"]] == [
            c["label"] for c in record["body"]["observation"]["controls"]
        ]
        PredictRequest.model_validate(out["body"])


def test_followup_copies_are_added_only_when_asked(records: list[dict[str, Any]]) -> None:
    n_followup = sum(followup_value(r) is not None for r in records)
    plain = augment(records, 1, 0.0, seed=3)
    with_followups = augment(records, 1, 0.0, seed=3, followup_copies=2)
    assert len(with_followups) == len(plain) + 2 * n_followup
    kept = [r for r in with_followups if "followup" not in r.get("augmented", "")]
    assert [(r["task_id"], r["step"]) for r in kept] == [(r["task_id"], r["step"]) for r in plain]  # only adds
    assert with_followups == augment(records, 1, 0.0, seed=3, followup_copies=2)
    assert augment(records, 1, 0.2, seed=3, followup_copies=0) == augment(records, 1, 0.2, seed=3)
