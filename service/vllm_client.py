"""The boundary to the model server: vLLM's OpenAI-compatible API over one pooled httpx client.

httpx (and aiohttp, when the aiohttp transport is used) exceptions are translated here into
``ModelTimeout`` (504), ``ModelUnavailable`` (503) and ``ModelOutputError`` (502); nothing above
this module sees a transport exception. The aiohttp transport (``httpx-aiohttp``) is the default
because httpcore's pool costs ~1 ms and caps throughput on this hot path (DESIGN.md section 2).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Literal

import aiohttp
import httpx
import orjson

from service.errors import InvalidRequest, ModelOutputError, ModelTimeout, ModelUnavailable


@dataclass(frozen=True)
class Completion:
    text: str
    finish_reason: str | None
    prompt_tokens: int
    completion_tokens: int


def _is_connection_failure(exc: BaseException) -> bool:
    """httpx-aiohttp maps some refused/reset connections to ``ConnectTimeout``: look at the cause."""
    cause = exc.__cause__
    return isinstance(cause, aiohttp.ClientConnectionError) and not isinstance(cause, aiohttp.ServerTimeoutError)


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
    ) -> None:
        self.model = model
        self._timeout_s = request_timeout_s
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
        if http_transport is None and transport == "aiohttp":
            from httpx_aiohttp import AiohttpTransport

            http_transport = AiohttpTransport(limits=limits)
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            timeout=httpx.Timeout(request_timeout_s, connect=connect_timeout_s),
            limits=limits,
            transport=http_transport,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _post(self, path: str, body: dict[str, Any], timeout_s: float) -> httpx.Response:
        try:
            async with asyncio.timeout(timeout_s):
                return await self._http.post(
                    path, content=orjson.dumps(body), headers={"content-type": "application/json"}
                )
        except TimeoutError as exc:
            raise ModelTimeout(f"model server did not answer within {timeout_s:g} s") from exc
        except httpx.TimeoutException as exc:
            if _is_connection_failure(exc):
                raise ModelUnavailable(f"model server unreachable: {exc}") from exc
            raise ModelTimeout(f"model server did not answer within {timeout_s:g} s") from exc
        except (httpx.TransportError, aiohttp.ClientError, OSError) as exc:
            raise ModelUnavailable(f"model server unreachable: {type(exc).__name__}") from exc

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
        status = response.status_code
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
        """vLLM is up and serves our model name (``GET /v1/models``)."""
        try:
            async with asyncio.timeout(timeout_s):
                response = await self._http.get("models")
        except (TimeoutError, httpx.HTTPError, aiohttp.ClientError, OSError) as exc:
            return False, f"model server unreachable ({type(exc).__name__})"
        if response.status_code != 200:
            return False, f"model server answered {response.status_code}"
        try:
            served = {m["id"] for m in orjson.loads(response.content)["data"]}
        except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
            return False, f"unreadable model list ({type(exc).__name__})"
        if self.model not in served:
            return False, f"model {self.model!r} not served (serving {sorted(served)})"
        return True, "ok"
