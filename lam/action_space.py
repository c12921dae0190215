"""The service's own ``word`` action space, read from the file the service serves (one source of truth)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

import service
from service.action_space import ActionSpace, parse_action_space

ACTION_SPACES_DIR = Path(service.__file__).parent / "action_spaces"


@cache
def load_space(app: str = "word") -> ActionSpace:
    path = ACTION_SPACES_DIR / f"{app}.yaml"
    return parse_action_space(yaml.safe_load(path.read_text(encoding="utf-8")), source=str(path))
