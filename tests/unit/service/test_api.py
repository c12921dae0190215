"""The HTTP contract in-process (ASGI), with vLLM replaced by a scripted MockTransport double."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bench.factories import predict_body
from service.app import create_app
from service.protocol import PredictResponse
from service.settings import Settings
from service.vllm_client import VllmClient
from tests.unit.service.upstream_double import UpstreamDouble, action, completion

ERROR_KEYS = {"type", "message", "field", "request_id"}


def make_client(double: UpstreamDouble, settings: Settings) -> VllmClient:
    return VllmClient(
        settings.vllm_base_url,
        settings.model,
        request_timeout_s=settings.request_timeout_s,
        connect_timeout_s=1,
        max_connections=4,
        http_transport=double.transport(),
    )


@pytest.fixture
def double() -> UpstreamDouble:
    return UpstreamDouble()


@pytest.fixture
def settings(tmp_path: Any) -> Settings:
    return Settings(tokenizer_path=tmp_path / "missing.json", request_timeout_s=2)


@pytest.fixture
async def api(double: UpstreamDouble, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, client=make_client(double, settings))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://layer") as client,
    ):
        yield client


def assert_error(response: httpx.Response, status: int, error_type: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
    assert body["error"]["type"] == error_type
    assert body["error"]["request_id"] == response.headers["x-request-id"]
    if field is not None:
        assert body["error"]["field"] == field
    return body["error"]


async def test_predict_returns_grounded_action(api: httpx.AsyncClient, double: UpstreamDouble) -> None:
    double.respond = lambda body: action("click_input", "5", {"double": True})
    response = await api.post("/predict_action", json=predict_body(6))
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["action"] == {
        "function": "click_input",
        "args": {"button": "left", "double": True},
        "control_label": "5",
        "control_text": "Bold",
    }
    assert data["status"] == "CONTINUE" and data["model"] == "lam-smollm2-135m"
    assert data["usage"]["prompt_tokens"] == 100 and data["request_id"] == response.headers["x-request-id"]
    sent = double.bodies[0]
    assert sent["temperature"] == 0 and "response_format" not in sent
    regex = re.compile(sent["structured_outputs"]["regex"])  # compact-v2 (the default): controls by name
    assert regex.fullmatch('"Bold" click_input left true') and regex.fullmatch('"Italic" texts FINISH')
    assert not regex.fullmatch("5 click_input"), "Bold has a name: the grammar asks for it"
    assert not regex.fullmatch('"Heading 1" click_input'), "not on screen"
    assert sent["max_tokens"] < 200


async def test_json_output_format_is_a_setting(double: UpstreamDouble, tmp_path: Any) -> None:
    settings = Settings(tokenizer_path=tmp_path / "missing.json", output_format="json")
    double.respond = lambda body: action("click_input", "5", {"double": True}, output_format="json")
    app = create_app(settings, client=make_client(double, settings))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://layer") as client,
    ):
        response = await client.post("/predict_action", json=predict_body(6))
    assert response.status_code == 200, response.text
    assert response.json()["action"]["args"] == {"button": "left", "double": True}
    sent = double.bodies[0]
    assert sent["response_format"]["type"] == "json_schema" and "structured_outputs" not in sent
    assert sent["response_format"]["json_schema"]["schema"]["$defs"]["label"]["enum"] == [str(i) for i in range(1, 7)]


async def test_response_body_is_the_contract(api: httpx.AsyncClient, double: UpstreamDouble) -> None:
    """The hot path serialises without FastAPI's response_model: the body must still be exactly the model."""
    double.respond = lambda body: action("insert_table", "", {"rows": 2, "columns": 3}, status="FINISH")
    response = await api.post("/predict_action", json=predict_body(3))
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    data = response.json()
    assert PredictResponse.model_validate(data).model_dump(mode="json") == data
    assert data["action"] == {
        "function": "insert_table",
        "args": {"rows": 2, "columns": 3},
        "control_label": "",
        "control_text": "",
    }
    assert data["status"] == "FINISH" and data["prompt_format"] == "lam-prompt-v3"
    assert set(data["timing_ms"]) == {"total", "model"}


