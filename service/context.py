"""Everything a request needs, built once per process by the lifespan and reached through one
typed dependency (``get_context``), instead of loose attributes on ``app.state``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from starlette.requests import Request

from service.admission import AdmissionGate
from service.auth import ApiKeyChecker
from service.limits import InputLimits
from service.predictor import ActionPredictor
from service.settings import Settings
from service.task_tracker import TaskTracker


@dataclass
class Readiness:
    """Last answer of the model-server probe, reused for ``ttl_s`` so probes stay cheap."""

    ttl_s: float = 0.5
    ready: bool = False
    detail: str = "not probed yet"
    checked_at: float = field(default=-1e9)

    def fresh(self) -> bool:
        return time.monotonic() - self.checked_at < self.ttl_s

    def update(self, ready: bool, detail: str) -> None:
        self.ready, self.detail, self.checked_at = ready, detail, time.monotonic()


@dataclass
class ServiceContext:
    settings: Settings
    predictor: ActionPredictor
    gate: AdmissionGate
    auth: ApiKeyChecker
    readiness: Readiness
    tasks: TaskTracker
    limits: InputLimits = field(default_factory=InputLimits)


def get_context(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.context
    return ctx
