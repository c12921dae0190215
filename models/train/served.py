"""The served model as a policy inside training: rollouts through ``POST /predict_action``.

``decode.LocalPolicy`` decodes in-process, which needs no server but re-reads the whole prompt every
step: on word2's ~1,100-token screens that is seconds a step on two CPU cores. The layer in front of
vLLM answers the same step in ~0.4 s (its prefix cache keeps the system text and the ribbon), under
the same constraint and grounding, so phase 3's episodes of a *served* adapter come ~5x faster.
The caller must serve the adapter it means (``python -m bench.with_served ADAPTER -- ...`` serves one;
``make run`` serves the card's; an API key is read from ``LAM_API_KEY`` as ``lam eval`` does); the
service decodes greedily, so only the first (greedy) try of a task can be played this way.
"""

from __future__ import annotations

import os
from typing import Final

from lam.client import LamApiError, LamClient, RetryPolicy
from models.train.policy import Decision
from service.errors import ModelOutputError
from service.protocol import PredictRequest

# The answers that end an episode as the model's error, as LocalPolicy's ModelOutputError: an unusable
# output (502 model_error). Anything else (429/503/504 after retries, 401, 404, 422, 500, no
# connection) stops the run: a rollout recorded on file as failed for the service's reason would
# train on nothing and never be played again.
EPISODE_ERRORS: Final = frozenset({"model_error"})


class ServedPolicy:
    """``act`` as ``LocalPolicy.act``, answered by the service at ``base_url``."""

    def __init__(self, base_url: str, client: LamClient | None = None) -> None:
        # Longer than the layer's own 120 s request timeout, so a slow step is its 504, not ours; one
        # transport retry, so a dead service stops the run at once.
        self.client = client or LamClient(
            base_url, api_key=os.environ.get("LAM_API_KEY"), timeout=180.0, retry=RetryPolicy(max_transport_retries=1)
        )

    def act(self, req: PredictRequest, temperature: float = 0.0) -> Decision:
        """The service's answer; an unusable output (502) is the episode's error, as ``LocalPolicy``'s
        ``ModelOutputError``; any other failure propagates: the run stops, and a rerun goes on from there."""
        if temperature > 0:
            raise ValueError("the service decodes greedily: sampled tries need the in-process policy (no --service)")
        try:
            response = self.client.predict(req)
        except LamApiError as exc:
            if exc.error_type not in EPISODE_ERRORS:  # the service's trouble or a setup error, not the model's
                raise
            raise ModelOutputError(str(exc), reason=f"{exc.status_code} {exc.error_type}") from exc
        action = response.action.model_dump() if response.action is not None else None
        return Decision(action, response.status, "")
