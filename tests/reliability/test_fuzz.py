"""Schema-driven fuzzing of our OpenAPI (schemathesis, in-process over ASGI): valid and invalid
requests, against an upstream double that also fails on purpose. Whatever comes in, the answer is
documented, and no 5xx other than the upstream's 502/503/504, every error in the one shape.

``LAM_FUZZ_SUMMARY=path.json`` writes the case count and outcomes (read by the reliability report).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from service.app import create_app
from service.settings import DEFAULT_MODEL, Settings
from service.vllm_client import VllmClient
from stack.fault_upstream import valid_content
from tests.unit.service.upstream_double import completion

ALLOWED_5XX = {502, 503, 504}
ERROR_KEYS = {"type", "message", "field", "request_id"}
CASES_PER_OPERATION = {"POST /predict_action": 150}
OTHER_OPERATIONS_CASES = 15
OUTCOMES: Counter[str] = Counter()


class FlakyUpstream(httpx.AsyncBaseTransport):
    """Answers validly most of the time; every few calls garbage, a 500, a refused connect or a timeout."""

    FAULTS = ("ok", "ok", "garbage", "ok", "error500", "ok", "refused", "ok", "timeout", "prose")

    def __init__(self) -> None:
        self.calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/models"):
            return httpx.Response(200, json={"data": [{"id": DEFAULT_MODEL}]})
        fault = self.FAULTS[self.calls % len(self.FAULTS)]
        self.calls += 1
        if fault == "refused":
            raise httpx.ConnectError("refused")
        if fault == "timeout":
            raise httpx.ReadTimeout("slow")
        if fault == "error500":
            return httpx.Response(500, text="boom")
        if fault == "garbage":
            return httpx.Response(200, content=b"<html>")
        if fault == "prose":
            return completion("Click the bold button, I think.")
        body: dict[str, Any] = json.loads(request.content)
        return completion(valid_content(body))


def _app() -> Any:
    cfg = Settings(
        vllm_base_url="http://upstream/v1",
        tokenizer_path=Path("/nonexistent/tokenizer.json"),
        request_timeout_s=2,
        upstream_retries=0,
        circuit_failure_threshold=1000,
        max_body_bytes=256 * 1024,
    )
    return create_app(cfg, client=VllmClient.from_settings(cfg, http_transport=FlakyUpstream()))


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE], allow_x00=True
)


@pytest.fixture(scope="module", autouse=True)
def fuzz_summary() -> Iterator[None]:
    OUTCOMES.clear()
    yield
    path = os.environ.get("LAM_FUZZ_SUMMARY")
    if path:
        Path(path).write_text(json.dumps({"cases": sum(OUTCOMES.values()), "outcomes": dict(OUTCOMES)}, indent=1))


@schema.include(path="/predict_action").parametrize()
@settings(
    max_examples=CASES_PER_OPERATION["POST /predict_action"],
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_predict_action_answers_are_documented_and_typed(case: schemathesis.Case) -> None:
    _check(case)


@schema.exclude(path="/predict_action").parametrize()
@settings(max_examples=OTHER_OPERATIONS_CASES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_other_operations_answers_are_documented_and_typed(case: schemathesis.Case) -> None:
    _check(case)


def _check(case: schemathesis.Case) -> None:
    response = case.call()
    checks = [status_code_conformance, content_type_conformance, response_schema_conformance]
    if response.status_code != 413:  # a body refused for its size is rejected too, before any validation
        checks.append(negative_data_rejection)
    case.validate_response(response, checks=checks)
    status = response.status_code
    OUTCOMES[f"{case.operation.label} {status}"] += 1
    assert status < 500 or status in ALLOWED_5XX, response.text
    if status >= 400:
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS, body
        assert isinstance(body["error"]["type"], str) and body["error"]["message"]
