"""Counterfactual copies of expert steps: teach the LAM to read the screen, not to remember it.

Measured on LAM3+ (``python -m bench.table3 --split val``, values and wordings it was trained on): in a
gallery it clicks the item it saw most often instead of the one the request names ("Make the text
'...' Purple" -> Orange; every watermark -> Draft), and on the test split, whose values were never
trained on, "Light Blue" -> Blue. It learnt one fixed map from a few names to a few labels, which
the simulator's fixed numbering (controls are numbered by screen position: Bold is 21 on 98 % of training screens)
allows. An agent's real screens are numbered differently, and users name values we never saw.

Four kinds of copy break the shortcut, and only the shortcut (the expert's answer stays right in each):

- ``rename_values``: a step whose target is a gallery item (``ListItem``) named in the request is
  copied with that item, and some of its siblings, under invented names, the request naming the new
  one. Same screen, same label, another name: the answer follows the request, so the model must
  match the request against the screen. Some siblings share the target's head word ("Coral" next to
  "Light Coral"), the case the test split's "Light Blue" next to "Blue" asks for.
- ``move_target``: a copy with the requested item's name swapped with another item of its gallery,
  the answer following the name to that item's label. The simulator puts each value at one place,
  so renamed copies only ever answer the labels training already targets; the test split's held-out
  values sit at labels no training step targets (88 of its 196 gallery clicks, RESULTS.md), and the
  model clicked the trained neighbour. Moved copies answer every label of every gallery.
- ``rename_followups``: a later step of a task whose history holds the chosen value (the ``OK``
  after the border style, the ``FINISH`` after the colour) is copied with that value under an
  invented name everywhere it appears: request, history, screen. Renamed copies covered only the
  click itself, so the steps after a held-out value were never trained: measured on LAM3+n, the
  test split's page borders (3-D, never chosen in training) clicked 3-D again or Box instead of OK
  in 7 of 8 such steps while the click on 3-D itself was right.
- ``relabel``: a copy with a random part of the other controls removed and the rest renumbered from
  1 (as UFO numbers what it keeps), so the target's label is not the one remembered.

Invented names (``wordings/invented_names.yaml``) never equal a value of the test pools (checked at
import), so the test split stays held out. Pure functions over phase-2 records (``lam.tasks.records``):
no torch, testable anywhere.
What it bought (RESULTS.md): renames and relabels (LAM3+aug) better lookups, the same SSR; moves
(LAM3+m) test TSR 36.7 -> 42.2, the wrong clicks now next to the answer instead of at a trained label;
follow-ups (LAM3+p) test TSR 73.4 -> 82.0, page_border 0 -> 4 of 4 tasks.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Sequence
from typing import Any

from lam.tasks.pools import POOLS
from models.train.wordings import invented_names

GALLERY_TYPE = "ListItem"
NAMES = invented_names()  # models/train/wordings/invented_names.yaml
MODIFIERS, HEADS = NAMES.modifiers, NAMES.heads
TRAIN_VALUES = frozenset(str(v).casefold() for pools in POOLS.values() for v in pools["train"] if isinstance(v, str))
TEST_VALUES = frozenset(str(v).casefold() for pools in POOLS.values() for v in pools["test"] if isinstance(v, str))
assert not TEST_VALUES & {h.casefold() for h in HEADS}, "an invented name is a test value"


def mention(name: str) -> re.Pattern[str]:
    """``name`` as a whole phrase, any case: "Blue" matches in "dark blue", not in "Bluesy" or "Blue-grey"."""
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.IGNORECASE)


def invented_name(rng: random.Random, taken: set[str]) -> str:
    """A fresh name: a head word, half the time with a modifier; never a test value nor one on screen."""
    while True:
        name = rng.choice(HEADS)
        if rng.random() < 0.5:
            name = f"{rng.choice(MODIFIERS)} {name}"
        if name.casefold() not in taken and name.casefold() not in TEST_VALUES:
            return name


def _target(record: dict[str, Any]) -> dict[str, Any] | None:
    """The control the expert's action is on, as listed in the observation (``None``: no control)."""
    action = record["expected"].get("action") or {}
    label = action.get("control_label") or ""
    if not label:
        return None
    return next((c for c in record["body"]["observation"]["controls"] if c["label"] == label), None)


