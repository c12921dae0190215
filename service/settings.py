"""Settings of the layer, read once from the environment (prefix ``LAM_``).

Nothing else in ``service`` reads ``os.environ``: ``create_app(settings)`` receives this object,
so tests and embedders can build one by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from service import protocol
from service.formats import DEFAULT_FORMAT, OutputFormatName
from service.values import DEFAULT_VALUE_TOKEN_BUDGET

DEFAULT_ACTION_SPACES_DIR = Path(__file__).parent / "action_spaces"
DEFAULT_MODEL = "lam-smollm2-135m"  # the model card served by default (models/lam-smollm2-135m)
DEFAULT_CACHE_DIR = Path.home() / ".cache" / "lam"  # the tools' LAM_CACHE_DIR (models.cache) defaults to it
DEFAULT_MODEL_CACHE = DEFAULT_CACHE_DIR / "models"


def check_repeat_limit(value: int) -> int:
    """LAM_REPEAT_LIMIT's rule, shared with the tools that set it (``bench.table3``)."""
    if value < 0 or value == 1:
        raise ValueError("LAM_REPEAT_LIMIT is 0 (off) or at least 2 (a repeat needs two steps)")
    return value


class Settings(BaseSettings):
    """Every knob of the layer, with the defaults documented in the README."""

    model_config = SettingsConfigDict(env_prefix="LAM_", extra="ignore", frozen=True)

    # Upstream model server (vLLM's OpenAI-compatible API).
    vllm_base_url: str = "http://127.0.0.1:8001/v1"
    model: str = DEFAULT_MODEL
    request_timeout_s: float = Field(30.0, gt=0, description="Budget for one vLLM call.")
    connect_timeout_s: float = Field(2.0, gt=0)
    readiness_timeout_s: float = Field(1.0, gt=0, description="Budget of /readyz's probe of vLLM.")
    upstream_max_connections: int = Field(64, ge=1)
    upstream_transport: Literal["aiohttp", "httpx"] = "aiohttp"
    upstream_retries: int = Field(
        1, ge=0, le=3, description="Retries of a call whose connection failed before it was sent (only those)."
    )
    retry_budget_ratio: float = Field(0.1, ge=0, le=1, description="Retries at most this fraction of calls.")
    circuit_failure_threshold: int = Field(5, ge=1, description="Consecutive connection failures that open it.")
    circuit_cooldown_s: float = Field(2.0, gt=0, description="Open circuit: time before one probe call.")

    # HTTP server.
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1)
    log_level: str = "info"

    # Admission and auth. Unset, LAM_MAX_CONCURRENCY lets the limit follow measured latency between the
    # bounds below (docs/reliability.md: no constant fits both a 2-core CPU and a GPU); set, it pins it.
    max_concurrency: int | None = Field(
        None, ge=1, description="Pin the requests in flight to the model at once; unset: adaptive."
    )
    admission_min_limit: int = Field(1, ge=1, description="Adaptive limit: lowest.")
    admission_max_limit: int = Field(256, ge=1, description="Adaptive limit: highest.")
    admission_initial_limit: int = Field(
        1, ge=1, description="Adaptive limit at start (the baseline is measured there)."
    )
    admission_latency_tolerance: float = Field(
        2.5, gt=1, description="Adaptive limit grows while recent model latency <= this x the unloaded baseline."
    )
    admission_window: int = Field(16, ge=1, description="Finished requests per latency judgement.")
    admission_max_wait_baselines: float = Field(
        0.0,
        ge=0,
        description="Adaptive limit: queue only when the predicted wait <= this x the unloaded baseline (0: no queue).",
    )
    max_queue: int = Field(256, ge=0, description="Hard ceiling on waiting requests (the wait bound comes first).")
    queue_timeout_s: float = Field(
        5.0, gt=0, description="Longest predicted (and actual) wait for a slot; past it: 429 at once."
    )
    shutdown_grace_s: float = Field(20.0, ge=0, description="On SIGTERM, time left to requests in flight.")
    shutdown_drain_delay_s: float = Field(
        0.0, ge=0, description="On SIGTERM, keep listening this long (readiness 503) before closing the socket."
    )
    api_keys: Annotated[tuple[str, ...], NoDecode] = Field((), repr=False)
    metrics_require_key: bool = Field(False, description="/metrics needs an API key too (when keys are set).")

    # Prompt and decoding.
    action_spaces_dir: Path = DEFAULT_ACTION_SPACES_DIR
    tokenizer_path: Path | None = Field(
        None, description="tokenizer.json of the served model; default: the prepared model folder."
    )
    model_cache_dir: Path = DEFAULT_MODEL_CACHE
    memory_token_budget: int = Field(1024, ge=0, description="Tokens of step memory kept in the prompt.")
    value_token_budget: int = Field(
        DEFAULT_VALUE_TOKEN_BUDGET,
        ge=0,
        description="Tokens of control values and Document text kept in the prompt (its own budget, beside "
        "memory's); over it, Document text is cut first, then the longest values.",
    )
    max_output_tokens: int = Field(
        1024, ge=8, description="Hard cap on generated tokens; normally the bound derived from the schema applies."
    )
    max_arg_chars: int = Field(100, ge=1, le=2000, description="Longest string arg the model may generate.")
    temperature: float = Field(0.0, ge=0, le=2)
    repeat_limit: int = Field(
        3,
        ge=0,
        le=protocol.MAX_MEMORY_STEPS + 1,
        description="The repeat guard: when the memory's last LAM_REPEAT_LIMIT - 1 steps are one action (not "
        "listed as repeatable), its function is left out of the next step's choices on the controls of that "
        "name; 0: off.",
    )
    output_format: OutputFormatName = Field(
        DEFAULT_FORMAT,
        description="What the model generates: compact-v1 (one line, fewest tokens), compact-v2 (compact-v1 "
        "naming controls by their names) or json-v1; must be the format the served model card names.",
    )

    # Task-level metrics (lam_task_steps, lam_task_duration_seconds) for requests that carry task_id.
    task_tracker_max_tasks: int = Field(10_000, ge=1, description="Open tasks remembered at once (LRU).")
    task_tracker_ttl_s: float = Field(1800.0, gt=0, description="A task idle this long is forgotten.")

    # Input limits (4xx past them); the protocol's constants are the ceilings, settings may only lower them.
    max_body_bytes: int = Field(1_000_000, ge=1024)
    max_controls: int = Field(protocol.MAX_CONTROLS, ge=0, le=protocol.MAX_CONTROLS)
    max_memory_steps: int = Field(protocol.MAX_MEMORY_STEPS, ge=0, le=protocol.MAX_MEMORY_STEPS)
    max_text_chars: int = Field(protocol.MAX_TEXT, ge=1, le=protocol.MAX_TEXT)
    max_name_chars: int = Field(protocol.MAX_NAME, ge=1, le=protocol.MAX_NAME)
    max_value_chars: int = Field(protocol.MAX_VALUE, ge=0, le=protocol.MAX_VALUE)
    max_values_total_chars: int = Field(protocol.MAX_VALUES_TOTAL, ge=0, le=protocol.MAX_VALUES_TOTAL)

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(k.strip() for k in value.split(",") if k.strip())
        return value

    @field_validator("repeat_limit")
    @classmethod
    def _repeat_limit_counts_steps(cls, value: int) -> int:
        return check_repeat_limit(value)

    @model_validator(mode="after")
    def _limits_in_order(self) -> Settings:
        if self.repeat_limit - 1 > self.max_memory_steps:
            raise ValueError(
                f"LAM_REPEAT_LIMIT ({self.repeat_limit}) needs {self.repeat_limit - 1} memory steps, more than "
                f"LAM_MAX_MEMORY_STEPS ({self.max_memory_steps}) lets in: the guard could never act"
            )
        if self.admission_min_limit > self.admission_max_limit:
            raise ValueError(
                f"LAM_ADMISSION_MIN_LIMIT ({self.admission_min_limit}) exceeds "
                f"LAM_ADMISSION_MAX_LIMIT ({self.admission_max_limit})"
            )
        return self

    def resolved_tokenizer_path(self) -> Path:
        """Where the served model's tokenizer lives (the prepared model folder by default)."""
        if self.tokenizer_path is not None:
            return self.tokenizer_path
        return self.model_cache_dir / self.model / "tokenizer.json"
