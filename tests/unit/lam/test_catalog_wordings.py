"""The independent writers' wordings cover the catalog and use exactly each family's placeholders."""

from __future__ import annotations

from pathlib import Path

import pytest

from lam.tasks.catalog import load_catalog
from lam.tasks.catalog.loader import CatalogError
from lam.tasks.catalog.request_wordings import load_wordings

CATALOG = load_catalog()
WORDINGS = load_wordings()
NO_TARGET = {"file", "view"}  # families acting on these alone point at nothing in the text


def test_every_family_and_only_those_is_worded() -> None:
    assert set(WORDINGS) == set(CATALOG.families) | set(CATALOG.infeasible)


@pytest.mark.parametrize("family", sorted(CATALOG.families))
def test_feasible_templates_use_exactly_the_family_placeholders(family: str) -> None:
    spec = CATALOG.families[family]
    templates = WORDINGS[family]
    assert len(templates) >= 12
    assert len({t.text.casefold() for t in templates}) == len(templates), "duplicate templates"
    wanted = {name for name in spec.params if not name.endswith("scope")}
    for template in templates:
        names = template.placeholders()
        assert len(names) == len(set(names)), template.text
        assert set(names) - {"target"} == wanted, template.text
        if set(spec.targets) <= NO_TARGET:
            assert "target" not in names, template.text


@pytest.mark.parametrize("family", sorted(CATALOG.infeasible))
def test_infeasible_requests_are_complete(family: str) -> None:
    requests = WORDINGS[family]
    assert len(requests) >= 6
    assert all(not r.placeholders() and "{" not in r.text for r in requests)


def test_a_family_worded_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "writer1.yaml").write_text('bold: ["Bold {target}."]\n')
    (tmp_path / "writer2.yaml").write_text('bold: ["Make {target} heavier."]\n')
    with pytest.raises(CatalogError, match=r"writer2\.yaml"):
        load_wordings(tmp_path)
