"""``soup``: average several LoRA adapters of one base into one adapter (a "model soup").

Why: short continuation runs on two CPU cores trade task families back and forth (each run learns
about as much as it forgets, RESULTS.md), and averaging the weights of fine-tunes that share a start
is known to keep what each learned (Wortsman et al., 2022, *Model soups*). Averaging LoRA's two
factors separately would not average the updates (``mean(B) @ mean(A) != mean(B @ A)``), so the
soup averages each module's full update ``scale * B @ A`` and factors the mean again with an SVD.
At rank ``sum(r_i)`` the factorization is exact; a lower ``--rank`` keeps the best approximation
of that rank (Eckart-Young), so the shipped file can stay under its size limit.
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import torch

ADAPTER_WEIGHTS = "adapter_model.safetensors"
ADAPTER_CONFIG = "adapter_config.json"
SOUP_RECIPE = "soup.json"
# Config keys that must agree: adapters of different bases or modules cannot be averaged.
SHARED_KEYS = ("base_model_name_or_path", "target_modules", "peft_type", "task_type", "use_rslora", "use_dora")


def add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("adapters", type=Path, nargs="+", help="adapter folders (a run's adapter/ or an exported one)")
    parser.add_argument("--out", type=Path, required=True, help="adapter folder to write")
    parser.add_argument("--weights", type=float, nargs="+", default=None, help="one per adapter (default: equal)")
    parser.add_argument("--rank", type=int, default=None, help="default: the sum of the ranks (exact)")


def _scale(config: dict) -> float:
    """LoRA's update is ``scale * B @ A``; rsLoRA divides by sqrt(r) instead of r."""
    r = config["r"]
    return config["lora_alpha"] / (r**0.5 if config.get("use_rslora") else r)


def _check_compatible(configs: list[dict]) -> None:
    for key in SHARED_KEYS:
        # PEFT writes target_modules from a set: the order varies between runs of the same recipe.
        values = {json.dumps(sorted(v) if isinstance(v := c.get(key), list) else v) for c in configs}
        if len(values) > 1:
            raise SystemExit(f"[soup] adapters disagree on {key}: {sorted(values)}")
    if any(c.get("rank_pattern") or c.get("alpha_pattern") for c in configs):
        raise SystemExit("[soup] per-module rank or alpha patterns are not supported")


def _modules(tensors: dict[str, torch.Tensor]) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """``{module prefix: (A, B)}`` from a PEFT state dict (``...lora_A.weight`` / ``...lora_B.weight``)."""
    parts: dict[str, dict[str, torch.Tensor]] = defaultdict(dict)
    for key, value in tensors.items():
        for factor in ("lora_A", "lora_B"):
            marker = f".{factor}."
            if marker in key:
                prefix, suffix = key.split(marker, 1)
                parts[prefix][factor] = value.float()
                if suffix != "weight":
                    raise SystemExit(f"[soup] unexpected LoRA tensor {key}")
                break
        else:
            raise SystemExit(f"[soup] only LoRA factors can be averaged, found {key}")
    return {prefix: (p["lora_A"], p["lora_B"]) for prefix, p in parts.items()}


def soup_updates(
    updates: list[dict[str, tuple[torch.Tensor, torch.Tensor, float]]], weights: list[float], rank: int
) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """Weighted mean of each module's ``scale * B @ A``, refactored as ``(A', B')`` of ``rank`` with scale 1."""
    prefixes = set(updates[0])
    if any(set(u) != prefixes for u in updates[1:]):
        raise SystemExit("[soup] adapters target different modules")
    out: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}
    for prefix in sorted(prefixes):
        delta = sum(w * s * (b @ a) for w, (a, b, s) in zip(weights, (u[prefix] for u in updates), strict=True))
        u, sigma, vh = torch.linalg.svd(delta, full_matrices=False)
        k = min(rank, sigma.numel())
        root = sigma[:k].sqrt()  # split the singular values evenly: both factors keep similar norms
        out[prefix] = ((root[:, None] * vh[:k]).contiguous(), (u[:, :k] * root[None, :]).contiguous())
    return out


@dataclass(frozen=True)
class SoupConfig:
    """``soup``'s flags (``add_args``), parsed once by ``options.parse``."""

    adapters: tuple[Path, ...]
    out: Path
    weights: tuple[float, ...] | None
    rank: int | None


def run(config: SoupConfig) -> None:
    from safetensors.torch import load_file, save_file

    adapters = list(config.adapters)
    configs = [json.loads((a / ADAPTER_CONFIG).read_text()) for a in adapters]
    _check_compatible(configs)
    weights = list(config.weights or [1.0] * len(adapters))
    if len(weights) != len(adapters) or min(weights) < 0 or sum(weights) <= 0:
        raise SystemExit("[soup] --weights: one non-negative weight per adapter, not all zero")
    weights = [w / sum(weights) for w in weights]
    rank = config.rank or sum(c["r"] for c in configs)
    dtype = next(iter(load_file(str(adapters[0] / ADAPTER_WEIGHTS)).values())).dtype
    updates = [
        {p: (a, b, _scale(c)) for p, (a, b) in _modules(load_file(str(folder / ADAPTER_WEIGHTS))).items()}
        for folder, c in zip(adapters, configs, strict=True)
    ]
    factors = soup_updates(updates, weights, rank)
    out = config.out
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    tensors = {}
    for prefix, (a, b) in factors.items():
        tensors[f"{prefix}.lora_A.weight"] = a.to(dtype).contiguous()
        tensors[f"{prefix}.lora_B.weight"] = b.to(dtype).contiguous()
    save_file(tensors, str(tmp / ADAPTER_WEIGHTS), metadata={"format": "pt"})
    # Scale 1 (alpha == r, no rsLoRA): the factors carry the whole update.
    peft_config = dict(configs[0], r=rank, lora_alpha=rank, use_rslora=False, inference_mode=True)
    (tmp / ADAPTER_CONFIG).write_text(json.dumps(peft_config, indent=2, sort_keys=True) + "\n")
    recipe = {"adapters": [str(a) for a in adapters], "weights": weights, "rank": rank}
    (tmp / SOUP_RECIPE).write_text(json.dumps(recipe, indent=2) + "\n")  # beside, not in, PEFT's config
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    print(f"[soup] {out}: {len(adapters)} adapters, weights {[round(w, 3) for w in weights]}, rank {rank}")
