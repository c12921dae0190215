"""Every v2 family, the same checks: its expert solves drawn tasks on Word's screens (wide and
narrow windows), its checker rejects the untouched document and a document done with other
values, an "already done" document makes the expert finish without acting, and a family with
``confirm`` tasks marks its destructive step."""

from __future__ import annotations

import random
from typing import Any

import pytest

from lam.sim.document import Document
from lam.tasks.catalog import load_catalog
from lam.tasks.v2.checker import check, expected_document
from lam.tasks.v2.documents import base_document, load_sources
from lam.tasks.v2.draw import draw_op, prepare_document
from lam.tasks.v2.expert import run_expert
from lam.tasks.v2.registry import OPS, UNSUPPORTED
from lam.tasks.v2.targets import NoTarget

SEEDS = range(4)
CASES = [(f, k) for f in sorted(OPS) for k in load_catalog().families[f].targets]


def _drawn(family: str, kind: str, seed: int) -> tuple[Document, dict[str, Any]] | None:
    rng = random.Random(f"{family}/{kind}/{seed}")
    sources = load_sources()
    doc, _ = base_document(sources[seed % len(sources)], rng)
    doc = prepare_document(family, doc, rng)
    try:
        return doc, draw_op(family, doc, rng, kind)
    except NoTarget:
        return None


def _draws(family: str, kind: str) -> list[tuple[Document, dict[str, Any]]]:
    found = [d for s in SEEDS if (d := _drawn(family, kind, s)) is not None]
    assert found, f"{family}: no document of the corpus gives a {kind} target"
    return found


def test_every_catalog_family_is_implemented_or_explained() -> None:
    atomic = {f.id for f in load_catalog().atomic()}
    missing = atomic - set(OPS) - set(UNSUPPORTED)
    assert set(OPS) <= atomic and not missing, sorted(missing)
    assert all(why.strip() for why in UNSUPPORTED.values())


@pytest.mark.parametrize(("family", "kind"), CASES)
@pytest.mark.parametrize("width", ["wide", "narrow"])
def test_expert_solves_and_checker_accepts(family: str, kind: str, width: Any) -> None:
    for doc, op in _draws(family, kind):
        before = doc.state()
        actions, final = run_expert(doc, op, width=width)
        assert check(doc, op, final), (op, actions)
        assert doc.state() == before, "the expert must not touch its input"


@pytest.mark.parametrize(("family", "kind"), CASES)
def test_checker_rejects_untouched_and_other_values(family: str, kind: str) -> None:
    rejected = 0
    for n, (doc, op) in enumerate(_draws(family, kind)):
        if not OPS[family].satisfied(doc, op):
            assert not check(doc, op, doc), op
            rejected += 1
        for seed in range(6):
            other = draw_op(family, doc, random.Random(f"other/{n}/{seed}"), kind)
            done_other = expected_document(doc, other)
            if done_other.state() != expected_document(doc, op).state():
                assert not check(doc, op, done_other), (op, other)
                rejected += 1
                break
    assert rejected, f"{family}: no draw gave a document the checker must reject"


@pytest.mark.parametrize(
    ("family", "kind"), [c for c in CASES if "already_done" in load_catalog().families[c[0]].kinds]
)
def test_already_done_finishes_without_acting(family: str, kind: str) -> None:
    for doc, op in _draws(family, kind):
        if not OPS[family].once(op):
            continue
        done = expected_document(doc, op)
        assert OPS[family].satisfied(done, op), op
        actions, final = run_expert(done, op)
        assert actions == [] and final.state() == done.state()


@pytest.mark.parametrize(("family", "kind"), [c for c in CASES if "confirm" in load_catalog().families[c[0]].kinds])
def test_confirm_families_mark_their_destructive_step(family: str, kind: str) -> None:
    for doc, op in _draws(family, kind):
        actions, _ = run_expert(doc, op)
        assert sum(a["destructive"] for a in actions) >= 1, (op, actions)
