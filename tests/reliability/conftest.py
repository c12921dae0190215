"""Fixtures of the reliability tests: the fault-injecting upstream (``stack.fault_upstream``) as a
subprocess, and the layer in-process (ASGI) in front of it over real TCP, so the real transport's
failures (refused, reset, dropped, slow) go through the real ``VllmClient``."""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY

from service.app import create_app
from service.settings import Settings
from service.vllm_client import VllmClient
from stack.engine import stop
from tests.conftest import free_port

LOGS = Path(".run/test-logs")
ERROR_KEYS = {"type", "message", "field", "request_id"}


def _die_with_parent() -> None:
    """In the child: SIGKILL when pytest dies, even killed, so no stub outlives a run (Linux)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class FaultUpstream:
    """Handle on one ``python -m stack.fault_upstream`` process; restartable on the same port."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, mode: str = "normal", delay_s: float = 2.0) -> FaultUpstream:
        LOGS.mkdir(parents=True, exist_ok=True)
        log = open(LOGS / f"fault-upstream-{self.port}.log", "ab")  # noqa: SIM115 - owned by the child
        command = [sys.executable, "-m", "stack.fault_upstream", "--port", str(self.port), "--mode", mode]
        self.proc = subprocess.Popen(
            [*command, "--delay-s", str(delay_s)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "fault upstream exited at start"
            try:
                if httpx.get(f"{self.url}/admin/stats", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        raise TimeoutError("fault upstream did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc, grace_s=3)

    async def set(self, mode: str, delay_s: float = 2.0, all_endpoints: bool = False) -> None:
        async with httpx.AsyncClient() as client:
            response = await client.post(
                f"{self.url}/admin/mode", json={"mode": mode, "delay_s": delay_s, "all_endpoints": all_endpoints}
            )
            response.raise_for_status()

    async def stats(self) -> dict[str, Any]:
        async with httpx.AsyncClient() as client:
            data: dict[str, Any] = (await client.get(f"{self.url}/admin/stats")).json()
            return data

    async def reset(self) -> None:
        async with httpx.AsyncClient() as client:
            (await client.post(f"{self.url}/admin/reset")).raise_for_status()


@pytest.fixture(scope="session")
def upstream_process() -> Iterator[FaultUpstream]:
    upstream = FaultUpstream().start()
    try:
        yield upstream
    finally:
        upstream.stop()


@pytest.fixture
async def upstream(upstream_process: FaultUpstream) -> AsyncIterator[FaultUpstream]:
    """The shared fault upstream, back in mode ``normal`` with zeroed stats for each test."""
    await upstream_process.reset()
    yield upstream_process
    await upstream_process.reset()


def layer_settings(base_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "vllm_base_url": f"{base_url}/v1",
        "tokenizer_path": tmp_path / "no-tokenizer.json",
        "request_timeout_s": 1.0,
        "connect_timeout_s": 0.5,
        "readiness_timeout_s": 0.5,
        "circuit_cooldown_s": 0.3,
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def running_layer(
    settings: Settings, transport: httpx.AsyncBaseTransport | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """The layer in-process, its lifespan running; ``transport`` replaces the TCP upstream."""
    upstream = VllmClient.from_settings(settings, http_transport=transport)
    app = create_app(settings, client=upstream)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://layer", timeout=30) as client,
        ):
            yield client
    finally:
        await upstream.aclose()


def metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def assert_error(response: httpx.Response, status: int, error_type: str, field: str | None = None) -> dict[str, Any]:
    """The one error shape, with the status and type expected."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS, body
    assert body["error"]["type"] == error_type, body
    assert body["error"]["request_id"] == response.headers["x-request-id"]
    if field is not None:
        assert body["error"]["field"] == field, body
    error: dict[str, Any] = body["error"]
    return error
