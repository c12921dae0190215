"""``ActionServing``: one ``/predict_action`` step, between the thin route and the prediction pipeline.

Like vLLM's ``serving_*.py`` next to its routers: the route parses and serialises, this owns the step
(operator limits, the app check, admission, the in-flight gauge, the predictor call, the outcome and
task accounting) and knows nothing of FastAPI, so it is tested without HTTP. Errors are raised, never
returned; ``service.error_handlers`` turns them into the one envelope.
"""

from __future__ import annotations

from dataclasses import dataclass

from service import metrics
from service.admission import AdmissionGate
from service.limits import InputLimits
from service.outcomes import UNKNOWN_APP, Outcomes
from service.predictor import ActionPredictor
from service.protocol import PredictRequest, PredictResponse
from service.task_tracker import TaskTracker


@dataclass(slots=True, eq=False)
class ActionServing:
    """The parts of a step, built once per process by the lifespan (``service.app.build_context``)."""

    predictor: ActionPredictor
    gate: AdmissionGate
    limits: InputLimits
    tasks: TaskTracker
    outcomes: Outcomes

    async def step(self, body: PredictRequest, request_id: str, started: float) -> PredictResponse:
        """The next action for ``body``; ``started`` is the request's ``perf_counter`` time at arrival.

        Cheap refusals (a limit, an unknown app) come before a slot is taken, so they never queue;
        every call is counted once, under its app when the app is known."""
        app = body.app if body.app in self.predictor.spaces else UNKNOWN_APP
        try:
            self.limits.check(body)  # operator-set limits (422), before any work
            self.predictor.space_for(body.app)  # 404 before taking a slot
            metrics.INFLIGHT.inc()
            try:
                async with self.gate.admit():
                    response = await self.predictor.predict(body, request_id, started)
            finally:
                metrics.INFLIGHT.dec()
        except Exception as exc:  # not BaseException: a cancelled request is answered by no one, counted by no one
            self.outcomes.record_failure(started, app, exc)
            raise
        self.outcomes.record(started, app, "ok")
        if body.task_id:
            self.tasks.record_step(
                body.task_id, body.app, response.model, response.status, prior_steps=len(body.memory.steps)
            )
        return response
