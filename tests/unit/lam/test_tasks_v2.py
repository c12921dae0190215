"""lam.tasks.v2: targets, character and change-case ops, their experts on word2, and the checker."""

from __future__ import annotations

import random
from typing import Any

import pytest

from lam.sim.document import Document, paragraph
from lam.tasks.catalog import load_catalog
from lam.tasks.v2 import registry
from lam.tasks.v2.checker import check, expected_document
from lam.tasks.v2.draw import draw_op
from lam.tasks.v2.expert import run_expert
from lam.tasks.v2.ops import OPS, UNSUPPORTED
from lam.tasks.v2.targets import TEXT_KINDS, NoTarget, draw_target, spans

TEXTS = (
    "Quarterly budget review",
    "Sales rose in the third quarter. Running costs fell sharply. Margins improved everywhere.",
    "Next steps follow after the meeting.",
)
CASES = [(f, k) for f in OPS for k in load_catalog().families[f].targets]


def _alternate(word: str) -> str:
    return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(word))


def _doc(family: str = "") -> Document:
    """Plain text; for change case every word alternates case (no case mode already holds); for
    removing highlight or clearing formatting everything starts highlighted, bold and styled."""
    texts = [" ".join(_alternate(w) for w in t.split(" ")) for t in TEXTS] if family == "change_case" else TEXTS
    doc = Document([paragraph(t) for t in texts])
    if family in ("remove_highlight", "clear_formatting"):
        for i, p in doc.paragraphs():
            doc.format_span((i, 0, len(p.text)), highlight="Yellow", bold=True)
            p.style = "Heading 2"
    return doc


def _op(family: str, kind: str, seed: int = 0) -> tuple[Document, dict[str, Any]]:
    doc = _doc(family)
    return doc, draw_op(family, doc, random.Random(seed), kind)


def _other_target(doc: Document, target: dict[str, Any]) -> dict[str, Any]:
    """A target elsewhere: same kind, no overlap (for the whole document: its first paragraph)."""
    if target["kind"] == "document":
        return draw_target(doc, "paragraph", random.Random(0)) | {"ref": "the first paragraph"}
    own = spans(doc, target)
    for seed in range(200):
        other = draw_target(doc, target["kind"], random.Random(seed))
        theirs = spans(doc, other)
        if not any(b == ob and s < oe and os < e for b, s, e in own for ob, os, oe in theirs):
            return other
    raise AssertionError(f"no other {target['kind']} target")


def test_every_character_and_case_family_is_implemented_or_explained() -> None:
    cat = load_catalog()
    families = {f.id for c in ("character", "case") for f in cat.by_category()[c]}
    assert set(OPS) | set(UNSUPPORTED) <= families  # ops.py holds only these categories
    assert families <= set(registry.OPS) | set(registry.UNSUPPORTED)  # the rest in families/
    assert not set(registry.OPS) & set(registry.UNSUPPORTED)
    assert len(OPS) >= 12


@pytest.mark.parametrize("kind", TEXT_KINDS)
def test_targets_are_unique_and_deterministic(kind: str) -> None:
    doc = _doc()
    for seed in range(10):
        t = draw_target(doc, kind, random.Random(seed))
        assert t == draw_target(doc, kind, random.Random(seed))
        assert t["ref"]
        if kind == "document":
            assert spans(doc, t) == [(i, 0, len(p.text)) for i, p in doc.paragraphs()]
        else:
            assert doc.count(t["text"]) == 1
            (b, s, e) = spans(doc, t)[0]
            assert doc.para(b).text[s:e] == t["text"]
    with pytest.raises(NoTarget):
        draw_target(Document([paragraph("a b")]), "word", random.Random(0))


def test_target_refs_read_naturally() -> None:
    doc = _doc()
    refs = {k: draw_target(doc, k, random.Random(1))["ref"] for k in TEXT_KINDS}
    assert refs["document"] == "the whole document"
    assert refs["paragraph"].startswith("the ") and refs["paragraph"].endswith(" paragraph")
    assert refs["word"].startswith('the word "') and refs["phrase"].startswith('the phrase "')
    assert refs["word_part"].startswith('the letters "') and " of " in refs["word_part"]


