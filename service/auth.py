"""API keys: ``Authorization: Bearer <key>`` or ``X-API-Key``, compared in constant time.

Keys are kept only as SHA-256 digests, compared with ``hmac.compare_digest`` against every
configured key (no early exit), and never logged.
"""

from __future__ import annotations

import hashlib
import hmac

from starlette.requests import Request

from service.errors import Unauthorized


class ApiKeyChecker:
    def __init__(self, keys: tuple[str, ...]) -> None:
        self._digests = [hashlib.sha256(k.encode()).digest() for k in keys]

    @property
    def enabled(self) -> bool:
        return bool(self._digests)

    def _presented(self, request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip()
        return request.headers.get("x-api-key")

    def check(self, request: Request) -> None:
        if not self._digests:
            return
        presented = self._presented(request)
        if not presented:
            raise Unauthorized("missing API key: send Authorization: Bearer <key> or X-API-Key")
        digest = hashlib.sha256(presented.encode()).digest()
        matched = False
        for known in self._digests:
            matched |= hmac.compare_digest(digest, known)
        if not matched:
            raise Unauthorized("invalid API key")
