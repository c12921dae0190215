"""The full expert labels the model's own states (phase 3's recovery data), on word2's real tasks.

Runs in the layer's environment (no torch): episodes are built by hand from the expert's own steps.
"""

from __future__ import annotations

from typing import Any

from lam.tasks.expert import build_app
from lam.tasks.model import ExpertStep, Task, Trajectory
from lam.tasks.v2.generate import feasible_task
from models.train.dagger import distinct_states, expert_from, expert_pairs, relabel, relabel_all


def _episode(task: Task, steps: list[ExpertStep], success: bool = False) -> dict[str, Any]:
    return {
        "task": task.model_dump(mode="json", exclude_none=True),
        "success": success,
        "trajectory": Trajectory(task_id=task.task_id, request=task.request, steps=steps).model_dump(mode="json"),
    }


def _italic() -> tuple[Task, Trajectory]:
    task, trajectory = feasible_task("italic", "train", 0, 1)
    assert task.kind == "feasible" and len(trajectory.steps) >= 3  # select, click Italic, FINISH
    return task, trajectory


def _clicks_with_nothing_selected(task: Task, click: ExpertStep, times: int = 3) -> list[ExpertStep]:
    """The model's loop: ``click`` (Italic) ``times`` over before anything is selected, each step with
    its result and the screen after it."""
    app = build_app(task)
    loop = []
    for i in range(times):
        result = app.execute(click.function, click.args, click.control_label)
        loop.append(click.model_copy(update={"step": i, "result": result, "observation": app.observation()}))
    return loop


def _finish(step: int) -> ExpertStep:
    return ExpertStep(step=step, status="FINISH")


def test_a_model_that_follows_the_expert_gets_no_correction() -> None:
    task, trajectory = _italic()
    episode = _episode(task, list(trajectory.steps), success=True)
    assert list(relabel(episode)) == []
    assert relabel_all([episode]) == []  # a successful episode is not relabelled at all
    every = list(relabel(episode, all_states=True))
    assert [r["expected"] for r in every] == [{"action": s.action(), "status": s.status} for s in trajectory.steps]


def test_finishing_too_early_is_answered_with_the_experts_next_action() -> None:
    task, trajectory = _italic()
    first = trajectory.steps[0]
    episode = _episode(task, [first, _finish(1)])  # selected, then said FINISH without clicking Italic
    records = list(relabel(episode))
    assert len(records) == 1
    assert records[0]["expected"] == {"action": trajectory.steps[1].action(), "status": "CONTINUE"}
    memory = records[0]["body"]["memory"]["steps"]
    assert [s["function"] for s in memory] == [first.function]  # the model's own history, as served


def test_after_a_no_op_the_expert_continues_from_where_the_model_stands() -> None:
    task, trajectory = _italic()
    app = build_app(task)
    italic = trajectory.steps[1]  # clicking Italic before anything is selected: Word does nothing useful
    result = app.execute(italic.function, italic.args, italic.control_label)
    wrong = italic.model_copy(update={"step": 0, "result": result, "observation": app.observation()})
    records = list(relabel(_episode(task, [wrong, _finish(1)])))
    assert records, "the model's states are relabelled"
    assert records[0]["expected"]["action"] == trajectory.steps[0].action()  # state 0: select first
    found = expert_from(task, [wrong])
    assert found is not None
    continued, after = found
    assert continued.prefix[-1].function == italic.function
    assert records[1]["expected"]["action"] == after.steps[0].action()
    assert records[1]["body"]["memory"]["steps"][0]["function"] == italic.function


def test_an_unrecoverable_state_teaches_nothing() -> None:
    """Typing over the selected document leaves text the expert cannot restore: no label from there."""
    task, trajectory = _italic()
    first = trajectory.steps[0]
    app = build_app(task)
    app.execute(first.function, first.args, first.control_label)
    label = first.control_label or app.label_of("Document", task.doc_name)
    typed = ExpertStep(step=1, function="keyboard_input", args={"keys": "oops"}, control_label=label)
    assert expert_from(task, [first, typed]) is None
    records = list(relabel(_episode(task, [first, typed, _finish(2)])))
    assert len(records) == 1  # only the state before the damage: there the expert's answer is Italic
    assert records[0]["expected"]["action"] == trajectory.steps[1].action()


def test_a_loop_on_a_no_op_is_relabelled_once_when_distinct() -> None:
    """Three clicks on Italic with nothing selected: the same screen and the same answer (select first)
    three times over, only the memory grows; distinct_states keeps the first, and a different state."""
    task, trajectory = _italic()
    italic = trajectory.steps[1]
    loop = _clicks_with_nothing_selected(task, italic)
    records = list(relabel(_episode(task, loop)))
    select = trajectory.steps[0].action()
    assert len(records) == 4 and all(r["expected"]["action"] == select for r in records)
    kept = distinct_states(records)
    assert kept == [records[0]]
    other = {**records[1], "task_id": "another-task"}
    assert distinct_states([*records, other]) == [records[0], other]


def test_phase4_pairs_put_the_experts_action_over_the_models_at_the_same_state() -> None:
    """Finishing after the selection: one pair at the second state, the click on Italic (chosen) over
    FINISH (rejected), on the body the service received there; a successful episode gives none."""
    task, trajectory = _italic()
    first = trajectory.steps[0]
    # The model saw the screen the expert sees after selecting (a rollout records each step's screen).
    finish = _finish(1).model_copy(update={"observation": trajectory.steps[1].observation})
    early = _episode(task, [first, finish])
    pairs = expert_pairs([early, _episode(task, list(trajectory.steps), success=True)])
    assert len(pairs) == 1
    (pair,) = pairs
    assert pair["chosen"] == {"action": trajectory.steps[1].action(), "status": "CONTINUE"}
    assert pair["rejected"]["status"] == "FINISH"
    assert pair["body"] == next(iter(relabel(early)))["body"]
    assert [s["function"] for s in pair["body"]["memory"]["steps"]] == [first.function]


def test_phase4_pairs_from_a_loop_come_once_per_distinct_state() -> None:
    task, trajectory = _italic()
    italic = trajectory.steps[1]
    loop = _clicks_with_nothing_selected(task, italic)
    pairs = expert_pairs([_episode(task, loop)])
    # The three looped clicks stand on one screen with one answer: a single pair; the state after the
    # step limit has no action taken and gives none.
    assert len(pairs) == 1
    assert pairs[0]["chosen"]["action"] == trajectory.steps[0].action()
    assert pairs[0]["rejected"]["action"]["function"] == italic.function
