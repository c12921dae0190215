"""The client an evaluation talks to the service with, in one place: ``lam eval`` and ``make bench``'s
online section must meet the service the same way for their step latencies to be the same figure."""

from __future__ import annotations

from lam.client import AsyncLamClient, RetryPolicy

TIMEOUT_S = 120.0
RETRY_BUDGET_S = 300.0


def eval_client(
    base_url: str,
    *,
    concurrency: int,
    api_key: str | None = None,
    timeout: float = TIMEOUT_S,
    retry_budget: float = RETRY_BUDGET_S,
) -> AsyncLamClient:
    """An evaluation waits out the service's back-pressure (429/503 within ``retry_budget`` seconds):
    a step is scored only on an answer. Two connections per task in flight."""
    retry = RetryPolicy(max_retries=10_000, max_wait_s=retry_budget, max_transport_retries=4)
    return AsyncLamClient(base_url, api_key=api_key, timeout=timeout, retry=retry, max_connections=concurrency * 2)
