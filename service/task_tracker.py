"""Task-level metrics (docs/design.md section 8, online): completion steps and time of each task.

The layer is stateless per request, but "how many steps and seconds did a task take" spans requests.
``TaskTracker`` keeps, per ``task_id``, the first-seen time and the step count in a bounded map, and
when a step ends the task (status FINISH or FAIL) observes ``lam_task_steps`` and
``lam_task_duration_seconds`` and forgets it.

Bounds, because task ids come from clients: at most ``max_tasks`` entries (the least recently
stepped one is dropped to make room) and a task idle for more than ``ttl_s`` is forgotten (agents
that crash never send FINISH). Each call does O(1) work: the map is ordered by last step, so
expired entries sit at its front and at most ``_EXPIRE_PER_CALL`` of them are dropped per call;
an expired entry that is stepped again before it was dropped starts over as a new task.

What one process can see: the map is per process, so behind several workers or replicas one
task's steps may be split between trackers. ``prior_steps`` (the client's count of steps already
taken, e.g. ``len(memory.steps)``) makes the step count right anyway; the duration is then a lower
bound unless requests of a task are routed to one process (e.g. ``LAM_WORKERS=1`` per replica and
sticky routing on ``task_id``).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from service.metrics import TASK_DURATION, TASK_STEPS
from service.protocol import TERMINAL_STATUSES

_EXPIRE_PER_CALL = 4


@dataclass(slots=True)
class _Task:
    first_seen: float
    last_seen: float
    steps: int


class TaskTracker:
    """Counts the steps of each open task and observes the task metrics when it ends."""

    def __init__(self, max_tasks: int, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        if max_tasks < 1:
            raise ValueError("max_tasks must be at least 1")
        if ttl_s <= 0:
            raise ValueError("ttl_s must be positive")
        self._max_tasks = max_tasks
        self._ttl_s = ttl_s
        self._clock = clock
        self._tasks: OrderedDict[str, _Task] = OrderedDict()

    def __len__(self) -> int:
        """Open tasks remembered now (expired ones not yet dropped included)."""
        return len(self._tasks)

    def __contains__(self, task_id: object) -> bool:
        return task_id in self._tasks

    @staticmethod
    def export_zeros(model: str, apps: Iterable[str]) -> None:
        """Create every (model, app, ending) task series at zero, before any task ends.

        Dashboards read these histograms through ``rate()``, which needs two samples of a series: one
        that first appears with its first ended task shows that task only when a second one ends. A
        series present from start-up turns the first FINISH into an increase, and an idle service
        shows zero instead of no data (Prometheus' advice for labels known in advance).
        """
        for app in apps:
            for status in TERMINAL_STATUSES:
                TASK_STEPS.labels(model=model, app=app, status=status)
                TASK_DURATION.labels(model=model, app=app, status=status)

    def record_step(self, task_id: str, app: str, model: str, status: str, *, prior_steps: int | None = None) -> None:
        """Count one answered step of ``task_id``; on FINISH/FAIL observe the task and forget it.

        ``prior_steps``: steps the client says the task took before this one, if it says so.
        """
        now = self._clock()
        self._drop_expired(now)
        task = self._tasks.get(task_id)
        if task is not None and now - task.last_seen > self._ttl_s:
            del self._tasks[task_id]
            task = None
        if task is None:
            task = _Task(first_seen=now, last_seen=now, steps=0)
            self._tasks[task_id] = task
            if len(self._tasks) > self._max_tasks:
                self._tasks.popitem(last=False)
        else:
            self._tasks.move_to_end(task_id)
        task.steps += 1
        task.last_seen = now
        if prior_steps is not None and prior_steps + 1 > task.steps:
            task.steps = prior_steps + 1

        if status in TERMINAL_STATUSES:
            del self._tasks[task_id]
            TASK_STEPS.labels(model=model, app=app, status=status).observe(task.steps)
            TASK_DURATION.labels(model=model, app=app, status=status).observe(now - task.first_seen)

    def _drop_expired(self, now: float) -> None:
        for _ in range(_EXPIRE_PER_CALL):
            if not self._tasks:
                return
            oldest_id, oldest = next(iter(self._tasks.items()))
            if now - oldest.last_seen <= self._ttl_s:
                return
            del self._tasks[oldest_id]
