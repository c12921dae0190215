"""UFO dataflow result files <-> our tasks and trajectories.

UFO's dataflow writes one JSON per task; its ``instantiation_result.prefill.result`` holds the
``instantiated_request`` and the ``instantiated_plan`` steps (``Step``, ``Subtask``,
``ControlLabel``, ``ControlText``, ``Function``, ``Args``, ``Success``, ``MatchedControlText``).
UFO has no terminal step and no per-step status: we add FINISH on import, and on export we keep
our extras in keys UFO ignores (``Status`` per step, a top-level ``lam`` block with the document,
ops and observations), so our own files round-trip exactly while staying valid UFO files.

A plain UFO file carries no screen: on import the steps are replayed in the simulator on a
document made of the texts the steps select, grounding each ``ControlText`` to a control of our
screen. Steps that do not replay keep no observation; the offline evaluator skips such tasks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lam.sim import Document, is_error
from lam.sim.document import paragraph
from lam.sim.word2 import WordWindow
from lam.tasks.model import ExpertStep, Task, Trajectory

DONE = "The request is done"  # the terminal step UFO's files lack (lam.tasks.expert says the same)


def export_task(task: Task, trajectory: Trajectory) -> dict[str, Any]:
    acting = [s for s in trajectory.steps if not s.is_terminal]
    plan = [
        {
            "Step": i + 1,
            "Subtask": s.subtask,
            "ControlLabel": s.control_label or None,
            "ControlText": s.control_text,
            "Function": s.function,
            "Args": s.args,
            "Success": not is_error(s.result),
            "MatchedControlText": s.control_text or None,
            "Status": s.status,
        }
        for i, s in enumerate(acting)
    ]
    return {
        "unique_id": task.task_id,
        "app": task.app,
        "original": {
            "original_task": task.request,
            "original_steps": [f"{i + 1}. {p}" for i, p in enumerate(trajectory.plan)],
        },
        "execution_result": {"result": None, "error": None},
        "instantiation_result": {
            "choose_template": {"result": task.doc_name, "error": None},
            "prefill": {
                "result": {"instantiated_request": task.request, "instantiated_plan": plan},
                "error": None,
            },
            "instantiation_evaluation": {"result": None, "error": None},
        },
        "time_cost": {},
        "lam": {
            "family": task.family,
            "split": task.split,
            "doc_name": task.doc_name,
            "doc": task.doc,
            "ops": task.ops,
            "plan": trajectory.plan,
            "observations": [s.observation for s in trajectory.steps],
            "results": [s.result for s in trajectory.steps],
            "terminal_status": trajectory.steps[-1].status if trajectory.steps else "FINISH",
            "terminal_subtask": trajectory.steps[-1].subtask if trajectory.steps else DONE,
            **_environment(task),
        },
    }


def _environment(task: Task) -> dict[str, Any]:
    """The word2 fields of a task (simulator, width, kind, steps already taken), when not the defaults."""
    out: dict[str, Any] = {}
    if task.sim != "word":
        out |= {"sim": task.sim, "width": task.width}
    if task.kind is not None:
        out["kind"] = task.kind
    if task.prefix:
        out["prefix"] = [s.model_dump(mode="json") for s in task.prefix]
    return out


def _ufo_steps(data: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    prefill = (data.get("instantiation_result") or {}).get("prefill") or {}
    result = prefill.get("result") or {}
    request = result.get("instantiated_request") or (data.get("original") or {}).get("original_task") or ""
    return str(request), list(result.get("instantiated_plan") or [])


def _step(
    i: int, raw: dict[str, Any], observation: dict[str, Any], result: str, label: str | None = None
) -> ExpertStep:
    return ExpertStep(
        step=i,
        subtask=str(raw.get("Subtask") or ""),
        observation=observation,
        control_label=label if label is not None else str(raw.get("ControlLabel") or ""),
        control_text=str(raw.get("ControlText") or raw.get("MatchedControlText") or ""),
        function=str(raw.get("Function") or ""),
        args=dict(raw.get("Args") or {}),
        status=raw.get("Status") or "CONTINUE",
        result=result,
    )


def _replay(doc: Document, name: str, raw_steps: list[dict[str, Any]]) -> list[ExpertStep] | None:
    """Ground a plain UFO plan on Word's screens (word2: the control names Word's UI Automation
    reports, as UFO records them); None when a step cannot be replayed."""
    app = WordWindow(doc, name=name)
    steps: list[ExpertStep] = []
    for i, raw in enumerate(raw_steps):
        observation = app.observation()
        text = str(raw.get("MatchedControlText") or raw.get("ControlText") or "")
        label = ""
        if raw.get("ControlLabel") is not None or text:
            matches = [c["label"] for c in observation["controls"] if c["name"] == text]
            if not matches:
                return None
            label = matches[0]
        step = _step(i, raw, observation, "", label=label)
        step.result = app.execute(step.function, step.args, label)
        if is_error(step.result):
            return None
        steps.append(step)
    steps.append(
        ExpertStep(step=len(steps), subtask="The request is done", observation=app.observation(), status="FINISH")
    )
    return steps


def import_task(data: dict[str, Any]) -> Task:
    request, raw_steps = _ufo_steps(data)
    uid = str(data.get("unique_id", "0"))
    ours = data.get("lam")
    if ours:  # our own export: rebuild exactly
        observations, results = ours["observations"], ours["results"]
        first = len(ours.get("prefix", []))  # steps already taken come first: the expert's count on
        steps = [_step(i, raw, observations[i], results[i]) for i, raw in enumerate(raw_steps)]
        for step in steps:
            step.step += first
        n = len(steps)
        steps.append(
            ExpertStep(
                step=first + n,
                subtask=ours.get("terminal_subtask", DONE),
                observation=observations[n],
                status=ours["terminal_status"],
            )
        )
        trajectory = Trajectory(task_id=uid, request=request, plan=ours["plan"], steps=steps)
        return Task(
            task_id=uid,
            family=ours["family"],
            request=request,
            split=ours["split"],
            app=data.get("app", "word"),
            doc_name=ours["doc_name"],
            doc=ours["doc"],
            ops=ours["ops"],
            trajectory=trajectory,
            sim=ours.get("sim", "word"),
            width=ours.get("width", "wide"),
            kind=ours.get("kind"),
            prefix=[ExpertStep.model_validate(p) for p in ours.get("prefix", [])],
        )
    texts = [str((s.get("Args") or {}).get("text")) for s in raw_steps if s.get("Function") == "select_text"]
    doc = Document(blocks=[paragraph(t) for t in texts if t] or [paragraph("")])
    name = Path(
        str((data.get("instantiation_result") or {}).get("choose_template", {}).get("result") or "Document1.docx")
    ).name
    name = name.split("\\")[-1]
    replayed = _replay(doc.copy(), name, raw_steps)
    if replayed is None:
        steps = [_step(i, raw, {}, "") for i, raw in enumerate(raw_steps)]
        steps.append(ExpertStep(step=len(steps), subtask="The request is done", status="FINISH"))
    else:
        steps = replayed
    plan = [str(s.get("Subtask") or "") for s in raw_steps]
    return Task(
        task_id=f"ufo-{uid}",
        family="ufo",
        request=request or "(no request)",
        app=data.get("app", "word"),
        doc_name=name,
        doc=doc.to_dict(),
        ops=[],
        trajectory=Trajectory(task_id=f"ufo-{uid}", request=request, plan=plan, steps=steps),
        sim="word2",
    )


def replayable(task: Task) -> bool:
    return task.trajectory is None or all(s.observation for s in task.trajectory.steps)


def read_ufo_files(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """UFO result JSON files, or folders of them (searched recursively)."""
    out: list[dict[str, Any]] = []
    for path in paths:
        files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
        for file in files:
            data = json.loads(file.read_text(encoding="utf-8"))
            out.extend(data if isinstance(data, list) else [data])
    return out
