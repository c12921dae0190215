"""``create_app(settings)``: the FastAPI application factory (no globals, no env reads here)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from service.action_space import load_action_spaces
from service.admission import AdmissionGate
from service.auth import ApiKeyChecker
from service.context import Readiness, ServiceContext
from service.error_handlers import install_error_handlers
from service.middleware import RequestContextMiddleware
from service.predictor import ActionPredictor
from service.routes import keyed, router
from service.settings import Settings
from service.tokens import load_token_counter
from service.vllm_client import VllmClient

logger = logging.getLogger("service")


def build_context(settings: Settings, client: VllmClient | None = None) -> ServiceContext:
    spaces = load_action_spaces([settings.action_spaces_dir])
    client = client or VllmClient(
        settings.vllm_base_url,
        settings.model,
        request_timeout_s=settings.request_timeout_s,
        connect_timeout_s=settings.connect_timeout_s,
        max_connections=settings.upstream_max_connections,
        transport=settings.upstream_transport,
    )
    predictor = ActionPredictor(
        spaces=spaces,
        client=client,
        counter=load_token_counter(settings.resolved_tokenizer_path()),
        memory_token_budget=settings.memory_token_budget,
        max_output_tokens=settings.max_output_tokens,
        max_arg_chars=settings.max_arg_chars,
        temperature=settings.temperature,
    )
    return ServiceContext(
        settings=settings,
        predictor=predictor,
        gate=AdmissionGate(settings.max_concurrency, settings.max_queue, settings.queue_timeout_s),
        auth=ApiKeyChecker(settings.api_keys),
        readiness=Readiness(),
    )


async def drain(ctx: ServiceContext, deadline_s: float) -> None:
    """Stop admitting, then wait (up to the deadline) for requests in flight to finish."""
    ctx.gate.closed = True
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline_s
    while ctx.gate.inflight and loop.time() < end:
        await asyncio.sleep(0.05)
    if ctx.gate.inflight:
        logger.warning("shutdown deadline reached with %d requests in flight", ctx.gate.inflight)


def create_app(settings: Settings | None = None, *, client: VllmClient | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctx = build_context(settings, client)
        app.state.context = ctx
        logger.info("apps: %s; model %s at %s", sorted(ctx.predictor.spaces), settings.model, settings.vllm_base_url)
        try:
            yield
        finally:
            await drain(ctx, settings.shutdown_grace_s)
            await ctx.predictor.client.aclose()

    app = FastAPI(
        title="LAM action service",
        version="1.0.0",
        summary="Next UI action as a grounded, schema-validated function call, from a Large Action Model on vLLM.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.include_router(keyed)
    app.include_router(router)
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes)
    return app