async def test_request_id_is_echoed(api: httpx.AsyncClient) -> None:
    response = await api.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    generated = await api.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert generated.headers["x-request-id"] != "bad id with spaces" and len(generated.headers["x-request-id"]) == 32


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda b: b.pop("request"), "request"),
        (lambda b: b.update(request=""), "request"),
        (lambda b: b.update(request="x" * 5000), "request"),
        (
            lambda b: b["observation"].pop("controls") and b["observation"].update(controls=[{"name": "x"}]),
            "observation.controls.0.label",
        ),
        (lambda b: b["observation"]["controls"].append({"label": "1", "name": "dup"}), "observation.controls"),
        (lambda b: b["observation"].update(controls=[{"label": str(i)} for i in range(600)]), "observation.controls"),
        (lambda b: b["memory"]["steps"].append({"status": "DONE"}), "memory.steps.0.status"),
        (lambda b: b.update(surprise=1), "surprise"),
    ],
)
async def test_bad_fields_give_422_naming_the_field(api: httpx.AsyncClient, mutate: Any, field: str) -> None:
    body = predict_body(3)
    mutate(body)
    error = assert_error(await api.post("/predict_action", json=body), 422, "invalid_request", field)
    assert error["message"]


async def test_limit_is_named_in_message(api: httpx.AsyncClient) -> None:
    body = predict_body(3, request="x" * 5000)
    error = assert_error(await api.post("/predict_action", json=body), 422, "invalid_request", "request")
    assert "2000" in error["message"]


async def test_unknown_app_names_known_apps(api: httpx.AsyncClient) -> None:
    error = assert_error(
        await api.post("/predict_action", json=predict_body(2, app="photoshop")), 404, "unknown_app", "app"
    )
    assert "word" in error["message"]
    assert_error(await api.get("/v1/action-spaces/photoshop"), 404, "unknown_app", "app")


async def test_not_json_and_unknown_route_share_the_shape(api: httpx.AsyncClient) -> None:
    assert_error(
        await api.post("/predict_action", content=b"{nope", headers={"content-type": "application/json"}),
        400,
        "invalid_json",
        "body",
    )
    assert_error(await api.get("/nowhere"), 404, "not_found")
    assert_error(await api.get("/predict_action"), 405, "method_not_allowed")


async def test_body_too_large(double: UpstreamDouble, tmp_path: Any) -> None:
    settings = Settings(tokenizer_path=tmp_path / "none.json", max_body_bytes=2048)
    app = create_app(settings, client=make_client(double, settings))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://layer") as client,
    ):
        assert_error(await client.post("/predict_action", json=predict_body(100)), 413, "payload_too_large", "body")


@pytest.mark.parametrize(
    ("respond", "status", "error_type"),
    [
        (lambda body: completion("I think you should click Bold"), 502, "model_error"),
        (
            lambda body: completion('{"function": "texts", "label": "1", "args": {}, "status": "CONTINUE"}'),
            502,
            "model_error",
        ),
        (lambda body: completion("1 click_input sideways"), 502, "model_error"),
        (lambda body: action("click_input", "999"), 502, "model_error"),
        (lambda body: completion('{"function": "texts", "label": "1"', finish_reason="length"), 502, "model_error"),
        (lambda body: httpx.Response(200, content=b"<html>"), 502, "model_error"),
        (lambda body: httpx.Response(500, text="boom"), 503, "unavailable"),
    ],
)
async def test_unusable_upstream_answers_are_typed(
    api: httpx.AsyncClient, double: UpstreamDouble, respond: Any, status: int, error_type: str
) -> None:
    double.respond = respond
    assert_error(await api.post("/predict_action", json=predict_body(3)), status, error_type)


