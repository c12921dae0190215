"""Typed client of the LAM service (``POST /predict_action``), sync and async, on httpx.

Errors, as one small hierarchy:

    LamClientError
    ├── LamApiError          the service answered with an error status; carries the error envelope
    └── LamTransportError    no answer at all (connection refused, timeout) after the retries

429 and 503 are retried with exponential backoff, honouring ``Retry-After`` (seconds or an HTTP
date); connection errors and timeouts are retried the same way. Everything else raises at once.
The sleep function is injectable so tests and evaluators never wait on a real clock.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from pydantic import ValidationError

from service.protocol import ErrorDetail, ErrorResponse, PredictRequest, PredictResponse

__all__ = [
    "AsyncLamClient",
    "LamApiError",
    "LamClient",
    "LamClientError",
    "LamTransportError",
    "RetryPolicy",
    "parse_retry_after",
]


class LamClientError(Exception):
    """Base of the client's errors."""


class LamApiError(LamClientError):
    """An error answer. ``error`` is the parsed envelope when the body had one."""

    def __init__(self, status_code: int, error: ErrorDetail | None, body: str = "") -> None:
        self.status_code = status_code
        self.error = error
        self.body = body
        detail = f"{error.type}: {error.message}" if error else body[:200]
        super().__init__(f"HTTP {status_code} {detail}")

    @property
    def error_type(self) -> str:
        return self.error.type if self.error else f"http_{self.status_code}"

    @property
    def request_id(self) -> str | None:
        return self.error.request_id if self.error else None


class LamTransportError(LamClientError):
    """The service could not be reached (or did not answer in time), even after retrying."""


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 4
    backoff_base_s: float = 0.25
    backoff_max_s: float = 10.0
    retry_after_max_s: float = 60.0
    retry_statuses: frozenset[int] = frozenset({429, 503})
    max_wait_s: float | None = None  # no retry that would take the waits between tries past this many seconds
    max_transport_retries: int | None = None  # no answer at all (down, not busy); None: max_retries

    def delay(self, attempt: int, retry_after: str | None) -> float:
        """Retry-After when the server gave one, else base * 2**attempt with a little jitter."""
        hinted = parse_retry_after(retry_after)
        if hinted is not None:
            return min(hinted, self.retry_after_max_s)
        backoff = min(self.backoff_max_s, self.backoff_base_s * (2.0**attempt))
        return backoff * (0.8 + 0.4 * random.random())


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds (delay-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


RequestLike = PredictRequest | Mapping[str, Any]


def _body(request: RequestLike) -> dict[str, Any]:
    model = request if isinstance(request, PredictRequest) else PredictRequest.model_validate(request)
    return model.model_dump(mode="json", exclude_none=True)


def _headers(api_key: str | None, extra: Mapping[str, str] | None) -> dict[str, str]:
    headers = {"Accept": "application/json", "User-Agent": "lam-client/0.1"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    headers.update(extra or {})
    return headers


def _parse(response: httpx.Response) -> PredictResponse:
    if response.status_code >= 400:
        raise _api_error(response)
    try:
        return PredictResponse.model_validate_json(response.content)
    except ValidationError as exc:
        detail = ErrorDetail(type="invalid_response", message=f"response does not match the contract: {exc}")
        raise LamApiError(response.status_code, detail, response.text) from exc


def _api_error(response: httpx.Response) -> LamApiError:
    try:
        envelope = ErrorResponse.model_validate_json(response.content).error
    except ValidationError:
        envelope = None
    return LamApiError(response.status_code, envelope, response.text)


class _Base:
    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None,
        timeout: float | httpx.Timeout,
        retry: RetryPolicy | None,
        headers: Mapping[str, str] | None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self._kwargs: dict[str, Any] = {
            "base_url": self.base_url,
            "timeout": timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout, connect=5.0),
            "headers": _headers(api_key, headers),
        }

    def _retry_delay(self, response: httpx.Response | None, attempt: int, waited_s: float) -> float | None:
        """Seconds to wait before the next try, or None when this answer stands (not retryable, or the
        retries or their time budget are spent)."""
        if attempt >= self.retry.max_retries:
            return None
        if response is None and attempt >= (self.retry.max_transport_retries or self.retry.max_retries):
            return None
        if response is not None and response.status_code not in self.retry.retry_statuses:
            return None
        delay = self.retry.delay(attempt, response.headers.get("Retry-After") if response else None)
        budget = self.retry.max_wait_s
        if budget is not None and waited_s + delay > budget:
            return None
        return delay


class LamClient(_Base):
    """Blocking client. Use as a context manager, or call ``close()``."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        api_key: str | None = None,
        timeout: float | httpx.Timeout = 60.0,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(base_url, api_key=api_key, timeout=timeout, retry=retry, headers=headers)
        self._http = httpx.Client(transport=transport, **self._kwargs)
        self._sleep = sleep

    def predict(self, request: RequestLike) -> PredictResponse:
        return _parse(self._send("POST", "/predict_action", json=_body(request)))

    def predict_action(
        self,
        request: str,
        observation: Mapping[str, Any],
        *,
        app: str = "word",
        memory: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> PredictResponse:
        """Next action for ``request`` given what is on screen and the steps taken so far."""
        body = {"request": request, "app": app, "observation": observation, "memory": memory or {}, **extra}
        return self.predict(body)

    def get_json(self, path: str) -> Any:
        response = self._send("GET", path)
        if response.status_code >= 400:
            raise _api_error(response)
        return response.json()

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        attempt, waited_s = 0, 0.0
        while True:
            try:
                response = self._http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                if (delay := self._retry_delay(None, attempt, waited_s)) is None:
                    raise LamTransportError(f"{method} {path}: {exc!r}") from exc
            else:
                if (delay := self._retry_delay(response, attempt, waited_s)) is None:
                    return response
            self._sleep(delay)
            attempt, waited_s = attempt + 1, waited_s + delay

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> LamClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncLamClient(_Base):
    """Asyncio client with the same behaviour; one pooled connection set for many tasks at once."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        api_key: str | None = None,
        timeout: float | httpx.Timeout = 60.0,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        max_connections: int = 64,
    ) -> None:
        super().__init__(base_url, api_key=api_key, timeout=timeout, retry=retry, headers=headers)
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
        self._http = httpx.AsyncClient(transport=transport, limits=limits, **self._kwargs)
        self._sleep = sleep

    async def predict(self, request: RequestLike) -> PredictResponse:
        return _parse(await self._send("POST", "/predict_action", json=_body(request)))

    async def predict_action(
        self,
        request: str,
        observation: Mapping[str, Any],
        *,
        app: str = "word",
        memory: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> PredictResponse:
        body = {"request": request, "app": app, "observation": observation, "memory": memory or {}, **extra}
        return await self.predict(body)

    async def get_json(self, path: str) -> Any:
        response = await self._send("GET", path)
        if response.status_code >= 400:
            raise _api_error(response)
        return response.json()

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        attempt, waited_s = 0, 0.0
        while True:
            try:
                response = await self._http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                if (delay := self._retry_delay(None, attempt, waited_s)) is None:
                    raise LamTransportError(f"{method} {path}: {exc!r}") from exc
            else:
                if (delay := self._retry_delay(response, attempt, waited_s)) is None:
                    return response
            await self._sleep(delay)
            attempt, waited_s = attempt + 1, waited_s + delay

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncLamClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
