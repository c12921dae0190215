"""Input limits: operator settings tighten the schema's ceilings; every refusal is a 4xx that names
the field and the limit; memory past the token budget is trimmed and reported, not refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from pydantic import ValidationError

from bench.factories import predict_body
from service.settings import Settings
from tests.reliability.conftest import FaultUpstream, assert_error, layer_settings, running_layer


@pytest.fixture
async def tight(upstream: FaultUpstream, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = layer_settings(
        upstream.url,
        tmp_path,
        max_controls=10,
        max_memory_steps=3,
        max_text_chars=50,
        max_name_chars=20,
        memory_token_budget=10,
        max_body_bytes=64 * 1024,
    )
    async with running_layer(settings) as layer:
        yield layer


def _with(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    *parents, last = path.split(".")
    node: Any = body
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[int(last) if last.isdigit() else last] = value
    return body


@pytest.mark.parametrize(
    ("path", "value", "field", "limit"),
    [
        ("request", "x" * 51, "request", "LAM_MAX_TEXT_CHARS=50"),
        ("observation.window_title", "t" * 21, "observation.window_title", "LAM_MAX_NAME_CHARS=20"),
        ("observation.controls.1.name", "n" * 21, "observation.controls.1.name", "LAM_MAX_NAME_CHARS=20"),
        ("memory.plan", ["ok", "p" * 21], "memory.plan.1", "LAM_MAX_NAME_CHARS=20"),
    ],
)
async def test_texts_over_their_setting_are_422_naming_field_and_limit(
    tight: httpx.AsyncClient, path: str, value: Any, field: str, limit: str
) -> None:
    body = _with(predict_body(3), path, value)
    error = assert_error(await tight.post("/predict_action", json=body), 422, "invalid_request", field)
    assert limit in error["message"]


async def test_counts_over_their_setting_are_422(tight: httpx.AsyncClient) -> None:
    error = assert_error(
        await tight.post("/predict_action", json=predict_body(11)), 422, "invalid_request", "observation.controls"
    )
    assert "LAM_MAX_CONTROLS=10" in error["message"] and "not 11" in error["message"]
    assert (await tight.post("/predict_action", json=predict_body(10))).status_code == 200
    assert_error(await tight.post("/predict_action", json=predict_body(2, steps=4)), 422, "invalid_request",
                 "memory.steps")  # fmt: skip
    long_result = predict_body(2, steps=1)
    long_result["memory"]["steps"][0]["result"] = "r" * 51
    assert_error(await tight.post("/predict_action", json=long_result), 422, "invalid_request",
                 "memory.steps.0.result")  # fmt: skip


async def test_memory_over_the_token_budget_is_trimmed_and_said(tight: httpx.AsyncClient) -> None:
    response = await tight.post("/predict_action", json=predict_body(2, steps=3))
    assert response.status_code == 200, response.text
    assert response.json()["usage"]["memory_steps_dropped"] >= 1


async def test_duplicate_labels_are_422_naming_them(tight: httpx.AsyncClient) -> None:
    body = predict_body(3)
    body["observation"]["controls"].append({"label": "2", "name": "again"})
    error = assert_error(await tight.post("/predict_action", json=body), 422, "invalid_request", "observation.controls")
    assert "duplicate" in error["message"] and "'2'" in error["message"]


async def test_body_over_the_limit_is_413_declared_or_streamed(tight: httpx.AsyncClient) -> None:
    big = predict_body(3, request="x" * 40)
    big["observation"]["window_title"] = "w" * 10
    big["padding"] = "p" * (70 * 1024)
    content = orjson.dumps(big)
    assert_error(await tight.post("/predict_action", content=content, headers={"content-type": "application/json"}),
                 413, "payload_too_large", "body")  # fmt: skip

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
        for start in range(0, len(content), 8192):
            yield content[start : start + 8192]

    response = await tight.post("/predict_action", content=chunks(), headers={"content-type": "application/json"})
    assert_error(response, 413, "payload_too_large", "body")


async def test_deeply_nested_json_is_a_4xx_not_a_crash(tight: httpx.AsyncClient) -> None:
    body = predict_body(2, steps=1)
    raw = orjson.dumps(body).replace(b'"args":{', b'"args":{"deep":' + b"[" * 20000 + b"]" * 20000 + b",", 1)
    response = await tight.post("/predict_action", content=raw, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500
    assert set(response.json()["error"]) == {"type", "message", "field", "request_id"}


def test_settings_may_only_tighten_the_schema_ceilings() -> None:
    with pytest.raises(ValidationError):
        Settings(max_controls=501)
    with pytest.raises(ValidationError):
        Settings(max_text_chars=2001)
    assert Settings(max_controls=20).max_controls == 20
