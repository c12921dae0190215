"""Load and validate the task catalog: families, infeasible families and value pools.

The catalog is data (``families.yaml``, ``infeasible.yaml``, ``pools.yaml`` next to this file);
this module turns it into typed, immutable objects and refuses a broken catalog with a
``CatalogError`` that names the file and the entry. Loaders are cached per resolved path, so
reading the catalog many times (one generator per split, tests) parses it once.

Rules checked here (content quotas such as "at least 100 families" are the tests' business):

* ids are snake_case and unique (families and infeasible families share one namespace);
  mappings have no duplicate keys and entries no unknown keys;
* every param names an existing pool; a ``scope`` param's pool holds every target of its family;
* targets, kinds, links and categories come from their fixed lists; every family is feasible,
  and no family is both ``already_done`` and ``confirm``;
* descriptions, checkers and ui_path steps are non-empty strings;
* a composition has 2-4 distinct members, each an existing non-composition family; its kinds
  agree with its members' (``already_done`` only if every member can be already done,
  ``confirm`` exactly when some member is destructive, ``recovery`` only if some member has a
  recovery), and ``same_target`` members share at least one target;
* pool items are strings, numbers or flat mappings of those (never booleans: an unquoted
  ``On``/``No`` in YAML is a boolean), with no duplicates.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, NoReturn

import yaml

CATALOG_DIR: Final = Path(__file__).resolve().parent
FAMILIES_FILE: Final = "families.yaml"
INFEASIBLE_FILE: Final = "infeasible.yaml"
POOLS_FILE: Final = "pools.yaml"

KINDS: Final = ("feasible", "already_done", "confirm", "recovery")
TARGETS: Final = (
    "word_part", "word", "phrase", "sentence", "paragraph", "paragraphs", "document",
    "table", "table_cell", "page", "section", "header", "footer", "file", "view",
)  # fmt: skip
LINKS: Final = ("same_target", "chained", "independent")
COMPOSITION: Final = "composition"
SCOPE_PARAM: Final = "scope"
MIN_MEMBERS: Final = 2
MAX_MEMBERS: Final = 4

Scalar = str | int | float
Item = Scalar | Mapping[str, Scalar]

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class CatalogError(ValueError):
    """The catalog data is malformed; the message names the file and the entry."""

    def __init__(self, file: Path | str, entry: str, problem: str) -> None:
        super().__init__(f"{file}: {entry}: {problem}")
        self.file = str(file)
        self.entry = entry
        self.problem = problem


@dataclass(frozen=True)
class Pool:
    """A list of values a family parameter is drawn from, in a fixed order."""

    id: str
    description: str
    items: tuple[Item, ...]
    closed: bool = False  # the items are Word's whole set of choices: the pool cannot grow

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Family:
    """A kind of feasible request; a composition has ``members`` and derives the rest from them.

    For a composition, ``targets`` is the ordered union of the members' targets, ``params``
    maps ``"<member>.<param>"`` to the member's pool, and ``ui_path`` (unless given) is the
    members' steps one after the other.
    """

    id: str
    category: str
    description: str
    targets: tuple[str, ...]
    params: Mapping[str, str]
    kinds: tuple[str, ...]
    ui_path: tuple[str, ...]
    checker: str
    members: tuple[str, ...] = ()
    link: str | None = None

    @property
    def is_composition(self) -> bool:
        return bool(self.members)

    def has_kind(self, kind: str) -> bool:
        return kind in self.kinds


@dataclass(frozen=True)
class InfeasibleFamily:
    """A kind of request Word cannot carry out: the right answer is FAIL, the document untouched."""

    id: str
    reason: str
    description: str
    params: Mapping[str, str]


@dataclass(frozen=True)
class Catalog:
    pools: Mapping[str, Pool]
    categories: Mapping[str, str]  # id -> title, in file order
    families: Mapping[str, Family]  # in file order
    reasons: Mapping[str, str]  # id -> title
    infeasible: Mapping[str, InfeasibleFamily]

    def atomic(self) -> list[Family]:
        return [f for f in self.families.values() if not f.is_composition]

    def compositions(self) -> list[Family]:
        return [f for f in self.families.values() if f.is_composition]

    def by_category(self) -> dict[str, list[Family]]:
        out: dict[str, list[Family]] = {c: [] for c in self.categories}
        for family in self.families.values():
            out[family.category].append(family)
        return out

    def with_kind(self, kind: str) -> list[Family]:
        if kind not in KINDS:
            raise KeyError(kind)
        return [f for f in self.families.values() if f.has_kind(kind)]

    def members(self, family: Family) -> list[Family]:
        return [self.families[m] for m in family.members]


# ---- YAML reading --------------------------------------------------------------------------------
class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping with a repeated key (plain YAML keeps the last one)."""