def renamable(record: dict[str, Any]) -> bool:
    """A gallery click whose item the request names: the step ``rename_values`` can vary."""
    target = _target(record)
    return (
        target is not None
        and target.get("control_type") == GALLERY_TYPE
        and len(mention(target["name"]).findall(record["body"]["request"])) == 1  # once: not inside the phrase too
    )


def gallery_of(controls: list[dict[str, Any]], target: dict[str, Any]) -> list[dict[str, Any]]:
    """The run of consecutive ``ListItem`` controls the target is in (its gallery, not the style list beside it)."""
    at = next(i for i, c in enumerate(controls) if c is target)
    start = end = at
    while start > 0 and controls[start - 1].get("control_type") == GALLERY_TYPE:
        start -= 1
    while end + 1 < len(controls) and controls[end + 1].get("control_type") == GALLERY_TYPE:
        end += 1
    return controls[start : end + 1]


def unnamed_siblings(controls: list[dict[str, Any]], target: dict[str, Any], request: str) -> list[dict[str, Any]]:
    """The other items of the target's gallery that the request does not name: free to rename or swap with."""
    return [c for c in gallery_of(controls, target) if c is not target and not mention(c["name"]).search(request)]


def rename_values(record: dict[str, Any], rng: random.Random, sibling_rate: float = 0.5) -> dict[str, Any]:
    """A copy of a ``renamable`` record with the target item (and some siblings) under invented names."""
    out = copy.deepcopy(record)
    body = out["body"]
    controls = body["observation"]["controls"]
    target = _target(out)
    assert target is not None
    request = body["request"]
    taken = {c["name"].casefold() for c in controls}
    new = invented_name(rng, taken)
    taken.add(new.casefold())
    siblings = unnamed_siblings(controls, target, request)
    rng.shuffle(siblings)
    if siblings and " " in new and rng.random() < 0.5:
        head = new.split(" ", 1)[1]  # "Light Coral" on screen next to "Coral"
        if head.casefold() not in taken:
            siblings.pop()["name"] = head
            taken.add(head.casefold())
    for sibling in siblings:
        if rng.random() < sibling_rate:
            sibling["name"] = invented_name(rng, taken)
            taken.add(sibling["name"].casefold())
    body["request"] = mention(target["name"]).sub(lambda _: new, request)
    target["name"] = new
    out["expected"]["action"]["control_text"] = new
    out["augmented"] = f"{out.get('augmented', '')}+rename".lstrip("+")
    return out


def move_target(record: dict[str, Any], rng: random.Random) -> dict[str, Any] | None:
    """A copy of a ``renamable`` record with the requested name swapped onto another gallery item.

    The other item is one the request does not name; the expected label becomes its label and the
    control text stays the requested name. ``None`` when the gallery has no such item.
    """
    out = copy.deepcopy(record)
    controls = out["body"]["observation"]["controls"]
    target = _target(out)
    assert target is not None
    others = unnamed_siblings(controls, target, out["body"]["request"])
    if not others:
        return None
    other = rng.choice(others)
    target["name"], other["name"] = other["name"], target["name"]
    out["expected"]["action"]["control_label"] = other["label"]
    out["augmented"] = f"{out.get('augmented', '')}+move".lstrip("+")
    return out


