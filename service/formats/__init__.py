"""Output formats: what the model generates and how it becomes an action (docs/design.md section 5).

One source of truth for serving and training: the layer asks vLLM for output constrained to the
format (``constraint``), reads it back and grounds it (``read``: ``parse``, then ``ground``); the
training code writes its targets with ``render``, so the model learns exactly what is parsed here.
Three formats, chosen by ``LAM_OUTPUT_FORMAT``; the model card names the one the model was trained on:

- ``compact-v1`` (``LAM_OUTPUT_FORMAT=compact``): one line, controls by label (``compact``);
- ``compact-v2`` (``compact-v2``, the default): controls by their quoted name where it is unique;
- ``json-v1`` (``json``): JSON under a per-request schema (``json_schema``).

A format has two names, both part of a contract: the model card's (``name``, versioned: what a
model was trained on) and the setting's (what ``LAM_OUTPUT_FORMAT`` accepts). ``_FORMATS`` is the
one table of both; ``FORMAT_SETTINGS`` maps a card's name to the setting that serves it.
"""

from __future__ import annotations

from typing import Literal

from service.formats.base import IMPLICIT_STATUS, PLAN_PREFIX, STATUS_WORDS, ConstraintSpec, OutputFormat, untaken
from service.formats.compact import CompactFormat, CompactNameFormat
from service.formats.compact_args import function_arg_specs, render_args, render_value
from service.formats.grounding import GroundedAction, ground
from service.formats.json_schema import JsonFormat
from service.formats.regex import int_range_regex

__all__ = [
    "DEFAULT_FORMAT",
    "FORMAT_SETTINGS",
    "IMPLICIT_STATUS",
    "PLAN_PREFIX",
    "STATUS_WORDS",
    "CompactFormat",
    "CompactNameFormat",
    "ConstraintSpec",
    "GroundedAction",
    "JsonFormat",
    "OutputFormat",
    "OutputFormatName",
    "function_arg_specs",
    "ground",
    "int_range_regex",
    "make_output_format",
    "render_args",
    "render_value",
    "untaken",
]

OutputFormatName = Literal["compact", "compact-v2", "json"]  # what LAM_OUTPUT_FORMAT accepts
DEFAULT_FORMAT: OutputFormatName = "compact-v2"  # the embedded model's card names compact-v2
_FORMATS: dict[OutputFormatName, type[OutputFormat]] = {
    "compact": CompactFormat,
    "compact-v2": CompactNameFormat,
    "json": JsonFormat,
}
# A model card's output_format (``models/<card>/card.yaml``) -> the LAM_OUTPUT_FORMAT that serves it.
FORMAT_SETTINGS: dict[str, OutputFormatName] = {cls.name: setting for setting, cls in _FORMATS.items()}


def make_output_format(name: OutputFormatName, max_arg_chars: int = 100) -> OutputFormat:
    """The format ``LAM_OUTPUT_FORMAT=name`` serves (compact-v1 for a name settings would refuse)."""
    return _FORMATS.get(name, CompactFormat)(max_arg_chars)
