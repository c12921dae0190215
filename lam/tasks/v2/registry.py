"""Every v2 family's OpKind, merged from ``ops.py`` and the modules of ``lam.tasks.v2.families``."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType

from lam.tasks.v2 import families, ops
from lam.tasks.v2.ops import OpKind


def _merge() -> tuple[Mapping[str, OpKind], Mapping[str, str]]:
    kinds: dict[str, OpKind] = dict(ops.OPS)
    unsupported: dict[str, str] = dict(ops.UNSUPPORTED)
    for name in sorted(m.name for m in pkgutil.iter_modules(families.__path__)):
        module = importlib.import_module(f"{families.__name__}.{name}")
        for family, kind in getattr(module, "OPS", {}).items():
            if family in kinds:
                raise ValueError(f"family {family!r} is defined twice (again in families/{name}.py)")
            kinds[family] = kind
        for family, why in getattr(module, "UNSUPPORTED", {}).items():
            unsupported[family] = why
    for family in kinds:
        unsupported.pop(family, None)  # implemented after all (by a later module)
    return MappingProxyType(kinds), MappingProxyType(unsupported)


OPS, UNSUPPORTED = _merge()
