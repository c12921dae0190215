"""What a policy inside training answers, whoever decodes it (``decode.LocalPolicy`` in-process,
``served.ServedPolicy`` over HTTP): phase 3's rollouts take either (phase 4 and ``rollout_cmd`` decode
in-process: they sample)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from service.protocol import PredictRequest


@dataclass(frozen=True)
class Decision:
    action: dict[str, Any] | None
    status: str
    text: str


class Policy(Protocol):
    def act(self, req: PredictRequest, temperature: float = 0.0) -> Decision:
        """The step's answer: greedy at temperature 0 (as served), else one sample."""
        ...


class LazyPolicy:
    """A policy built at its first step, so a run whose episodes are all on file loads no model.

    Not thread-safe (two first steps at once would build two): only the in-process policy is lazy, and
    it plays one episode at a time (``phase3.policy_of``)."""

    def __init__(self, build: Callable[[], Policy]) -> None:
        self._build = build
        self._policy: Policy | None = None

    def act(self, req: PredictRequest, temperature: float = 0.0) -> Decision:
        if self._policy is None:
            self._policy = self._build()
        return self._policy.act(req, temperature)
