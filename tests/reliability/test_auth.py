"""API keys: required on /predict_action and /v1/* when set, checked before the body is read,
compared in constant time, answered 401 in the one shape, and never written to logs or metrics."""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bench.factories import predict_body
from service.auth import ApiKeyChecker
from tests.reliability.conftest import FaultUpstream, assert_error, layer_settings, metric, running_layer

KEYS = "sk-live-4f1d0c9e8b7a,sk-live-0a9b8c7d6e5f"
GOOD = "sk-live-0a9b8c7d6e5f"
WRONG = "sk-guess-123456789abc"


@pytest.fixture
async def keyed(upstream: FaultUpstream, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with running_layer(layer_settings(upstream.url, tmp_path, api_keys=KEYS)) as layer:
        yield layer


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": f"Bearer {WRONG}"},
        {"X-API-Key": WRONG},
        {"Authorization": GOOD},
        {"Authorization": "Bearer "},
    ],
    ids=["none", "wrong-bearer", "wrong-x-api-key", "no-scheme", "empty-bearer"],
)
async def test_missing_or_wrong_key_is_401_in_the_one_shape(keyed: httpx.AsyncClient, headers: dict[str, str]) -> None:
    before = metric("lam_rejected_requests_total", reason="unauthorized")
    for response in (
        await keyed.post("/predict_action", json=predict_body(2), headers=headers),
        await keyed.get("/v1/action-spaces", headers=headers),
        await keyed.get("/v1/action-spaces/word", headers=headers),
    ):
        assert_error(response, 401, "unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"
    assert metric("lam_rejected_requests_total", reason="unauthorized") == before + 1  # counted for predict


@pytest.mark.parametrize("headers", [{"Authorization": f"Bearer {GOOD}"}, {"authorization": f"bearer {GOOD}"},
                                     {"X-API-Key": GOOD}])  # fmt: skip
async def test_either_header_with_a_good_key_passes(keyed: httpx.AsyncClient, headers: dict[str, str]) -> None:
    assert (await keyed.post("/predict_action", json=predict_body(2), headers=headers)).status_code == 200
    assert (await keyed.get("/v1/action-spaces", headers=headers)).status_code == 200


async def test_probes_and_metrics_stay_open_by_default(keyed: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/readyz", "/metrics"):
        assert (await keyed.get(path)).status_code == 200, path


async def test_metrics_can_require_a_key(upstream: FaultUpstream, tmp_path: Path) -> None:
    settings = layer_settings(upstream.url, tmp_path, api_keys=KEYS, metrics_require_key=True)
    async with running_layer(settings) as layer:
        assert_error(await layer.get("/metrics"), 401, "unauthorized")
        assert (await layer.get("/metrics", headers={"X-API-Key": GOOD})).status_code == 200
        assert (await layer.get("/readyz")).status_code == 200


async def test_key_is_checked_before_the_body_is_read(keyed: httpx.AsyncClient) -> None:
    huge = b"{" + b" " * 5_000_000 + b"}"  # past the body limit, and not even JSON
    response = await keyed.post("/predict_action", content=huge, headers={"content-type": "application/json"})
    assert_error(response, 401, "unauthorized")


async def test_keys_never_reach_logs_metrics_or_bodies(
    keyed: httpx.AsyncClient, upstream: FaultUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    seen = []
    for headers in ({"Authorization": f"Bearer {GOOD}"}, {"X-API-Key": WRONG}, {"Authorization": f"Bearer {WRONG}"}):
        for path in ("/predict_action", "/v1/action-spaces/word", "/v1/action-spaces/nope"):
            response = await keyed.post(path, json=predict_body(2), headers=headers)
            seen.append(response.text)
    await upstream.set("error500")  # error paths log: they must not log the key either
    seen.append((await keyed.post("/predict_action", json=predict_body(2), headers={"X-API-Key": GOOD})).text)
    seen.append((await keyed.get("/metrics")).text)
    assert any(r.levelname == "WARNING" for r in caplog.records)  # something was logged
    for secret in (*KEYS.split(","), WRONG):
        assert secret not in caplog.text
        assert all(secret not in text for text in seen)


def test_comparison_touches_every_key_with_no_early_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", counting)
    checker = ApiKeyChecker(("k1", "k2", "k3"))
    checker.check_headers({"x-api-key": "k1"})  # matches the first key, still compares all three
    assert len(calls) == 3 and all(len(a) == len(b) == 32 for a, b in calls)  # digests: no length leak


async def test_every_keyed_route_is_guarded(keyed: httpx.AsyncClient) -> None:
    from fastapi.routing import APIRoute

    from service.routes import keyed as keyed_router

    routes = [r for r in keyed_router.routes if isinstance(r, APIRoute)]
    assert routes
    for route in routes:
        path = route.path.replace("{app}", "word")
        for method in route.methods:
            response = await keyed.request(method, path, json=predict_body(2))
            assert_error(response, 401, "unauthorized")
