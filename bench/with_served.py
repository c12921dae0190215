"""Serve one model as ``bench.table3`` does and run a command against it, e.g. phase 3's episodes of
an adapter through the service (``models.train phase3 --service {url}``)::

    python -m bench.with_served RUNS/lam2k/adapter --name lam2k -- \\
        ENGINE_PYTHON -m models.train phase3 ... --service {url} --rollout-only

``WHAT`` is ``base``, ``card`` or an adapter folder (merged into the card's base, as table3 does);
``{url}`` in the command becomes the layer's URL. The engine and the layer stop when the command
ends; its exit status is this one's.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from bench.table3 import ROOT, servable, served, trained_format
from models.cache import MODEL_CACHE
from models.card import load_card
from service.settings import DEFAULT_MODEL


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        usage="python -m bench.with_served WHAT [options] -- COMMAND ...",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("what", help="ADAPTER folder, base or card")
    p.add_argument("--name", default="served", help="the served model's folder name under WORK/CARD")
    p.add_argument("--card", default=DEFAULT_MODEL)
    p.add_argument("--work", type=Path, default=MODEL_CACHE / "_eval", help="merged model folders (WORK/CARD/NAME)")
    p.add_argument("--logs", type=Path, default=MODEL_CACHE / "_eval" / "logs")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    cut = argv.index("--") if "--" in argv else len(argv)
    cli = parser()
    args, command = cli.parse_args(argv[:cut]), argv[cut + 1 :]
    if not command:
        cli.error("no command to run: give it after --")
    card = load_card(args.card)
    model_dir = servable(args.name, args.what, card.name, args.work)
    with served(args.name, model_dir, card, trained_format(args.what, card.output_format), args.logs) as url:
        return subprocess.run([part.replace("{url}", url) for part in command], cwd=ROOT).returncode


if __name__ == "__main__":
    raise SystemExit(main())
