"""Smoke training of every phase on each card's real base, in the engine environment: the loss falls.

Training needs torch/transformers/peft, which live in the engine environment, so the phases run
there as one subprocess (one import of torch for all of them), through the same ``main`` as the
``python -m models.train`` CLI. A handful of short examples, three steps each at a high learning
rate on the full batch (two examples), so a falling loss is a property of the code, not of luck.
Every card runs it (``--card``): each base has its own architecture, tokenizer and chat template.
The base is materialised by ``models.train.base.base_folder`` (once per cache: a download and a
dequantisation), not by ``make model``, which prepares the served card only.
Budget: about two minutes of two idle CPU cores for SmolLM2-135M, three for Qwen2.5-Coder-0.5B (measured
on one core, the other busy: 80 s and 170 s). Beside another torch job, give it OMP_NUM_THREADS=1: two
processes spinning two threads each on two cores ran it ten times slower.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from lam.tasks.families import FAMILY_BY_NAME
from lam.tasks.generate import generate, write_dataset
from models.cache import MODEL_CACHE
from models.card import MODELS_DIR
from models.train.summary import read_log
from stack.engine import ENGINE_PYTHON

pytestmark = pytest.mark.training
ROOT = Path(__file__).resolve().parents[2]
SOLVED, UNSOLVED = "page_color", "watermark"  # short prompts (Design tab); the limited expert "cannot do" the second

DRIVER = """
import sys, time
from models.train.__main__ import main
for argv in sys.argv[1:]:
    started, cpu = time.time(), time.process_time()
    main(argv.split("\\x1f"))
    took = f"{time.time() - started:.0f}s ({time.process_time() - cpu:.0f} cpu-s)"
    print(f"[smoke] {argv.split(chr(31))[0]} {took}", flush=True)
"""


def _require_engine() -> None:
    """Training runs in the engine environment that `make test` builds: its absence is a failure, not a skip."""
    probe = "import torch, transformers, peft, xgrammar, orjson"
    ok = (
        ENGINE_PYTHON.exists()
        and subprocess.run([str(ENGINE_PYTHON), "-c", probe], capture_output=True).returncode == 0
    )
    assert ok, f"engine environment {ENGINE_PYTHON} lacks torch/transformers/peft/xgrammar/orjson: run `make model`"
    has_base = (MODEL_CACHE / "_downloads").exists() or (MODEL_CACHE / "_base").exists()
    assert has_base, "no base model downloaded: run `make model`"


def _in_engine(*argv: str, timeout: int = 300, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -c`` in the engine environment from the repository root (``env`` added to this process's);
    fails the test on a non-zero exit."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), TOKENIZERS_PARALLELISM="false", **(env or {}))
    proc = subprocess.run(
        [str(ENGINE_PYTHON), "-c", *argv], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    return proc


def _losses(run: Path) -> list[float]:
    return [row["loss"] for row in read_log(run / "log.jsonl")]


CARDS = sorted(path.parent.name for path in MODELS_DIR.glob("*/card.yaml"))
# Phase 3's rate where SmolLM2's 3e-4 overshoots: Adam's first step moves every weight of the continued
# LoRA by about the rate, and on Qwen2.5-Coder-0.5B 3e-4 and 1e-4 raised the loss of its two examples
# (0.19 -> 1.29 and -> 0.51) where 2e-5 lowers it (0.19 -> 0.15 -> 0.13).
GENTLE_LR = {"lam-qwen25-coder-0.5b": "2e-5"}

MATERIALISE = """
import sys
from models.train.base import MODEL_CACHE, base_folder
base_folder(sys.argv[1], MODEL_CACHE)
"""


def _materialise_base(card: str) -> None:
    """The card's untrained base in the model cache, where the phases find it: built here, outside the timed run."""
    _in_engine(MATERIALISE, card, timeout=600)


