"""Reworded training requests say the same task in other words, and never in a test wording.

Runs in the layer's environment (no torch), on tasks and records of the real task generator.
"""

from __future__ import annotations

import random
import string
from collections.abc import Mapping
from typing import Any

import pytest

from lam.tasks.generate import Dataset, generate
from lam.tasks.model import Task
from lam.tasks.phrasings import CLAUSES, CONNECTORS, FAMILY_TEMPLATES, clause_key, compose, slots
from lam.tasks.records import phase2_records
from models.train.rephrase import near_copies, rephrase_all, reword, train_banks
from models.train.wordings import BATCHES, paraphrase_batch

ALTERNATIVES = {"attr_adj": "shortcut", "shortcut": "attr_adj", "nth": "number", "number": "nth",
                "align_verb": "align_adj", "align_adj": "align_verb", "value": "value_lower",
                "value_lower": "value"}  # fmt: skip


@pytest.fixture(scope="module")
def data() -> Dataset:
    return generate(seed=7, sizes={"train": 3, "val": 0, "test": 0})


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _needed(templates: tuple[str, ...]) -> set[frozenset[str]]:
    """What a key's own training templates all convey, as sets of interchangeable fields."""
    return set.intersection(*({frozenset({f, ALTERNATIVES.get(f, f)}) for f in _fields(t)} for t in templates))


BANK_PAIRS = [
    ((w.clauses, CLAUSES), (w.family_templates, FAMILY_TEMPLATES)) for w in (paraphrase_batch(n) for n in BATCHES)
]


@pytest.mark.parametrize(
    ("bank", "own"),
    [pair for pairs in BANK_PAIRS for pair in pairs],
    ids=[f"{kind}-{n}" for n in BATCHES for kind in ("clauses", "families")],
)
def test_each_paraphrase_uses_its_keys_fields_and_conveys_what_they_all_do(
    bank: Mapping[str, tuple[str, ...]], own: dict[str, Any]
) -> None:
    assert set(bank) == set(own)
    for key, templates in bank.items():
        allowed = {f for t in own[key]["train"] for f in _fields(t)}
        allowed |= {ALTERNATIVES[f] for f in allowed if f in ALTERNATIVES}
        for template in templates:
            fields = _fields(template)
            assert fields <= allowed, (key, template)
            missing = [group for group in _needed(own[key]["train"]) if not group & fields]
            assert not missing, (key, template, missing)


@pytest.mark.parametrize("batch", BATCHES)
def test_connectors_keep_every_clause_in_order(batch: int) -> None:
    bank = paraphrase_batch(batch).connectors
    assert set(bank) == set(CONNECTORS)
    for n, templates in bank.items():
        for template in templates:
            assert [name for _, name, _, _ in string.Formatter().parse(template) if name is not None] == [
                str(i) for i in range(n)
            ], template


def test_no_paraphrase_is_a_near_copy_of_a_test_wording() -> None:
    assert near_copies() == {}


def _values(task: Task) -> list[str]:
    """The parameters a request must name: texts, values and numbers of the task's ops."""
    out = []
    for op in task.ops:
        filled = slots(op)
        for key in ("phrase", "lead", "after", "find", "replace", "color", "font", "style", "size", "points", "where",
                    "rows", "columns"):  # fmt: skip
            if key in filled:
                out.append(str(filled[key]))
        if "value" in op:
            out.append(str(op["value"]).casefold())
    return out


@pytest.mark.parametrize("batches", [(1,), (1, 2), (1, 2, 3)])
def test_a_reworded_request_names_every_parameter_of_its_task(data: Dataset, batches: tuple[int, ...]) -> None:
    rng = random.Random(0)
    seen: dict[str, set[str]] = {}
    for task in data.tasks["train"]:
        for _ in range(6):
            text = reword(task, rng, batches)
            assert text[-1] in ".!?"
            for value in _values(task):
                assert value.casefold() in text.casefold(), (task.family, value, text)
            seen.setdefault(task.family, set()).add(text)
    assert all(len(texts) > 1 for texts in seen.values())  # more than one wording per family


def test_rephrase_all_changes_only_the_request_and_is_seeded(data: Dataset) -> None:
    records = [
        r for t, j in zip(data.tasks["train"], data.trajectories["train"], strict=True) for r in phase2_records(t, j)
    ]
    tasks = {t.task_id: t for t in data.tasks["train"]}
    out = rephrase_all(records, tasks, rate=0.5, seed=3)
    assert out == rephrase_all(records, tasks, rate=0.5, seed=3)
    assert len(out) == len(records)
    changed = [(a, b) for a, b in zip(records, out, strict=True) if b.get("augmented") == "rephrase"]
    assert 0.3 * len(records) < len(changed) < 0.7 * len(records)
    for before, after in changed:
        assert after["expected"] == before["expected"]
        assert after["body"]["observation"] == before["body"]["observation"]
        assert after["body"].get("memory") == before["body"].get("memory")
    assert sum(a["body"]["request"] != b["body"]["request"] for a, b in changed) > 0.8 * len(changed)


def test_batches_are_chosen_and_the_first_alone_rewords_as_before(data: Dataset) -> None:
    one, both = train_banks((1,)), train_banks((1, 2))
    assert one == train_banks()  # the default is the first batch alone, as runs before the second drew
    for small, large in zip(one, both, strict=True):
        assert small.keys() == large.keys()
        for key, templates in small.items():
            assert large[key][: len(templates)] == templates  # batch 2 only appends: draws from 1 stay valid
            assert len(large[key]) > len(templates)
    rng_a, rng_b = random.Random(5), random.Random(5)
    task = data.tasks["train"][0]
    assert [reword(task, rng_a) for _ in range(5)] == [reword(task, rng_b, (1,)) for _ in range(5)]
    # Every wording batch 1 can give a one-clause task, each template rendered alone; batch 2 gives others.
    clauses, families, connectors = one
    rng = random.Random(1)
    fresh = 0
    for task in (t for t in data.tasks["train"] if len(t.ops) == 1 and t.family not in families):
        key = clause_key(task.ops[0])
        possible = {compose(task.family, task.ops, rng, {key: (t,)}, families, connectors) for t in clauses[key]}
        fresh += sum(reword(task, rng, (1, 2)) not in possible for _ in range(10))
    assert fresh > 0  # the second batch is drawn from
