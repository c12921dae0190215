"""Per-area behaviour of the window beyond the shared effects: more effect interpreters
(``register_effect``), dialog readers/appliers (``dialogs.READERS``/``dialogs.APPLIERS``) and value
readers (``window.VALUE_READERS``). Every module of this package is imported once, when
``lam.sim.word2`` is, so an area registers itself by existing."""

from __future__ import annotations

import importlib
import pkgutil

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")
