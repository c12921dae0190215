"""How the vLLM engine is started and waited for (one source for ``make run``, the benchmarks, the
reliability report and the tests), and the process helpers ``stack.layer`` shares."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from models.cache import CACHE_DIR
from service.settings import DEFAULT_MODEL

ENGINE_VENV = Path(os.environ.get("LAM_ENGINE_VENV", CACHE_DIR / "engine-venv"))
ENGINE_PYTHON = ENGINE_VENV / "bin" / "python"
STRUCTURED_OUTPUTS = {"backend": "xgrammar", "disable_any_whitespace": True}


@dataclass
class EngineConfig:
    model_dir: Path
    served_name: str = DEFAULT_MODEL
    host: str = "127.0.0.1"
    port: int = 8001
    max_model_len: int = 4096
    kv_cache_gib: int = 2
    block_size: int = 32  # vLLM-CPU prefers multiples of 32
    extra_args: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def command(self) -> list[str]:
        return [
            str(ENGINE_PYTHON),
            "-m",
            "vllm.entrypoints.openai.api_server",
            "--model",
            str(self.model_dir),
            "--served-model-name",
            self.served_name,
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--max-model-len",
            str(self.max_model_len),
            "--dtype",
            "bfloat16",
            "--structured-outputs-config",
            json.dumps(STRUCTURED_OUTPUTS),
            "--enable-prefix-caching",
            # The prefix cache reuses whole blocks only; vLLM-CPU defaults to 128-token blocks, so up to
            # 127 tokens after the shared prefix (system + screen) were recomputed every step. With 32:
            # 0.40 -> 0.24 s a step at concurrency 1, 5.4 -> 18.9 steps/s at 16 (8-token actions, bench/).
            "--block-size",
            str(self.block_size),
            *self.extra_args,
        ]

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.setdefault("VLLM_CPU_KVCACHE_SPACE", str(self.kv_cache_gib))
        env.setdefault("VLLM_LOGGING_LEVEL", "WARNING")
        return env


def spawn(command: list[str], env: Mapping[str, str] | None, log_path: Path | None) -> subprocess.Popen[bytes]:
    """``command`` in a session of its own (``stop`` ends its whole group), with ``env`` (``None``: this
    process's environment), stdout and stderr appended to ``log_path`` (``None``: this process's own)."""
    if log_path is None:
        return subprocess.Popen(command, env=env, start_new_session=True)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "ab")  # noqa: SIM115 - owned by the child for its lifetime
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def start_engine(config: EngineConfig, log_path: Path) -> subprocess.Popen[bytes]:
    return spawn(config.command(), config.env(), log_path)


def answers_200(url: str, timeout_s: float = 2.0) -> bool:
    """One quiet probe: ``url`` answers 200 now."""
    try:
        return httpx.get(url, timeout=timeout_s).status_code == 200
    except httpx.HTTPError:
        return False


def wait_ready(url: str, timeout_s: float, proc: subprocess.Popen[bytes] | None = None) -> float:
    """Poll ``url`` until 200; returns seconds waited. Fails early if the process died."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} was ready")
        if answers_200(url):
            return time.monotonic() - started
        time.sleep(0.5)
    raise TimeoutError(f"{url} not ready after {timeout_s:.0f} s")


def stop(proc: subprocess.Popen[bytes], grace_s: float = 15) -> None:
    """SIGTERM the process group, then SIGKILL after ``grace_s``."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, 15)
        proc.wait(grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait()
    except ProcessLookupError:
        pass


def free_port() -> int:
    """A TCP port free on the loopback now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_engine(
    config: EngineConfig, log_path: Path, ready_timeout_s: float = 900, reuse_url: str | None = None
) -> Iterator[str]:
    """The engine ``config`` describes, started, ready and stopped on exit; yields its base URL.

    ``reuse_url`` (a developer's engine, e.g. on :8001) is waited for and yielded instead, never stopped.
    """
    if reuse_url:
        wait_ready(f"{reuse_url}/health", 30)
        yield reuse_url
        return
    proc = start_engine(config, log_path)
    try:
        wait_ready(f"{config.base_url}/health", ready_timeout_s, proc)
        yield config.base_url
    finally:
        stop(proc)
