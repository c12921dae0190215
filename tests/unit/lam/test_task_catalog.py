"""The task catalog (lam/tasks/catalog): its content quotas, and the loader's refusal of a broken catalog."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import pytest

from lam.tasks.catalog import (
    KINDS,
    TARGETS,
    Catalog,
    CatalogError,
    Family,
    InfeasibleFamily,
    load_catalog,
    load_families,
    load_pools,
)
from lam.tasks.catalog.loader import COMPOSITION, MAX_MEMBERS, MIN_MEMBERS

SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
REQUEST_LIKE = re.compile(r"[\"\u2018\u2019\u201c\u201d]|\bplease\b|\bI\b|\bcan you\b", re.I)  # quotes, asking


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


# ---- content -------------------------------------------------------------------------------------
def test_the_catalog_is_loaded_once_and_shared() -> None:
    first = load_catalog()
    assert load_catalog() is first
    assert load_catalog(str(Path(__file__).parents[3] / "lam" / "tasks" / "catalog")) is first
    assert load_pools() is first.pools


def test_at_least_110_families_of_which_100_feasible(catalog: Catalog) -> None:
    assert len(catalog.families) >= 110
    assert len([f for f in catalog.families.values() if f.has_kind("feasible")]) >= 100


def test_at_least_15_compositions_of_2_to_4_atomic_members(catalog: Catalog) -> None:
    compositions = catalog.compositions()
    assert len(compositions) >= 15
    for family in compositions:
        assert MIN_MEMBERS <= len(family.members) <= MAX_MEMBERS, family.id
        for member in catalog.members(family):
            assert not member.is_composition, (family.id, member.id)
        assert family.params == {f"{m.id}.{p}": pool for m in catalog.members(family) for p, pool in m.params.items()}


def test_every_category_has_at_least_3_families(catalog: Catalog) -> None:
    counts = {category: len(families) for category, families in catalog.by_category().items()}
    assert all(n >= 3 for n in counts.values()), counts
    assert set(counts) >= {
        "character", "paragraph", "page_layout", "header_footer", "table", "styles", "lists",
        "find_replace", "case", "review", "view", "file", "insert", "text_editing", COMPOSITION,
    }  # fmt: skip


@pytest.mark.parametrize("kind", ["already_done", "confirm", "recovery"])
def test_each_special_kind_has_at_least_8_families(catalog: Catalog, kind: str) -> None:
    assert len(catalog.with_kind(kind)) >= 8


def test_confirm_only_on_destructive_families(catalog: Catalog) -> None:
    destructive = re.compile(r"\b(delete|deletes|removes|reject|rejects|discard|discards|replacing that file)\b", re.I)
    for family in catalog.with_kind("confirm"):
        text = " ".join([family.description, *(m.description for m in catalog.members(family))])
        assert destructive.search(text), family.id


def test_at_least_12_infeasible_families_covering_every_reason(catalog: Catalog) -> None:
    assert len(catalog.infeasible) >= 12
    reasons = Counter(f.reason for f in catalog.infeasible.values())
    assert set(reasons) == set(catalog.reasons)
    assert all(n >= 2 for n in reasons.values()), reasons


@pytest.mark.parametrize(
    ("pool", "least"),
    [
        ("fonts", 40),
        ("table_styles", 25),
        ("file_names", 60),
        ("find_replace_pairs", 60),
        ("styles", 20),
        ("typed_sentences", 40),
        ("theme_colors", 30),
        ("font_sizes", 30),
    ],
)
def test_pool_sizes(catalog: Catalog, pool: str, least: int) -> None:
    assert len(catalog.pools[pool]) >= least


def test_open_pools_hold_at_least_8_items_and_every_pool_is_used(catalog: Catalog) -> None:
    small = [p.id for p in catalog.pools.values() if not p.closed and len(p) < 8]
    assert not small
    used = {pool for f in catalog.families.values() for pool in f.params.values()}
    used |= {pool for f in catalog.infeasible.values() for pool in f.params.values()}
    assert set(catalog.pools) == used


def test_find_replace_pairs_are_ordinary_distinct_words(catalog: Catalog) -> None:
    pairs = [p for p in catalog.pools["find_replace_pairs"].items if isinstance(p, Mapping)]
    assert len(pairs) == len(catalog.pools["find_replace_pairs"])
    finds = [str(p["find"]) for p in pairs]
    replaces = [str(p["replace"]) for p in pairs]
    assert len(set(finds)) == len(finds)
    assert all(w.replace("-", "").isalpha() for w in finds + replaces)
    assert all(f.casefold() != r.casefold() for f, r in zip(finds, replaces, strict=True))
    assert not set(finds) & set(replaces)  # no chain: a replacement is never itself a word to find


def test_file_names_are_unique_and_have_no_extension(catalog: Catalog) -> None:
    names = [str(n) for n in catalog.pools["file_names"].items]
    assert len({n.casefold() for n in names}) == len(names)
    assert not [n for n in names if re.search(r"\.(docx?|pdf|txt|rtf)$", n, re.I) or re.search(r'[<>:"/\\|?*]', n)]


def test_descriptions_are_2_or_3_plain_sentences_without_request_wordings(catalog: Catalog) -> None:
    entries: list[Family | InfeasibleFamily] = [*catalog.families.values(), *catalog.infeasible.values()]
    for entry in entries:
        sentences = len(SENTENCE_END.findall(entry.description))
        assert 2 <= sentences <= 3, (entry.id, sentences)
        assert not REQUEST_LIKE.search(entry.description), entry.id
    descriptions = [e.description for e in entries]
    assert len(set(descriptions)) == len(descriptions)


def test_every_family_has_targets_steps_and_a_one_sentence_checker(catalog: Catalog) -> None:
    for family in catalog.families.values():
        assert family.targets and set(family.targets) <= set(TARGETS), family.id
        assert family.ui_path, family.id
        assert family.kinds[0] == "feasible" and list(family.kinds) == [k for k in KINDS if k in family.kinds]
        assert len(SENTENCE_END.findall(family.checker)) == 1 and family.checker.endswith("."), family.id


def test_scoped_formatting_families_draw_their_scope_from_a_scope_pool(catalog: Catalog) -> None:
    for family in catalog.by_category()["character"] + catalog.by_category()["case"]:
        assert family.params.get("scope") == "text_scopes", family.id
    for family in catalog.by_category()["paragraph"]:
        assert family.params.get("scope") == "paragraph_scopes", family.id


def test_pool_items_keep_their_file_order(catalog: Catalog) -> None:
    sizes = catalog.pools["font_sizes"].items
    assert list(sizes) == sorted(sizes)  # type: ignore[type-var]
    assert catalog.pools["fonts"].items == tuple(sorted(catalog.pools["fonts"].items, key=str.casefold))  # type: ignore[arg-type]


# ---- validation of a broken catalog ----------------------------------------------------------------
POOLS = """\
pools:
  - id: colors
    description: Some colours.
    items: [Red, Blue]
  - id: scopes
    description: Scopes.
    items: [word, phrase]
