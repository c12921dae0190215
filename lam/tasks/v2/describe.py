"""What the word2 environment holds, as Markdown tables (README and docs/task-families.md quote it):
families per category and kind, tasks per split and kind, controls per screen, and one screen as
the layer's prompt shows it. ``lam data describe --data DIR`` prints it for a generated folder."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from statistics import quantiles

from lam.tasks.catalog import load_catalog
from lam.tasks.catalog.protocol import SPLITS, build_protocol
from lam.tasks.expert import expert_trajectory
from lam.tasks.model import KINDS, Task, Trajectory, read_tasks
from lam.tasks.records import step_bodies
from lam.tasks.v2.generate import implemented
from service.action_space import load_action_spaces
from service.formats import DEFAULT_FORMAT, make_output_format
from service.prompt import build_prompt
from service.settings import DEFAULT_ACTION_SPACES_DIR, Settings
from service.tokens import load_token_counter


def families_table() -> str:
    """Per category: catalog families, those the simulator carries out, and per kind how many offer it."""
    catalog = load_catalog()
    groups = build_protocol().families
    feasible_kinds = [k for k in KINDS if k != "infeasible"]
    head = ["category", "families", "implemented", *feasible_kinds, "held out (dev/test)"]
    rows = [head, ["---"] * len(head)]
    total = Counter[str]()
    for category, fams in catalog.by_category().items():
        done = [f for f in fams if implemented(f.id)]
        kinds = [sum(k in f.kinds for f in done) for k in feasible_kinds]
        held = [sum(groups[f.id].group == g for f in done) for g in ("heldout_dev", "heldout_test")]
        rows.append([category, str(len(fams)), str(len(done)), *map(str, kinds), f"{held[0]}/{held[1]}"])
        total.update({"families": len(fams), "implemented": len(done), "dev": held[0], "test": held[1]})
        total.update({k: n for k, n in zip(feasible_kinds, kinds, strict=True)})
    infeasible = list(catalog.infeasible)
    held_inf = [sum(groups[f].group == g for f in infeasible) for g in ("heldout_dev", "heldout_test")]
    rows.append(["infeasible (all reasons)", str(len(infeasible)), str(len(infeasible)), *[""] * len(feasible_kinds),
                 f"{held_inf[0]}/{held_inf[1]}"])  # fmt: skip
    rows.append([
        "**total**", str(total["families"] + len(infeasible)), str(total["implemented"] + len(infeasible)),
        *[str(total[k]) for k in feasible_kinds], f"{total['dev'] + held_inf[0]}/{total['test'] + held_inf[1]}",
    ])  # fmt: skip
    return _markdown(rows)


def splits_table(data: Path) -> str:
    head = ["split", "tasks", "families", *KINDS, "expert steps"]
    rows = [head, ["---"] * len(head)]
    for split in SPLITS:
        tasks = read_tasks(data / f"{split}.jsonl")
        kinds = Counter(str(t.kind) for t in tasks)
        steps = sum(len(expert_trajectory(t).steps) for t in tasks)
        rows.append(
            [split, str(len(tasks)), str(len({t.family for t in tasks})), *[str(kinds[k]) for k in KINDS], str(steps)]
        )
    return _markdown(rows)


def screens_table(data: Path, split: str = "val") -> str:
    """Controls per screen over every expert step of ``split``, by window width."""
    by_width: dict[str, list[int]] = {}
    for task in read_tasks(data / f"{split}.jsonl"):
        for step in expert_trajectory(task).steps:
            by_width.setdefault(task.width, []).append(len(step.observation.get("controls", [])))
    rows = [["window width", "screens", "controls p50", "controls p95", "max"], ["---"] * 5]
    for width, counts in sorted(by_width.items()):
        cuts = quantiles(counts, n=20) if len(counts) > 1 else [counts[0]] * 19
        rows.append([width, str(len(counts)), f"{cuts[9]:.0f}", f"{cuts[18]:.0f}", str(max(counts))])
    everything = [c for counts in by_width.values() for c in counts]
    cuts = quantiles(everything, n=20)
    rows.append(["**all**", str(len(everything)), f"{cuts[9]:.0f}", f"{cuts[18]:.0f}", str(max(everything))])
    return _markdown(rows)


def example_prompt(task: Task, trajectory: Trajectory, step: int = 0) -> str:
    """The user message the layer builds for one step of ``task`` (the default format and budgets)."""
    settings = Settings(vllm_base_url="http://upstream/v1")
    body = step_bodies(task, trajectory)[step]
    space = load_action_spaces([DEFAULT_ACTION_SPACES_DIR])[body.app]
    counter = load_token_counter(settings.resolved_tokenizer_path())
    prompt = build_prompt(
        body,
        space,
        counter,
        settings.memory_token_budget,
        make_output_format(DEFAULT_FORMAT),
        settings.value_token_budget,
    )
    return prompt.messages[-1]["content"]


def describe(data: Path) -> str:
    val = read_tasks(data / "val.jsonl")
    example = next((t for t in val if t.kind == "feasible" and len(t.ops) == 1), val[0])
    trajectory = expert_trajectory(example)
    parts = [
        "### Families per category and kind",
        families_table(),
        "### Tasks per split and kind",
        splits_table(data),
        "### Controls per screen (expert steps of val)",
        screens_table(data),
        f"### One screen as the prompt shows it (val task `{example.task_id}`, step 1)",
        f"Request: {example.request}",
        "```text\n" + example_prompt(example, trajectory) + "\n```",
    ]
    return "\n\n".join(parts) + "\n"


def _markdown(rows: list[list[str]]) -> str:
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)
