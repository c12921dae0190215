"""A deliberately limited expert: the stand-in for GPT-4o's failures in the paper.

Our task generator's expert is a program that solves every task, so phases 3 and 4 would have
nothing to boost. The paper's expert (GPT-4o) failed a part of the tasks, and the LAM learned from
its own successes there. We reproduce that by limiting the expert: it *gives up on tasks that need
more than ``max_actions`` actions* (long compositions: emphasis_triple, replace_all and page_setup
need 5 to 9) and *cannot do* the ``unable`` families at all. Phase 2 learns from what it solves;
phase 3 lets the model try the rest.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LimitedExpert:
    max_actions: int = 4
    unable: frozenset[str] = field(default_factory=frozenset)

    def solves(self, family: str, n_actions: int) -> bool:
        return family not in self.unable and n_actions <= self.max_actions

    def describe(self) -> str:
        unable = ", ".join(sorted(self.unable)) or "none"
        return f"limited expert: gives up past {self.max_actions} actions; cannot do: {unable}"


def actions_per_task(records: Iterable[dict[str, Any]]) -> dict[str, tuple[str, int]]:
    """task_id -> (family, actions), from phase-2 records (one per step; the last is FINISH, no action)."""
    counts: Counter[str] = Counter()
    family: dict[str, str] = {}
    for r in records:
        family[r["task_id"]] = r["family"]
        counts[r["task_id"]] += r["expected"]["action"] is not None
    return {tid: (family[tid], counts[tid]) for tid in family}


def split_by_expert(
    records: Sequence[dict[str, Any]], expert: LimitedExpert | None
) -> tuple[list[dict[str, Any]], set[str]]:
    """(records of tasks the expert solves, ids of the tasks it fails); ``None`` is the full expert."""
    if expert is None:
        return list(records), set()
    tasks = actions_per_task(records)
    failed = {tid for tid, (fam, n) in tasks.items() if not expert.solves(fam, n)}
    return [r for r in records if r["task_id"] not in failed], failed


def expert_from_args(kind: str, max_actions: int, unable: Sequence[str]) -> LimitedExpert | None:
    if kind == "full":
        return None
    return LimitedExpert(max_actions=max_actions, unable=frozenset(unable))


def add_expert_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--expert",
        choices=("limited", "full"),
        default="limited",
        help="whose trajectories to learn from (default: the limited expert's successes)",
    )
    parser.add_argument("--expert-max-actions", type=int, default=4, help="the limited expert gives up past this")
    parser.add_argument("--expert-unable", nargs="*", default=[], help="families the limited expert cannot do")


@dataclass(frozen=True)
class ExpertOptions:
    """What ``add_expert_args`` parses (field names are the flags', for ``options.from_namespace``)."""

    expert: str
    expert_max_actions: int
    expert_unable: tuple[str, ...]

    def limited(self) -> LimitedExpert | None:
        """The expert these options describe (``None``: the full expert)."""
        return expert_from_args(self.expert, self.expert_max_actions, self.expert_unable)

    def settings(self) -> dict[str, object]:
        """As a run's config records them (``expert_unable`` a list, as argparse gave it)."""
        return {
            "expert": self.expert,
            "expert_max_actions": self.expert_max_actions,
            "expert_unable": list(self.expert_unable),
        }
