"""The run folder on disk: its config, its log and its checkpoints, so that a run resumes exactly.

A run folder holds::

    config.json        the arguments of the run (a resumed run must match them)
    log.jsonl          one line per optimizer step: step, loss, lr, tokens/s
    checkpoints/step-N adapter + trainer_state.pt (optimizer, scheduler, RNG, step); the last 2 kept
    adapter/           the final adapter (what the next phase takes as ``--init``)
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
from torch import nn

from models.train.config import TrainConfig

KEEP_CHECKPOINTS = 2
RESUMABLE_CHANGES = ("max_steps", "save_every", "log_every", "threads", "grad_checkpointing")  # order unaffected


def prepare_run(out: Path, config: TrainConfig, resume: bool) -> None:
    """Refuse to mix runs: a fresh run needs an empty folder, a resumed one the same config."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "config.json"
    if path.exists():
        if not resume:
            raise SystemExit(f"{out} already holds a run: pass --resume to continue it, or pick another --out")
        saved = json.loads(path.read_text())
        mine = json.loads(json.dumps(asdict(config)))
        changed = {k for k in mine if k not in RESUMABLE_CHANGES and saved.get(k) != mine[k]}
        if changed:
            raise SystemExit(f"--resume with different settings {sorted(changed)} than {path}")
    config.save(path)


def truncate_log(path: Path, step: int) -> None:
    """Drop log lines past the checkpoint we resume from: those steps are done again."""
    if path.exists():
        rows = [line for line in path.read_text().splitlines() if line and json.loads(line)["step"] <= step]
        path.write_text("".join(row + "\n" for row in rows))


def _checkpoints(out: Path) -> list[Path]:
    folder = out / "checkpoints"
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob("step-*") if (p / "trainer_state.pt").exists()), key=_step_of)


def _step_of(path: Path) -> int:
    return int(path.name.split("-")[1])


def latest_checkpoint(out: Path) -> Path | None:
    found = _checkpoints(out)
    return found[-1] if found else None


def save_trainable(model: nn.Module, folder: Path, extra: dict[str, nn.Module] | None = None) -> None:
    """The adapter (peft's own format, what ``--init`` and ``prepare`` read) plus any extra heads."""
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    for name, module in (extra or {}).items():
        torch.save(module.state_dict(), folder / f"{name}.pt")


def save_checkpoint(
    out: Path,
    step: int,
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    extra: dict[str, nn.Module] | None = None,
) -> None:
    folder = out / "checkpoints" / f"step-{step}"
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    save_trainable(model, tmp, extra)
    state = {
        "step": step,
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "rng": {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()},
    }
    torch.save(state, tmp / "trainer_state.pt")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)  # a checkpoint is complete or absent, never half-written
    for old in _checkpoints(out)[:-KEEP_CHECKPOINTS]:
        shutil.rmtree(old, ignore_errors=True)


def load_checkpoint(
    folder: Path,
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    extra: dict[str, nn.Module] | None = None,
) -> int:
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    set_peft_model_state_dict(model, load_file(str(folder / "adapter_model.safetensors")))
    for name, module in (extra or {}).items():
        module.load_state_dict(torch.load(folder / f"{name}.pt"))
    state = torch.load(folder / "trainer_state.pt", weights_only=False)
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    random.setstate(state["rng"]["python"])
    np.random.set_state(state["rng"]["numpy"])
    torch.set_rng_state(state["rng"]["torch"])
    return int(state["step"])
