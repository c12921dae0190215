"""TaskTracker: steps and duration of tasks, bounded memory, read back from the Prometheus registry."""

from __future__ import annotations

import uuid

import pytest
from prometheus_client import REGISTRY

from service.task_tracker import TaskTracker

MODEL = "lam-test"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app() -> str:
    """A label value of its own per test, so that the global registry starts empty for it."""
    return f"app-{uuid.uuid4().hex[:8]}"


def sample(name: str, app: str, status: str, suffix: str) -> float | None:
    return REGISTRY.get_sample_value(f"{name}_{suffix}", {"model": MODEL, "app": app, "status": status})


def steps_observed(app: str, status: str = "FINISH") -> tuple[float | None, float | None]:
    """(count, sum) of lam_task_steps for app/status."""
    return sample("lam_task_steps", app, status, "count"), sample("lam_task_steps", app, status, "sum")


def duration_observed(app: str, status: str = "FINISH") -> tuple[float | None, float | None]:
    return (
        sample("lam_task_duration_seconds", app, status, "count"),
        sample("lam_task_duration_seconds", app, status, "sum"),
    )


def test_finished_task_observes_steps_and_duration(clock: FakeClock, app: str) -> None:
    tracker = TaskTracker(max_tasks=10, ttl_s=600, clock=clock)
    tracker.record_step("t1", app, MODEL, "CONTINUE")
    clock.advance(1.5)
    tracker.record_step("t1", app, MODEL, "CONTINUE")
    clock.advance(2.0)
    assert steps_observed(app) == (None, None)
    tracker.record_step("t1", app, MODEL, "FINISH")

    assert steps_observed(app) == (1.0, 3.0)
    assert duration_observed(app) == (1.0, 3.5)
    # The finished task is forgotten: a new step of the same id is a new task.
    assert "t1" not in tracker
    assert len(tracker) == 0


def test_failed_task_is_labelled_fail(clock: FakeClock, app: str) -> None:
    tracker = TaskTracker(max_tasks=10, ttl_s=600, clock=clock)
    tracker.record_step("t1", app, MODEL, "CONTINUE")
    clock.advance(0.25)
    tracker.record_step("t1", app, MODEL, "FAIL")

    assert steps_observed(app, "FAIL") == (1.0, 2.0)
    assert duration_observed(app, "FAIL") == (1.0, 0.25)
    assert steps_observed(app, "FINISH") == (None, None)


def test_single_step_task(clock: FakeClock, app: str) -> None:
    tracker = TaskTracker(max_tasks=10, ttl_s=600, clock=clock)
    tracker.record_step("t1", app, MODEL, "FINISH")
    assert steps_observed(app) == (1.0, 1.0)
    assert duration_observed(app) == (1.0, 0.0)


def test_confirm_and_continue_do_not_end_a_task(clock: FakeClock, app: str) -> None:
    tracker = TaskTracker(max_tasks=10, ttl_s=600, clock=clock)
    tracker.record_step("t1", app, MODEL, "CONTINUE")
    tracker.record_step("t1", app, MODEL, "CONFIRM")
    assert "t1" in tracker
    tracker.record_step("t1", app, MODEL, "FINISH")
    assert steps_observed(app) == (1.0, 3.0)


def test_tasks_are_counted_apart(clock: FakeClock, app: str) -> None:
    tracker = TaskTracker(max_tasks=10, ttl_s=600, clock=clock)
    for _ in range(4):
        tracker.record_step("long", app, MODEL, "CONTINUE")
    tracker.record_step("short", app, MODEL, "CONTINUE")
    tracker.record_step("short", app, MODEL, "FINISH")
    tracker.record_step("long", app, MODEL, "FINISH")
    assert steps_observed(app) == (2.0, 2.0 + 5.0)


def test_labels_come_from_the_final_step(clock: FakeClock, app: str) -> None:
    other = f"{app}-other"
    tracker = TaskTracker(max_tasks=10, ttl_s=600, clock=clock)
    tracker.record_step("t1", app, MODEL, "CONTINUE")
    tracker.record_step("t1", other, MODEL, "FINISH")
    assert steps_observed(other) == (1.0, 2.0)
    assert steps_observed(app) == (None, None)


def test_size_is_bounded_least_recently_stepped_goes_first(clock: FakeClock, app: str) -> None:
    tracker = TaskTracker(max_tasks=3, ttl_s=600, clock=clock)
    for task_id in ("a", "b", "c"):
        tracker.record_step(task_id, app, MODEL, "CONTINUE")
    tracker.record_step("a", app, MODEL, "CONTINUE")  # "b" is now the least recently stepped
    tracker.record_step("d", app, MODEL, "CONTINUE")

    assert len(tracker) == 3
    assert "b" not in tracker
    assert all(t in tracker for t in ("a", "c", "d"))
    # "a" kept its two steps.
    tracker.record_step("a", app, MODEL, "FINISH")
    assert steps_observed(app) == (1.0, 3.0)


def test_many_tasks_never_exceed_the_bound(clock: FakeClock, app: str) -> None:
    tracker = TaskTracker(max_tasks=50, ttl_s=600, clock=clock)
    for i in range(1000):
        tracker.record_step(f"t{i}", app, MODEL, "CONTINUE")
        assert len(tracker) <= 50
    assert len(tracker) == 50


