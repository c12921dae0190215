"""From a run to what ships and what serves: ``export`` the adapter, ``merge`` a servable folder.

``export`` writes the adapter in bf16 (half the bytes of the fp32 masters, the base's own dtype, so
merging loses nothing the served model could use) with a portable ``adapter_config.json`` (no local
paths) into ``models/<card>/adapter``; ``models/prepare.py`` merges it into the base. ``merge`` does
the same merge into any folder, to serve and evaluate an adapter before it is shipped.
"""

from __future__ import annotations

import argparse
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import torch

from models.card import load_card
from models.train.base import resolve_base
from models.train.options import from_namespace
from service.settings import DEFAULT_MODEL

ADAPTER_FILES = ("adapter_model.safetensors", "adapter_config.json")
MAX_SHIPPED_BYTES = 20 * 1024 * 1024


def add_export_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("adapter", type=Path, help="a run's adapter/ folder")
    parser.add_argument("--card", default=DEFAULT_MODEL)
    parser.add_argument("--to", type=Path, default=None, help="default: models/<card>/adapter")


@dataclass(frozen=True)
class ExportConfig:
    """``export``'s flags, parsed once by ``options.parse``."""

    adapter: Path
    card: str
    to: Path | None


def export(config: ExportConfig) -> None:
    from safetensors.torch import load_file, save_file

    card = load_card(config.card)
    target = config.to or card.folder / "adapter"
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    tensors = load_file(str(config.adapter / "adapter_model.safetensors"))
    save_file(
        {k: v.to(torch.bfloat16).contiguous() for k, v in tensors.items()},
        str(tmp / "adapter_model.safetensors"),
        metadata={"format": "pt"},
    )
    peft_config = json.loads((config.adapter / "adapter_config.json").read_text())
    peft_config["base_model_name_or_path"] = card.base.name  # not this machine's path
    (tmp / "adapter_config.json").write_text(json.dumps(peft_config, indent=2, sort_keys=True) + "\n")
    size = sum(p.stat().st_size for p in tmp.iterdir())
    if size > MAX_SHIPPED_BYTES:
        raise SystemExit(f"adapter is {size / 2**20:.1f} MiB, over the {MAX_SHIPPED_BYTES / 2**20:.0f} MiB we commit")
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    print(f"[export] {target} ({size / 2**20:.1f} MiB)")


def add_merge_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("adapter", type=Path, help="adapter folder (a run's adapter/ or an exported one)")
    parser.add_argument("--out", type=Path, required=True, help="servable folder to write")
    parser.add_argument("--base", type=Path, default=None, help="default: the card's base")
    parser.add_argument("--card", default=DEFAULT_MODEL)


@dataclass(frozen=True)
class MergeConfig:
    """``merge``'s flags, parsed once; ``--base`` resolved to the card's base if not given."""

    adapter: Path
    out: Path
    base: Path  # resolved: the card's base when --base is not given
    card: str

    @classmethod
    def from_namespace(cls, ns: argparse.Namespace) -> MergeConfig:
        return from_namespace(cls, ns, base=resolve_base(ns.base, ns.card))


def merge(config: MergeConfig) -> None:
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    shutil.rmtree(config.out, ignore_errors=True)
    shutil.copytree(config.base, config.out, ignore=shutil.ignore_patterns("*.safetensors", ".prepared"))
    base = AutoModelForCausalLM.from_pretrained(config.base, dtype=torch.bfloat16)
    PeftModel.from_pretrained(base, config.adapter).merge_and_unload().save_pretrained(config.out)
    print(f"[merge] {config.out}")
