"""The boundary to the model server: vLLM's OpenAI-compatible API over one pooled ``Wire``.

Wire failures (``service.upstream_wire``) are translated here into ``ModelTimeout`` (504),
``ModelUnavailable`` (503) and ``ModelOutputError`` (502); nothing above this module sees a
transport exception. Only a *connect* failure (the request was never sent) is retried, within a
``RetryBudget``; *broken* ones (vLLM may have started the work) are not. Connect and broken failures
and upstream 5xx feed the ``CircuitBreaker``, which then fails calls fast. One deadline
(``request_timeout_s``) covers all attempts of a call.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Literal

import httpx
import orjson

from service import metrics
from service.circuit import CircuitBreaker, CircuitState, RetryBudget
from service.errors import InvalidRequest, ModelOutputError, ModelTimeout, ModelUnavailable
from service.settings import Settings
from service.upstream_wire import AiohttpWire, HttpxWire, Wire, WireError, WireResponse

logger = logging.getLogger(__name__)

RETRY_BACKOFF_S = 0.05  # a blip (restart, LB switching replicas) passes; a dead server fails fast anyway


@dataclass(frozen=True)
class Completion:
    text: str
    finish_reason: str | None
    prompt_tokens: int
    completion_tokens: int


def _log_circuit(state: CircuitState) -> None:
    metrics.CIRCUIT_STATE.set(state.value)
    if state is CircuitState.OPEN:
        logger.warning("circuit open: model server unreachable, failing fast")
    elif state is CircuitState.CLOSED:
        logger.warning("circuit closed: model server reachable again")


class VllmClient:
    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        request_timeout_s: float,
        connect_timeout_s: float,
        max_connections: int,
        transport: Literal["aiohttp", "httpx"] = "aiohttp",
        http_transport: httpx.AsyncBaseTransport | None = None,
        breaker: CircuitBreaker | None = None,
        retries: int = 0,
        retry_budget: RetryBudget | None = None,
    ) -> None:
        self.model = model
        self._timeout_s = request_timeout_s
        self.breaker = breaker
        self._retries = retries
        self._budget = retry_budget or RetryBudget(0.0, reserve=0.0)
        self._calls: set[asyncio.Task[Any]] = set()
        self._aborting = False
        self._wire: Wire
        if http_transport is None and transport == "aiohttp":
            self._wire = AiohttpWire(base_url, connect_timeout_s=connect_timeout_s, max_connections=max_connections)
        else:  # httpx's own pool, or a transport a test injects
            self._wire = HttpxWire(
                base_url,
                request_timeout_s=request_timeout_s,
                connect_timeout_s=connect_timeout_s,
                max_connections=max_connections,
                transport=http_transport,
            )

    @classmethod
    def from_settings(cls, settings: Settings, http_transport: httpx.AsyncBaseTransport | None = None) -> VllmClient:
        """The client the service uses: pooled, with circuit breaker and budgeted retries."""
        return cls(
            settings.vllm_base_url,
            settings.model,
            request_timeout_s=settings.request_timeout_s,
            connect_timeout_s=settings.connect_timeout_s,
            max_connections=settings.upstream_max_connections,
            transport=settings.upstream_transport,
            http_transport=http_transport,
            breaker=CircuitBreaker(
                settings.circuit_failure_threshold, settings.circuit_cooldown_s, on_change=_log_circuit
            ),
            retries=settings.upstream_retries,
            retry_budget=RetryBudget(settings.retry_budget_ratio),
        )

    async def aclose(self) -> None:
        await self._wire.aclose()

    def abort_inflight(self) -> int:
        """Shutdown deadline: end every call in flight with a 503 rather than a dropped connection."""
        self._aborting = True
        for task in self._calls:
            task.cancel()
        return len(self._calls)

    async def _post(self, path: str, body: dict[str, Any], timeout_s: float) -> WireResponse:
        task = asyncio.current_task()
        if task is not None:
            self._calls.add(task)
        try:
            return await self._post_attempts(path, body, timeout_s)
        except asyncio.CancelledError:
            if self._aborting and task is not None and task.cancelling() == 1:
                task.uncancel()
                raise ModelUnavailable("shutting down: the model did not answer within the grace period") from None
            raise
        finally:
            if task is not None:
                self._calls.discard(task)

    async def _post_attempts(self, path: str, body: dict[str, Any], timeout_s: float) -> WireResponse:
        content = orjson.dumps(body)
        deadline = asyncio.get_running_loop().time() + timeout_s
        self._budget.record_attempt()
        attempt = 0
        while True:
            trial = self.breaker.before_call() if self.breaker else False
            verdict: bool | None = None  # True: server reachable, False: connection-level failure
            try:
                async with asyncio.timeout_at(deadline):
                    response = await self._wire.post(path, content)
                verdict = response.status < 500
                if not verdict:
                    metrics.UPSTREAM_FAILURES.labels("http_5xx").inc()
                return response
            except TimeoutError as exc:
                metrics.UPSTREAM_FAILURES.labels("timeout").inc()
                verdict = False if trial else None  # slow is not down, unless it was the probe
                raise ModelTimeout(f"model server did not answer within {timeout_s:g} s") from exc
            except WireError as exc:
                kind = exc.kind
                metrics.UPSTREAM_FAILURES.labels(kind).inc()
                if kind == "timeout":
                    verdict = False if trial else None
                    raise ModelTimeout(f"model server did not answer within {timeout_s:g} s") from exc
                verdict = False
                retry = (
                    kind == "connect"
                    and attempt < self._retries
                    and deadline - asyncio.get_running_loop().time() > RETRY_BACKOFF_S
                    and self._budget.try_spend()
                )
                if not retry:
                    what = "could not connect to" if kind == "connect" else "lost the connection to"
                    raise ModelUnavailable(f"{what} the model server ({exc.cause_name})") from exc
            finally:
                if self.breaker is not None:
                    if verdict is True:
                        self.breaker.record_success()
                    elif verdict is False:
                        self.breaker.record_failure()
                    elif trial:
                        self.breaker.release_trial()
            attempt += 1
            metrics.UPSTREAM_RETRIES.inc()
            await asyncio.sleep(RETRY_BACKOFF_S * attempt)

    async def chat(
        self,
        messages: list[dict[str, str]],
        *,
        constraint: dict[str, Any],
        max_tokens: int,
        temperature: float,
    ) -> Completion:
        """One chat completion; ``constraint`` is merged into the body (``response_format`` etc.)."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": temperature,
            **constraint,
        }
        response = await self._post("chat/completions", body, self._timeout_s)
        status = response.status
        if status >= 500 or status in (404, 429):
            raise ModelUnavailable(f"model server answered {status}")
        if status == 400 and b"context length" in response.content.lower():
            raise InvalidRequest(
                "prompt too long for the model's context: send fewer controls", field="observation.controls"
            )
        if status != 200:
            raise ModelOutputError(f"model server refused the request ({status})", reason="upstream_error")
        try:
            data = orjson.loads(response.content)
            choice = data["choices"][0]
            usage = data.get("usage") or {}
            return Completion(
                text=choice["message"]["content"] or "",
                finish_reason=choice.get("finish_reason"),
                prompt_tokens=int(usage.get("prompt_tokens", 0)),
                completion_tokens=int(usage.get("completion_tokens", 0)),
            )
        except (orjson.JSONDecodeError, KeyError, IndexError, TypeError, ValueError) as exc:
            raise ModelOutputError("model server sent an unreadable completion", reason="invalid_response") from exc

    async def is_ready(self, timeout_s: float) -> tuple[bool, str]:
        """vLLM is up and serves our model name (``GET /v1/models``).

        The probe bypasses the circuit breaker and feeds it: reachable closes it (so recovery does not
        wait for client traffic), a connection failure counts toward opening it.
        """
        try:
            async with asyncio.timeout(timeout_s):
                response = await self._wire.get("models")
        except TimeoutError:
            return False, f"model server did not answer within {timeout_s:g} s"
        except WireError as exc:
            if self.breaker is not None and exc.kind != "timeout":
                self.breaker.record_failure()
            return False, f"model server unreachable ({exc.cause_name})"
        if self.breaker is not None:
            if response.status < 500:
                self.breaker.record_success()
            else:
                self.breaker.record_failure()
        if response.status != 200:
            return False, f"model server answered {response.status}"
        try:
            served = {m["id"] for m in orjson.loads(response.content)["data"]}
        except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
            return False, f"unreadable model list ({type(exc).__name__})"
        if self.model not in served:
            return False, f"model {self.model!r} not served (serving {sorted(served)})"
        return True, "ok"
