"""The v1 wire contract (docs/design.md section 3): request, response and error models.

Limits live here as pydantic constraints so that a bad request is refused before any work,
with a 422 that names the field. Field names are the contract: extend, never rename.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator

# The one definition of the statuses: the output formats write and read these words (service.formats).
Status = Literal["CONTINUE", "FINISH", "FAIL", "CONFIRM"]
STATUSES: tuple[Status, ...] = get_args(Status)
TERMINAL_STATUSES: tuple[Status, ...] = ("FINISH", "FAIL")  # the task ends; the only ones allowed with no action

MAX_CONTROLS = 500
MAX_MEMORY_STEPS = 200
MAX_TEXT = 2000
MAX_NAME = 512
MAX_VALUE = 20_000  # one control's value: a Document's text is long (about 4 pages of prose)
MAX_VALUES_TOTAL = 50_000  # all values of one observation together

Label = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.:-]+$")]


def _is_none(value: object) -> bool:
    return value is None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Control(_Strict):
    """One UI control on screen, as UFO's UI Automation inspector reports it."""

    label: Label = Field(description="Id of the control in this observation (renumbered every step).")
    control_type: str = Field("", max_length=64, examples=["Button"])
    name: str = Field("", max_length=MAX_NAME, description="The control's text (UFO's control_text).")
    rect: list[StrictInt] | None = Field(None, min_length=4, max_length=4)
    enabled: StrictBool = True
    value: str | None = Field(
        None,
        max_length=MAX_VALUE,
        exclude_if=_is_none,  # absent stays absent in every dump: bodies without values are unchanged
        description="What the control shows: an Edit's or ComboBox's text, a toggle's or selection's state "
        "(on, off, selected...), a Document's text (paragraphs separated by newlines). Optional.",
        examples=["Calibri"],
    )


class Observation(_Strict):
    window_title: str = Field("", max_length=MAX_NAME)
    controls: list[Control] = Field(default_factory=list, max_length=MAX_CONTROLS)

    @field_validator("controls")
    @classmethod
    def _unique_labels(cls, controls: list[Control]) -> list[Control]:
        seen: set[str] = set()
        duplicates = sorted({c.label for c in controls if c.label in seen or seen.add(c.label)})  # type: ignore[func-returns-value]
        if duplicates:
            raise ValueError(f"duplicate control labels: {duplicates[:10]}")
        total = sum(len(c.value) for c in controls if c.value is not None)
        if total > MAX_VALUES_TOTAL:
            raise ValueError(f"values should have at most {MAX_VALUES_TOTAL} characters together, not {total}")
        return controls


class MemoryStep(_Strict):
    """One step already taken in this task (the client keeps the memory; the layer is stateless)."""

    control_label: str = Field("", max_length=32)
    control_text: str = Field("", max_length=MAX_NAME)
    function: str = Field("", max_length=64)
    args: dict[str, Any] = Field(default_factory=dict)
    status: Status = "CONTINUE"
    result: str = Field("", max_length=MAX_TEXT)


class Memory(_Strict):
    steps: list[MemoryStep] = Field(default_factory=list, max_length=MAX_MEMORY_STEPS)
    plan: list[Annotated[str, Field(max_length=MAX_NAME)]] = Field(default_factory=list, max_length=50)


class Options(_Strict):
    include_thought: StrictBool = False  # strict: no "false"/0 coerced (the fuzz tests hold us to the schema)
    include_plan: StrictBool = False


class PredictRequest(_Strict):
    request: str = Field(min_length=1, max_length=MAX_TEXT, description="What the user wants done.")
    app: str = Field(min_length=1, max_length=64, examples=["word"])
    observation: Observation
    memory: Memory = Field(default_factory=Memory)
    options: Options = Field(default_factory=Options)
    task_id: str | None = Field(None, max_length=128, description="Groups steps of one task (metrics only).")
    step: StrictInt | None = Field(None, ge=0, le=10_000)

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "request": "Make the title bold",
                    "app": "word",
                    "observation": {
                        "window_title": "report.docx - Word",
                        "controls": [
                            {"label": "12", "control_type": "Button", "name": "Bold"},
                            {"label": "13", "control_type": "ComboBox", "name": "Font", "value": "Calibri"},
                        ],
                    },
                    "memory": {
                        "steps": [
                            {
                                "function": "select_text",
                                "args": {"text": "Quarterly report"},
                                "status": "CONTINUE",
                                "result": "ok",
                            }
                        ]
                    },
                }
            ]
        },
    )


class ActionCall(_Strict):
    function: str
    args: dict[str, Any] = Field(default_factory=dict)
    control_label: str = Field("", description='"" for functions that act on the app as a whole.')
    control_text: str = Field("", description="Name of the control, copied from the observation.")


class Usage(_Strict):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    memory_steps_dropped: int = Field(0, description="Oldest memory steps left out to fit the token budget.")
    # Sent only when the request carried a control value (absent otherwise, so older answers are unchanged).
    value_chars_cut: int | None = Field(
        None, exclude_if=_is_none, description="Characters of control values not shown in the prompt."
    )
    document_paragraphs_cut: int | None = Field(
        None, exclude_if=_is_none, description="Paragraphs of Document text left out to fit the value token budget."
    )


class Timing(_Strict):
    total: float
    model: float


class PredictResponse(_Strict):
    action: ActionCall | None = Field(description="null when the status ends the task with no action.")
    status: Status
    plan: list[str] = Field(default_factory=list)
    thought: str | None = None
    model: str
    usage: Usage
    timing_ms: Timing
    request_id: str
    prompt_format: str


class ErrorDetail(_Strict):
    type: str = Field(examples=["invalid_request"])
    message: str
    field: str | None = Field(None, examples=["observation.controls"])
    request_id: str | None = None


class ErrorResponse(_Strict):
    """The one shape of every error body."""

    error: ErrorDetail


class FunctionSpec(_Strict):
    name: str
    description: str
    targets_control: bool
    args_schema: dict[str, Any]
    control_types: list[str] = Field(
        default_factory=list, description="The control types it acts on (empty: any); others are never chosen."
    )


class ActionSpaceOut(_Strict):
    app: str
    description: str = ""
    functions: list[FunctionSpec]


class ActionSpaceList(_Strict):
    apps: list[str]


class Health(_Strict):
    status: Literal["ok", "unavailable"]
    detail: str | None = None
