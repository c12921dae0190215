"""Plain ASGI middleware: request id, start time and body-size limit for every HTTP request.

Pure ASGI (not ``BaseHTTPMiddleware``) to stay off the hot path's cost and keep streaming intact.
"""

from __future__ import annotations

import re
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import PayloadTooLarge

REQUEST_ID_HEADER = "x-request-id"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestContextMiddleware:
    """Sets ``scope["state"]["request_id"]`` / ``["started"]`` and echoes ``X-Request-ID``."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = ""
        declared_length = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                given = value.decode("latin-1")
            elif name == b"content-length":
                declared_length = value
        request_id = given if _VALID_ID.match(given) else uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["started"] = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        limit = self.max_body_bytes
        if declared_length is not None and declared_length.isdigit() and int(declared_length) > limit:
            state["body_too_large"] = True
        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            if state.get("body_too_large"):
                raise PayloadTooLarge(f"request body over {limit} bytes", field="body")
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(f"request body over {limit} bytes", field="body")
            return message

        await self.app(scope, receive_limited, send_with_id)
