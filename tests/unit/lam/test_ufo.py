"""UFO dataflow format: our export round-trips; a plain UFO file imports and replays."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lam.tasks.expert import expert_trajectory, run_expert
from lam.ufo import export_task, import_task, read_ufo_files, replayable

UFO_BULLETS = {
    "unique_id": "5",
    "app": "word",
    "original": {"original_task": "Turning lines of text into a bulleted list in Word", "original_steps": []},
    "execution_result": {"result": None, "error": None},
    "instantiation_result": {
        "choose_template": {"result": "dataflow\\results\\saved_document\\bulleted.docx", "error": None},
        "prefill": {
            "result": {
                "instantiated_request": "Turn the line of text 'text to edit' into a bulleted list in Word.",
                "instantiated_plan": [
                    {
                        "Step": 1,
                        "Subtask": "Select the text 'text to edit'",
                        "ControlLabel": None,
                        "ControlText": "",
                        "Function": "select_text",
                        "Args": {"text": "text to edit"},
                        "Success": True,
                        "MatchedControlText": None,
                    },
                    {
                        "Step": 2,
                        "Subtask": "Click the Bullets button",
                        "ControlLabel": "61",
                        "ControlText": "Bullets",
                        "Function": "click_input",
                        "Args": {"button": "left", "double": False},
                        "Success": True,
                        "MatchedControlText": "Bullets",
                    },
                ],
            },
            "error": None,
        },
    },
}


def test_export_has_the_ufo_shape(dataset) -> None:
    task = next(t for t in dataset.tasks["train"] if t.family == "delete_text")
    data = export_task(task, expert_trajectory(task))
    plan = data["instantiation_result"]["prefill"]["result"]["instantiated_plan"]
    assert data["instantiation_result"]["prefill"]["result"]["instantiated_request"] == task.request
    keys = {"Step", "Subtask", "ControlLabel", "ControlText", "Function", "Args", "Success", "MatchedControlText"}
    assert all(keys <= set(step) for step in plan)
    assert plan[0]["ControlLabel"] is None and plan[0]["Function"] == "select_text"
    assert plan[-1]["Status"] == "CONFIRM"
    assert [s["Step"] for s in plan] == list(range(1, len(plan) + 1))


def test_round_trip_keeps_task_and_trajectory(dataset, tmp_path: Path) -> None:
    for task, trajectory in list(zip(dataset.tasks["test"], dataset.trajectories["test"], strict=True))[::9]:
        file = tmp_path / f"{task.task_id}.json"
        file.write_text(json.dumps(export_task(task, trajectory)))
        back = import_task(read_ufo_files([file])[0])
        assert back.trajectory == trajectory
        assert (back.task_id, back.family, back.request, back.doc, back.ops) == (
            task.task_id,
            task.family,
            task.request,
            task.doc,
            task.ops,
        )
        assert run_expert(back)[0] == trajectory  # still rebuildable from parameters


def test_plain_ufo_file_replays_on_the_simulated_screen() -> None:
    task = import_task(UFO_BULLETS)
    assert task.task_id == "ufo-5" and task.doc_name == "bulleted.docx"
    assert replayable(task)
    steps = task.trajectory.steps
    assert [s.function for s in steps] == ["select_text", "click_input", ""]
    assert steps[-1].status == "FINISH"
    labels = {c["label"]: c["name"] for c in steps[1].observation["controls"]}
    assert labels[steps[1].control_label] == "Bullets"  # regrounded, not UFO's "61"


def test_unreplayable_ufo_steps_are_kept_without_a_screen() -> None:
    data = json.loads(json.dumps(UFO_BULLETS))
    data["instantiation_result"]["prefill"]["result"]["instantiated_plan"][1]["ControlText"] = "Frobnicate"
    data["instantiation_result"]["prefill"]["result"]["instantiated_plan"][1]["MatchedControlText"] = None
    task = import_task(data)
    assert not replayable(task)
    assert task.trajectory.steps[1].control_text == "Frobnicate"


def test_cli_export_then_import(dataset, tmp_path: Path) -> None:
    from lam import cli
    from lam.tasks.model import read_tasks, write_jsonl

    write_jsonl(tmp_path / "t.jsonl", dataset.tasks["val"][:3])
    runner = CliRunner()
    done = runner.invoke(
        cli.app, ["data", "export-ufo", "--tasks", str(tmp_path / "t.jsonl"), "--out", str(tmp_path / "u")]
    )
    assert done.exit_code == 0, done.output
    (tmp_path / "u" / "plain.json").write_text(json.dumps(UFO_BULLETS))
    done = runner.invoke(cli.app, ["data", "import-ufo", str(tmp_path / "u"), "--out", str(tmp_path / "back.jsonl")])
    assert done.exit_code == 0, done.output
    back = read_tasks(tmp_path / "back.jsonl")
    assert len(back) == 4 and "ufo-5" in {t.task_id for t in back}
    assert {t.task_id for t in dataset.tasks["val"][:3]} <= {t.task_id for t in back}


def test_word2_tasks_round_trip_with_their_environment(tmp_path: Path) -> None:
    from lam.tasks.v2.generate import generate

    data = generate(2, {"train": 2, "val": 0, "test": 0, "heldout_dev": 0, "heldout_test": 0})
    pairs = list(zip(data.tasks["train"], data.trajectories["train"], strict=True))
    assert any(t.prefix for t, _ in pairs) and any(t.width != "wide" for t, _ in pairs)
    for task, trajectory in pairs:
        file = tmp_path / f"{task.task_id}.json"
        file.write_text(json.dumps(export_task(task, trajectory)))
        back = import_task(read_ufo_files([file])[0])
        assert back.model_copy(update={"trajectory": None}) == task
        assert back.trajectory == trajectory
        assert run_expert(back)[0] == trajectory


def test_plain_ufo_files_replay_on_words_own_screens() -> None:
    assert import_task(UFO_BULLETS).sim == "word2"