def _construct_unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, f"found duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_UniqueKeyLoader)  # a SafeLoader subclass: no arbitrary objects
    except OSError as exc:
        raise CatalogError(path, "file", f"cannot be read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise CatalogError(path, "file", f"is not valid YAML: {exc}") from exc


class _Entry:
    """One mapping of a catalog file, with typed getters whose errors name the file and entry."""

    def __init__(self, file: Path, section: str, index: int, raw: Any, allowed: Sequence[str]) -> None:
        self.file = file
        ident = raw.get("id") if isinstance(raw, dict) else None
        self.label = f"{section} {ident!r}" if isinstance(ident, str) and ident else f"{section}[{index}]"
        if not isinstance(raw, dict):
            self.fail(f"must be a mapping, not {type(raw).__name__}")
        self.raw: dict[str, Any] = raw
        unknown = sorted(set(raw) - set(allowed), key=str)
        if unknown:
            self.fail(f"unknown key(s) {', '.join(map(repr, unknown))} (allowed: {', '.join(allowed)})")

    def fail(self, problem: str) -> NoReturn:
        raise CatalogError(self.file, self.label, problem)

    def has(self, key: str) -> bool:
        return key in self.raw

    def text(self, key: str) -> str:
        value = self.raw.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{key!r} must be a non-empty string")
        return " ".join(str(value).split())

    def ident(self) -> str:
        value = self.text("id")
        if not _ID.match(value):
            self.fail(f"id {value!r} is not snake_case")
        return value

    def strings(self, key: str, *, scalar_ok: bool = False, unique: bool = True) -> tuple[str, ...]:
        value = self.raw.get(key)
        if scalar_ok and isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            self.fail(f"{key!r} must be a non-empty list of strings")
        out: list[str] = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{key!r} holds {item!r}, not a non-empty string")
            out.append(" ".join(item.split()))
        if unique and len(set(out)) != len(out):
            self.fail(f"{key!r} repeats a value: {out}")
        return tuple(out)

    def choices(self, key: str, allowed: Sequence[str], *, scalar_ok: bool = False) -> tuple[str, ...]:
        values = self.strings(key, scalar_ok=scalar_ok)
        for value in values:
            if value not in allowed:
                self.fail(f"{key!r} holds unknown value {value!r} (allowed: {', '.join(allowed)})")
        return values

    def choice(self, key: str, allowed: Sequence[str]) -> str:
        value = self.text(key)
        if value not in allowed:
            self.fail(f"{key!r} is {value!r}; allowed: {', '.join(allowed)}")
        return value

    def params(self, pools: Mapping[str, Pool]) -> Mapping[str, str]:
        value = self.raw.get("params", {})
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self.fail("'params' must be a mapping of parameter name to pool id")
        for name, pool in value.items():
            if not isinstance(name, str) or not _ID.match(name):
                self.fail(f"parameter name {name!r} is not snake_case")
            if not isinstance(pool, str):
                self.fail(f"parameter {name!r} must name a pool id, not {pool!r}")
            if pool not in pools:
                self.fail(f"parameter {name!r} names unknown pool {pool!r}")
        return MappingProxyType(dict(value))


def _list_section(file: Path, data: Any, key: str) -> list[Any]:
    if not isinstance(data, dict) or key not in data:
        raise CatalogError(file, "file", f"must be a mapping with a {key!r} list")
    section = data[key]
    if not isinstance(section, list) or not section:
        raise CatalogError(file, key, "must be a non-empty list")
    return section


def _check_unique(file: Path, label: str, seen: set[str], ident: str) -> None:
    if ident in seen:
        raise CatalogError(file, label, f"duplicate id {ident!r}")
    seen.add(ident)


def _titles(file: Path, data: Any, key: str) -> Mapping[str, str]:
    out: dict[str, str] = {}
    for index, raw in enumerate(_list_section(file, data, key)):
        entry = _Entry(file, key, index, raw, ("id", "title"))
        ident = entry.ident()
        _check_unique(file, entry.label, set(out), ident)
        out[ident] = entry.text("title")
    return MappingProxyType(out)


# ---- pools ---------------------------------------------------------------------------------------
def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _item(entry: _Entry, position: int, value: Any) -> Item:
    if _scalar(value):
        return value  # type: ignore[no-any-return]
    if isinstance(value, dict) and value and all(isinstance(k, str) and _scalar(v) for k, v in value.items()):
        return MappingProxyType(dict(value))
    entry.fail(f"item {position} is {value!r}: items are strings, numbers or flat mappings (quote On/Off/Yes/No)")


def _canonical(item: Item) -> str:
    if isinstance(item, Mapping):
        return repr(sorted(item.items()))
    return repr(item)


def _parse_pools(path: Path) -> Mapping[str, Pool]:
    pools: dict[str, Pool] = {}
    for index, raw in enumerate(_list_section(path, _read(path), "pools")):
        entry = _Entry(path, "pool", index, raw, ("id", "description", "closed", "items"))
        ident = entry.ident()
        _check_unique(path, entry.label, set(pools), ident)
        closed = entry.raw.get("closed", False)
        if not isinstance(closed, bool):
            entry.fail("'closed' must be true or false")
        values = entry.raw.get("items")
        if not isinstance(values, list) or not values:
            entry.fail("'items' must be a non-empty list")
        items = tuple(_item(entry, i, v) for i, v in enumerate(values))
        seen: set[str] = set()
        for item in items:
            key = _canonical(item)
            if key in seen:
                entry.fail(f"duplicate item {item!r}")
            seen.add(key)
        pools[ident] = Pool(ident, entry.text("description"), items, closed)
    return MappingProxyType(pools)


# ---- families ------------------------------------------------------------------------------------
_FAMILY_KEYS = ("id", "category", "description", "target", "params", "kinds", "ui_path", "checker")
_COMPOSITION_KEYS = ("id", "category", "description", "members", "link", "kinds", "ui_path", "checker")


def _kinds(entry: _Entry) -> tuple[str, ...]:
    kinds = entry.choices("kinds", KINDS)
    if "feasible" not in kinds:
        entry.fail("'kinds' must include 'feasible'")
    if "already_done" in kinds and "confirm" in kinds:
        entry.fail("a family cannot be both 'already_done' and 'confirm' (a destructive edit is never already done)")
    return tuple(k for k in KINDS if k in kinds)  # canonical order


def _atomic(entry: _Entry, categories: Mapping[str, str], pools: Mapping[str, Pool]) -> Family:
    ident = entry.ident()
    category = entry.text("category")
    if category == COMPOSITION:
        entry.fail(f"category {COMPOSITION!r} is for families with 'members'")
    if category not in categories:
        entry.fail(f"unknown category {category!r}")
    targets = entry.choices("target", TARGETS, scalar_ok=True)
    params = entry.params(pools)
    if SCOPE_PARAM in params:
        scopes = pools[params[SCOPE_PARAM]].items
        outside = [t for t in targets if t not in scopes]
        if outside:
            entry.fail(f"targets {outside} are not in its scope pool {params[SCOPE_PARAM]!r}")
    return Family(
        id=ident,
        category=category,
        description=entry.text("description"),
        targets=targets,
        params=params,
        kinds=_kinds(entry),
        ui_path=entry.strings("ui_path", unique=False),
        checker=entry.text("checker"),
    )


def _composition(entry: _Entry, atomic: Mapping[str, Family], compositions: set[str]) -> Family:
    ident = entry.ident()
    if entry.text("category") != COMPOSITION:
        entry.fail(f"a family with 'members' must have category {COMPOSITION!r}")
    names = entry.strings("members")
    if not MIN_MEMBERS <= len(names) <= MAX_MEMBERS:
        entry.fail(f"has {len(names)} members; a composition has {MIN_MEMBERS} to {MAX_MEMBERS}")
    for name in names:
        if name in compositions:
            entry.fail(f"member {name!r} is itself a composition")
        if name not in atomic:
            entry.fail(f"member {name!r} is not a family of this catalog")
    members = [atomic[n] for n in names]
    link = entry.choice("link", LINKS)
    kinds = _kinds(entry)
    if "already_done" in kinds and not all(m.has_kind("already_done") for m in members):
        entry.fail("'already_done' needs every member to allow 'already_done'")
    destructive = [m.id for m in members if m.has_kind("confirm")]
    if destructive and "confirm" not in kinds:
        entry.fail(f"members {destructive} are destructive, so 'kinds' must include 'confirm'")
    if "confirm" in kinds and not destructive:
        entry.fail("'confirm' needs a destructive member (one whose kinds include 'confirm')")
    if "recovery" in kinds and not any(m.has_kind("recovery") for m in members):
        entry.fail("'recovery' needs a member that allows 'recovery'")
    if link == "same_target" and not set.intersection(*(set(m.targets) for m in members)):
        entry.fail(f"link 'same_target' but the members share no target: {[m.targets for m in members]}")
    targets = tuple(dict.fromkeys(t for m in members for t in m.targets))
    params = MappingProxyType({f"{m.id}.{p}": pool for m in members for p, pool in m.params.items()})
    derived = tuple(step for m in members for step in m.ui_path)
    ui_path = entry.strings("ui_path", unique=False) if entry.has("ui_path") else derived
    return Family(
        id=ident,
        category=COMPOSITION,
        description=entry.text("description"),
        targets=targets,
        params=params,
        kinds=kinds,
        ui_path=ui_path,
        checker=entry.text("checker"),
        members=names,
        link=link,
    )


def _parse_families(path: Path, pools: Mapping[str, Pool]) -> tuple[Mapping[str, str], Mapping[str, Family]]:
    data = _read(path)
    categories = _titles(path, data, "categories")
    if COMPOSITION not in categories:
        raise CatalogError(path, "categories", f"must include {COMPOSITION!r}")
    raws = _list_section(path, data, "families")
    entries: list[_Entry] = []
    seen: set[str] = set()
    for index, raw in enumerate(raws):
        is_composition = isinstance(raw, dict) and "members" in raw
        entry = _Entry(path, "family", index, raw, _COMPOSITION_KEYS if is_composition else _FAMILY_KEYS)
        _check_unique(path, entry.label, seen, entry.ident())
        entries.append(entry)
    compositions = {e.ident() for e in entries if e.has("members")}
    atomic = {f.id: f for f in (_atomic(e, categories, pools) for e in entries if not e.has("members"))}
    families: dict[str, Family] = {}
    for entry in entries:  # file order
        ident = entry.ident()
        families[ident] = atomic[ident] if ident in atomic else _composition(entry, atomic, compositions)
    return categories, MappingProxyType(families)


def _parse_infeasible(
    path: Path, pools: Mapping[str, Pool]
) -> tuple[Mapping[str, str], Mapping[str, InfeasibleFamily]]:
    data = _read(path)
    reasons = _titles(path, data, "reasons")
    out: dict[str, InfeasibleFamily] = {}
    for index, raw in enumerate(_list_section(path, data, "infeasible")):
        entry = _Entry(path, "infeasible", index, raw, ("id", "reason", "description", "params"))
        ident = entry.ident()
        _check_unique(path, entry.label, set(out), ident)
        reason = entry.text("reason")
        if reason not in reasons:
            entry.fail(f"unknown reason {reason!r} (allowed: {', '.join(reasons)})")
        out[ident] = InfeasibleFamily(ident, reason, entry.text("description"), entry.params(pools))
    return reasons, MappingProxyType(out)


# ---- cached loaders ------------------------------------------------------------------------------
@functools.cache
def _pools_at(path: Path) -> Mapping[str, Pool]:
    return _parse_pools(path)


@functools.cache
def _families_at(path: Path, pools_path: Path) -> tuple[Mapping[str, str], Mapping[str, Family]]:
    return _parse_families(path, _pools_at(pools_path))


@functools.cache
def _infeasible_at(path: Path, pools_path: Path) -> tuple[Mapping[str, str], Mapping[str, InfeasibleFamily]]:
    return _parse_infeasible(path, _pools_at(pools_path))


@functools.cache
def _catalog_at(directory: Path) -> Catalog:
    pools_path = directory / POOLS_FILE
    categories, families = _families_at(directory / FAMILIES_FILE, pools_path)
    reasons, infeasible = _infeasible_at(directory / INFEASIBLE_FILE, pools_path)
    for ident in infeasible:
        if ident in families:
            raise CatalogError(directory / INFEASIBLE_FILE, f"infeasible {ident!r}", "id is also a feasible family")
    return Catalog(_pools_at(pools_path), categories, families, reasons, infeasible)


def load_pools(path: Path | str = CATALOG_DIR / POOLS_FILE) -> Mapping[str, Pool]:
    """The pools of ``path`` by id, in file order (cached)."""
    return _pools_at(Path(path).resolve())


def load_families(
    path: Path | str = CATALOG_DIR / FAMILIES_FILE, pools: Path | str = CATALOG_DIR / POOLS_FILE
) -> Mapping[str, Family]:
    """The families of ``path`` by id, in file order, checked against the pools file (cached)."""
    return _families_at(Path(path).resolve(), Path(pools).resolve())[1]


def load_infeasible(
    path: Path | str = CATALOG_DIR / INFEASIBLE_FILE, pools: Path | str = CATALOG_DIR / POOLS_FILE
) -> Mapping[str, InfeasibleFamily]:
    """The infeasible families of ``path`` by id, in file order (cached)."""
    return _infeasible_at(Path(path).resolve(), Path(pools).resolve())[1]


def load_catalog(directory: Path | str = CATALOG_DIR) -> Catalog:
    """The whole catalog of ``directory`` (the three YAML files), validated (cached)."""
    return _catalog_at(Path(directory).resolve())