@pytest.mark.parametrize("card", CARDS)
def test_every_phase_trains_and_the_loss_falls(tmp_path: Path, card: str) -> None:
    _require_engine()
    _materialise_base(card)
    data = tmp_path / "data"
    families = [FAMILY_BY_NAME[SOLVED], FAMILY_BY_NAME[UNSOLVED]]
    write_dataset(data, generate(seed=0, sizes={"train": 1, "val": 0, "test": 0}, families=families), 0)
    runs = {name: tmp_path / name for name in ("p1", "p2", "p3", "rm", "p4", "p4e")}
    # Two examples, the full batch at every step, no dropout (phase 1's adapter, which the others
    # continue): a falling loss then depends on the code, not on luck. Phase 3 continues a model that
    # has fitted much of its data already, so a gentler rate keeps Adam's first steps from overshooting.
    tiny = f"--card {card} --max-steps 3 --batch-size 2 --grad-accum 1 --max-examples 2 --max-len 400"
    fast = f"{tiny} --lr 1e-3"
    gentle = f"{tiny} --lr {GENTLE_LR.get(card, '3e-4')}"
    limited = f"--expert limited --expert-unable {UNSOLVED}"
    p1, p2, p3, rm, p4, p4e = (runs[name] for name in ("p1", "p2", "p3", "rm", "p4", "p4e"))
    rollouts = p3 / "rollouts.jsonl"  # tmp_path has no spaces: the commands split on them
    phases = [
        f"phase1 --data {data} --out {p1} {fast} --lora-dropout 0",
        f"phase2 --data {data} --out {p2} --init {p1}/adapter {limited} {fast} --kind-repeat feasible=2",
        # Phase 3 also rewords its requests (--augment-rephrase, both paraphrase batches): the augmentation
        # path runs under torch too.
        f"phase3 --data {data} --out {p3} --init {p2}/adapter --max-episode-steps 2 {limited} {gentle} "
        "--tries 2 --temperature 1.0 --dagger-per-family 1 "
        "--augment-rephrase 1 --augment-paraphrases 1 2",
        f"reward --data {data} --out {rm} --init {p3}/adapter --rollouts {rollouts} {limited} {tiny} --lr 1e-4",
        f"phase4 --out {p4} --init {p3}/adapter --reward {rm}/adapter --rollouts {rollouts} "
        # Six hot samples under the step's grammar: at least one differs from the action taken, so a pair exists.
        f"--candidates 6 --temperature 3 --max-candidate-tokens 32 --margin 0 --max-states 1 {fast}",
        # Phase 4 on pairs ranked by the full expert at the states where phase 3's episodes left its way.
        f"phase4 --pairs expert --out {p4e} --init {p3}/adapter "
        f"--rollouts {rollouts} {p3}/dagger_rollouts.jsonl {fast}",
        f"export {p4}/adapter --card {card} --to {tmp_path / 'shipped'}",
    ]
    started = time.monotonic()
    proc = _in_engine(DRIVER, *("\x1f".join(p.split()) for p in phases), timeout=900)
    elapsed = time.monotonic() - started
    took = ", ".join(line.split(maxsplit=1)[1] for line in proc.stdout.splitlines() if line.startswith("[smoke]"))
    print(f"smoke training of all phases on {card}: {elapsed:.0f}s ({took})")
    for name in ("p1", "p2", "p3", "rm", "p4", "p4e"):
        losses = _losses(runs[name])
        assert len(losses) == 3, (name, losses)
        assert losses[-1] < losses[0], f"{name}: loss did not fall: {losses}"
        assert (runs[name] / "adapter" / "adapter_model.safetensors").exists()
    extra = {name: json.loads((runs[name] / "config.json").read_text())["extra"] for name in ("p2", "p3")}
    assert extra["p3"]["augment_paraphrases"] == [1, 2]
    assert "augment_paraphrases" not in extra["p2"] and "augment_followup" not in extra["p2"]  # as earlier runs
    assert extra["p2"]["kind_repeat"] == {"feasible": 2} and "kind_repeat" not in extra["p3"]
    assert (runs["p3"] / "rollouts.jsonl").read_text().strip(), "phase 3 ran no episode"
    assert (runs["p3"] / "dagger_rollouts.jsonl").read_text().strip(), "phase 3 played no training task to relabel"
    assert (extra["p3"]["tries"], extra["p3"]["dagger_per_family"]) == (2, 1)
    assert extra["p3"]["dagger_states"] >= 0 and extra["p3"]["tried_tasks"] >= 1
    assert (runs["p4"] / "pairs.jsonl").read_text().strip(), "phase 4 built no pair"
    assert json.loads((p4e / "config.json").read_text())["extra"]["pairs"] == "expert"
    shipped = tmp_path / "shipped" / "adapter_model.safetensors"
    assert shipped.stat().st_size < 20 * 2**20