async def test_unreachable_and_timeout(double: UpstreamDouble, api: httpx.AsyncClient) -> None:
    def refuse(body: dict) -> httpx.Response:
        raise httpx.ConnectError("refused")

    def hang(body: dict) -> httpx.Response:
        raise httpx.ReadTimeout("slow")

    double.respond = refuse
    assert_error(await api.post("/predict_action", json=predict_body(3)), 503, "unavailable")
    double.respond = hang
    assert_error(await api.post("/predict_action", json=predict_body(3)), 504, "timeout")


async def test_no_controls_schema_offers_only_app_level(api: httpx.AsyncClient, double: UpstreamDouble) -> None:
    double.respond = lambda body: action("insert_table", "", {"rows": 2, "columns": 2})
    response = await api.post("/predict_action", json=predict_body(0))
    assert response.status_code == 200
    regex = re.compile(double.bodies[0]["structured_outputs"]["regex"])
    assert regex.fullmatch("insert_table 2 2") and regex.fullmatch("FINISH")
    assert not regex.fullmatch("1 click_input") and not regex.fullmatch("click_input")


async def test_action_spaces_listed(api: httpx.AsyncClient) -> None:
    assert (await api.get("/v1/action-spaces")).json() == {"apps": ["excel", "word"]}
    word = (await api.get("/v1/action-spaces/word")).json()
    assert [f["name"] for f in word["functions"]] == [
        "click_input",
        "set_edit_text",
        "keyboard_input",
        "wheel_mouse_input",
        "texts",
        "select_text",
        "select_table",
        "insert_table",
        "summary",
    ]
    assert {f["name"] for f in word["functions"] if not f["targets_control"]} == {
        "select_text",
        "select_table",
        "insert_table",
        "summary",
    }


async def test_readyz_follows_upstream(api: httpx.AsyncClient, double: UpstreamDouble) -> None:
    assert (await api.get("/readyz")).status_code == 200
    double.served = "another-model"
    api_app = api._transport.app  # type: ignore[attr-defined]
    api_app.state.context.readiness.checked_at = -1e9  # expire the cached probe
    assert_error(await api.get("/readyz"), 503, "unavailable")


async def test_readyz_not_ready_is_answered_without_a_warning_per_probe(
    api: httpx.AsyncClient, double: UpstreamDouble, caplog: pytest.LogCaptureFixture
) -> None:
    """While vLLM warms up a launcher or kubelet polls /readyz every second: 503s, but no WARNING each."""
    double.served = "another-model"
    api_app = api._transport.app  # type: ignore[attr-defined]
    with caplog.at_level(logging.INFO):
        for _ in range(3):
            api_app.state.context.readiness.checked_at = -1e9
            response = await api.get("/readyz")
            assert_error(response, 503, "unavailable")
            assert "another-model" in response.json()["error"]["message"]
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_keys_required_when_configured(double: UpstreamDouble, tmp_path: Any) -> None:
    settings = Settings(tokenizer_path=tmp_path / "none.json", api_keys="k1,k2")  # type: ignore[arg-type]
    app = create_app(settings, client=make_client(double, settings))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://layer") as client,
    ):
        assert_error(await client.post("/predict_action", json=predict_body(2)), 401, "unauthorized")
        assert_error(await client.get("/v1/action-spaces", headers={"X-API-Key": "nope"}), 401, "unauthorized")
        assert (await client.get("/v1/action-spaces", headers={"Authorization": "Bearer k2"})).status_code == 200
        assert (await client.get("/v1/action-spaces", headers={"X-API-Key": "k1"})).status_code == 200
        assert (await client.get("/healthz")).status_code == 200
        assert "k1" not in repr(settings)


async def test_openapi_documents_contract(api: httpx.AsyncClient) -> None:
    spec = (await api.get("/openapi.json")).json()
    assert {"/predict_action", "/healthz", "/readyz", "/v1/action-spaces", "/v1/action-spaces/{app}"} <= set(
        spec["paths"]
    )
    responses = spec["paths"]["/predict_action"]["post"]["responses"]
    assert {"200", "422", "429", "502", "503", "504"} <= set(responses)
    assert (await api.get("/docs")).status_code == 200
