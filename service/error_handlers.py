"""The one mapping point from exceptions to the error envelope of docs/design.md section 3.

``{"error": {"type", "message", "field", "request_id"}}`` for every error the layer returns,
whatever raised it: our ``LamError`` hierarchy, FastAPI's validation errors, Starlette's
``HTTPException`` (404/405) and, as a last resort, anything unexpected (500, logged).
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from service import metrics
from service.errors import LamError, ModelOutputError
from service.outcomes import Outcomes

logger = logging.getLogger(__name__)

_HTTP_TYPES = {404: "not_found", 405: "method_not_allowed", 400: "bad_request"}


def error_response(
    request: Request,
    status: int,
    error_type: str,
    message: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    request_id = request.scope.get("state", {}).get("request_id")
    body = {"error": {"type": error_type, "message": message, "field": field, "request_id": request_id}}
    return Response(orjson.dumps(body), status_code=status, media_type="application/json", headers=headers)


def _field_of(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _describe(error: dict[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    limit = ", ".join(f"{k}={v}" for k, v in ctx.items() if k != "error")
    return f"{error.get('msg', 'invalid value')}" + (f" (limit: {limit})" if limit else "")


class _Handlers:
    """The handlers of one app, holding its outcome accounting (given when the app is built) so that
    failures of ``/predict_action`` that never reached the serving (parse errors) are counted too."""

    def __init__(self, outcomes: Outcomes) -> None:
        self.outcomes = outcomes

    async def lam_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LamError)
        if isinstance(exc, ModelOutputError):
            metrics.INVALID_OUTPUTS.labels(exc.reason).inc()
        if exc.status_code >= 500 and exc.reject_reason is None and exc.logged:  # fast refusals: counted, not logged
            request_id = request.scope.get("state", {}).get("request_id")
            logger.warning("%s %s: %s (request %s)", exc.status_code, exc.error_type, exc.message, request_id)
        self.outcomes.record_unserved(request, exc, exc.outcome, reject_reason=exc.reject_reason)
        return error_response(request, exc.status_code, exc.error_type, exc.message, exc.field, exc.headers() or None)

    async def validation_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = list(exc.errors())
        first = errors[0] if errors else {"loc": ("body",), "msg": "invalid request"}
        self.outcomes.record_unserved(request, exc, "invalid_request")
        if first.get("type") == "json_invalid":
            return error_response(request, 400, "invalid_json", "request body is not valid JSON", "body")
        message = _describe(first)
        if len(errors) > 1:
            message += f" (+{len(errors) - 1} more errors)"
        return error_response(request, 422, "invalid_request", message, _field_of(tuple(first.get("loc", ()))))

    async def http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if isinstance(exc.__cause__, LamError):  # FastAPI wraps errors raised while reading the body
            return await self.lam_error(request, exc.__cause__)
        self.outcomes.record_unserved(request, exc, "invalid_request")
        return error_response(
            request,
            exc.status_code,
            _HTTP_TYPES.get(exc.status_code, "http_error"),
            str(exc.detail),
            None,
            dict(exc.headers) if exc.headers else None,
        )

    async def unexpected(self, request: Request, exc: Exception) -> Response:
        logger.exception("unexpected error", exc_info=exc)
        self.outcomes.record_unserved(request, exc, "internal_error")
        return error_response(request, 500, "internal_error", "internal error; see the service log", None)


def install_error_handlers(app: FastAPI, outcomes: Outcomes) -> None:
    handlers = _Handlers(outcomes)
    app.add_exception_handler(LamError, handlers.lam_error)
    app.add_exception_handler(RequestValidationError, handlers.validation_error)
    app.add_exception_handler(HTTPException, handlers.http_error)
    app.add_exception_handler(Exception, handlers.unexpected)
