"""The evaluation protocol: held-out groups, template and value splits, and the sealed fingerprints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from lam.tasks.catalog.loader import CATALOG_DIR, Pool
from lam.tasks.catalog.protocol import (
    MIN_SIDE,
    RENDER,
    SEALED,
    SEALED_FILE,
    SEALED_MESSAGE,
    SPLITS,
    VERSION,
    SealedSetChanged,
    Split,
    build_protocol,
    canonical_json,
    check_sealed,
    committed_fingerprints,
    family_groups,
    fingerprints,
    sealed_template_indices,
    sealed_value_keys,
    values_for,
)
from lam.tasks.catalog.request_wordings import load_wordings

PROTOCOL = build_protocol()
CATALOG = PROTOCOL.catalog
HELDOUT: tuple[Split, ...] = ("heldout_dev", "heldout_test")


def _ids(group: Split, *, feasible: bool) -> set[str]:
    return {f.family_id for f in PROTOCOL.families.values() if f.group == group and f.feasible == feasible}


# ---- held-out groups -----------------------------------------------------------------------------
@pytest.mark.parametrize("feasible", [True, False])
def test_heldout_groups_are_disjoint_and_each_at_least_a_tenth(feasible: bool) -> None:
    total = len(CATALOG.families) if feasible else len(CATALOG.infeasible)
    dev, test = _ids("heldout_dev", feasible=feasible), _ids("heldout_test", feasible=feasible)
    assert not dev & test
    assert len(dev) >= 0.1 * total, (len(dev), total)
    assert len(test) >= 0.1 * total, (len(test), total)


def test_every_family_has_exactly_one_group() -> None:
    groups = family_groups(CATALOG)
    assert set(groups) == set(CATALOG.families) | set(CATALOG.infeasible)
    assert set(groups.values()) == {"main", *HELDOUT}
    for split in SPLITS:
        for ident in PROTOCOL.families_in(split):
            assert PROTOCOL.split_of_family(ident) == ("main" if split in ("train", "val", "test") else split)


def test_heldout_families_never_reach_the_main_splits() -> None:
    main = set(PROTOCOL.families_in("train"))
    assert main == set(PROTOCOL.families_in("val")) == set(PROTOCOL.families_in("test"))
    for group in HELDOUT:
        assert not main & set(PROTOCOL.families_in(group))
    for ident in main & set(CATALOG.families):
        members = CATALOG.families[ident].members
        assert all(PROTOCOL.split_of_family(m) == "main" for m in members), (ident, members)


def test_no_heldout_test_family_reaches_heldout_dev() -> None:
    for ident in PROTOCOL.families_in("heldout_dev", feasible=True):
        assert all(PROTOCOL.split_of_family(m) != "heldout_test" for m in CATALOG.families[ident].members)


def test_heldout_groups_are_spread_over_the_categories() -> None:
    for group in HELDOUT:
        categories = {CATALOG.families[i].category for i in PROTOCOL.families_in(group, feasible=True)}
        assert len(categories) >= len(CATALOG.categories) // 2, (group, categories)
        reasons = {CATALOG.infeasible[i].reason for i in PROTOCOL.families_in(group, feasible=False)}
        assert reasons, group


def test_a_family_outside_a_split_has_no_templates_there() -> None:
    held = PROTOCOL.families_in("heldout_test")[0]
    main = PROTOCOL.families_in("train")[0]
    others: tuple[Split, ...] = ("train", "val", "test", "heldout_dev")
    for split in others:
        with pytest.raises(ValueError, match="never uses it"):
            PROTOCOL.templates(held, split)
    with pytest.raises(ValueError, match="never uses it"):
        PROTOCOL.templates(main, "heldout_dev")
    with pytest.raises(ValueError, match="unknown split"):
        PROTOCOL.templates(main, "dev")  # type: ignore[arg-type]


# ---- templates and values ------------------------------------------------------------------------
def test_main_templates_are_split_disjointly_a_third_to_test() -> None:
    for ident in PROTOCOL.families_in("train"):
        dev, test = PROTOCOL.templates(ident, "train"), PROTOCOL.templates(ident, "test")
        assert PROTOCOL.templates(ident, "val") == dev
        assert not {t.text for t in dev} & {t.text for t in test}, ident
        assert len(test) == (len(dev) + len(test)) // 3 >= 2, ident
        assert len(dev) >= 4, ident


def test_heldout_families_use_all_their_templates() -> None:
    for group in HELDOUT:
        for ident in PROTOCOL.families_in(group):
            fs = PROTOCOL.families[ident]
            assert len(PROTOCOL.templates(ident, group)) == len(fs.dev_templates) + len(fs.test_templates) >= 6


def test_template_rule_is_positional() -> None:
    """A main family's test templates are exactly those at the rule's positions, whatever they say."""
    wordings = load_wordings()
    main = [f for f in PROTOCOL.families_in("train") if f in wordings]
    assert main
    for ident in main:
        templates = wordings[ident]
        picked = sealed_template_indices(ident, len(templates))
        assert len(picked) == len(templates) // 3
        assert PROTOCOL.families[ident].test_templates == tuple(templates[i] for i in sorted(picked))
    assert len(sealed_template_indices("x", 6)) == 2


def test_open_pool_values_are_split_disjointly_closed_pools_shared() -> None:
    for pid, pool in CATALOG.pools.items():
        dev, test = PROTOCOL.values(pid, "train"), PROTOCOL.values(pid, "test")
        assert PROTOCOL.values(pid, "val") == PROTOCOL.values(pid, "heldout_dev") == dev
        assert PROTOCOL.values(pid, "heldout_test") == values_for(pid, "heldout_test") == test
        if pool.closed:
            assert dev == test == pool.items, pid
            continue
        dev_keys, test_keys = {canonical_json(v) for v in dev}, {canonical_json(v) for v in test}
        assert not dev_keys & test_keys, pid
        assert len(dev_keys | test_keys) == len(pool.items), pid
        assert len(dev) >= MIN_SIDE and len(test) >= MIN_SIDE, (pid, len(dev), len(test))


def test_a_test_value_is_no_dev_value_of_another_open_pool() -> None:
    dev = {canonical_json(v) for p in CATALOG.pools.values() if not p.closed for v in PROTOCOL.values(p.id, "train")}
    test = {canonical_json(v) for p in CATALOG.pools.values() if not p.closed for v in PROTOCOL.values(p.id, "test")}
    assert not dev & test, sorted(dev & test)[:10]


def test_test_share_of_open_values_is_about_thirty_percent() -> None:
    open_pools = [p for p in CATALOG.pools.values() if not p.closed]
    test = sum(len(PROTOCOL.values(p.id, "test")) for p in open_pools)
    total = sum(len(p) for p in open_pools)
    assert 0.22 <= test / total <= 0.40, (test, total)


# ---- determinism and the sealed fingerprints -----------------------------------------------------
def _copy_catalog(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def _edit_wordings(directory: Path, family: str, index: int, text: str) -> None:
    for path in sorted((directory / "wordings").glob("writer*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if family in data:
            data[family][index] = text
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            return
    raise AssertionError(family)


def test_construction_is_deterministic(tmp_path: Path) -> None:
    copy = build_protocol(_copy_catalog(tmp_path))
    assert copy is not PROTOCOL
    assert copy.families == PROTOCOL.families
    assert copy.pools == PROTOCOL.pools
    assert family_groups(CATALOG) == family_groups(copy.catalog)
    assert fingerprints(copy) == fingerprints(PROTOCOL)


def test_sealed_fingerprints_match_the_committed_file() -> None:
    committed = committed_fingerprints()
    assert committed["version"] == VERSION, f"{SEALED_FILE} is for {committed['version']}, the code for {VERSION}"
    current = fingerprints(PROTOCOL)
    for split in SEALED:
        assert current[split] == committed[split], f"{split}: {SEALED_MESSAGE}"
    check_sealed(PROTOCOL)


def test_a_train_only_change_keeps_the_sealed_fingerprints(tmp_path: Path) -> None:
    directory = _copy_catalog(tmp_path)
    family = PROTOCOL.families_in("train", feasible=True)[0]
    dev_index = min(set(range(12)) - sealed_template_indices(family, 12))
    _edit_wordings(directory, family, dev_index, "Reworded for training only: {target}, please.")
    pools = yaml.safe_load((directory / "pools.yaml").read_text(encoding="utf-8"))
    pool = next(p for p in pools["pools"] if not p.get("closed") and all(isinstance(i, str) for i in p["items"]))
    candidates = (f"training-only value {i}" for i in range(1000))
    pool["items"].append(next(v for v in candidates if _side_of_new_value(pool["id"], pool["items"], v) == "dev"))
    (directory / "pools.yaml").write_text(yaml.safe_dump(pools, allow_unicode=True, sort_keys=False), "utf-8")
    changed = build_protocol(directory)
    assert changed.templates(family, "train") != PROTOCOL.templates(family, "train")
    assert len(changed.values(pool["id"], "train")) == len(PROTOCOL.values(pool["id"], "train")) + 1
    assert fingerprints(changed) == fingerprints(PROTOCOL)
    check_sealed(changed)


def _side_of_new_value(pool_id: str, items: list[str], value: str) -> str:
    """``dev`` when adding ``value`` to the pool leaves every test value where it was."""
    pools = dict(CATALOG.pools)
    pools[pool_id] = Pool(pool_id, "probe", (*items, value))
    return "dev" if sealed_value_keys(pools) == sealed_value_keys(CATALOG.pools) else "test"


@pytest.mark.parametrize("what", ["test_template", "heldout_test_description", "test_value"])
def test_a_change_under_a_sealed_set_fails_with_the_message(tmp_path: Path, what: str) -> None:
    split: Split
    directory = _copy_catalog(tmp_path)
    if what == "test_template":
        family = PROTOCOL.families_in("test", feasible=True)[0]
        _edit_wordings(directory, family, min(sealed_template_indices(family, 12)), "Now worded anew: {target}.")
        split = "test"
    elif what == "heldout_test_description":
        family = PROTOCOL.families_in("heldout_test", feasible=True)[0]
        old = CATALOG.families[family].description
        text = (directory / "families.yaml").read_text(encoding="utf-8")
        first_words = " ".join(old.split()[:3])
        assert first_words in text
        (directory / "families.yaml").write_text(text.replace(first_words, "Quite " + first_words, 1), "utf-8")
        assert build_protocol(directory).catalog.families[family].description != old
        split = "heldout_test"
    else:
        pools = yaml.safe_load((directory / "pools.yaml").read_text(encoding="utf-8"))
        pool = next(p for p in pools["pools"] if not p.get("closed") and all(isinstance(i, str) for i in p["items"]))
        test_value = PROTOCOL.values(pool["id"], "test")[0]
        pool["items"] = [i for i in pool["items"] if i != test_value]
        (directory / "pools.yaml").write_text(yaml.safe_dump(pools, allow_unicode=True, sort_keys=False), "utf-8")
        split = "test"
    changed = build_protocol(directory)
    assert fingerprints(changed)[split] != fingerprints(PROTOCOL)[split]
    with pytest.raises(SealedSetChanged, match="bump the protocol version and void earlier results"):
        check_sealed(changed)


def test_the_sealed_file_is_plain_json() -> None:
    data = json.loads(SEALED_FILE.read_text(encoding="utf-8"))
    assert set(data) == {"version", "render", *SEALED, *(f"{s}_sample" for s in SEALED)}
    assert data["render"] == RENDER


@pytest.mark.parametrize("index", range(3))
def test_a_change_in_a_render_file_changes_both_sealed_fingerprints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: int
) -> None:
    """The renderer's data is part of every sealed request's text, so a reworded place or value is
    caught like a reworded template (and needs a new RENDER, not a new VERSION)."""
    from lam.tasks.catalog import protocol

    original = protocol.RENDER_FILES[index]
    copy = tmp_path / original.name
    copy.write_text(original.read_text(encoding="utf-8") + "\nadded_for_the_test: [1]\n", "utf-8")
    files = tuple(copy if path == original else path for path in protocol.RENDER_FILES)
    monkeypatch.setattr(protocol, "RENDER_FILES", files)
    changed = fingerprints(PROTOCOL)
    for split in SEALED:
        assert changed[split] != committed_fingerprints()[split], split
    with pytest.raises(SealedSetChanged, match="changed: test, heldout_test"):
        check_sealed(PROTOCOL)