def test_idle_task_expires_and_starts_over(clock: FakeClock, app: str) -> None:
    tracker = TaskTracker(max_tasks=10, ttl_s=60, clock=clock)
    tracker.record_step("t1", app, MODEL, "CONTINUE")
    tracker.record_step("t1", app, MODEL, "CONTINUE")
    clock.advance(61)
    tracker.record_step("t1", app, MODEL, "CONTINUE")
    clock.advance(2)
    tracker.record_step("t1", app, MODEL, "FINISH")
    assert steps_observed(app) == (1.0, 2.0)
    assert duration_observed(app) == (1.0, 2.0)


def test_ttl_counts_from_the_last_step_not_the_first(clock: FakeClock, app: str) -> None:
    tracker = TaskTracker(max_tasks=10, ttl_s=60, clock=clock)
    for _ in range(5):
        tracker.record_step("t1", app, MODEL, "CONTINUE")
        clock.advance(50)
    tracker.record_step("t1", app, MODEL, "FINISH")
    assert steps_observed(app) == (1.0, 6.0)
    assert duration_observed(app) == (1.0, 250.0)


def test_expired_tasks_are_dropped_by_later_calls(clock: FakeClock, app: str) -> None:
    tracker = TaskTracker(max_tasks=100, ttl_s=10, clock=clock)
    for i in range(3):
        tracker.record_step(f"old{i}", app, MODEL, "CONTINUE")
    clock.advance(11)
    tracker.record_step("new", app, MODEL, "CONTINUE")
    assert len(tracker) == 1
    assert "new" in tracker


def test_expired_tasks_are_dropped_a_few_per_call(clock: FakeClock, app: str) -> None:
    """Each call does bounded work, yet a steady stream of calls drains every expired entry."""
    tracker = TaskTracker(max_tasks=1000, ttl_s=10, clock=clock)
    for i in range(100):
        tracker.record_step(f"old{i}", app, MODEL, "CONTINUE")
    clock.advance(11)
    tracker.record_step("new", app, MODEL, "CONTINUE")
    assert 1 < len(tracker) < 101
    for _ in range(100):
        tracker.record_step("new", app, MODEL, "CONTINUE")
    assert len(tracker) == 1


def test_prior_steps_from_the_client_fix_the_count(clock: FakeClock, app: str) -> None:
    """Steps handled by another worker or replica are known from the client's memory."""
    tracker = TaskTracker(max_tasks=10, ttl_s=600, clock=clock)
    tracker.record_step("t1", app, MODEL, "CONTINUE", prior_steps=3)
    tracker.record_step("t1", app, MODEL, "FINISH", prior_steps=4)
    assert steps_observed(app) == (1.0, 5.0)


def test_prior_steps_never_lower_the_count(clock: FakeClock, app: str) -> None:
    tracker = TaskTracker(max_tasks=10, ttl_s=600, clock=clock)
    for _ in range(3):
        tracker.record_step("t1", app, MODEL, "CONTINUE")
    tracker.record_step("t1", app, MODEL, "FINISH", prior_steps=0)
    assert steps_observed(app) == (1.0, 4.0)


def test_steps_land_in_the_histogram_buckets(clock: FakeClock, app: str) -> None:
    tracker = TaskTracker(max_tasks=10, ttl_s=600, clock=clock)
    for _ in range(6):
        tracker.record_step("t1", app, MODEL, "CONTINUE")
    tracker.record_step("t1", app, MODEL, "FINISH")
    labels = {"model": MODEL, "app": app, "status": "FINISH"}
    assert REGISTRY.get_sample_value("lam_task_steps_bucket", {**labels, "le": "6.0"}) == 0.0
    assert REGISTRY.get_sample_value("lam_task_steps_bucket", {**labels, "le": "8.0"}) == 1.0


@pytest.mark.parametrize(("max_tasks", "ttl_s"), [(0, 10.0), (10, 0.0), (10, -1.0)])
def test_rejects_bad_bounds(max_tasks: int, ttl_s: float) -> None:
    with pytest.raises(ValueError):
        TaskTracker(max_tasks=max_tasks, ttl_s=ttl_s)


def test_export_zeros_creates_every_ending_series_at_zero(app: str) -> None:
    """Before any task ends, each (model, app, FINISH/FAIL) series exists with count 0, so the first
    ended task is an increase that rate() shows; other labels stay absent."""
    assert steps_observed(app, "FINISH") == (None, None)
    TaskTracker.export_zeros(MODEL, [app])
    for status in ("FINISH", "FAIL"):
        assert steps_observed(app, status) == (0.0, 0.0)
        assert duration_observed(app, status) == (0.0, 0.0)
    assert steps_observed(app, "CONTINUE") == (None, None)


def test_the_service_exports_its_task_series_at_start_up() -> None:
    """Building the service's context primes the served model's series for every action space it loads."""
    from service.action_space import load_action_spaces
    from service.app import build_context
    from service.settings import Settings

    settings = Settings(model=f"lam-zeros-{uuid.uuid4().hex[:8]}")
    build_context(settings)
    apps = sorted(load_action_spaces([settings.action_spaces_dir]))
    assert "word" in apps
    for app_name in apps:
        for status in ("FINISH", "FAIL"):
            labels = {"model": settings.model, "app": app_name, "status": status}
            assert REGISTRY.get_sample_value("lam_task_steps_count", labels) is not None, labels
