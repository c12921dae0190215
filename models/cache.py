"""Where prepared models live on this machine: ``$LAM_CACHE_DIR`` (default ``~/.cache/lam``).

The one definition for the tools (``make``, ``stack``, ``bench``, training, tests); the layer itself
reads its own ``LAM_MODEL_CACHE_DIR`` setting, whose default is the same folder's ``models/``.
"""

from __future__ import annotations

import os
from pathlib import Path

from service.settings import DEFAULT_CACHE_DIR

CACHE_DIR = Path(os.environ.get("LAM_CACHE_DIR", str(DEFAULT_CACHE_DIR)))
MODEL_CACHE = CACHE_DIR / "models"  # one servable folder per model card: MODEL_CACHE / <card> (models.prepare)
