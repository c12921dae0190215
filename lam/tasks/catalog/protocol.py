"""The evaluation protocol over the task catalog: which families, templates and pool values each
split may use, fixed by hash rules in this file (no hand-picking, no RNG state).

Splits: ``train`` and ``val`` (the *main* families with their *dev* templates and dev values),
``test`` (the main families with their test templates and test values), ``heldout_dev`` and
``heldout_test`` (two disjoint groups of families that never appear in train, val or test).
``test`` and ``heldout_test`` are *sealed*: ``sealed.json`` next to this file holds a fingerprint
of everything they are made of, and a unit test fails when the catalog changes under them.

Rules (version ``v1``; see docs/task-families.md, "Evaluation protocol"):

* **Held-out families.** Atomic feasible families are sorted by category id, then within a
  category by ``sha256("heldout-v1:<id>")``; walking that list, position ``i`` goes to
  ``heldout_dev`` when ``i % 8 == 0``, to ``heldout_test`` when ``i % 8 == 4``, else to main
  (systematic sampling of a stratified list: the groups differ in size by at most one and each
  takes its share of every category). Infeasible families follow the same rule, stratified by
  reason. A composition joins ``heldout_test`` if any member is in it, else ``heldout_dev`` if
  any member is in that, else main: a composition of held-out members cannot be trained on, and
  a composition mixing both groups goes to the sealed one so nothing sealed reaches development.
* **Templates.** For a main family with ``n`` templates, the template indices are ranked by
  ``sha256("templates-v1:<family>:<index>")`` and the first ``n // 3`` are test templates (4 of
  12, 2 of 6), the rest dev templates. The rule looks at positions, not texts, so rewording a
  dev template never moves it into test. A held-out family uses all its templates.
* **Pool values.** An item of an open pool is a test value when ``sha256("values-v1:<json>")``
  (the item as canonical JSON, no pool id) falls below 30 % of the hash range; a pool left with
  fewer than 2 items on a side moves its items nearest the threshold across, in every open pool
  holding them, so a value is on one side in all open pools. Closed pools (Word's complete set of choices) are shared
  by every split. ``heldout_dev`` draws dev values (development never sees a test value),
  ``heldout_test`` test values (everything in it is unseen during development).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal

import yaml

from lam.tasks.catalog.loader import CATALOG_DIR, Catalog, Item, Pool, load_catalog
from lam.tasks.catalog.request_wordings import Wording, load_wordings
from lam.tasks.v2.render import PLACE_TEXTS_FILE, VALUE_TEXTS_FILE, VALUE_WORDS_FILE

VERSION: Final = "v1"
# How requests read: the renderer's data files, part of every sealed request's text but not of what a
# split is drawn from. A change to them bumps RENDER, not VERSION (which would redraw every split and
# put families a model was trained on into the held-out groups); sealed figures are reported with the
# render they were scored under. 1: places read bare ("end of document the whole document");
# 2: a place reads with its anchor ("at the end of the document", "after the second paragraph");
# 3: values read as a user writes them (value_words.yaml: "the ruler visible", "3/14/2025", "110%",
# quoted sentences to type) with a/an and singular-after-1 agreement, and a target's reference that
# no longer repeats its template's noun (comments, page numbers, page breaks: the drawers' code).
# The renderer's and drawers' code is outside these files: ``sealed.json``'s ``*_sample`` hashes
# (``lam.tasks.v2.generate.sealed_sample``: the first task of every sealed family, as generated)
# catch a code change that rewords or redraws a sealed task.
RENDER: Final = "3"
RENDER_FILES: Final[tuple[Path, ...]] = (VALUE_TEXTS_FILE, VALUE_WORDS_FILE, PLACE_TEXTS_FILE)
SEALED_FILE: Final = CATALOG_DIR / "sealed.json"

Group = Literal["main", "heldout_dev", "heldout_test"]
Split = Literal["train", "val", "test", "heldout_dev", "heldout_test"]
Side = Literal["dev", "test"]

SPLITS: Final[tuple[Split, ...]] = ("train", "val", "test", "heldout_dev", "heldout_test")
SEALED: Final[tuple[Split, ...]] = ("test", "heldout_test")
HELDOUT_PERIOD: Final = 8  # position i of the stratified list: i % 8 == 0 -> dev, == 4 -> test
HELDOUT_SLOTS: Final[Mapping[int, Group]] = MappingProxyType({0: "heldout_dev", 4: "heldout_test"})
TEST_TEMPLATE_DIVISOR: Final = 3  # n // 3 of a family's n templates are test templates
TEST_VALUE_SHARE: Final = 0.30
MIN_SIDE: Final = 2  # every open pool keeps at least this many items on each side

SEALED_MESSAGE: Final = "the sealed sets changed: bump the protocol version and void earlier results on them"


class SealedSetChanged(AssertionError):
    """The catalog changed under a sealed split (its fingerprint differs from ``sealed.json``)."""


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")


_HASH_RANGE: Final = 1 << 256


def _to_json(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_json(v) for v in value]
    return value


def canonical_json(value: Any) -> str:
    """One text per value: sorted keys, no spaces, mappings and tuples as JSON objects and lists."""
    return json.dumps(_to_json(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# ---- the rules -----------------------------------------------------------------------------------
def _stratified(strata: Mapping[str, list[str]]) -> dict[str, Group]:
    """Systematic sampling: strata in id order, each ranked by hash, every 8th to a held-out group."""
    ordered = [
        ident
        for stratum in sorted(strata)
        for ident in sorted(strata[stratum], key=lambda i: (_hash(f"heldout-{VERSION}:{i}"), i))
    ]
    return {ident: HELDOUT_SLOTS.get(i % HELDOUT_PERIOD, "main") for i, ident in enumerate(ordered)}


def family_groups(catalog: Catalog) -> dict[str, Group]:
    """Every family id (feasible and infeasible) -> its group, by the rule in the module docstring."""
    atomic: dict[str, list[str]] = {}
    for family in catalog.atomic():
        atomic.setdefault(family.category, []).append(family.id)
    groups = _stratified(atomic)
    for family in catalog.compositions():
        members = {groups[m] for m in family.members}
        groups[family.id] = next((g for g in ("heldout_test", "heldout_dev") if g in members), "main")
    reasons: dict[str, list[str]] = {}
    for infeasible in catalog.infeasible.values():
        reasons.setdefault(infeasible.reason, []).append(infeasible.id)
    groups.update(_stratified(reasons))
    return groups


def sealed_template_indices(family_id: str, count: int) -> frozenset[int]:
    """The positions of a main family's test templates among its ``count`` templates."""
    ranked = sorted(range(count), key=lambda i: _hash(f"templates-{VERSION}:{family_id}:{i}"))
    return frozenset(ranked[: count // TEST_TEMPLATE_DIVISOR])


def sealed_value_keys(pools: Mapping[str, Pool]) -> frozenset[str]:
    """The canonical JSON of every value that is a test value in the open pools.

    A value is a test value when its score is below ``TEST_VALUE_SHARE``. A pool left with fewer
    than ``MIN_SIDE`` items on a side takes its lowest-scoring dev items into test (or its
    highest-scoring test items back to dev), and such a move holds in every open pool holding
    the value, so a value is on one side everywhere; repeated until no pool needs a move.
    """
    open_pools = [p for p in pools.values() if not p.closed]
    keys = {canonical_json(i) for p in open_pools for i in p.items}
    scores = {k: _hash(f"values-{VERSION}:{k}") / _HASH_RANGE for k in keys}
    test = {k for k in keys if scores[k] < TEST_VALUE_SHARE}
    for _ in range(len(keys) + 1):
        moved = False
        for pool in open_pools:
            ranked = sorted(dict.fromkeys(canonical_json(i) for i in pool.items), key=lambda k: (scores[k], k))
            inside = [k for k in ranked if k in test]
            if len(inside) < MIN_SIDE:
                test.update(ranked[:MIN_SIDE])
                moved = True
            elif len(ranked) - len(inside) < MIN_SIDE:
                test.difference_update(ranked[-MIN_SIDE:])
                moved = True
        if not moved:
            return frozenset(test)
    raise ValueError("the value split does not settle: pools demand opposite sides for a shared value")


def value_sides(pool: Pool, test_keys: frozenset[str]) -> tuple[tuple[Item, ...], tuple[Item, ...]]:
    """A pool's (dev, test) items in pool order; a closed pool is all dev and all test."""
    if pool.closed:
        return pool.items, pool.items
    dev = tuple(i for i in pool.items if canonical_json(i) not in test_keys)
    return dev, tuple(i for i in pool.items if canonical_json(i) in test_keys)


# ---- the protocol --------------------------------------------------------------------------------
@dataclass(frozen=True)
class FamilySplit:
    """One family's group and templates: a main family's dev (train/val) and test templates; a
    held-out family keeps all its templates in ``dev_templates`` (its own split uses them all)."""

    family_id: str
    group: Group
    dev_templates: tuple[Wording, ...]
    test_templates: tuple[Wording, ...]
    feasible: bool


@dataclass(frozen=True)
class PoolSplit:
    pool_id: str
    closed: bool
    dev: tuple[Item, ...]
    test: tuple[Item, ...]


@dataclass(frozen=True)
class Protocol:
    """Which families, templates and pool values each split may use (build with ``build_protocol``)."""

    version: str
    catalog: Catalog
    families: Mapping[str, FamilySplit]
    pools: Mapping[str, PoolSplit]

    def split_of_family(self, family_id: str) -> Group:
        return self.families[family_id].group

    def families_in(self, split: Split, *, feasible: bool | None = None) -> tuple[str, ...]:
        """The family ids a split draws from, in catalog order (feasible ones, then infeasible)."""
        wanted: Group = "main" if split in ("train", "val", "test") else split  # type: ignore[assignment]
        _check_split(split)
        return tuple(
            f.family_id
            for f in self.families.values()
            if f.group == wanted and (feasible is None or f.feasible == feasible)
        )

    def templates(self, family_id: str, split: Split) -> tuple[Wording, ...]:
        """The templates ``split`` may use for ``family_id``; ValueError if the family is not in it."""
        _check_split(split)
        family = self.families[family_id]
        if family.group == "main" and split in ("train", "val"):
            return family.dev_templates
        if family.group == "main" and split == "test":
            return family.test_templates
        if family.group == split:
            return family.dev_templates + family.test_templates
        raise ValueError(f"family {family_id!r} is in group {family.group!r}; split {split!r} never uses it")

    def values(self, pool_id: str, split: Split) -> tuple[Item, ...]:
        """The items ``split`` may draw from ``pool_id``: dev values for train, val and heldout_dev,
        test values for test and heldout_test; a closed pool's whole list everywhere."""
        _check_split(split)
        pool = self.pools[pool_id]
        return pool.test if split in SEALED else pool.dev


def _check_split(split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r} (splits: {', '.join(SPLITS)})")


def values_for(pool_id: str, split: Split) -> tuple[Item, ...]:
    """``build_protocol().values(pool_id, split)`` on the committed catalog."""
    return build_protocol().values(pool_id, split)


@functools.cache
def _build(catalog_dir: Path, wordings_dir: Path) -> Protocol:
    catalog = load_catalog(catalog_dir)
    wordings = load_wordings(wordings_dir)
    groups = family_groups(catalog)
    families: dict[str, FamilySplit] = {}
    for ident in [*catalog.families, *catalog.infeasible]:
        templates = wordings.get(ident, ())
        group = groups[ident]
        if group == "main":
            test = sealed_template_indices(ident, len(templates))
            dev_t = tuple(t for i, t in enumerate(templates) if i not in test)
            test_t = tuple(t for i, t in enumerate(templates) if i in test)
        else:
            dev_t, test_t = templates, ()
        families[ident] = FamilySplit(ident, group, dev_t, test_t, ident in catalog.families)
    keys = sealed_value_keys(catalog.pools)
    pools = {pid: PoolSplit(pid, p.closed, *value_sides(p, keys)) for pid, p in catalog.pools.items()}
    return Protocol(VERSION, catalog, MappingProxyType(families), MappingProxyType(pools))


def build_protocol(catalog_dir: Path | str = CATALOG_DIR, wordings_dir: Path | str | None = None) -> Protocol:
    """The protocol over the catalog in ``catalog_dir`` and the wordings in ``wordings_dir``
    (default: ``<catalog_dir>/wordings``); cached per pair of resolved paths."""
    catalog_path = Path(catalog_dir).resolve()
    wordings_path = Path(wordings_dir).resolve() if wordings_dir is not None else catalog_path / "wordings"
    return _build(catalog_path, wordings_path)


# ---- the sealed fingerprints ---------------------------------------------------------------------
def _pool_record(protocol: Protocol, pool_id: str, split: Split) -> dict[str, Any]:
    pool = protocol.pools[pool_id]
    return {"closed": pool.closed, "items": list(protocol.values(pool_id, split))}


def sealed_contents(protocol: Protocol) -> dict[str, Any]:
    """Everything the sealed splits are made of, as plain JSON-able data.

    ``test``: every main family's params (placeholder -> pool) and test templates, and every
    pool's test values. ``heldout_test``: every heldout_test family's whole definition and all
    its templates, and the test values of the pools its params name. Both carry the version.
    """
    catalog = protocol.catalog
    test_families = {
        ident: {
            "params": dict(_params(catalog, ident)),
            "templates": [t.text for t in protocol.templates(ident, "test")],
        }
        for ident in protocol.families_in("test")
    }
    test = {
        "version": protocol.version,
        "families": test_families,
        "pools": {pid: _pool_record(protocol, pid, "test") for pid in protocol.pools},
    }
    held: dict[str, Any] = {}
    used: set[str] = set()
    for ident in protocol.families_in("heldout_test"):
        if ident in catalog.families:
            f = catalog.families[ident]
            record: dict[str, Any] = {
                "category": f.category, "description": f.description, "targets": f.targets,
                "params": f.params, "kinds": f.kinds, "ui_path": f.ui_path, "checker": f.checker,
                "members": f.members, "link": f.link,
            }  # fmt: skip
        else:
            g = catalog.infeasible[ident]
            record = {"reason": g.reason, "description": g.description, "params": g.params}
        record["templates"] = [t.text for t in protocol.templates(ident, "heldout_test")]
        held[ident] = _to_json(record)
        used.update(_params(catalog, ident).values())
    heldout_test = {
        "version": protocol.version,
        "families": held,
        "pools": {pid: _pool_record(protocol, pid, "heldout_test") for pid in sorted(used)},
    }
    render = render_contents()
    return {"test": {**test, "render": render}, "heldout_test": {**heldout_test, "render": render}}


def render_contents() -> dict[str, Any]:
    """The render revision and the parsed data of every renderer file (``RENDER_FILES``)."""
    files = {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in RENDER_FILES}
    return {"revision": RENDER, "files": files}


def _params(catalog: Catalog, ident: str) -> Mapping[str, str]:
    if ident in catalog.families:
        return catalog.families[ident].params
    return catalog.infeasible[ident].params


def fingerprints(protocol: Protocol) -> dict[str, str]:
    """``{"version": ..., "render": ..., "test": sha256, "heldout_test": sha256}`` of ``sealed_contents``."""
    contents = sealed_contents(protocol)
    out = {"version": protocol.version, "render": RENDER}
    for split in SEALED:
        out[split] = hashlib.sha256(canonical_json(contents[split]).encode("utf-8")).hexdigest()
    return out


def committed_fingerprints(path: Path | str = SEALED_FILE) -> dict[str, str]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{path}: expected a JSON object of strings")
    return {str(k): str(v) for k, v in data.items()}


def check_sealed(protocol: Protocol | None = None, path: Path | str = SEALED_FILE) -> None:
    """Raise ``SealedSetChanged`` naming the changed splits if the fingerprints differ from ``path``."""
    current = fingerprints(protocol or build_protocol())
    committed = committed_fingerprints(path)
    changed = [k for k in ("version", "render", *SEALED) if current.get(k) != committed.get(k)]
    if changed:
        raise SealedSetChanged(
            f"{SEALED_MESSAGE} (changed: {', '.join(changed)}; committed {committed}, now {current})"
        )


def write_sealed(path: Path | str = SEALED_FILE) -> dict[str, str]:
    """Write the current fingerprints to ``path``: only for a new protocol version (``VERSION``
    is in every hash seed, so a new version also draws new groups, templates and values) or a new
    render revision (``RENDER``: the same tasks, read anew)."""
    from lam.tasks.v2.generate import sealed_sample  # the generator imports this module

    current = {**fingerprints(build_protocol()), **sealed_sample()}
    if Path(path).exists():
        committed = committed_fingerprints(path)
        same = all(committed.get(k) == current[k] for k in ("version", "render"))
        if same and committed != current:
            raise SealedSetChanged(f"{SEALED_MESSAGE} (refusing to overwrite {path} under the same version and render)")
    Path(path).write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    return current
