"""The served model as a policy inside training: rollouts through ``POST /predict_action``.

``decode.LocalPolicy`` decodes in-process, which needs no server but re-reads the whole prompt every
step: on word2's ~1,100-token screens that is seconds a step on two CPU cores. The layer in front of
vLLM answers the same step in ~0.4 s (its prefix cache keeps the system text and the ribbon), under
the same constraint and grounding, so phase 3's episodes of a *served* adapter come ~5x faster.
The caller must serve the adapter it means (``make run`` serves the card's); the service decodes
greedily, so only the first (greedy) try of a task can be played this way.
"""

from __future__ import annotations

from lam.client import LamClient, LamClientError
from lam.eval.metrics import failure_of
from models.train.policy import Decision
from service.errors import ModelOutputError
from service.protocol import PredictRequest


class ServedPolicy:
    """``act`` as ``LocalPolicy.act``, answered by the service at ``base_url``."""

    def __init__(self, base_url: str, client: LamClient | None = None) -> None:
        self.client = client or LamClient(base_url, timeout=120.0)

    def act(self, req: PredictRequest, temperature: float = 0.0) -> Decision:
        """The service's answer; a 4xx/5xx answer (unusable output, invalid action) is the episode's error,
        as ``LocalPolicy``'s ``ModelOutputError``; an unanswered call (no connection, 429/503/504 after the
        client's retries) propagates: the run stops, and resumes where it stopped."""
        if temperature > 0:
            raise ValueError("the service decodes greedily: sampled tries need the in-process policy (no --service)")
        try:
            response = self.client.predict(req)
        except LamClientError as exc:
            error, unanswered = failure_of(exc)
            if unanswered:  # the service's trouble (busy, down, timed out), not the model's: stop here
                raise
            raise ModelOutputError(str(exc), reason=error) from exc
        action = response.action.model_dump() if response.action is not None else None
        return Decision(action, response.status, "")
