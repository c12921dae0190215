"""Typed view of a model card (``models/<name>/card.yaml``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

MODELS_DIR = Path(__file__).parent


class BaseWeights(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    package: str
    version: str
    file: str
    dtype: str = "bfloat16"


class Serving(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_model_len: int = 4096


class ModelCard(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    license: str = ""
    base: BaseWeights
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
