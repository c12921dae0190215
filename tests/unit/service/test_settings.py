from __future__ import annotations

import pytest
from pydantic import ValidationError

from service.settings import Settings


def test_defaults() -> None:
    s = Settings()
    assert s.vllm_base_url == "http://127.0.0.1:8001/v1" and s.port == 8000 and s.api_keys == ()


def test_environment_with_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAM_API_KEYS", " sk-secret-1, sk-secret-2 ,,")
    monkeypatch.setenv("LAM_PORT", "9001")
    monkeypatch.setenv("LAM_REQUEST_TIMEOUT_S", "2.5")
    s = Settings()
    assert s.api_keys == ("sk-secret-1", "sk-secret-2") and s.port == 9001 and s.request_timeout_s == 2.5
    assert "sk-secret" not in repr(s)


def test_invalid_values_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAM_MAX_CONCURRENCY", "0")
    with pytest.raises(ValidationError):
        Settings()
