"""Settings of the layer, read once from the environment (prefix ``LAM_``).

Nothing else in ``service`` reads ``os.environ``: ``create_app(settings)`` receives this object,
so tests and embedders can build one by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_ACTION_SPACES_DIR = Path(__file__).parent / "action_spaces"
DEFAULT_MODEL_CACHE = Path.home() / ".cache" / "lam" / "models"


class Settings(BaseSettings):
    """Every knob of the layer, with the defaults documented in the README."""

    model_config = SettingsConfigDict(env_prefix="LAM_", extra="ignore", frozen=True)

    # Upstream model server (vLLM's OpenAI-compatible API).
    vllm_base_url: str = "http://127.0.0.1:8001/v1"
    model: str = "lam-smollm2-135m"
    request_timeout_s: float = Field(30.0, gt=0, description="Budget for one vLLM call.")
    connect_timeout_s: float = Field(2.0, gt=0)
    readiness_timeout_s: float = Field(1.0, gt=0, description="Budget of /readyz's probe of vLLM.")
    upstream_max_connections: int = Field(64, ge=1)
    upstream_transport: Literal["aiohttp", "httpx"] = "aiohttp"

    # HTTP server.
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1)
    log_level: str = "info"

    # Admission and auth.
    max_concurrency: int = Field(32, ge=1, description="Requests in flight to the model at once.")
    max_queue: int = Field(32, ge=0, description="Requests waiting for a slot; past it: 429 at once.")
    queue_timeout_s: float = Field(10.0, gt=0, description="Longest wait for a slot before a 429.")
    shutdown_grace_s: float = Field(20.0, ge=0, description="On SIGTERM, time left to requests in flight.")
    api_keys: Annotated[tuple[str, ...], NoDecode] = Field((), repr=False)

    # Prompt and decoding.
    action_spaces_dir: Path = DEFAULT_ACTION_SPACES_DIR
    tokenizer_path: Path | None = Field(
        None, description="tokenizer.json of the served model; default: the prepared model folder."
    )
    model_cache_dir: Path = DEFAULT_MODEL_CACHE
    memory_token_budget: int = Field(1024, ge=0, description="Tokens of step memory kept in the prompt.")
    max_output_tokens: int = Field(
        1024, ge=8, description="Hard cap on generated tokens; normally the bound derived from the schema applies."
    )
    max_arg_chars: int = Field(100, ge=1, le=2000, description="Longest string arg the model may generate.")
    temperature: float = Field(0.0, ge=0, le=2)

    # Input limits (4xx past them).
    max_body_bytes: int = Field(1_000_000, ge=1024)

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(k.strip() for k in value.split(",") if k.strip())
        return value

    def resolved_tokenizer_path(self) -> Path:
        """Where the served model's tokenizer lives (the prepared model folder by default)."""
        if self.tokenizer_path is not None:
            return self.tokenizer_path
        return self.model_cache_dir / self.model / "tokenizer.json"
