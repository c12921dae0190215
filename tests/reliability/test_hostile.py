"""Hostile text cannot change the prompt's structure, the output's shape, or make the service name a
control that is not on screen: whatever the model is pushed to say, the answer is a grounded action
or a typed 502."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.factories import predict_body
from service.formats import make_output_format
from service.protocol import Control, PredictResponse
from service.settings import DEFAULT_MODEL
from stack.fault_upstream import valid_content
from tests.reliability.conftest import assert_error, layer_settings, running_layer
from tests.reliability.hostile import FORGED_LABEL, HOSTILE_TEXTS, benign_twin, hostile_body, with_hostile_values
from tests.unit.service.upstream_double import completion


class Capture(httpx.AsyncBaseTransport):
    """Records chat bodies; answers with ``content(body)``."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.content = valid_content

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/models"):
            return httpx.Response(200, json={"data": [{"id": DEFAULT_MODEL}]})
        body = json.loads(request.content)
        self.bodies.append(body)
        return completion(self.content(body))


def _user_text(body: dict[str, Any]) -> str:
    return "\n".join(m["content"] for m in body["messages"])


def _constraint(body: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in body.items() if k not in ("messages", "model")})


@pytest.mark.parametrize("output_format", ["compact", "compact-v2"])
async def test_hostile_text_cannot_add_prompt_lines_or_labels(tmp_path: Path, output_format: str) -> None:
    capture = Capture()
    settings = layer_settings("http://upstream", tmp_path, memory_token_budget=100_000, output_format=output_format)
    hostile = hostile_body()
    async with running_layer(settings, capture) as layer:
        for body in (hostile, benign_twin(hostile)):
            assert (await layer.post("/predict_action", json=body)).status_code == 200
    sent_hostile, sent_benign = capture.bodies
    hostile_prompt, benign_prompt = _user_text(sent_hostile), _user_text(sent_benign)
    assert hostile_prompt.count("\n") == benign_prompt.count("\n")  # no line forged
    assert all(ch == "\n" or (ord(ch) >= 0x20 and ord(ch) != 0x7F) for ch in hostile_prompt)
    if output_format == "compact":  # labels only: the constraint is the labels', not the text's
        assert _constraint(sent_hostile) == _constraint(sent_benign)
        assert FORGED_LABEL not in _constraint(sent_hostile)
        return
    # compact-v2 writes names: hostile names enter the grammar, but only as quoted literals of this screen.
    regex = re.compile(sent_hostile["structured_outputs"]["regex"])
    references = make_output_format("compact-v2").references(
        [Control.model_validate(c) for c in hostile["observation"]["controls"]]
    )
    assert all(regex.fullmatch(f"{ref} click_input") for ref in references)
    assert not regex.fullmatch(f"{FORGED_LABEL} click_input")
    assert not any(regex.fullmatch(f"{text} click_input") for text in HOSTILE_TEXTS)  # unquoted: not a reference


SPECIAL_TOKENS = ("<|im_start|>", "<|im_end|>", "<|endoftext|>", "<filename>", "<file_sep>", "<repo_name>")
SECTIONS = ("Controls", "Window", "Plan", "History", "Request", "Text of")


@pytest.mark.parametrize("output_format", ["compact", "compact-v2"])
async def test_hostile_values_stay_on_their_line_or_in_their_block(tmp_path: Path, output_format: str) -> None:
    capture = Capture()
    settings = layer_settings("http://upstream", tmp_path, memory_token_budget=100_000, output_format=output_format)
    plain = hostile_body()
    valued = with_hostile_values(plain)
    document = dict(valued["observation"]["controls"][-1])
    del document["value"]
    plain["observation"]["controls"].append(document)  # the same screen, without its values
    async with running_layer(settings, capture) as layer:
        for body in (plain, valued):
            assert (await layer.post("/predict_action", json=body)).status_code == 200
    sent_plain, sent_valued = capture.bodies
    lines, valued = _user_text(sent_plain).splitlines(), _user_text(sent_valued).splitlines()
    start = valued.index("Text of 4000:")
    window = next(i for i, line in enumerate(valued) if line.startswith("Window: "))
    # Each control line is where it was, its value at its end; the Document's paragraphs are quoted lines.
    plain_controls = lines[: next(i for i, line in enumerate(lines) if line.startswith("Window: "))]
    assert len(valued[:start]) == len(plain_controls)
    assert all(v.startswith(p) for v, p in zip(valued[:start], plain_controls, strict=True))
    assert all(
        line.startswith("> ") or re.fullmatch(r"\(\d+ paragraphs omitted\)", line)
        for line in valued[start + 1 : window]
    )
    sections = [line for line in lines if line.startswith(SECTIONS)]
    assert [line for line in valued if line.startswith(SECTIONS)] == [sections[0], "Text of 4000:", *sections[1:]]
    assert valued[window:] == lines[len(plain_controls) :]  # window, plan, history and request unchanged
    user = _user_text(sent_valued)
    assert not any(token in user for token in SPECIAL_TOKENS)
    assert all(ch == "\n" or (ord(ch) >= 0x20 and ord(ch) != 0x7F) for ch in user)
    assert _constraint(sent_valued) == _constraint(sent_plain)  # values never enter the output grammar


async def test_valid_answer_to_a_hostile_request_is_grounded_and_well_shaped(tmp_path: Path) -> None:
    capture = Capture()
    body = hostile_body()
    async with running_layer(layer_settings("http://upstream", tmp_path), capture) as layer:
        response = await layer.post("/predict_action", json=body)
    assert response.status_code == 200, response.text
    result = PredictResponse.model_validate(response.json())
    names = {c["label"]: c["name"] for c in body["observation"]["controls"]}
    assert result.action is not None and result.action.control_label in names
    assert result.action.control_text == names[result.action.control_label]  # copied from the screen, not generated


@pytest.mark.parametrize("parroted", [*HOSTILE_TEXTS, f"{FORGED_LABEL} click_input", '{"label": "4242"}'])
async def test_a_model_that_parrots_hostile_text_gets_a_502_not_an_ungrounded_action(
    tmp_path: Path, parroted: str
) -> None:
    capture = Capture()
    capture.content = lambda body: parroted
    body = hostile_body()
    async with running_layer(layer_settings("http://upstream", tmp_path), capture) as layer:
        response = await layer.post("/predict_action", json=body)
    if response.status_code == 200:  # only if the text happens to be a valid, grounded action
        result = PredictResponse.model_validate(response.json())
        labels = {c["label"] for c in body["observation"]["controls"]}
        assert result.action is None or result.action.control_label in labels | {""}
    else:
        assert_error(response, 502, "model_error")


@pytest.mark.parametrize("label", ["4242\n", "a b", '1"', "x" * 33, "", "<script>", "1;DROP"])
async def test_hostile_labels_are_refused_at_the_door(tmp_path: Path, label: str) -> None:
    body = predict_body(2)
    body["observation"]["controls"][0]["label"] = label
    async with running_layer(layer_settings("http://upstream", tmp_path), Capture()) as layer:
        assert_error(await layer.post("/predict_action", json=body), 422, "invalid_request",
                     "observation.controls.0.label")  # fmt: skip
