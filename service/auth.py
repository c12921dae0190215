"""API keys: ``Authorization: Bearer <key>`` or ``X-API-Key``, compared in constant time.

Keys are kept only as SHA-256 digests, compared with ``hmac.compare_digest`` against every
configured key (no early exit, no length leak), and never logged or put in a metric label.

``ApiKeyMiddleware`` checks before anything else runs, so an unauthenticated caller cannot make the
layer read, parse or queue a body: protected are ``/predict_action``, ``/v1/*`` and, with
``LAM_METRICS_REQUIRE_KEY``, ``/metrics``. ``/healthz``, ``/readyz`` and the docs stay open (probes
and load balancers carry no keys). A new keyed route must live under one of those paths (or be added
to ``_protected``); ``tests/reliability/test_auth.py`` checks every route of the ``keyed`` router.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from service.error_handlers import error_response
from service.errors import Unauthorized
from service.outcomes import Outcomes


class ApiKeyChecker:
    def __init__(self, keys: tuple[str, ...]) -> None:
        self._digests = [hashlib.sha256(k.encode()).digest() for k in keys]

    @property
    def enabled(self) -> bool:
        return bool(self._digests)

    @staticmethod
    def _presented(headers: Mapping[str, str]) -> str | None:
        header = headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip()
        return headers.get("x-api-key")

    def check_headers(self, headers: Mapping[str, str]) -> None:
        if not self._digests:
            return
        presented = self._presented(headers)
        if not presented:
            raise Unauthorized("missing API key: send Authorization: Bearer <key> or X-API-Key")
        digest = hashlib.sha256(presented.encode()).digest()
        matched = False
        for known in self._digests:
            matched |= hmac.compare_digest(digest, known)
        if not matched:
            raise Unauthorized("invalid API key")


class ApiKeyMiddleware:
    """Answers 401 in the one error shape before the app sees a request that needs a key."""

    def __init__(
        self, app: ASGIApp, keys: tuple[str, ...], outcomes: Outcomes, metrics_require_key: bool = False
    ) -> None:
        self.app = app
        self.checker = ApiKeyChecker(keys)
        self.outcomes = outcomes  # a refused /predict_action is counted, as every other request is
        self.metrics_require_key = metrics_require_key

    def _protected(self, path: str) -> bool:
        return path == "/predict_action" or path.startswith("/v1/") or (self.metrics_require_key and path == "/metrics")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.checker.enabled or not self._protected(scope["path"]):
            await self.app(scope, receive, send)
            return
        try:
            self.checker.check_headers(Headers(scope=scope))
        except Unauthorized as exc:
            request = Request(scope)
            self.outcomes.record_unserved(request, exc, exc.outcome, reject_reason=exc.reject_reason)
            response = error_response(request, exc.status_code, exc.error_type, exc.message, None, exc.headers())
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