def test_resume_continues_where_the_run_stopped(tmp_path: Path) -> None:
    """Two steps, then --resume to three: the log has each step once and the run ends at step 3."""
    _require_engine()
    data = tmp_path / "data"
    write_dataset(data, generate(seed=1, sizes={"train": 1, "val": 0, "test": 0}, families=[FAMILY_BY_NAME[SOLVED]]), 1)
    run = tmp_path / "p1"
    common = [
        "phase1",
        "--data",
        str(data),
        "--out",
        str(run),
        "--batch-size",
        "2",
        "--grad-accum",
        "1",
        "--save-every",
        "1",
    ]
    proc = _in_engine(
        DRIVER, "\x1f".join([*common, "--max-steps", "2"]), "\x1f".join([*common, "--max-steps", "3", "--resume"])
    )
    assert "resumed from" in proc.stdout
    assert [row["step"] for row in read_log(run / "log.jsonl")] == [1, 2, 3]


SHARED_PREFIX_CHECK = """
import sys, torch
from pathlib import Path
from models.card import load_card
from models.train import losses
from models.train.base import MODEL_CACHE, base_folder
from models.train.config import TrainConfig
from models.train.data import Renderer, collate, read_jsonl
from models.train.lora import lora_model
from models.train.modeling import load_base, load_tokenizer
from service.settings import DEFAULT_MODEL
base = base_folder(DEFAULT_MODEL, MODEL_CACHE)
renderer = Renderer(load_card(DEFAULT_MODEL), load_tokenizer(base), base / "tokenizer.json")
examples = [renderer.phase2_example(r) for r in read_jsonl(Path(sys.argv[1]) / "phase2_train.jsonl")[:3]]
batch = collate(examples, renderer.eos_id)
config = TrainConfig(phase="check", bf16=False)
torch.manual_seed(0)
model = lora_model(load_base(base), config).eval()
for name, p in model.named_parameters():
    if "lora_B" in name:
        torch.nn.init.normal_(p, std=0.02)  # a LoRA that changes the prefix's keys and values
def loss_and_grad():
    loss = losses.sft_loss(model, batch, config)
    loss.backward()
    grad = torch.cat([p.grad.flatten() for p in model.parameters() if p.requires_grad])
    model.zero_grad()
    return float(loss), grad
shared = losses.shared_prefix_len(batch)
once = loss_and_grad()
losses.MIN_SHARED_PREFIX = 10**9
plain = loss_and_grad()
print(shared, once[0], plain[0], float((once[1] - plain[1]).norm() / plain[1].norm()))
"""


def test_shared_prefix_forward_matches_the_plain_forward(tmp_path: Path) -> None:
    """The prefix computed once per batch gives the plain forward's loss and gradient (through the cache)."""
    _require_engine()
    data = tmp_path / "data"
    write_dataset(data, generate(seed=2, sizes={"train": 1, "val": 0, "test": 0}, families=[FAMILY_BY_NAME[SOLVED]]), 2)
    proc = _in_engine(SHARED_PREFIX_CHECK, str(data))
    shared, loss_once, loss_plain, grad_rel = (float(x) for x in proc.stdout.split()[-4:])
    assert shared >= 100, "one task's steps share the system text and the screen's controls"
    assert abs(loss_once - loss_plain) < 1e-4 * abs(loss_plain)
    assert grad_rel < 1e-4


SOUP_CHECK = """
import subprocess, sys, torch
from pathlib import Path
from models.train.__main__ import main
from models.train.base import MODEL_CACHE, base_folder
from models.train.config import TrainConfig
from models.train.lora import lora_model
from models.train.modeling import load_base
from service.settings import DEFAULT_MODEL
out = Path(sys.argv[1])
base = base_folder(DEFAULT_MODEL, MODEL_CACHE)
for seed in (1, 2):  # two different adapters: random B (a fresh LoRA's B is zero)
    torch.manual_seed(seed)
    model = lora_model(load_base(base), TrainConfig(phase="check", lora_alpha=16 * seed))
    for name, p in model.named_parameters():
        if "lora_B" in name:
            torch.nn.init.normal_(p, std=0.02)
    model.save_pretrained(out / f"a{seed}")
main(["soup", str(out / "a1"), str(out / "a2"), "--weights", "1", "3", "--out", str(out / "soup")])
main(["soup", str(out / "a1"), str(out / "a2"), "--rank", "4", "--out", str(out / "low")])
def merged(adapter):
    from peft import PeftModel
    model = PeftModel.from_pretrained(load_base(base), adapter).merge_and_unload()
    return {k: v.clone() for k, v in model.state_dict().items()}
plain = load_base(base).state_dict()
one, two, soup, low = (merged(out / n) for n in ("a1", "a2", "soup", "low"))
changed = [k for k in plain if not torch.equal(one[k], plain[k])]
mean = {k: 0.25 * one[k] + 0.75 * two[k] for k in changed}
soup_err = max(float((soup[k] - mean[k]).abs().max()) for k in changed)
low_err = max(float((low[k] - mean[k]).abs().max()) for k in changed)
update = max(float((mean[k] - plain[k]).abs().max()) for k in changed)
print(len(changed), soup_err, low_err, update)
"""


