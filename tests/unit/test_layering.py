"""The top-level packages form layers: each imports only those before it, so there is no import cycle.

service <- lam <- models <- stack <- bench        (tests may import anything; nothing imports tests)
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["service", "lam", "models", "stack", "bench"]


def _imported_packages(path: Path) -> set[str]:
    """Top-level names of the absolute imports in ``path`` (module level or inside functions)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_each_package_imports_only_earlier_layers() -> None:
    wrong = []
    for rank, package in enumerate(LAYERS):
        later = set(LAYERS[rank + 1 :]) | {"tests"}
        for path in _sources(package):
            for name in sorted(_imported_packages(path) & later):
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_nothing_outside_tests_imports_tests() -> None:
    folders = [p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != "tests"]
    outside = [*ROOT.glob("*.py"), *(path for folder in folders for path in _sources(folder))]
    assert not [str(p.relative_to(ROOT)) for p in outside if "tests" in _imported_packages(p)]
