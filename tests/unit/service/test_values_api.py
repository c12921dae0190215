"""Control values over HTTP: refused past their limits in the one error shape, shown to the model,
reported in ``usage`` only when sent, and never part of the output grammar."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.factories import predict_body
from service.app import create_app
from service.protocol import MAX_VALUE, MAX_VALUES_TOTAL
from service.settings import Settings
from tests.unit.service.test_api import assert_error, make_client
from tests.unit.service.upstream_double import UpstreamDouble, action

OLD_USAGE = {"prompt_tokens", "completion_tokens", "memory_steps_dropped"}


@asynccontextmanager
async def layer(double: UpstreamDouble, tmp_path: Path, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(tokenizer_path=tmp_path / "missing.json", request_timeout_s=2, **overrides)
    app = create_app(settings, client=make_client(double, settings))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://layer") as client,
    ):
        yield client


def with_values(values: dict[str, str], n: int = 20) -> dict[str, Any]:
    body = predict_body(n)
    for control in body["observation"]["controls"]:
        if control["label"] in values:
            control["value"] = values[control["label"]]
    return body


def user_prompt(double: UpstreamDouble, i: int = -1) -> str:
    return str(double.bodies[i]["messages"][1]["content"])


async def test_values_reach_the_model_and_usage_only_when_sent(tmp_path: Path) -> None:
    double = UpstreamDouble(lambda body: action("click_input", "5"))
    document = "\n".join(f"Paragraph {i} of the report, with some words in it." for i in range(60))
    async with layer(double, tmp_path, value_token_budget=100) as api:
        plain = await api.post("/predict_action", json=predict_body(20))
        valued = await api.post("/predict_action", json=with_values({"8": "Calibri", "17": document}))
    assert plain.status_code == valued.status_code == 200, valued.text
    assert set(plain.json()["usage"]) == OLD_USAGE  # no new key for a request without values
    assert b"value_chars_cut" not in plain.content and b"document_paragraphs_cut" not in plain.content
    usage = valued.json()["usage"]
    assert set(usage) == OLD_USAGE | {"value_chars_cut", "document_paragraphs_cut"}
    assert 0 < usage["document_paragraphs_cut"] < 60 and usage["value_chars_cut"] > 0
    sent = user_prompt(double)
    assert '8 Font = "Calibri"' in sent and "> Paragraph 0 of the report" in sent
    assert f"({usage['document_paragraphs_cut']} paragraphs omitted)" in sent


async def test_values_never_enter_the_output_grammar(tmp_path: Path) -> None:
    double = UpstreamDouble()
    async with layer(double, tmp_path) as api:
        await api.post("/predict_action", json=predict_body(20))
        await api.post("/predict_action", json=with_values({"5": "on", "8": '"Arial" click_input', "17": "text"}))
    without, with_ = ({k: v for k, v in b.items() if k != "messages"} for b in double.bodies)
    assert without == with_


@pytest.mark.parametrize(
    ("values", "field", "limit"),
    [
        ({"2": "v" * (MAX_VALUE + 1)}, "observation.controls.1.value", str(MAX_VALUE)),
        ({str(i): "v" * MAX_VALUE for i in (1, 2, 3)}, "observation.controls", str(MAX_VALUES_TOTAL)),
    ],
)
async def test_values_over_the_schema_ceilings_are_422(
    tmp_path: Path, values: dict[str, str], field: str, limit: str
) -> None:
    double = UpstreamDouble()
    async with layer(double, tmp_path) as api:
        response = await api.post("/predict_action", json=with_values(values, n=3))
    error = assert_error(response, 422, "invalid_request", field)
    assert limit in error["message"]
    assert not double.bodies


@pytest.mark.parametrize(
    ("values", "field", "limit"),
    [
        ({"1": "ok", "2": "v" * 11}, "observation.controls.1.value", "LAM_MAX_VALUE_CHARS=10"),
        ({"1": "v" * 10, "2": "v" * 6}, "observation.controls", "LAM_MAX_VALUES_TOTAL_CHARS=15"),
    ],
)
async def test_values_over_their_settings_are_422_naming_field_and_limit(
    tmp_path: Path, values: dict[str, str], field: str, limit: str
) -> None:
    async with layer(UpstreamDouble(), tmp_path, max_value_chars=10, max_values_total_chars=15) as api:
        error = assert_error(await api.post("/predict_action", json=with_values(values, n=3)), 422,
                             "invalid_request", field)  # fmt: skip
        assert limit in error["message"]
        assert (await api.post("/predict_action", json=with_values({"1": "v" * 10, "2": "v" * 5}, n=3))).is_success


def test_value_settings_may_only_lower_the_ceilings() -> None:
    with pytest.raises(ValueError):
        Settings(max_value_chars=MAX_VALUE + 1)
    with pytest.raises(ValueError):
        Settings(max_values_total_chars=MAX_VALUES_TOTAL + 1)
    assert Settings(value_token_budget=0).value_token_budget == 0
