"""``create_app(settings)``: the FastAPI application factory (no globals, no env reads here).

Shutdown (SIGTERM from an orchestrator or ``docker stop``):

1. at once: ``/readyz`` answers 503 and new ``/predict_action`` calls get 503 ``ShuttingDown``
   (the load balancer and clients go elsewhere); requests holding or waiting for a slot carry on;
2. after ``LAM_SHUTDOWN_DRAIN_DELAY_S`` (0 by default; a few seconds behind a load balancer that
   needs time to see the 503) the server's own handler runs: uvicorn stops listening (new
   connections are refused), closes idle keep-alive connections and waits up to
   ``LAM_SHUTDOWN_GRACE_S`` for the requests in flight, then runs the lifespan's end (``drain``).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import FrameType

from fastapi import FastAPI

from service.action_space import load_action_spaces
from service.admission import AdmissionGate
from service.auth import ApiKeyMiddleware
from service.concurrency_limit import ConcurrencyLimit
from service.context import Readiness, ServiceContext
from service.error_handlers import install_error_handlers
from service.limits import InputLimits
from service.middleware import RequestContextMiddleware
from service.outcomes import Outcomes
from service.predictor import ActionPredictor
from service.routes import keyed, router
from service.serving import ActionServing
from service.settings import Settings
from service.task_tracker import TaskTracker
from service.tokens import load_token_counter
from service.vllm_client import VllmClient

logger = logging.getLogger("service")


def concurrency_limit(settings: Settings) -> ConcurrencyLimit:
    """Pinned when the operator set ``LAM_MAX_CONCURRENCY``, else adaptive within the configured bounds."""
    return ConcurrencyLimit(
        initial=settings.admission_initial_limit,
        min_limit=settings.admission_min_limit,
        max_limit=settings.admission_max_limit,
        tolerance=settings.admission_latency_tolerance,
        window=settings.admission_window,
        pinned=settings.max_concurrency,
    )


def build_context(
    settings: Settings, client: VllmClient | None = None, outcomes: Outcomes | None = None
) -> ServiceContext:
    """The process's one ``ServiceContext``; ``outcomes`` is the app's, shared with its error handlers."""
    spaces = load_action_spaces([settings.action_spaces_dir])
    client = client or VllmClient.from_settings(settings)
    predictor = ActionPredictor(
        spaces=spaces,
        client=client,
        counter=load_token_counter(settings.resolved_tokenizer_path()),
        memory_token_budget=settings.memory_token_budget,
        value_token_budget=settings.value_token_budget,
        max_output_tokens=settings.max_output_tokens,
        max_arg_chars=settings.max_arg_chars,
        temperature=settings.temperature,
        output_format=settings.output_format,
        repeat_limit=settings.repeat_limit,
    )
    TaskTracker.export_zeros(client.model, spaces)
    gate = AdmissionGate(
        concurrency_limit(settings),
        settings.max_queue,
        settings.queue_timeout_s,
        settings.admission_max_wait_baselines,
    )
    serving = ActionServing(
        predictor=predictor,
        gate=gate,
        limits=InputLimits.from_settings(settings),
        tasks=TaskTracker(settings.task_tracker_max_tasks, settings.task_tracker_ttl_s),
        outcomes=outcomes or Outcomes(settings.model),
    )
    return ServiceContext(settings=settings, serving=serving, readiness=Readiness())


async def drain(ctx: ServiceContext, deadline_s: float) -> None:
    """Stop admitting, then wait (up to the deadline) for requests in flight or queued to finish."""
    gate = ctx.serving.gate
    gate.close()
    if not await gate.wait_idle(deadline_s):
        logger.warning("shutdown deadline reached with %d requests in flight, %d queued", gate.inflight, gate.queued)


def _chain_sigterm(ctx: ServiceContext, drain_delay_s: float, grace_s: float) -> Callable[[], None]:
    """Close the gate on SIGTERM, then hand the signal to the server's own handler (uvicorn's graceful
    shutdown) after ``drain_delay_s``; what still runs ``grace_s`` later is answered 503. Returns the
    undo. Only where a server installed a handler in the main thread: in tests nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.getsignal(signal.SIGTERM)
    if not callable(previous):
        return lambda: None
    server_handler: Callable[[int, FrameType | None], object] = previous
    loop = asyncio.get_running_loop()
    gate = ctx.serving.gate

    def abort() -> None:
        queued, inflight = gate.abort_waiters(), ctx.serving.predictor.client.abort_inflight()
        if queued or inflight:
            logger.warning("shutdown grace over: answered 503 to %d queued and %d running requests", queued, inflight)

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        first = not gate.closed
        delay = drain_delay_s if first else 0.0  # a second SIGTERM goes straight on
        gate.close()
        logger.info("SIGTERM: not admitting; server shutdown in %.1f s", delay)
        loop.call_soon_threadsafe(loop.call_later, delay, server_handler, signum, frame)
        if first:  # before the server's own deadline (uvicorn: int(grace) + 1 s), so clients get a 503
            loop.call_soon_threadsafe(loop.call_later, delay + grace_s, abort)

    signal.signal(signal.SIGTERM, on_sigterm)

    def undo() -> None:
        if signal.getsignal(signal.SIGTERM) is on_sigterm:
            signal.signal(signal.SIGTERM, previous)

    return undo


def create_app(settings: Settings | None = None, *, client: VllmClient | None = None) -> FastAPI:
    settings = settings or Settings()
    outcomes = Outcomes(settings.model)  # one accounting for the serving, the error handlers and the key check

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctx = build_context(settings, client, outcomes)
        app.state.context = ctx
        predictor = ctx.serving.predictor
        logger.info(
            "apps: %s; model %s at %s; output format %s",
            sorted(predictor.spaces),
            settings.model,
            settings.vllm_base_url,
            predictor.output_format.name,
        )
        undo_signal = _chain_sigterm(ctx, settings.shutdown_drain_delay_s, settings.shutdown_grace_s)
        try:
            yield
        finally:
            undo_signal()
            await drain(ctx, settings.shutdown_grace_s)
            if client is None:  # an injected client belongs to the caller (and may serve another lifespan)
                await predictor.client.aclose()

    app = FastAPI(
        title="LAM action service",
        version="1.0.0",
        summary="Next UI action as a grounded, schema-validated function call, from a Large Action Model on vLLM.",
        lifespan=lifespan,
    )
    app.include_router(keyed)
    app.include_router(router)
    install_error_handlers(app, outcomes)
    # Added first = runs second: the request id exists before a 401 is answered.
    app.add_middleware(
        ApiKeyMiddleware, keys=settings.api_keys, outcomes=outcomes, metrics_require_key=settings.metrics_require_key
    )
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes)
    return app