"""

FAMILIES = """\
categories:
  - {id: character, title: Character formatting}
  - {id: composition, title: Compositions}
families:
  - id: bold
    category: character
    description: Makes text bold. The user points at it.
    target: [word, phrase]
    params: {scope: scopes}
    kinds: [feasible, already_done]
    ui_path: ["select", "Home > Bold"]
    checker: The text is bold.
  - id: color
    category: character
    description: Colours text. The user names the colour.
    target: phrase
    params: {color: colors}
    kinds: [feasible, recovery]
    ui_path: ["select", "Home > Font Color"]
    checker: The text has the colour.
  - id: erase
    category: character
    description: Deletes text. The user points at it.
    target: phrase
    kinds: [feasible, confirm]
    ui_path: ["select", "Delete"]
    checker: The text is gone.
  - id: bold_color
    category: composition
    description: Bold and colour. The user points once.
    members: [bold, color]
    link: same_target
    kinds: [feasible, recovery]
    checker: Both hold.
"""

INFEASIBLE = """\
reasons:
  - {id: other_app, title: Another application}
infeasible:
  - id: send_email
    reason: other_app
    description: Sends an email. Outlook does that.
"""


def _write(directory: Path, pools: str = POOLS, families: str = FAMILIES, infeasible: str = INFEASIBLE) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "pools.yaml").write_text(pools, encoding="utf-8")
    (directory / "families.yaml").write_text(families, encoding="utf-8")
    (directory / "infeasible.yaml").write_text(infeasible, encoding="utf-8")
    return directory


def test_a_small_valid_catalog_loads(tmp_path: Path) -> None:
    catalog = load_catalog(_write(tmp_path / "good"))
    assert list(catalog.families) == ["bold", "color", "erase", "bold_color"]
    composition = catalog.families["bold_color"]
    assert composition.targets == ("word", "phrase")
    assert composition.params == {"bold.scope": "scopes", "color.color": "colors"}
    assert composition.ui_path == ("select", "Home > Bold", "select", "Home > Font Color")
    assert catalog.families["erase"].params == {}
    assert catalog.infeasible["send_email"].params == {}


def _broken_families(old: str, new: str) -> dict[str, str]:
    assert old in FAMILIES, old
    return {"families": FAMILIES.replace(old, new, 1)}


BROKEN: dict[str, tuple[dict[str, str], str, str]] = {
    # name: (files to override, file named in the error, text the error must contain)
    "unknown pool": (
        _broken_families("params: {color: colors}", "params: {color: colours}"),
        "families.yaml",
        "family 'color': parameter 'color' names unknown pool 'colours'",
    ),
    "duplicate family id": (
        _broken_families("  - id: color\n", "  - id: bold\n"),
        "families.yaml",
        "duplicate id 'bold'",
    ),
    "unknown member": (
        _broken_families("members: [bold, color]", "members: [bold, italic]"),
        "families.yaml",
        "family 'bold_color': member 'italic' is not a family",
    ),
    "member is a composition": (
        {
            "families": FAMILIES + "  - id: nested\n    category: composition\n    description: Nested. Not allowed.\n"
            "    members: [bold_color, erase]\n    link: independent\n    kinds: [feasible, confirm]\n"
            "    checker: Never.\n"
        },
        "families.yaml",
        "family 'nested': member 'bold_color' is itself a composition",
    ),
    "one member": (
        _broken_families("members: [bold, color]", "members: [bold]"),
        "families.yaml",
        "family 'bold_color': has 1 members",
    ),
    "invalid kind": (
        _broken_families("kinds: [feasible, already_done]", "kinds: [feasible, done_already]"),
        "families.yaml",
        "family 'bold': 'kinds' holds unknown value 'done_already'",
    ),
    "not feasible": (
        _broken_families("kinds: [feasible, recovery]", "kinds: [recovery]"),
        "families.yaml",
        "family 'color': 'kinds' must include 'feasible'",
    ),
    "empty description": (
        _broken_families("description: Colours text. The user names the colour.", 'description: ""'),
        "families.yaml",
        "family 'color': 'description' must be a non-empty string",
    ),
    "missing description": (
        _broken_families("    description: Colours text. The user names the colour.\n", ""),
        "families.yaml",
        "family 'color': 'description' must be a non-empty string",
    ),
    "unknown category": (
        _broken_families("category: character\n    description: Colours", "category: colour\n    description: Colours"),
        "families.yaml",
        "family 'color': unknown category 'colour'",
    ),
    "unknown target": (
        _broken_families("target: phrase\n    params", "target: chapter\n    params"),
        "families.yaml",
        "family 'color': 'target' holds unknown value 'chapter'",
    ),
    "scope outside its pool": (
        _broken_families("target: [word, phrase]", "target: [word, sentence]"),
        "families.yaml",
        "family 'bold': targets ['sentence'] are not in its scope pool 'scopes'",
    ),
    "unknown key": (
        _broken_families("    checker: The text is gone.\n", "    checker: The text is gone.\n    chekcer: typo\n"),
        "families.yaml",
        "family 'erase': unknown key(s) 'chekcer'",
    ),
    "duplicate yaml key": (
        _broken_families("    checker: The text is gone.\n", "    checker: The text is gone.\n    checker: Again.\n"),
        "families.yaml",
        "duplicate key 'checker'",
    ),
    "confirm without a destructive member": (
        _broken_families(
            "kinds: [feasible, recovery]\n    checker: Both", "kinds: [feasible, confirm]\n    checker: Both"
        ),
        "families.yaml",
        "family 'bold_color': 'confirm' needs a destructive member",
    ),
    "destructive member without confirm": (
        _broken_families("members: [bold, color]", "members: [bold, erase]"),
        "families.yaml",
        "family 'bold_color': members ['erase'] are destructive",
    ),
    "already done that a member cannot be": (
        _broken_families(
            "kinds: [feasible, recovery]\n    checker: Both", "kinds: [feasible, already_done]\n    checker: Both"
        ),
        "families.yaml",
        "family 'bold_color': 'already_done' needs every member",
    ),
    "same target without a shared target": (
        {
            "families": FAMILIES.replace("target: phrase\n    params", "target: document\n    params", 1).replace(
                "target: [word, phrase]", "target: [word]", 1
            )
        },
        "families.yaml",
        "family 'bold_color': link 'same_target' but the members share no target",
    ),
    "boolean pool item": (
        {"pools": POOLS.replace("items: [Red, Blue]", "items: [Red, Blue, On]")},
        "pools.yaml",
        "pool 'colors': item 2 is True",
    ),
    "duplicate pool item": (
        {"pools": POOLS.replace("items: [Red, Blue]", "items: [Red, Blue, Red]")},
        "pools.yaml",
        "pool 'colors': duplicate item 'Red'",
    ),
    "empty pool": (
        {"pools": POOLS.replace("items: [Red, Blue]", "items: []")},
        "pools.yaml",
        "pool 'colors': 'items' must be a non-empty list",
    ),
    "infeasible unknown reason": (
        {"infeasible": INFEASIBLE.replace("reason: other_app", "reason: elsewhere")},
        "infeasible.yaml",
        "infeasible 'send_email': unknown reason 'elsewhere'",
    ),
    "infeasible unknown pool": (
        {"infeasible": INFEASIBLE + "    params: {who: people}\n"},
        "infeasible.yaml",
        "infeasible 'send_email': parameter 'who' names unknown pool 'people'",
    ),
    "infeasible id shared with a family": (
        {"infeasible": INFEASIBLE.replace("id: send_email", "id: bold")},
        "infeasible.yaml",
        "id is also a feasible family",
    ),
    "not yaml": (
        {"pools": "pools: [unclosed\n"},
        "pools.yaml",
        "is not valid YAML",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_catalog_is_refused_naming_the_file_and_entry(tmp_path: Path, case: str) -> None:
    overrides, file, message = BROKEN[case]
    directory = _write(tmp_path / "bad", **overrides)
    with pytest.raises(CatalogError) as caught:
        load_catalog(directory)
    assert str(directory.resolve() / file) in str(caught.value)
    assert message in str(caught.value)


def test_the_file_loaders_check_against_the_pools_file(tmp_path: Path) -> None:
    directory = _write(tmp_path / "split")
    families = load_families(directory / "families.yaml", directory / "pools.yaml")
    assert "bold_color" in families
    (tmp_path / "other.yaml").write_text(POOLS.replace("id: colors", "id: tints"), encoding="utf-8")
    with pytest.raises(CatalogError, match="unknown pool 'colors'"):
        load_families(directory / "families.yaml", tmp_path / "other.yaml")
