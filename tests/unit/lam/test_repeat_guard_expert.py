"""The repeat guard never takes the expert's answer away: where the expert repeats an action a third
time (more rows, a bigger font, a longer selection), the action space lists it as repeatable.

Plays each word2 family's expert on drawn tasks of a development split (train, val, heldout_dev) and
puts every step's body, as the agent would send it, through ``service.repeat_guard.left_out`` with the
limit the evaluations use (3).
"""

from __future__ import annotations

from lam.tasks.catalog import load_catalog
from lam.tasks.catalog.protocol import build_protocol
from lam.tasks.expert import ExpertError, run_expert
from lam.tasks.records import step_bodies
from lam.tasks.v2.generate import feasible_task, implemented
from service.action_space import load_action_spaces
from service.formats import CompactNameFormat
from service.repeat_guard import left_out
from service.settings import DEFAULT_ACTION_SPACES_DIR

WORD = load_action_spaces([DEFAULT_ACTION_SPACES_DIR])["word"]
FORMAT = CompactNameFormat()
PROTOCOL = build_protocol()
TASKS_PER_FAMILY = 6
DEVELOPMENT = ("train", "val", "heldout_dev")  # never the sealed test and heldout_test


def test_no_expert_step_is_left_out_and_the_repeats_it_takes_are_seen() -> None:
    third_repeats = 0
    for family in sorted(f for f in load_catalog().families if implemented(f)):
        split = next((s for s in DEVELOPMENT if family in PROTOCOL.families_in(s)), None)
        if split is None:
            continue  # a family only the sealed heldout_test holds: not looked at here
        for index in range(TASKS_PER_FAMILY):
            task, _ = feasible_task(family, split, 0, index)
            try:
                trajectory, _ = run_expert(task)
            except ExpertError:
                continue
            for body, step in zip(step_bodies(task, trajectory), trajectory.steps, strict=True):
                screen = FORMAT.screen(body.observation.controls)
                out = left_out(body.memory.steps, WORD, screen, 3)
                memory = body.memory.steps[-2:]
                if (
                    step.function
                    and len(memory) == 2
                    and all(
                        (m.function, m.control_label, m.args) == (step.function, step.control_label, step.args)
                        for m in memory
                    )
                ):
                    third_repeats += 1
                if out is None:
                    continue
                taken = next((r for r, label in screen.references.items() if label == step.control_label), None)
                assert taken is not None or not step.control_label, f"{task.task_id}: a control not on screen"
                where = f"{task.task_id} step {step.step}: {step.function} on {step.control_text!r}"
                assert step.function != out.function or (out.references and taken not in out.references), where
    assert third_repeats > 0, "no drawn task repeats an action three times: the test no longer covers steppers"