def test_soup_is_the_weighted_mean_of_the_adapters_updates(tmp_path: Path) -> None:
    """Served through PEFT's own merge, the soup's weights equal the weighted mean of the merged adapters."""
    _require_engine()
    proc = _in_engine(SOUP_CHECK, str(tmp_path))
    changed, soup_err, low_err, update = proc.stdout.split()[-4:]
    assert int(changed) >= 30 * 7, "every layer's attention and MLP projections are adapted"
    assert float(soup_err) < 1e-4 * float(update), "at the summed rank the soup is exact"
    assert float(low_err) > 100 * float(soup_err), "a lower rank only approximates (so the check can fail)"
    config = json.loads((tmp_path / "low" / "adapter_config.json").read_text())
    assert (config["r"], config["lora_alpha"]) == (4, 4)
    recipe = json.loads((tmp_path / "soup" / "soup.json").read_text())
    assert recipe["weights"] == [0.25, 0.75] and recipe["rank"] == 32


BF16_CHECK = """
import argparse
from models.train.options import RunOptions, add_run_args
parser = argparse.ArgumentParser()
add_run_args(parser)
for flag in ([], ["--bf16"], ["--no-bf16"]):
    run = RunOptions.from_namespace(parser.parse_args(["--out", "run", "--base", "base", *flag]))
    print(run.train_config("check").bf16)
"""


def test_bf16_autocast_defaults_off_where_the_cpu_has_no_fast_bf16() -> None:
    """On an AVX2-only CPU bf16 autocast ran a smoke step at 12 tok/s (fp32: ~200): the default must be fp32 there.

    oneDNN's ``ONEDNN_MAX_CPU_ISA=AVX2`` makes this machine look like that one; ``--bf16`` still forces it.
    """
    _require_engine()
    proc = _in_engine(BF16_CHECK, env={"ONEDNN_MAX_CPU_ISA": "AVX2", "ATEN_CPU_CAPABILITY": "avx2"})
    assert proc.stdout.split() == ["False", "True", "False"]


TRAIN_LAYERS_CHECK = """
import sys, torch
from pathlib import Path
from models.card import load_card
from models.train import losses
from models.train.base import MODEL_CACHE, base_folder
from models.train.config import TrainConfig
from models.train.data import Renderer, collate, read_jsonl
from models.train.lora import lora_model
from models.train.modeling import load_base, load_tokenizer
from service.settings import DEFAULT_MODEL
base = base_folder(DEFAULT_MODEL, MODEL_CACHE)
renderer = Renderer(load_card(DEFAULT_MODEL), load_tokenizer(base), base / "tokenizer.json")
records = read_jsonl(Path(sys.argv[1]) / "phase2_train.jsonl")[:2]
batch = collate([renderer.phase2_example(r) for r in records], renderer.eos_id)
config = TrainConfig(phase="check", bf16=False, train_layers=3)
model = lora_model(load_base(base), config)
layers = model.get_base_model().config.num_hidden_layers
losses.sft_loss(model, batch, config).backward()
lora = {n: p for n, p in model.named_parameters() if "lora_" in n}
trained = {n for n, p in lora.items() if p.requires_grad}
graded = {n for n, p in lora.items() if p.grad is not None}
top = {n for n in lora if any(f".layers.{i}." in n for i in range(layers - 3, layers))}
print(layers, len(lora), len(trained), int(trained == top), int(graded <= top), int(bool(graded)))
"""


def test_train_layers_trains_only_the_top_layers_lora(tmp_path: Path) -> None:
    """--train-layers N: the LoRA of the top N layers alone is trainable and gets a gradient (the cheaper backward)."""
    _require_engine()
    data = tmp_path / "data"
    write_dataset(data, generate(seed=3, sizes={"train": 1, "val": 0, "test": 0}, families=[FAMILY_BY_NAME[SOLVED]]), 3)
    proc = _in_engine(TRAIN_LAYERS_CHECK, str(data))
    layers, n_lora, n_trained, exactly_top, graded_in_top, any_grad = (int(x) for x in proc.stdout.split()[-6:])
    assert n_trained == n_lora * 3 // layers, (layers, n_lora, n_trained)
    assert exactly_top and graded_in_top and any_grad
