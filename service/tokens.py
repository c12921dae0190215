"""Token counting with the served model's own tokenizer (HF ``tokenizers``, no torch).

Loaded once at start-up; the prompt builder uses it to keep step memory within its budget. When the
tokenizer file is missing (e.g. a layer started before the model was prepared) an estimate of
3 characters per token stands in, and start-up logs a warning.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

logger = logging.getLogger(__name__)


class TokenCounter(Protocol):
    def count_many(self, texts: list[str]) -> list[int]: ...


class HFTokenCounter:
    def __init__(self, path: Path) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(path))

    def count_many(self, texts: list[str]) -> list[int]:
        if not texts:
            return []
        return [len(enc.ids) for enc in self._tokenizer.encode_batch(texts, add_special_tokens=False)]


class EstimatingTokenCounter:
    """Upper-bound-ish estimate used only when no tokenizer file is available."""

    def count_many(self, texts: list[str]) -> list[int]:
        return [len(t) // 3 + 1 for t in texts]


def load_token_counter(path: Path) -> TokenCounter:
    if path.is_file():
        return HFTokenCounter(path)
    logger.warning("tokenizer %s not found: estimating tokens at 3 characters each", path)
    return EstimatingTokenCounter()
