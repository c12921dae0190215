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
from pathlib import Path

import torch

from models.card import load_card

ADAPTER_FILES = ("adapter_model.safetensors", "adapter_config.json")
MAX_SHIPPED_BYTES = 20 * 1024 * 1024


def add_export_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("adapter", type=Path, help="a run's adapter/ folder")
    parser.add_argument("--card", default="lam-smollm2-135m")
    parser.add_argument("--to", type=Path, default=None, help="default: models/<card>/adapter")


def export(args: argparse.Namespace) -> None:
    from safetensors.torch import load_file, save_file

    card = load_card(args.card)
    target = args.to or card.folder / "adapter"
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    tensors = load_file(str(args.adapter / "adapter_model.safetensors"))
    save_file(
        {k: v.to(torch.bfloat16).contiguous() for k, v in tensors.items()},
        str(tmp / "adapter_model.safetensors"),
        metadata={"format": "pt"},
    )
    config = json.loads((args.adapter / "adapter_config.json").read_text())
    config["base_model_name_or_path"] = card.base.name  # not this machine's path
    (tmp / "adapter_config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
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
    parser.add_argument("--card", default="lam-smollm2-135m")


def merge(args: argparse.Namespace) -> None:
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    shutil.rmtree(args.out, ignore_errors=True)
    shutil.copytree(args.base, args.out, ignore=shutil.ignore_patterns("*.safetensors", ".prepared"))
    base = AutoModelForCausalLM.from_pretrained(args.base, dtype=torch.bfloat16)
    PeftModel.from_pretrained(base, args.adapter).merge_and_unload().save_pretrained(args.out)
    print(f"[merge] {args.out}")
