"""Input limits an operator can tighten per deployment (``LAM_MAX_CONTROLS`` and friends).

The protocol's pydantic constraints are the ceilings, documented in the OpenAPI schema and enforced
while parsing; these settings may only lower them (e.g. a model with a short context takes fewer
controls). The check runs after parsing, before any work, and fails like the schema does: a 422
that names the field and the limit. Memory past the *token* budget is not an error: the prompt
builder trims the oldest steps and says so in ``usage.memory_steps_dropped``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from service import protocol
from service.errors import InvalidRequest
from service.protocol import PredictRequest
from service.settings import Settings


def _too_long(field: str, value: str, limit: int, setting: str) -> InvalidRequest:
    return InvalidRequest(
        f"String should have at most {limit} characters, not {len(value)} (limit: {setting}={limit})", field=field
    )


def _too_many(field: str, count: int, limit: int, setting: str) -> InvalidRequest:
    message = f"List should have at most {limit} items, not {count} (limit: {setting}={limit})"
    return InvalidRequest(message, field=field)


@dataclass(frozen=True)
class InputLimits:
    max_controls: int = protocol.MAX_CONTROLS
    max_memory_steps: int = protocol.MAX_MEMORY_STEPS
    max_text_chars: int = protocol.MAX_TEXT
    max_name_chars: int = protocol.MAX_NAME
    max_value_chars: int = protocol.MAX_VALUE
    max_values_total_chars: int = protocol.MAX_VALUES_TOTAL

    @classmethod
    def from_settings(cls, settings: Settings) -> InputLimits:
        return cls(
            settings.max_controls,
            settings.max_memory_steps,
            settings.max_text_chars,
            settings.max_name_chars,
            settings.max_value_chars,
            settings.max_values_total_chars,
        )

    @cached_property
    def at_ceilings(self) -> bool:
        """Nothing to check beyond what the schema already enforced (worked out once, not per request)."""
        return self == InputLimits()

    def check(self, req: PredictRequest) -> None:
        """Raise ``InvalidRequest`` (422) naming the first field over its limit."""
        if self.at_ceilings:
            return
        texts, names = self.max_text_chars, self.max_name_chars
        if len(req.request) > texts:
            raise _too_long("request", req.request, texts, "LAM_MAX_TEXT_CHARS")
        obs = req.observation
        if len(obs.controls) > self.max_controls:
            raise _too_many("observation.controls", len(obs.controls), self.max_controls, "LAM_MAX_CONTROLS")
        if len(obs.window_title) > names:
            raise _too_long("observation.window_title", obs.window_title, names, "LAM_MAX_NAME_CHARS")
        total = 0
        for i, control in enumerate(obs.controls):
            if len(control.name) > names:
                raise _too_long(f"observation.controls.{i}.name", control.name, names, "LAM_MAX_NAME_CHARS")
            if control.value is not None:
                if len(control.value) > self.max_value_chars:
                    field = f"observation.controls.{i}.value"
                    raise _too_long(field, control.value, self.max_value_chars, "LAM_MAX_VALUE_CHARS")
                total += len(control.value)
        if total > self.max_values_total_chars:
            limit = self.max_values_total_chars
            message = f"Values should have at most {limit} characters together, not {total}"
            raise InvalidRequest(f"{message} (limit: LAM_MAX_VALUES_TOTAL_CHARS={limit})", field="observation.controls")
        steps = req.memory.steps
        if len(steps) > self.max_memory_steps:
            raise _too_many("memory.steps", len(steps), self.max_memory_steps, "LAM_MAX_MEMORY_STEPS")
        for i, step in enumerate(steps):
            if len(step.control_text) > names:
                raise _too_long(f"memory.steps.{i}.control_text", step.control_text, names, "LAM_MAX_NAME_CHARS")
            if len(step.result) > texts:
                raise _too_long(f"memory.steps.{i}.result", step.result, texts, "LAM_MAX_TEXT_CHARS")
        for i, item in enumerate(req.memory.plan):
            if len(item) > names:
                raise _too_long(f"memory.plan.{i}", item, names, "LAM_MAX_NAME_CHARS")
