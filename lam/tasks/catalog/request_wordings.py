"""Request wordings of the task catalog: templates written by independent writers, as data.

Each ``wordings/writer*.yaml`` maps a family id to its templates. The writers saw only each
family's description, its targets and its placeholder names (``wordings/BRIEF.md`` is the whole
brief they got): no request of ours, no model output, no public benchmark. A feasible family's
template names the thing acted on as ``{target}`` and every other parameter as ``{param}``
(composition parameters as ``{member.param}``); an infeasible family's entries are complete
requests. Which writer wrote a template is kept, so splits can hold writers apart.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Final

import yaml

from lam.tasks.catalog.loader import CATALOG_DIR, CatalogError

WORDINGS_DIR: Final = CATALOG_DIR / "wordings"
PLACEHOLDER: Final = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


@dataclass(frozen=True)
class Wording:
    """One template and who wrote it (the file's stem, e.g. ``writer1``)."""

    text: str
    writer: str

    def placeholders(self) -> tuple[str, ...]:
        return tuple(PLACEHOLDER.findall(self.text))


@functools.cache
def _load(directory: Path) -> Mapping[str, tuple[Wording, ...]]:
    out: dict[str, tuple[Wording, ...]] = {}
    for path in sorted(directory.glob("writer*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise CatalogError(path.name, "(file)", "expected a mapping of family id to templates")
        for family, templates in data.items():
            if family in out:
                raise CatalogError(path.name, str(family), "worded in another writer's file too")
            if not isinstance(templates, list) or not all(isinstance(t, str) and t.strip() for t in templates):
                raise CatalogError(path.name, str(family), "needs a list of non-empty strings")
            out[str(family)] = tuple(Wording(t, path.stem) for t in templates)
    return MappingProxyType(out)


def load_wordings(directory: Path | str = WORDINGS_DIR) -> Mapping[str, tuple[Wording, ...]]:
    """Family id -> its templates, in file order (cached per folder)."""
    return _load(Path(directory).resolve())
