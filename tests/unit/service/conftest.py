from __future__ import annotations

from pathlib import Path

import pytest

from service.action_space import ActionSpace, load_action_spaces
from service.settings import DEFAULT_ACTION_SPACES_DIR


@pytest.fixture(scope="session")
def word() -> ActionSpace:
    return load_action_spaces([Path(DEFAULT_ACTION_SPACES_DIR)])["word"]
