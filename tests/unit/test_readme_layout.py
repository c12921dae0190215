"""The README's "Development" section is the map of the repository: it must not fall behind the tree.

Two checks on the text between ``## Development`` and the next ``## `` heading:

- every top-level folder that matters is named there as ``NAME/`` (the layout block writes each one
  that way): the Python packages at the root (any folder holding an ``__init__.py``) and the folders
  without one that hold the rest (``scripts/``, ``deploy/``, ``docs/``, ``tests/``);
- every path written in backticks there (a file such as service/prompt.py, a folder such as
  service/formats/) exists.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
OTHER_FOLDERS = ("scripts", "deploy", "docs", "tests")
_FENCED = re.compile(r"^```.*?^```[^\n]*$", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
# A repository path: words of file-name characters joined by "/", a folder when it ends with "/".
_PATH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)*/?")


def development_section(text: str) -> str:
    """From the ``## Development`` heading to the next level-2 heading (or the end)."""
    match = re.search(r"^## Development[ \t]*\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, 'README.md has no "## Development" section'
    return match.group(1)


def top_level_folders(root: Path) -> list[str]:
    packages = {
        p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / "__init__.py").is_file()
    }
    return sorted(packages | set(OTHER_FOLDERS))


def named_folders(section: str) -> set[str]:
    """Folder names written as ``NAME/`` at the start of a path (not ``deploy/NAME/``)."""
    return set(re.findall(r"(?<![\w./-])([A-Za-z0-9_][\w.-]*)/", section))


def backticked_paths(section: str) -> list[str]:
    """Paths in inline code spans: at least one "/", and a file with an extension or a folder ("/" last).

    Fenced blocks are left out (the layout block is checked by folder name); so are commands,
    URLs, placeholders (``models/<card>``) and home paths, which are not paths of this tree.
    """
    paths = []
    for span in _INLINE_CODE.findall(_FENCED.sub("", section)):
        if "/" not in span or not _PATH.fullmatch(span):
            continue
        if span.endswith("/") or "." in span.rsplit("/", 1)[-1]:
            paths.append(span)
    return paths


def test_every_top_level_folder_is_in_the_development_section() -> None:
    named = named_folders(development_section(README.read_text(encoding="utf-8")))
    missing = [f"{name}/" for name in top_level_folders(ROOT) if name not in named]
    assert not missing, f'README.md "## Development" does not mention {missing}'


def test_every_backticked_path_of_the_development_section_exists() -> None:
    section = development_section(README.read_text(encoding="utf-8"))
    absent = [path for path in backticked_paths(section) if not (ROOT / path).exists()]
    assert not absent, f'README.md "## Development" names paths that do not exist: {absent}'


def test_the_checks_read_what_they_should() -> None:
    text = (
        "## API\n`lam/nowhere.py`\n## Development\n\n```\nservice/    the layer\n"
        "tests/      unit/, deploy/ (`not/checked.py`)\n```\n"
        "See `service/prompt.py`, `service/formats/`, `models/<card>/adapter`, `make unit`,\n"
        "`LAM_TEST_VLLM_URL=http://127.0.0.1:8001`, `~/.cache/lam` and `.venv/bin/lam`.\n## Next\n`x/y.py`\n"
    )
    section = development_section(text)
    assert "lam/nowhere.py" not in section and "x/y.py" not in section
    assert named_folders(section) == {"service", "tests", "unit", "deploy", "not", "models"}
    assert backticked_paths(section) == ["service/prompt.py", "service/formats/"]
    assert {"service", "lam", "stack", "tests", "docs", "scripts", "deploy"} <= set(top_level_folders(ROOT))
