"""How the layer (``python -m service``) is started as a subprocess and waited for: one source for
``make run``, the benchmarks (``bench``), the reliability report and the tests' fixtures.

The layer is configured by its environment only: the caller's (or ``base_env``), then the four
variables that tie it to an engine and a model (``LAM_PORT``, ``LAM_VLLM_BASE_URL``, ``LAM_MODEL``,
``LAM_TOKENIZER_PATH``), then the caller's overrides.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from models.cache import MODEL_CACHE
from service.settings import DEFAULT_MODEL
from stack.engine import free_port, spawn, stop, wait_ready

READY_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Layer:
    """A started ``python -m service``: its process and base URL (``http://127.0.0.1:PORT``)."""

    proc: subprocess.Popen[bytes]
    url: str


def layer_env(
    vllm_base: str,
    port: int,
    *,
    model: str = DEFAULT_MODEL,
    tokenizer: Path | None = None,
    base_env: Mapping[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The layer's environment: ``base_env`` (default: this process's), the layer on ``port`` in front of
    ``vllm_base`` (the engine's ``.../v1``) serving ``model`` with ``tokenizer`` (default: the prepared
    model's, ``MODEL_CACHE/<model>/tokenizer.json``), then ``overrides`` (``LAM_*`` variables)."""
    return {
        **(os.environ if base_env is None else base_env),
        "LAM_PORT": str(port),
        "LAM_VLLM_BASE_URL": vllm_base,
        "LAM_MODEL": model,
        "LAM_TOKENIZER_PATH": str(tokenizer or MODEL_CACHE / model / "tokenizer.json"),
        **(overrides or {}),
    }


def start_layer(env: Mapping[str, str], log_path: Path | None) -> subprocess.Popen[bytes]:
    """``python -m service`` with ``env`` (see ``layer_env``), its output appended to ``log_path``
    (``None``: this process's stdout); not waited for. ``stack.engine.stop`` ends it."""
    return spawn([sys.executable, "-m", "service"], env, log_path)


@contextmanager
def running_layer(
    vllm_base: str,
    log_path: Path | None,
    *,
    port: int | None = None,
    model: str = DEFAULT_MODEL,
    tokenizer: Path | None = None,
    base_env: Mapping[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
    ready_timeout_s: float = READY_TIMEOUT_S,
) -> Iterator[Layer]:
    """The layer in front of ``vllm_base``, on ``port`` (default: a free one), started, ready (``/readyz``
    200: the engine answers too) and stopped on exit. Arguments as ``layer_env``'s."""
    port = port or free_port()
    env = layer_env(vllm_base, port, model=model, tokenizer=tokenizer, base_env=base_env, overrides=overrides)
    proc = start_layer(env, log_path)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(f"{url}/readyz", ready_timeout_s, proc)
        yield Layer(proc, url)
    finally:
        stop(proc)
