"""Training targets are what the service parses back: render -> parse -> ground gives the expert's action.

Runs in the layer's environment (no torch): ``models.train.data`` renders with the service's own
prompt builder and output format, so any drift between what we teach and what the layer reads
fails here, fast, before any training.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from lam.eval.metrics import normalize_args
from lam.tasks.generate import generate
from lam.tasks.records import phase2_records
from models.cache import MODEL_CACHE
from models.card import load_card
from models.train.data import Renderer
from service.formats import FORMAT_SETTINGS, ConstraintSpec, untaken
from service.prompt import PROMPT_FORMAT
from service.protocol import PredictRequest
from service.settings import DEFAULT_MODEL

TOKENIZER = MODEL_CACHE / DEFAULT_MODEL / "tokenizer.json"


class _Tokenizer:
    eos_token_id = 2


@pytest.fixture(scope="module", params=sorted(FORMAT_SETTINGS))
def renderer(request: pytest.FixtureRequest) -> Renderer:
    """The card's renderer under every output format a card may name (``--output-format`` trains on any)."""
    if not TOKENIZER.exists():
        pytest.skip(f"no prepared model ({TOKENIZER}): run `make model`")
    card = load_card(DEFAULT_MODEL).model_copy(update={"output_format": request.param})
    return Renderer(card, _Tokenizer(), TOKENIZER)


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    data = generate(seed=3, sizes={"train": 2, "val": 0, "test": 0})
    return [
        r for t, j in zip(data.tasks["train"], data.trajectories["train"], strict=True) for r in phase2_records(t, j)
    ]


def test_card_names_the_prompt_format_the_service_renders() -> None:
    assert load_card(DEFAULT_MODEL).prompt_format == PROMPT_FORMAT


def test_every_target_parses_back_to_the_expected_action(renderer: Renderer, records: list[dict[str, Any]]) -> None:
    assert len({r["family"] for r in records}) == 32
    for record in records:
        req = PredictRequest.model_validate(record["body"])
        _, space = renderer.step_messages(req)
        text = renderer.render_target(req, space, record["expected"])
        screen = renderer.format.screen(req.observation.controls)
        body = renderer.format.constraint(ConstraintSpec(space, screen.choices, left_out=untaken(space, screen))).body
        if "structured_outputs" in body:  # the grammar the layer sends admits the target (v2: names, not labels)
            assert re.fullmatch(body["structured_outputs"]["regex"], text), text
        got = renderer.format.read(text, space, screen)  # parse, then ground, as the layer
        want = record["expected"]
        assert got.status == want["status"], text
        if want["action"] is None:
            assert got.action is None, text
            continue
        assert got.action is not None, text
        assert got.action.function == want["action"]["function"]
        assert got.action.control_label == want["action"]["control_label"]
        assert normalize_args(got.action.function, got.action.args) == normalize_args(
            want["action"]["function"], want["action"]["args"]
        ), text


def test_prompt_is_the_services_own(renderer: Renderer, records: list[dict[str, Any]]) -> None:
    """The system message is the served one and the user message ends with the request."""
    from service.prompt import system_text

    record = records[1]
    messages, space = renderer.step_messages(record["body"])
    assert messages[0] == {"role": "system", "content": system_text(space, renderer.format)}
    assert messages[1]["content"].endswith("Request: " + " ".join(record["body"]["request"].split()))


def test_layer_default_serves_the_embedded_models_output_format() -> None:
    """A layer started without LAM_OUTPUT_FORMAT (compose, k8s, the image) must parse what the default model writes."""
    from service.formats import make_output_format
    from service.settings import Settings
    from stack.run import card_output_format

    card = load_card(DEFAULT_MODEL)
    default = Settings.model_fields["output_format"].default
    assert make_output_format(default).name == card.output_format
    assert card_output_format(card.name) in ({}, {"LAM_OUTPUT_FORMAT": default})


def test_make_run_takes_the_format_from_the_card_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    from service.formats import FORMAT_SETTINGS
    from stack.run import card_output_format

    monkeypatch.delenv("LAM_OUTPUT_FORMAT", raising=False)
    card = load_card(DEFAULT_MODEL)
    assert card_output_format(card.name) == {"LAM_OUTPUT_FORMAT": FORMAT_SETTINGS[card.output_format]}
    assert card_output_format("no-such-card") == {}
    monkeypatch.setenv("LAM_OUTPUT_FORMAT", "json")
    assert card_output_format(card.name) == {}  # the operator's explicit choice wins


def test_make_run_serves_the_context_the_card_asks_for(monkeypatch: pytest.MonkeyPatch) -> None:
    import stack.run
    from models.card import ModelCard
    from stack.engine import EngineConfig

    card = load_card(DEFAULT_MODEL)
    longer = card.model_copy(update={"serving": card.serving.model_copy(update={"max_model_len": 8192})})

    def load(name: str) -> ModelCard:
        return longer if name == card.name else load_card(name)

    monkeypatch.setattr(stack.run, "load_card", load)
    assert stack.run.card_max_model_len(card.name) == 8192
    assert stack.run.card_max_model_len("no-such-card") == EngineConfig.max_model_len
