"""``lam``: generate data, evaluate a running service, convert UFO files.

lam data generate --out DIR [--seed N] [--environment word2|v1] [--expert-looks]
lam data describe --data DIR
lam data export-ufo --tasks FILE --out DIR
lam data import-ufo PATH... --out FILE
lam eval offline --tasks FILE --base-url URL --out RESULT.json [--api-key K] [--limit N] [--per-family N]
lam eval online  --tasks FILE --base-url URL --out RESULT.json [--concurrency N] [--max-steps N]
(both: [--retry-budget S] seconds a step may wait out 429/503 before it is reported unanswered)
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from lam.client import AsyncLamClient
from lam.eval.connect import RETRY_BUDGET_S, TIMEOUT_S, eval_client
from lam.tasks.model import Task, read_tasks, write_jsonl

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
data_app = typer.Typer(help="Generate and convert task data.", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluate a running /predict_action service.", no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(eval_app, name="eval")

TasksOpt = Annotated[Path, typer.Option("--tasks", exists=True, dir_okay=False, help="Task file (JSONL).")]
BaseUrlOpt = Annotated[str, typer.Option("--base-url", help="Service root, e.g. http://127.0.0.1:8000")]
OutOpt = Annotated[Path, typer.Option("--out", help="RESULT.json; .md and .png are written beside it.")]
KeyOpt = Annotated[str | None, typer.Option("--api-key", envvar="LAM_API_KEY", help="Bearer key.")]
LimitOpt = Annotated[int | None, typer.Option("--limit", min=1, help="Evaluate the first N tasks only.")]
PerFamilyOpt = Annotated[
    int | None, typer.Option("--per-family", min=1, help="The first N tasks of each family (a stratified subset).")
]
ConcOpt = Annotated[int, typer.Option("--concurrency", min=1, help="Requests/tasks in flight at once.")]
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=0.1, help="Per-request timeout, seconds.")]
RetryOpt = Annotated[
    float,
    typer.Option(
        "--retry-budget",
        min=0,
        help="Seconds one step may spend retrying 429/503 (honouring Retry-After) before it is reported unanswered.",
    ),
]


@data_app.command("generate")
def generate_cmd(
    out: Annotated[Path, typer.Option("--out", help="Output folder.")],
    seed: Annotated[int, typer.Option("--seed")] = 0,
    environment: Annotated[
        str,
        typer.Option(
            "--environment",
            help="word2: Word's screens, the catalog's families and the five protocol splits (default); "
            "v1: the first simulator's 32 families and train/val/test (what the shipped LAM was trained on).",
        ),
    ] = "word2",
    train: Annotated[int | None, typer.Option("--train-per-family", min=0)] = None,
    val: Annotated[int | None, typer.Option("--val-per-family", min=0)] = None,
    test: Annotated[int | None, typer.Option("--test-per-family", min=0)] = None,
    heldout: Annotated[
        int | None, typer.Option("--heldout-per-family", min=0, help="word2: tasks per held-out family.")
    ] = None,
    expert_looks: Annotated[
        bool,
        typer.Option(
            "--expert-looks",
            help="word2: the expert of already_done tasks first brings the state onto the screen (select the "
            "target, open the tab or menu), then FINISHes; the same tasks, other trajectories.",
        ),
    ] = False,
) -> None:
    """Write the task files of every split and the phase-1 / phase-2 training files."""
    sizes = {k: v for k, v in {"train": train, "val": val, "test": test}.items() if v is not None}
    if environment == "v1":
        if expert_looks:
            raise typer.BadParameter("--expert-looks is word2's", param_hint="--expert-looks")
        from lam.tasks.generate import generate, write_dataset

        manifest = write_dataset(out, generate(seed, sizes), seed)
    elif environment == "word2":
        from lam.tasks.v2.generate import generate as generate2
        from lam.tasks.v2.generate import write_dataset as write2

        if heldout is not None:
            sizes |= {"heldout_dev": heldout, "heldout_test": heldout}
        manifest = write2(out, generate2(seed, sizes, expert_looks=expert_looks), seed)
    else:
        raise typer.BadParameter(f"unknown environment {environment!r} (word2 or v1)", param_hint="--environment")
    for split, info in manifest["splits"].items():
        typer.echo(f"{split}: {info['tasks']} tasks, {info['steps']} steps, {info['families']} families")
    typer.echo(f"wrote {out}")


@data_app.command("describe")
def describe_cmd(data: Annotated[Path, typer.Option("--data", help="A folder of `lam data generate`.")]) -> None:
    """Markdown tables of a word2 dataset: families per category and kind, tasks per split, controls per
    screen, and one screen as the prompt shows it."""
    from lam.tasks.v2.describe import describe

    typer.echo(describe(data), nl=False)


@data_app.command("export-ufo")
def export_ufo_cmd(tasks: TasksOpt, out: Annotated[Path, typer.Option("--out", help="Output folder.")]) -> None:
    """One UFO dataflow result JSON per task (with the expert's trajectory)."""
    from lam.tasks.expert import expert_trajectory
    from lam.ufo import export_task

    out.mkdir(parents=True, exist_ok=True)
    items = read_tasks(tasks)
    for task in items:
        data = export_task(task, expert_trajectory(task))
        (out / f"{task.task_id}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    typer.echo(f"wrote {len(items)} UFO files to {out}")


@data_app.command("import-ufo")
def import_ufo_cmd(
    paths: Annotated[list[Path], typer.Argument(exists=True, help="UFO result files or folders.")],
    out: Annotated[Path, typer.Option("--out", help="Task file (JSONL) to write.")],
) -> None:
    """UFO dataflow results -> task lines carrying their trajectory (usable by `lam eval offline`)."""
    from lam.ufo import import_task, read_ufo_files, replayable

    imported = [import_task(d) for d in read_ufo_files(paths)]
    write_jsonl(out, imported)
    grounded = sum(replayable(t) for t in imported)
    typer.echo(f"imported {len(imported)} tasks ({grounded} replayed on the simulated screen) to {out}")


Runner = Callable[[AsyncLamClient, list[Task]], Awaitable[dict[str, Any]]]


def _run(
    runner: Runner,
    *,
    tasks: Path,
    base_url: str,
    api_key: str | None,
    limit: int | None,
    per_family: int | None,
    concurrency: int,
    timeout: float,
    retry_budget: float,
) -> dict[str, Any]:
    """``runner`` on the distinct tasks of the file (duplicates dropped and counted), against ``base_url``."""
    from lam.eval.dedupe import read_eval_tasks

    items, dropped = read_eval_tasks(tasks, limit, per_family)

    async def main() -> dict[str, Any]:
        async with eval_client(
            base_url, concurrency=concurrency, api_key=api_key, timeout=timeout, retry_budget=retry_budget
        ) as client:
            return await runner(client, items)

    result = asyncio.run(main())
    return {
        "base_url": base_url,
        "tasks_file": str(tasks),
        **result,
        "n_duplicates_dropped": len(dropped),
        "duplicate_task_ids": dropped,
    }


def _finish(result: dict[str, Any], out: Path, keys: tuple[str, ...]) -> None:
    from lam.eval.report import write_report

    paths = write_report(result, out)
    typer.echo("  ".join(f"{k}={result[k]:.3f}" if isinstance(result[k], float) else f"{k}={result[k]}" for k in keys))
    if result.get("errors"):
        typer.echo(f"errors: {dict(Counter(result['errors']))}")
    if result.get("n_duplicates_dropped"):
        typer.echo(f"duplicate tasks dropped (each distinct task counted once): {result['n_duplicates_dropped']}")
    unanswered = result.get("n_unanswered_steps", result.get("n_unanswered_tasks", 0))
    if unanswered:
        what = "steps" if "n_unanswered_steps" in result else "tasks"
        typer.echo(f"unanswered (service busy or down, left out of the scores): {unanswered} {what}")
    typer.echo("wrote " + ", ".join(str(p) for p in paths))


def _eval_options(
    tasks: TasksOpt,
    base_url: BaseUrlOpt,
    out: OutOpt,
    api_key: KeyOpt = None,
    limit: LimitOpt = None,
    per_family: PerFamilyOpt = None,
    concurrency: ConcOpt = 6,
    timeout: TimeoutOpt = TIMEOUT_S,
    retry_budget: RetryOpt = RETRY_BUDGET_S,
) -> None:
    """The options every ``lam eval`` command takes first, declared once: only the signature is used."""


def _eval_command(name: str, headline: tuple[str, ...]) -> Callable[[Callable[..., Runner]], Callable[..., None]]:
    """Register ``lam eval NAME``. Its options are ``_eval_options`` then those of the decorated
    function, which takes ``concurrency`` and its own options and returns the evaluation to run;
    the command runs it against the service, writes the report and echoes the ``headline`` metrics."""

    def register(make_runner: Callable[..., Runner]) -> Callable[..., None]:
        shared = inspect.signature(_eval_options, eval_str=True).parameters
        own = list(inspect.signature(make_runner, eval_str=True).parameters.values())[1:]  # after concurrency

        def command(**options: Any) -> None:
            common = {key: options.pop(key) for key in shared}
            out = common.pop("out")
            result = _run(make_runner(common["concurrency"], **options), **common)
            _finish(result, out, headline)

        command.__doc__ = make_runner.__doc__
        command.__signature__ = inspect.Signature([*shared.values(), *own], return_annotation=None)  # type: ignore[attr-defined]
        eval_app.command(name)(command)
        return command

    return register


@_eval_command("offline", ("object_acc", "operation_acc", "args_acc", "status_acc", "ssr", "tsr"))
def offline_cmd(concurrency: int) -> Runner:
    """Judge each expert step (teacher forcing): Object/Operation/Args/Status Acc, SSR, TSR."""
    from lam.eval.offline import evaluate_offline

    return lambda c, t: evaluate_offline(c, t, concurrency)


@_eval_command("online", ("tsr", "avg_steps", "avg_completion_time_s", "avg_step_latency_s"))
def online_cmd(concurrency: int, max_steps: Annotated[int, typer.Option("--max-steps", min=1)] = 30) -> Runner:
    """Closed loop in the simulator: TSR, steps, completion time, step latency."""
    from lam.eval.online import evaluate_online

    return lambda c, t: evaluate_online(c, t, concurrency, max_steps)


if __name__ == "__main__":
    app()