def relabel(record: dict[str, Any], rng: random.Random, drop_rate: float = 0.25) -> dict[str, Any]:
    """A copy with each non-target control dropped at ``drop_rate`` and the rest numbered 1, 2, ..."""
    out = copy.deepcopy(record)
    target = _target(out)
    observation = out["body"]["observation"]
    kept = [c for c in observation["controls"] if c is target or rng.random() >= drop_rate]
    for number, control in enumerate(kept, start=1):
        control["label"] = str(number)
    observation["controls"] = kept
    if target is not None:
        out["expected"]["action"]["control_label"] = target["label"]
    out["augmented"] = f"{out.get('augmented', '')}+relabel".lstrip("+")
    return out


def followup_value(record: dict[str, Any]) -> str | None:
    """The value this step's history chose (a training pool's value the request names once), if any.

    The value is what a past step clicked (``control_text``) or typed (``args["text"]``); only the
    value pools count, so "Bold" in "make ... bold" is not one and the step keeps its meaning.
    """
    request = record["body"]["request"]
    for step in reversed(record["body"]["memory"]["steps"]):
        for candidate in (step.get("control_text") or "", str((step.get("args") or {}).get("text", ""))):
            if candidate.casefold() in TRAIN_VALUES and len(mention(candidate).findall(request)) == 1:
                return candidate
    return None


def rename_followups(record: dict[str, Any], value: str, rng: random.Random) -> dict[str, Any]:
    """A copy of a step after ``value`` was chosen (``followup_value``), under one invented name throughout.

    The request, the history's clicks and typed texts, the screen's controls of that name and the
    expected answer all change together, so the copy is a consistent trajectory for a value never
    seen; labels stay, so the answer stays right.
    """
    out = copy.deepcopy(record)
    body = out["body"]
    key = value.casefold()
    new = invented_name(rng, {c["name"].casefold() for c in body["observation"]["controls"]})
    body["request"] = mention(value).sub(lambda _: new, body["request"])
    action = out["expected"].get("action") or {}
    for item in [*body["memory"]["steps"], action]:
        if (item.get("control_text") or "").casefold() == key:
            item["control_text"] = new
        args = item.get("args") or {}
        if str(args.get("text", "")).casefold() == key:
            args["text"] = new
    for control in body["observation"]["controls"]:
        if control["name"].casefold() == key:
            control["name"] = new
    out["augmented"] = f"{out.get('augmented', '')}+followup".lstrip("+")
    return out


def moved_copies(record: dict[str, Any], rng: random.Random, copies: int, rename_rate: float) -> list[dict[str, Any]]:
    """``copies`` moved copies of a renamable record, each also renamed at ``rename_rate``."""
    out = []
    for _ in range(copies):
        moved = move_target(record, rng)
        if moved is not None:
            out.append(rename_values(moved, rng) if rng.random() < rename_rate else moved)
    return out


def augment(
    records: Sequence[dict[str, Any]],
    rename_copies: int,
    relabel_rate: float,
    seed: int,
    drop_rate: float = 0.25,
    move_copies: int = 0,
    move_rename_rate: float = 0.5,
    followup_copies: int = 0,
) -> list[dict[str, Any]]:
    """The records, with renamed and moved copies of each renamable one, ``followup_copies`` renamed
    copies of each step after a chosen value, and ``relabel_rate`` of all relabelled.

    Relabelling replaces a record rather than adding one (same epoch length); renamed and moved
    copies are added (gallery steps are few: about one step in nine). Seeded: the same call gives
    the same list, and ``move_copies=0`` the same list as before moved copies existed.
    """
    rng = random.Random(f"{seed}/augment")
    move_rng = random.Random(f"{seed}/move")
    followup_rng = random.Random(f"{seed}/followup")
    out: list[dict[str, Any]] = []
    for record in records:
        variants = [record]
        if renamable(record):
            variants += [rename_values(record, rng) for _ in range(rename_copies)]
            variants += moved_copies(record, move_rng, move_copies, move_rename_rate)
        value = followup_value(record) if followup_copies else None
        if value is not None:
            variants += [rename_followups(record, value, followup_rng) for _ in range(followup_copies)]
        out += [relabel(v, rng, drop_rate) if rng.random() < relabel_rate else v for v in variants]
    return out
