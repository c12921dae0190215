"""HTTP routes: thin. Parsing is FastAPI's, work is the predictor's, errors are raised and mapped
by ``service.error_handlers``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from service import metrics
from service.context import ServiceContext, get_context
from service.errors import ModelUnavailable
from service.outcomes import record_outcome
from service.protocol import (
    ActionSpaceList,
    ActionSpaceOut,
    ErrorResponse,
    Health,
    PredictRequest,
    PredictResponse,
)

_ERRORS = {
    code: {"model": ErrorResponse, "description": text}
    for code, text in {
        400: "Body is not JSON",
        401: "Missing or wrong API key (when keys are configured)",
        404: "Unknown app",
        413: "Body too large",
        422: "A field is missing, malformed or over its limit; duplicate control labels",
        429: "Over capacity: retry after Retry-After seconds",
        502: "The model returned something unusable",
        503: "The model server is unavailable",
        504: "The model server timed out",
    }.items()
}


def require_key(request: Request, ctx: ServiceContext = Depends(get_context)) -> None:
    ctx.auth.check(request)


router = APIRouter()
keyed = APIRouter(dependencies=[Depends(require_key)])


@keyed.post("/predict_action", response_model=PredictResponse, responses=_ERRORS)  # type: ignore[arg-type]
async def predict_action(
    body: PredictRequest, request: Request, ctx: ServiceContext = Depends(get_context)
) -> PredictResponse:
    """Next action for this observation, request and memory, grounded in the controls on screen."""
    state = request.scope["state"]
    state["app_name"] = body.app if body.app in ctx.predictor.spaces else "unknown"
    ctx.predictor.space_for(body.app)  # 404 before taking a slot
    metrics.INFLIGHT.inc()
    try:
        async with ctx.gate.admit():
            response = await ctx.predictor.predict(body, state["request_id"], state["started"])
    finally:
        metrics.INFLIGHT.dec()
    record_outcome(request, "ok")
    return response


@keyed.get("/v1/action-spaces", response_model=ActionSpaceList, responses=_ERRORS)  # type: ignore[arg-type]
async def list_action_spaces(ctx: ServiceContext = Depends(get_context)) -> ActionSpaceList:
    return ActionSpaceList(apps=sorted(ctx.predictor.spaces))


@keyed.get("/v1/action-spaces/{app}", response_model=ActionSpaceOut, responses=_ERRORS)  # type: ignore[arg-type]
async def get_action_space(app: str, ctx: ServiceContext = Depends(get_context)) -> ActionSpaceOut:
    return ctx.predictor.space_for(app).public()


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """Liveness: the process answers."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": ErrorResponse}})
async def readyz(ctx: ServiceContext = Depends(get_context)) -> Health:
    """Readiness: admitting requests, and vLLM is reachable and serves our model."""
    if ctx.gate.closed:
        raise ModelUnavailable("shutting down")
    readiness = ctx.readiness
    if not readiness.fresh():
        ready, detail = await ctx.predictor.client.is_ready(ctx.settings.readiness_timeout_s)
        readiness.update(ready, detail)
    if not readiness.ready:
        raise ModelUnavailable(f"not ready: {readiness.detail}")
    return Health(status="ok")


@router.get("/metrics", include_in_schema=False)
async def metrics_endpoint() -> Response:
    body, content_type = metrics.render_latest()
    return Response(body, media_type=content_type)
