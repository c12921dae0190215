"""Everything a request needs, built once per process by the lifespan and reached through one
typed accessor (``get_context``), instead of loose attributes on ``app.state``. The step's parts
(predictor, admission gate, limits, task tracker, outcomes) live in the ``ActionServing``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from starlette.requests import Request

from service.serving import ActionServing
from service.settings import Settings


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
    serving: ActionServing
    readiness: Readiness


def get_context(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.context
    return ctx
