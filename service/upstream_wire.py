"""The bytes on the wire to the model server: one pooled HTTP client, two interchangeable kinds.

``VllmClient`` (retries, circuit, deadlines, vLLM's API) sits on a ``Wire`` that only POSTs or GETs
bytes and answers ``(status, body)``. Its one error, ``WireError``, says which of three failure
kinds happened, so nothing above this module sees a transport exception:

- *connect*: no connection was made, so the request was never sent (the only kind worth a retry);
- *broken*: the connection failed mid-exchange (vLLM may have started the work);
- *timeout*: the transport's own timeout fired.

``AiohttpWire`` (the default) is a plain ``aiohttp.ClientSession``: on this hot path httpx's
request/response layer costs about 0.2 ms a call on top of the aiohttp transport, a fifth of the
layer's 1 ms overhead budget (measured with ``make bench``; httpcore's own pool costs ~0.7 ms,
docs/design.md section 2). ``HttpxWire`` keeps httpx for ``LAM_UPSTREAM_TRANSPORT=httpx`` and for tests,
which drive the client through in-process httpx transports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import aiohttp
import httpx
from yarl import URL

FailureKind = Literal["connect", "broken", "timeout"]
JSON_HEADERS = {"content-type": "application/json"}


@dataclass(frozen=True, slots=True)
class WireResponse:
    status: int
    content: bytes


class WireError(Exception):
    """A transport failure of one kind; ``cause`` names the transport's exception for messages."""

    def __init__(self, kind: FailureKind, cause: BaseException) -> None:
        super().__init__(f"{kind}: {type(cause).__name__}")
        self.kind: FailureKind = kind
        self.cause_name = type(cause).__name__


class Wire(Protocol):
    async def post(self, path: str, content: bytes) -> WireResponse: ...

    async def get(self, path: str) -> WireResponse: ...

    async def aclose(self) -> None: ...


class _VerbsWire:
    """``post`` and ``get`` over each kind's ``_send``; its exceptions, declared per kind, become
    ``WireError`` here, in one place (first match wins: connect, then timeout, then broken)."""

    CONNECT: tuple[type[BaseException], ...] = ()
    TIMEOUT: tuple[type[BaseException], ...] = ()
    BROKEN: tuple[type[BaseException], ...] = (OSError,)

    async def _send(self, method: str, path: str, content: bytes | None) -> WireResponse:
        raise NotImplementedError

    async def _request(self, method: str, path: str, content: bytes | None) -> WireResponse:
        try:
            return await self._send(method, path, content)
        except self.CONNECT as exc:
            raise WireError("connect", exc) from exc
        except self.TIMEOUT as exc:
            raise WireError("timeout", exc) from exc
        except self.BROKEN as exc:
            raise WireError("broken", exc) from exc

    async def post(self, path: str, content: bytes) -> WireResponse:
        return await self._request("POST", path, content)

    async def get(self, path: str) -> WireResponse:
        return await self._request("GET", path, None)


class AiohttpWire(_VerbsWire):
    """A pooled ``aiohttp.ClientSession``; URLs are joined once per path, not per call."""

    CONNECT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
    TIMEOUT = (aiohttp.ServerTimeoutError,)
    BROKEN = (aiohttp.ClientError, OSError)

    def __init__(self, base_url: str, *, connect_timeout_s: float, max_connections: int) -> None:
        self._base = URL(base_url.rstrip("/") + "/")
        self._urls: dict[str, URL] = {}
        self._connect_timeout_s = connect_timeout_s
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None

    def _url(self, path: str) -> URL:
        url = self._urls.get(path)
        if url is None:
            url = self._urls[path] = self._base.join(URL(path))
        return url

    def _client(self) -> aiohttp.ClientSession:
        """Created on first use, inside the running loop (aiohttp binds a session to its loop)."""
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._max_connections, limit_per_host=0),
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=self._connect_timeout_s),
                skip_auto_headers=("User-Agent",),
            )
        return self._session

    async def _send(self, method: str, path: str, content: bytes | None) -> WireResponse:
        headers = JSON_HEADERS if content is not None else None
        async with self._client().request(method, self._url(path), data=content, headers=headers) as response:
            return WireResponse(response.status, await response.read())

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


class HttpxWire(_VerbsWire):
    """httpx's ``AsyncClient`` (httpcore's pool, or an injected transport)."""

    CONNECT = (httpx.ConnectError, httpx.ConnectTimeout)
    TIMEOUT = (httpx.TimeoutException,)
    BROKEN = (httpx.TransportError, OSError)

    def __init__(
        self,
        base_url: str,
        *,
        request_timeout_s: float,
        connect_timeout_s: float,
        max_connections: int,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            timeout=httpx.Timeout(request_timeout_s, connect=connect_timeout_s),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            transport=transport,
        )

    async def _send(self, method: str, path: str, content: bytes | None) -> WireResponse:
        headers = JSON_HEADERS if content is not None else None
        response = await self._http.request(method, path, content=content, headers=headers)
        return WireResponse(response.status_code, response.content)

    async def aclose(self) -> None:
        await self._http.aclose()
