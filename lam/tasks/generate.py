"""Deterministic task generation: same seed, same files, byte for byte.

Each task draws from its own ``random.Random(f"{seed}/{split}/{family}/{index}")``, so adding a
family or changing one split's size leaves every other task unchanged.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lam.tasks.checker import check
from lam.tasks.expert import ExpertError, run_expert
from lam.tasks.families import FAMILIES, Ctx, Family, Resample, make_document
from lam.tasks.model import Task, Trajectory, write_jsonl
from lam.tasks.ops import OPS
from lam.tasks.phrasings import render
from lam.tasks.records import phase1_record, phase2_records

SPLITS = ("train", "val", "test")
DEFAULT_SIZES = {"train": 40, "val": 5, "test": 14}  # tasks per family; test ~ the paper's 435 tasks


def make_task(family: Family, split: str, seed: int, index: int, avoid: set[str] | None = None) -> Task:
    rng = random.Random(f"{seed}/{split}/{family.name}/{index}")
    for _ in range(100):
        doc, doc_name = make_document(rng, split, family.tables)
        ctx = Ctx(rng, split, doc, set())
        try:
            ops = family.build(ctx)
        except Resample:
            continue
        if family.preapplied:
            for op in ops:
                OPS[op["op"]].apply(doc, op)
        elif any(OPS[op["op"]].satisfied(doc, op) for op in ops):
            continue
        request = render(ctx.phrased_as or family.name, ops, rng, split)
        if avoid and _key(request, doc.to_dict()) in avoid:
            continue
        return Task(
            task_id=f"{split}-{family.name}-{index:04d}",
            family=family.name,
            request=request,
            split=split,
            doc_name=doc_name,
            doc=doc.to_dict(),
            ops=ops,
        )
    raise RuntimeError(f"could not draw a {family.name} task for {split} #{index}")


def _key(request: str, doc: dict[str, Any]) -> str:
    return request + json.dumps(doc, sort_keys=True)


def solved(task: Task) -> Trajectory:
    """The expert's trajectory, verified: the checker must pass on the expert's own result."""
    trajectory, app = run_expert(task)
    result = check(task, app.doc)
    if not result.passed:
        raise ExpertError(f"{task.task_id}: the expert fails its own checker: {result.differences}")
    return trajectory


@dataclass
class Dataset:
    tasks: dict[str, list[Task]] = field(default_factory=dict)
    trajectories: dict[str, list[Trajectory]] = field(default_factory=dict)


def generate(seed: int = 0, sizes: dict[str, int] | None = None, families: Iterable[Family] = FAMILIES) -> Dataset:
    sizes = {**DEFAULT_SIZES, **(sizes or {})}
    families = list(families)
    data = Dataset()
    seen: set[str] = set()
    for split in SPLITS:
        tasks = [
            make_task(family, split, seed, i, avoid=seen if split == "val" else None)
            for family in families
            for i in range(sizes[split])
        ]
        if split == "train":
            seen = {_key(t.request, t.doc) for t in tasks}
        data.tasks[split] = tasks
        data.trajectories[split] = [solved(t) for t in tasks]
    return data


def write_dataset(out: Path, data: Dataset, seed: int) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"seed": seed, "splits": {}}
    for split, tasks in data.tasks.items():
        trajectories = data.trajectories[split]
        write_jsonl(out / f"{split}.jsonl", tasks)
        pairs = list(zip(tasks, trajectories, strict=True))
        write_jsonl(out / f"phase1_{split}.jsonl", (phase1_record(t, j) for t, j in pairs))
        steps = write_jsonl(
            out / f"phase2_{split}.jsonl",
            (r for t, j in pairs for r in phase2_records(t, j)),
        )
        manifest["splits"][split] = {
            "tasks": len(tasks),
            "steps": steps,
            "families": len({t.family for t in tasks}),
        }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest
