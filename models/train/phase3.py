"""Phase 3, self-boosting (the paper's LAM3): the model tries what the expert could not.

1. Tasks of the training split that the limited expert fails (``expert.py``).
2. The phase-2 model (``--init``) runs each of them in the simulator (``rollout.py``): decoded
   in-process under the service's constraint (``decode.py``), or, with ``--service URL``, answered by
   a running service that serves that adapter (``served.py``: on CPU ~5x faster a step, and
   ``--rollout-workers`` episodes at once; greedy only). ``--rollout-only`` stops after the episodes,
   so the service can be stopped before training resumes the run.
3. Its successful episodes (checker passed, ended with FINISH) become phase-2 records, added to the
   expert's; training continues from the phase-2 adapter on the union. ``--tries K`` gives each task
   K episodes (the first greedy, the others sampled at ``--temperature``) until one succeeds.
4. ``--dagger-per-family N``: the model also plays N training tasks per family (any kind), and on
   the states of its failed episodes the full expert labels the right next action from where it
   stands (``dagger.py``): recovery data from the model's own states. Failed exploration episodes
   of step 2 are relabelled the same way.

Every episode, success or not, is kept in ``out/rollouts.jsonl``: the failures are the reward
model's negatives and phase 4's states. Rollouts are resumable (finished tasks are skipped).
"""

from __future__ import annotations

import argparse
import gc
from dataclasses import dataclass
from pathlib import Path

from lam.tasks.model import Task, read_tasks
from models.train.augment_options import AugmentOptions, add_augment_args
from models.train.dagger import distinct_states, relabel_all
from models.train.data import read_jsonl, select_tasks, tokenize_all
from models.train.expert import ExpertOptions, add_expert_args, split_by_expert
from models.train.kinds import add_kind_repeat_arg, repeat_by_kind, task_kinds
from models.train.lora import load_merged
from models.train.options import RunOptions, add_run_args
from models.train.phase2 import expert_settings
from models.train.policy import LazyPolicy, Policy
from models.train.rollout import MAX_STEPS, roll_out, success_records
from models.train.sft import run_sft


def add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, required=True, help="folder of `lam data generate`")
    parser.add_argument("--per-family", type=int, default=None, help="expert tasks per family in the retraining")
    parser.add_argument(
        "--rollout-per-family", type=int, default=None, help="expert-failed tasks tried per family (default: all)"
    )
    parser.add_argument("--max-episode-steps", type=int, default=MAX_STEPS)
    parser.add_argument("--self-weight", type=float, default=1.0, help="loss weight of self-generated steps")
    parser.add_argument("--tries", type=int, default=1, help="episodes per expert-failed task (first greedy)")
    parser.add_argument("--temperature", type=float, default=0.7, help="sampling temperature of tries after the first")
    parser.add_argument(
        "--dagger-per-family", type=int, default=0, help="training tasks per family played for expert relabelling"
    )
    parser.add_argument("--dagger-weight", type=float, default=1.0, help="loss weight of relabelled states")
    parser.add_argument(
        "--dagger-distinct",
        action="store_true",
        help="keep one relabelled state per (task, screen, label): a loop's repeats once (dagger.distinct_states)",
    )
    parser.add_argument(
        "--service",
        default=None,
        metavar="URL",
        help="play the episodes through this running service, which must serve --init's adapter (greedy: "
        "--tries 1); on CPU ~5x faster than in-process decoding",
    )
    parser.add_argument(
        "--rollout-workers", type=int, default=1, help="episodes played at once (with --service: the layer batches)"
    )
    parser.add_argument(
        "--rollout-only",
        action="store_true",
        help="stop after the episodes (then run again without --service to train on them)",
    )
    add_kind_repeat_arg(parser)
    add_expert_args(parser)
    add_augment_args(parser)
    add_run_args(parser, lr=1e-4)


@dataclass(frozen=True)
class Phase3Config:
    """``phase3``'s flags (``add_args``), parsed once by ``options.parse``."""

    data: Path
    per_family: int | None
    rollout_per_family: int | None
    max_episode_steps: int
    self_weight: float
    tries: int
    temperature: float
    dagger_per_family: int
    dagger_weight: float
    dagger_distinct: bool
    service: str | None
    rollout_workers: int
    rollout_only: bool
    kind_repeat: tuple[tuple[str, int], ...]
    expert: ExpertOptions
    augment: AugmentOptions
    run: RunOptions


def pick(tasks: list[Task], per_family: int | None, seed: int) -> list[Task]:
    """``per_family`` of ``tasks`` per family (all for ``None``), chosen by ``data.select_tasks``."""
    rows = [{"task_id": t.task_id, "family": t.family} for t in tasks]
    keep = {r["task_id"] for r in select_tasks(rows, per_family, seed)}
    return [t for t in tasks if t.task_id in keep]


def dagger_tasks(config: Phase3Config, exclude: set[str]) -> list[Task]:
    """``--dagger-per-family`` training tasks per family (any kind), not among the explored ones."""
    if not config.dagger_per_family:
        return []
    tasks = [t for t in read_tasks(config.data / "train.jsonl") if t.task_id not in exclude]
    return pick(tasks, config.dagger_per_family, config.run.seed + 1)


def policy_of(config: Phase3Config) -> Policy:
    """The model that plays: the service at ``--service``, else ``--init`` decoded in-process (loaded only
    when an episode is still to be played: a resumed run whose episodes are on file loads nothing)."""
    if config.service:
        if config.tries > 1:
            raise SystemExit("--service decodes greedily: sampled tries (--tries > 1) need in-process decoding")
        from models.train.served import ServedPolicy

        return ServedPolicy(config.service)
    if config.rollout_workers > 1:
        raise SystemExit("--rollout-workers > 1 needs --service: in-process decoding plays one episode at a time")
    opts = config.run
    assert opts.init is not None

    def local() -> Policy:
        from models.train.decode import LocalPolicy

        return LocalPolicy(load_merged(opts.base, opts.init), opts.renderer())

    return LazyPolicy(local)


def run(config: Phase3Config) -> None:
    opts = config.run
    if opts.init is None:
        raise SystemExit("phase3 needs --init: the phase-2 adapter that plays the tasks")
    expert = config.expert.limited()
    if expert is None:
        raise SystemExit("phase3 boosts on the tasks a limited expert fails: use --expert limited")
    records = read_jsonl(config.data / "phase2_train.jsonl")
    solved, failed = split_by_expert(records, expert)
    opts.out.mkdir(parents=True, exist_ok=True)
    renderer = opts.renderer()

    failed_tasks = [t for t in read_tasks(config.data / "train.jsonl") if t.task_id in failed]
    tried = pick(failed_tasks, config.rollout_per_family, opts.seed)
    print(
        f"[phase3] {expert.describe()}; the phase-2 model tries {len(tried)} of its {len(failed)} failures", flush=True
    )
    policy = policy_of(config)
    workers = config.rollout_workers
    episodes = roll_out(
        policy, tried, opts.out / "rollouts.jsonl", config.max_episode_steps, config.tries, config.temperature, workers
    )
    played = dagger_tasks(config, {t.task_id for t in tried})
    dagger_episodes = roll_out(
        policy, played, opts.out / "dagger_rollouts.jsonl", config.max_episode_steps, workers=workers
    )
    del policy
    gc.collect()
    if config.rollout_only:
        print(f"[phase3] episodes on file in {opts.out}; --rollout-only: no training", flush=True)
        return
    wins = len({e["task"]["task_id"] for e in episodes if e["success"]})
    print(
        f"[phase3] self-boosting: {wins}/{len(tried)} expert-failed tasks solved by the model "
        f"({len(episodes)} episodes, up to {config.tries} tries each)",
        flush=True,
    )
    states = relabel_all([*episodes, *dagger_episodes])
    if config.dagger_distinct:
        distinct = distinct_states(states)
        print(f"[phase3] {len(states)} relabelled states, {len(distinct)} distinct (--dagger-distinct)", flush=True)
        states = distinct
    relabelled = [{**r, "weight": config.dagger_weight} for r in states]
    print(
        f"[phase3] own states: {len(relabelled)} steps relabelled by the full expert "
        f"({sum(not e['success'] for e in dagger_episodes)}/{len(dagger_episodes)} played training tasks failed)",
        flush=True,
    )

    own = [{**r, "weight": config.self_weight} for r in success_records(episodes)]
    taught = select_tasks(solved, config.per_family, opts.seed)
    if config.kind_repeat:
        taught = repeat_by_kind(taught, task_kinds(config.data / "train.jsonl"), dict(config.kind_repeat))
    kept = taught + own + relabelled
    train = config.augment.apply(kept, config.data, opts.seed, "phase3")
    train_config = opts.train_config(
        "phase3",
        **expert_settings(config.data, config.per_family, config.expert),
        rollout_per_family=config.rollout_per_family,
        self_weight=config.self_weight,
        boosted_tasks=wins,
        tried_tasks=len(tried),
        tries=config.tries,
        temperature=config.temperature,
        dagger_per_family=config.dagger_per_family,
        dagger_weight=config.dagger_weight,
        **({"dagger_distinct": True} if config.dagger_distinct else {}),
        dagger_states=len(relabelled),
        **({"kind_repeat": dict(config.kind_repeat)} if config.kind_repeat else {}),
        **config.augment.settings(),
    )
    run_sft(opts, train_config, renderer, tokenize_all(renderer, train, "phase2", opts.max_len))
