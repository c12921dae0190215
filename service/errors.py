"""Exceptions of the layer; each maps to one HTTP status and one ``error.type``.

    LamError                         (500 internal_error)
    ├── InvalidRequest               (422 invalid_request)    bad field, duplicate labels, unknown app
    │   └── UnknownApp               (404 unknown_app)
    ├── PayloadTooLarge              (413 payload_too_large)
    ├── Unauthorized                 (401 unauthorized)        carries WWW-Authenticate
    ├── Overloaded                   (429 overloaded)          carries Retry-After; reason: overloaded, queue_timeout
    ├── ShuttingDown                 (503 unavailable)         draining after SIGTERM; carries Retry-After
    └── UpstreamError                (5xx, the model server's fault)
        ├── ModelOutputError         (502 model_error)         unusable output: not JSON, not grounded
        ├── ModelUnavailable         (503 unavailable)         connection refused/reset, 5xx
        │   ├── CircuitOpen          (503 unavailable)         failing fast while vLLM is down; Retry-After
        │   └── NotReady             (503 unavailable)         /readyz's answer while not ready (not logged)
        └── ModelTimeout             (504 timeout)

Raised anywhere below the routes, turned into the one error envelope by ``service.error_handlers``.
``outcome`` is the label value of ``lam_step_latency_seconds`` / ``lam_requests_total``;
``reject_reason``, when set, the label of ``lam_rejected_requests_total`` (refused before any work).
"""

from __future__ import annotations


class LamError(Exception):
    status_code = 500
    error_type = "internal_error"
    outcome = "internal_error"
    reject_reason: str | None = None
    logged = True  # a 5xx is logged as a WARNING unless it is a fast refusal or an expected probe answer
    retry_after_s: int | None = None  # set on refusals that say when to come back (``Retry-After``)

    def __init__(self, message: str, *, field: str | None = None, retry_after_s: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if retry_after_s is not None:
            self.retry_after_s = retry_after_s

    def headers(self) -> dict[str, str]:
        """Response headers this error carries: one rule for every refusal that tells when to retry."""
        return {} if self.retry_after_s is None else {"Retry-After": str(self.retry_after_s)}


class InvalidRequest(LamError):
    status_code = 422
    error_type = "invalid_request"
    outcome = "invalid_request"


class UnknownApp(InvalidRequest):
    status_code = 404
    error_type = "unknown_app"


class PayloadTooLarge(InvalidRequest):
    status_code = 413
    error_type = "payload_too_large"


class Unauthorized(LamError):
    status_code = 401
    error_type = "unauthorized"
    outcome = "unauthorized"
    reject_reason = "unauthorized"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class Overloaded(LamError):
    status_code = 429
    error_type = "overloaded"
    outcome = "rejected"

    def __init__(self, message: str, *, retry_after_s: int = 1, reason: str = "overloaded") -> None:
        super().__init__(message, retry_after_s=retry_after_s)
        self.reject_reason = reason


class ShuttingDown(LamError):
    """SIGTERM received: this replica finishes what it has and takes nothing new (retry elsewhere)."""

    status_code = 503
    error_type = "unavailable"
    outcome = "rejected"
    reject_reason = "shutting_down"
    retry_after_s = 1


class UpstreamError(LamError):
    status_code = 502
    error_type = "model_error"
    outcome = "model_error"


class ModelOutputError(UpstreamError):
    """The model answered, but nothing usable: the ``reason`` labels ``lam_invalid_outputs_total``."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ModelUnavailable(UpstreamError):
    status_code = 503
    error_type = "unavailable"
    outcome = "unavailable"


class CircuitOpen(ModelUnavailable):
    """Refused without calling vLLM: it failed repeatedly and its cool-down has not elapsed."""

    reject_reason = "circuit_open"
    retry_after_s = 1


class NotReady(ModelUnavailable):
    """``/readyz`` while vLLM warms up or the layer drains: launchers and kubelets poll it every second,
    so it is an answer, not an incident to log each time."""

    logged = False


class ModelTimeout(UpstreamError):
    status_code = 504
    error_type = "timeout"
    outcome = "timeout"
