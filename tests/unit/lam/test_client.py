"""The typed client: parsing, the error envelope, retries with Retry-After, on httpx.MockTransport."""

from __future__ import annotations

import json

import httpx
import pytest
from pydantic import ValidationError

from lam.client import AsyncLamClient, LamApiError, LamClient, LamTransportError, RetryPolicy

OBS = {"window_title": "a - Word", "controls": [{"label": "1", "control_type": "Button", "name": "Bold"}]}
OK = {
    "action": {
        "function": "click_input",
        "args": {"button": "left", "double": False},
        "control_label": "1",
        "control_text": "Bold",
    },
    "status": "CONTINUE",
    "plan": [],
    "thought": None,
    "model": "m",
    "usage": {"prompt_tokens": 3, "completion_tokens": 2},
    "timing_ms": {"total": 2.0, "model": 1.0},
    "request_id": "r1",
    "prompt_format": "p",
}
BUSY = {"error": {"type": "overloaded", "message": "busy", "field": None, "request_id": "r0"}}


def scripted(*responses: httpx.Response) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0)

    return httpx.MockTransport(handler), seen


def test_retries_429_honouring_retry_after_then_parses() -> None:
    transport, seen = scripted(
        httpx.Response(429, json=BUSY, headers={"Retry-After": "3"}),
        httpx.Response(503, json=BUSY, headers={"Retry-After": "1"}),
        httpx.Response(200, json=OK),
    )
    sleeps: list[float] = []
    with LamClient("http://lam", api_key="k", transport=transport, sleep=sleeps.append) as client:
        response = client.predict_action("bold it", OBS)
    assert response.action is not None and response.action.control_text == "Bold"
    assert sleeps == [3.0, 1.0]
    assert len(seen) == 3
    assert seen[0].headers["Authorization"] == "Bearer k"
    assert seen[0].url.path == "/predict_action"


def test_backoff_is_exponential_without_retry_after_and_gives_up() -> None:
    transport, seen = scripted(*[httpx.Response(503, json=BUSY) for _ in range(3)])
    sleeps: list[float] = []
    policy = RetryPolicy(max_retries=2, backoff_base_s=1.0)
    with (
        LamClient("http://lam", transport=transport, sleep=sleeps.append, retry=policy) as client,
        pytest.raises(LamApiError) as info,
    ):
        client.predict_action("x", OBS)
    assert len(seen) == 3 and len(sleeps) == 2
    assert 0.8 <= sleeps[0] <= 1.2 and 1.6 <= sleeps[1] <= 2.4
    assert info.value.status_code == 503 and info.value.error_type == "overloaded"


def test_a_wait_budget_keeps_retrying_busy_answers_and_stops_before_overrunning_it() -> None:
    transport, seen = scripted(*[httpx.Response(429, json=BUSY, headers={"Retry-After": "2"}) for _ in range(5)])
    sleeps: list[float] = []
    policy = RetryPolicy(max_retries=10_000, max_wait_s=7.0)
    with (
        LamClient("http://lam", transport=transport, sleep=sleeps.append, retry=policy) as client,
        pytest.raises(LamApiError) as info,
    ):
        client.predict_action("x", OBS)
    assert sleeps == [2.0, 2.0, 2.0] and len(seen) == 4  # a 4th wait would make 8 s > 7 s
    assert info.value.status_code == 429


async def test_transport_failures_have_their_own_retry_cap() -> None:
    calls = 0

    def refuse(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ConnectError("refused", request=request)

    async def no_sleep(_: float) -> None:
        return None

    policy = RetryPolicy(max_retries=10_000, max_wait_s=300, max_transport_retries=2)
    async with AsyncLamClient("http://lam", transport=httpx.MockTransport(refuse), sleep=no_sleep, retry=policy) as c:
        with pytest.raises(LamTransportError):
            await c.predict_action("x", OBS)
    assert calls == 3


def test_other_errors_raise_at_once_with_the_envelope() -> None:
    envelope = {"error": {"type": "invalid_request", "message": "bad label", "field": "observation", "request_id": "q"}}
    transport, seen = scripted(httpx.Response(422, json=envelope))
    with (
        LamClient("http://lam", transport=transport, sleep=lambda s: None) as client,
        pytest.raises(LamApiError) as info,
    ):
        client.predict_action("x", OBS)
    assert len(seen) == 1
    err = info.value
    assert err.status_code == 422 and err.error is not None and err.error.field == "observation"
    assert err.request_id == "q"


def test_non_envelope_error_body_and_contract_violations() -> None:
    transport, _ = scripted(httpx.Response(500, text="boom"), httpx.Response(200, json={"status": "CONTINUE"}))
    with LamClient("http://lam", transport=transport) as client:
        with pytest.raises(LamApiError) as info:
            client.predict_action("x", OBS)
        assert info.value.error is None and info.value.error_type == "http_500"
        with pytest.raises(LamApiError) as info:
            client.predict_action("x", OBS)
        assert info.value.error_type == "invalid_response"


def test_bad_request_is_refused_before_sending() -> None:
    transport, seen = scripted()
    with LamClient("http://lam", transport=transport) as client, pytest.raises(ValueError):
        client.predict_action("", OBS)  # request must not be empty (the contract's own model)
    assert seen == []


async def test_async_client_retries_and_then_reports_transport_errors() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            return httpx.Response(429, json=BUSY, headers={"Retry-After": "2"})
        return httpx.Response(200, json=OK)

    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async with AsyncLamClient("http://lam", transport=httpx.MockTransport(handler), sleep=fake_sleep) as client:
        response = await client.predict_action("x", OBS)
    assert response.status == "CONTINUE" and sleeps == [2.0]

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    policy = RetryPolicy(max_retries=1)
    async with AsyncLamClient("http://lam", transport=httpx.MockTransport(refuse), sleep=fake_sleep, retry=policy) as c:
        with pytest.raises(LamTransportError):
            await c.predict_action("x", OBS)


def test_control_values_are_sent_when_given_and_absent_otherwise() -> None:
    valued = {"window_title": "a - Word", "controls": [
        {"label": "1", "control_type": "ComboBox", "name": "Font", "value": "Calibri"},
        {"label": "2", "control_type": "Document", "name": "Page 1", "value": "Title\nFirst paragraph."},
    ]}  # fmt: skip
    usage = {**OK["usage"], "value_chars_cut": 0, "document_paragraphs_cut": 0}
    transport, seen = scripted(httpx.Response(200, json=OK), httpx.Response(200, json={**OK, "usage": usage}))
    with LamClient("http://lam", transport=transport) as client:
        client.predict_action("bold it", OBS)
        response = client.predict_action("bold it", valued)
        with pytest.raises(ValidationError):  # the contract's ceiling, checked before sending
            client.predict_action("x", {"controls": [{"label": "1", "value": "v" * 20_001}]})
    assert len(seen) == 2
    assert b"value" not in seen[0].content  # a body without values is the body it always was
    sent = json.loads(seen[1].content)["observation"]["controls"]
    assert [c["value"] for c in sent] == ["Calibri", "Title\nFirst paragraph."]
    assert response.usage.value_chars_cut == 0 and response.usage.document_paragraphs_cut == 0