@pytest.mark.parametrize(("family", "kind"), CASES)
def test_expert_passes_check_and_wrong_results_fail(family: str, kind: str) -> None:
    for seed in range(3):
        doc, op = _op(family, kind, seed)
        kind_ = OPS[family]
        assert not kind_.satisfied(doc, op), op
        actions, final = run_expert(doc, op)
        assert actions and all(not a["result"].startswith("error") for a in actions)
        assert check(doc, op, final), op
        assert kind_.satisfied(final, op) or not kind_.once(op)
        # nothing done
        assert not check(doc, op, doc.copy())
        # the same edit on another span
        wrong = doc.copy()
        kind_.apply(wrong, {**op, "target": _other_target(doc, op["target"])})
        assert not check(doc, op, wrong), op
        # the right edit plus a side effect elsewhere
        extra = final.copy()
        last = len(extra.blocks) - 1
        extra.format_span((last, 0, 4), italic=not extra.char_formats((last, 0, 1))[0].italic)
        assert not check(doc, op, extra)


@pytest.mark.parametrize(("family", "kind"), CASES)
def test_satisfied_after_apply_not_before(family: str, kind: str) -> None:
    doc, op = _op(family, kind)
    assert not OPS[family].satisfied(doc, op)
    done = expected_document(doc, op)
    assert done.state() != doc.state()
    if OPS[family].once(op):
        assert OPS[family].satisfied(done, op)
        actions, final = run_expert(done, op)  # already done: the expert does nothing
        assert actions == [] and final.state() == done.state()
        assert check(done, op, done)


WITH_VALUES = [f for f in OPS if any(p != "scope" for p in load_catalog().families[f].params)]


@pytest.mark.parametrize("family", WITH_VALUES)
def test_every_parameter_value_is_reachable(family: str) -> None:
    """Each value of the family's pools drives the expert without an error (theme colours: those
    on the Font Color menu)."""
    from lam.tasks.v2.draw import pool_values

    params = [p for p in load_catalog().families[family].params if p != "scope"]
    doc = _doc(family)
    base = draw_op(family, doc, random.Random(0), "word")
    checked = 0
    for param in params:
        for value in pool_values(family, param):
            op = {**base, param: value}
            if OPS[family].satisfied(doc, op):
                continue
            _, final = run_expert(doc, op)
            assert check(doc, op, final), op
            checked += 1
    assert checked > 0, "no value of the family's pools was exercised"


def test_determinism() -> None:
    for family in OPS:
        doc = _doc(family)
        a = draw_op(family, doc, random.Random(42))
        b = draw_op(family, doc, random.Random(42))
        assert a == b
        assert run_expert(doc, a)[0] == run_expert(doc, b)[0]
        assert run_expert(doc, a)[1].state() == run_expert(doc, b)[1].state()


def test_expert_uses_the_real_ui_path() -> None:
    doc, op = _op("font_color_standard", "word")
    actions, _ = run_expert(doc, op)
    assert [a["function"] for a in actions] == ["select_text", "click_input", "click_input"]
    assert [a["control_text"] for a in actions[1:]] == ["Font Color", op["color"]]
    doc, op = _op("bold", "document")
    actions, _ = run_expert(doc, op)
    assert (actions[0]["function"], actions[0]["args"]) == ("keyboard_input", {"keys": "^a"})
    assert actions[-1]["control_text"] == "Bold"
    doc, op = _op("font_size", "phrase")
    actions, _ = run_expert(doc, op)
    assert actions[-1]["function"] == "set_edit_text" and actions[-1]["control_text"] == "Font Size"


def test_expert_opens_home_tab_first() -> None:
    from lam.sim.word2 import WordWindow

    doc, op = _op("italic", "word")
    win = WordWindow(doc.copy())
    win.execute("click_input", {}, win.label_of("TabItem", "Layout"))
    acts = list(OPS["italic"].expert(win, op))
    assert acts[1].control == ("TabItem", "Home")


def test_bold_toggle_trap_partly_bold() -> None:
    """A target partly bold already: one click of Bold makes all of it bold (Word's toggle rule)."""
    doc, op = _op("bold", "phrase")
    b, s, _ = spans(doc, op["target"])[0]
    doc.format_span((b, s, s + 1), bold=True)
    assert not OPS["bold"].satisfied(doc, op)
    _, final = run_expert(doc, op)
    assert check(doc, op, final)
