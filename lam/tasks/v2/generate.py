"""The v2 generator: task files for the five splits of the evaluation protocol, on Word's screens.

Every task draws from its own ``random.Random(f"v2/{seed}/{split}/{family}/{index}")``: same seed,
same files; adding a family leaves the others' tasks unchanged. What a split may use (families,
templates, pool values) is ``lam.tasks.catalog.protocol``'s; which base documents, ``documents.py``'s
hash rule (the sealed splits act on documents development never sees). Kinds:

* ``feasible``: the op on a document that does not satisfy it yet;
* ``already_done``: the document already satisfies the op (the expert finishes at once);
* ``confirm``: a family whose tasks delete or discard: the destructive step says CONFIRM;
* ``recovery``: a wrong or no-op step is already in memory with its result (a formatting click with
  nothing selected, a selection of text that is not there, a label not on screen); the expert goes
  on from there and never repeats it;
* ``infeasible``: a complete request of an infeasible family: FAIL at once.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from lam.sim.document import Document
from lam.tasks.catalog import load_catalog
from lam.tasks.catalog.protocol import RENDER, SEALED, SPLITS, Split, build_protocol, canonical_json
from lam.tasks.expert import ExpertError, build_app, run_expert
from lam.tasks.model import ExpertStep, Kind, Task, Trajectory, write_jsonl
from lam.tasks.records import phase1_record, phase2_records
from lam.tasks.v2.checker import expected_document
from lam.tasks.v2.documents import base_document, sources_for
from lam.tasks.v2.draw import draw_op, prepare_document
from lam.tasks.v2.registry import OPS
from lam.tasks.v2.render import fill, join_place, place_text, place_texts, worded_value
from lam.tasks.v2.targets import NoTarget

SIZES: Final[Mapping[str, int]] = {"train": 24, "val": 4, "test": 3, "heldout_dev": 3, "heldout_test": 3}
# test ~ the paper's 435 tasks; every sealed task is scored, online too, on a 2-core CPU
TRAINING_SPLITS: Final = ("train", "val")  # phase-1/phase-2 record files are written for these
WIDTHS: Final = ("wide", "wide", "medium", "narrow")  # Word is most often maximised
ALREADY_DONE_SHARE: Final = 0.15
RECOVERY_SHARE: Final = 0.2
ATTEMPTS: Final = 60
SHARED_TARGET_KEYS: Final = frozenset({"kind", "text", "ref", "count", "word", "table"})


class GenerationError(RuntimeError):
    """A family could not yield a task (its setup/draw never fit a document): a family bug."""


@dataclass
class Dataset:
    tasks: dict[str, list[Task]] = field(default_factory=dict)
    trajectories: dict[str, list[Trajectory]] = field(default_factory=dict)
    expert_looks: bool = False


def _want_kind(kinds: tuple[str, ...], rng: random.Random) -> Kind:
    roll = rng.random()
    if "already_done" in kinds and roll < ALREADY_DONE_SHARE:
        return "already_done"
    if "recovery" in kinds and roll > 1 - RECOVERY_SHARE:
        return "recovery"
    return "feasible"


def _request(family: str, ops: list[dict[str, Any]], split: Split, rng: random.Random, target: str) -> str:
    """A template of the family filled in: ``{target}``, ``{param}`` (atomic) or ``{member.param}``."""
    fam = load_catalog().families[family]
    template = rng.choice(build_protocol().templates(family, split))
    text, values = template.text, {"target": target}
    by_member = {op["family"]: op for op in ops}
    for param, pool in fam.params.items():
        member, _, name = param.rpartition(".")
        op = by_member[member or family]
        if name == "scope":
            continue
        if pool in place_texts().pools:
            # A move's destination has its own anchor (``to``); any other place is relative to the
            # target. The phrase is drawn from its own seed so the task stream stays as it was.
            anchor = str(op["to"]["ref"]) if pool in place_texts().own_anchor and "to" in op else target
            text = join_place(text, param)
            values[param] = place_text(op[name], anchor, random.Random(f"place:{template.text}:{anchor}:{op[name]}"))
        else:
            values[param] = worded_value(member or family, param, pool, op[name], text, rng)
    return fill(text, values)


def _draw_ops(family: str, doc: Document, rng: random.Random, split: Split) -> tuple[list[dict[str, Any]], str]:
    """The ops of an atomic family (one) or of a composition (one per member, linked as the catalog
    says), and what ``{target}`` reads as. Raises NoTarget when the document cannot serve."""
    catalog = load_catalog()
    fam = catalog.families[family]
    if not fam.is_composition:
        op = draw_op(family, doc, rng, split=split)
        return [op], str(op["target"]["ref"])
    members = list(fam.members)
    first_targets = catalog.families[members[0]].targets
    kind = rng.choice([k for k in fam.targets if k in first_targets] or list(first_targets))
    ops: list[dict[str, Any]] = []
    work = doc
    for member in members:
        own = catalog.families[member].targets
        if fam.link == "chained" and ops:
            work = expected_document(work, ops[-1])  # a later member acts on what the earlier made
            op = draw_op(member, work, rng, rng.choice(list(own)), split=split)
            made = ops[-1].get("text")
            if isinstance(made, str) and "sentence" in own and work.count(made) == 1:
                op["target"] = {"kind": "sentence", "text": made, "ref": "it"}  # the typed text itself
        elif kind in own:
            op = draw_op(member, work, rng, kind, split=split)
            if ops and ops[0]["target"]["kind"] == kind:  # one target for every member of this kind:
                shared = {k: v for k, v in ops[0]["target"].items() if k in SHARED_TARGET_KEYS}
                op["target"] = {**op["target"], **shared}  # keeps what only this member's draw adds (a column)
        else:
            op = draw_op(member, work, rng, rng.choice(list(own)), split=split)
        ops.append(op)
    return ops, str(ops[0]["target"]["ref"])


def _satisfied(doc: Document, ops: list[dict[str, Any]]) -> bool:
    return all(OPS[op["family"]].satisfied(doc, op) for op in ops)


def _done(doc: Document, ops: list[dict[str, Any]]) -> Document:
    for op in ops:
        doc = expected_document(doc, op)
    return doc


def implemented(family: str) -> bool:
    """The simulator can carry out the family (a composition: every member)."""
    fam = load_catalog().families.get(family)
    if fam is None:
        return False
    return all(m in OPS for m in fam.members) if fam.is_composition else family in OPS


def _solve(task: Task) -> Trajectory:
    trajectory, app = run_expert(task)
    if task.kind != "infeasible" and _done(Document.from_dict(task.doc), task.ops).state() != app.doc.state():
        raise ExpertError(f"{task.task_id}: the expert's document fails the checker")
    return trajectory


def feasible_task(
    family: str, split: Split, seed: int, index: int, expert_looks: bool = False
) -> tuple[Task, Trajectory]:
    rng = random.Random(f"v2/{seed}/{split}/{family}/{index}")
    fam = load_catalog().families[family]
    members = list(fam.members) or [family]
    want = _want_kind(fam.kinds, rng)
    sources = sources_for(split in SEALED)
    for _ in range(ATTEMPTS):
        doc, name = base_document(rng.choice(sources), rng)
        for member in members:
            doc = prepare_document(member, doc, rng, split)
        try:
            ops, target = _draw_ops(family, doc, rng, split)
        except NoTarget:
            continue
        kind: Kind = want
        if kind == "already_done":
            if not all(OPS[op["family"]].once(op) for op in ops):
                kind = "feasible"
            else:
                doc = _done(doc, ops)
                if not _satisfied(doc, ops):
                    continue  # a later member undoes an earlier one's result: not an "already done" draw
        if kind != "already_done" and _satisfied(doc, ops):
            continue
        task = Task(
            task_id=f"{split}-{family}-{index:04d}",
            family=family,
            request=_request(family, ops, split, rng, target),
            split=split,
            doc_name=name,
            doc=doc.to_dict(),
            ops=ops,
            kind="feasible" if kind == "recovery" else kind,
            sim="word2",
            width=rng.choice(WIDTHS),
            expert_looks=expert_looks and kind == "already_done",
        )
        try:
            trajectory = _solve(task)
        except ExpertError:
            if fam.is_composition:
                continue  # members that undo each other's ground (rare draws): draw again
            raise
        if task.kind == "feasible" and any(s.status == "CONFIRM" for s in trajectory.steps):
            task.kind = "confirm"  # a family with confirm tasks whose op destroys something here
        if kind == "recovery":
            recovered = _with_recovery(task, trajectory, rng)
            if recovered is not None:
                return recovered
        return task, trajectory
    raise GenerationError(f"{family}: no task for {split} #{index} in {ATTEMPTS} draws")


def infeasible_task(family: str, split: Split, seed: int, index: int) -> tuple[Task, Trajectory]:
    rng = random.Random(f"v2/{seed}/{split}/{family}/{index}")
    doc, name = base_document(rng.choice(sources_for(split in SEALED)), rng)
    template = rng.choice(build_protocol().templates(family, split))
    task = Task(
        task_id=f"{split}-{family}-{index:04d}",
        family=family,
        request=template.text,
        split=split,
        doc_name=name,
        doc=doc.to_dict(),
        kind="infeasible",
        sim="word2",
        width=rng.choice(WIDTHS),
    )
    return task, run_expert(task)[0]


# ---- recovery: a wrong or no-op step already taken ------------------------------------------------
NOT_THERE_SUFFIX: Final = "zq"


def _prefix_candidates(task: Task, trajectory: Trajectory) -> Iterable[dict[str, Any]]:
    steps = [s for s in trajectory.steps if s.function]
    if len(steps) >= 2 and steps[0].function in ("select_text", "keyboard_input"):
        later = next((s for s in steps[1:] if s.function == "click_input"), None)
        if later is not None:  # the command before the selection: Word says nothing was selected
            yield {"function": later.function, "args": later.args, "control_text": later.control_text}
    if steps and steps[0].function == "select_text":
        wrong = str(steps[0].args.get("text", "")) + NOT_THERE_SUFFIX  # text that is not in the document
        yield {"function": "select_text", "args": {"text": wrong}, "control_text": ""}
    if steps and steps[0].control_text:
        yield {"function": steps[0].function, "args": steps[0].args, "control_text": steps[0].control_text, "off": True}


def _with_recovery(task: Task, trajectory: Trajectory, rng: random.Random) -> tuple[Task, Trajectory] | None:
    for cand in _prefix_candidates(task, trajectory):
        app = build_app(task)
        before = app.doc.state()
        observation = app.observation()
        label = ""
        if cand["function"] != "select_text":
            on_screen = [str(i) for i, c in enumerate(observation["controls"], 1) if c["name"] == cand["control_text"]]
            label = str(len(observation["controls"]) + 1 + rng.randrange(20)) if cand.get("off") else ""
            if not cand.get("off"):
                if not on_screen:
                    continue
                label = on_screen[0]
        result = app.execute(cand["function"], cand["args"], label)
        noop = "nothing" in result or result.startswith("error:")
        if not noop or app.doc.state() != before or app.observation() != observation:
            continue  # the wrong step must leave document and screen as they were
        step = ExpertStep(
            step=0,
            subtask="",
            observation=observation,
            control_label=label,
            control_text=cand["control_text"],
            function=cand["function"],
            args=cand["args"],
            status="CONTINUE",
            result=result,
        )
        recovered = task.model_copy(update={"prefix": [step], "kind": "recovery"})
        try:
            return recovered, _solve(recovered)
        except ExpertError:
            continue
    return None


# ---- the dataset -----------------------------------------------------------------------------------
def sealed_sample() -> dict[str, str]:
    """``{"test_sample": sha256, "heldout_test_sample": sha256}``: every field of the first task of each
    family of the sealed splits, as the generator draws and words it now. The catalog's fingerprints
    cannot see the generator's code (a drawer's reference, the sentence rule, ``fill``'s agreement);
    this can, so a code change that rewords or redraws a sealed task cannot pass unseen."""
    data = generate(0, {split: (1 if split in SEALED else 0) for split in SPLITS})
    return {
        f"{split}_sample": hashlib.sha256(
            canonical_json([t.model_dump(mode="json") for t in data.tasks[split]]).encode("utf-8")
        ).hexdigest()
        for split in SEALED
    }


def generate(
    seed: int = 0,
    sizes: Mapping[str, int] | None = None,
    families: Iterable[str] | None = None,
    expert_looks: bool = False,
) -> Dataset:
    """Tasks of every split: the protocol's families that the simulator implements (or ``families``).

    ``expert_looks``: the expert of ``already_done`` tasks first brings the state onto the screen (select
    the target, open the tab or menu) and FINISHes from there (``Task.expert_looks``); the tasks are the
    same draws, only those trajectories differ."""
    sizes = {**SIZES, **(sizes or {})}
    protocol = build_protocol()
    chosen = set(families) if families is not None else None
    data = Dataset(expert_looks=expert_looks)
    for split in SPLITS:
        pairs: list[tuple[Task, Trajectory]] = []
        seen: set[str] = set()
        for family in protocol.families_in(split):
            if chosen is not None and family not in chosen:
                continue
            feasible = family in load_catalog().families
            if feasible and not implemented(family):
                continue  # not in the simulator yet (lam.tasks.v2.registry.UNSUPPORTED says why)
            for index in range(sizes[split]):
                if feasible:
                    task, trajectory = feasible_task(family, split, seed, index, expert_looks)
                else:
                    task, trajectory = infeasible_task(family, split, seed, index)
                key = json.dumps([task.request, task.doc, task.ops, task.kind, task.width], sort_keys=True)
                if key in seen:
                    continue  # an identical task twice would count twice in every rate
                seen.add(key)
                pairs.append((task, trajectory))
        data.tasks[split] = [t for t, _ in pairs]
        data.trajectories[split] = [j for _, j in pairs]
    return data


def write_dataset(out: Path, data: Dataset, seed: int) -> dict[str, Any]:
    """``<split>.jsonl`` for the five splits; phase-1/phase-2 records for train and val; a manifest."""
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {
        "seed": seed,
        "environment": "word2",
        "protocol": build_protocol().version,
        "render": RENDER,  # how the requests read (place phrases since 2): data of another render differs in text
        **({"expert_looks": True} if data.expert_looks else {}),
        "splits": {},
    }
    for split, tasks in data.tasks.items():
        pairs = list(zip(tasks, data.trajectories[split], strict=True))
        write_jsonl(out / f"{split}.jsonl", tasks)
        steps = sum(len(j.steps) for j in data.trajectories[split])
        if split in TRAINING_SPLITS:
            write_jsonl(out / f"phase1_{split}.jsonl", (phase1_record(t, j) for t, j in pairs))
            write_jsonl(out / f"phase2_{split}.jsonl", (r for t, j in pairs for r in phase2_records(t, j)))
        kinds: dict[str, int] = {}
        for t in tasks:
            kinds[str(t.kind)] = kinds.get(str(t.kind), 0) + 1
        manifest["splits"][split] = {
            "tasks": len(tasks),
            "steps": steps,
            "families": len({t.family for t in tasks}),
            "kinds": dict(sorted(kinds.items())),
        }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest
