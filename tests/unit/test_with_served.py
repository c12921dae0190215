"""``bench.with_served``: the command runs against the served model's URL and its exit status is
returned (nothing here starts vLLM: the serve and the merge are replaced)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import bench.with_served as with_served


@pytest.fixture
def serves(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[str, Path, str]]:
    seen: list[tuple[str, Path, str]] = []

    def fake_servable(name: str, what: str, card: str, work: Path) -> Path:
        return work / card / name

    @contextmanager
    def fake_served(name: str, model_dir: Path, card: Any, fmt: str, logs: Path) -> Iterator[str]:
        seen.append((name, model_dir, fmt))
        yield "http://127.0.0.1:9999"

    monkeypatch.setattr(with_served, "servable", fake_servable)
    monkeypatch.setattr(with_served, "served", fake_served)
    return seen


def test_the_command_gets_the_layers_url_and_its_status_is_returned(
    serves: list[tuple[str, Path, str]], tmp_path: Path
) -> None:
    out = tmp_path / "url.txt"
    write = f"import sys; open({str(out)!r}, 'w').write(sys.argv[1]); sys.exit(3)"
    argv = ["card", "--name", "x", "--work", str(tmp_path), "--", sys.executable, "-c", write, "{url}"]
    status = with_served.main(argv)
    assert status == 3
    assert out.read_text() == "http://127.0.0.1:9999"
    [(name, model_dir, _)] = serves
    assert name == "x" and model_dir.parent.parent == tmp_path


def test_no_command_is_an_error(serves: list[tuple[str, Path, str]]) -> None:
    with pytest.raises(SystemExit):
        with_served.main(["card", "--"])
    assert serves == []
