"""``MockTransport`` test double of vLLM's chat API: answers what the test scripts, or fails on purpose.

Not a model: it exists to test the layer's own behaviour (error mapping, grounding, headers).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from service.action_space import load_action_spaces
from service.formats import CompactFormat
from service.predictor import ActionPredictor
from service.settings import DEFAULT_ACTION_SPACES_DIR, DEFAULT_MODEL
from service.tokens import load_token_counter
from service.vllm_client import VllmClient

Responder = Callable[[dict[str, Any]], httpx.Response]
WORD = load_action_spaces([DEFAULT_ACTION_SPACES_DIR])["word"]
COMPACT = CompactFormat()


def completion(
    content: str, *, finish_reason: str = "stop", prompt_tokens: int = 100, completion_tokens: int = 12
) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "choices": [{"message": {"content": content}, "finish_reason": finish_reason}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens},
        },
    )


def action(
    function: str,
    label: str = "",
    args: dict[str, Any] | None = None,
    status: str = "CONTINUE",
    output_format: str = "compact",
) -> httpx.Response:
    """A completion whose content is this action in the given output format (the layer's default: compact)."""
    if output_format == "json":
        return completion(json.dumps({"function": function, "label": label, "args": args or {}, "status": status}))
    return completion(COMPACT.render(WORD, function, label, args, status))


class UpstreamDouble:
    """Records each chat body it receives; ``respond`` decides the answer."""

    def __init__(self, respond: Responder | None = None, served: str = DEFAULT_MODEL) -> None:
        self.respond: Responder = respond or (lambda body: action("", status="FINISH"))
        self.bodies: list[dict[str, Any]] = []
        self.served = served

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/models"):
            return httpx.Response(200, json={"data": [{"id": self.served}]})
        body = json.loads(request.content)
        self.bodies.append(body)
        return self.respond(body)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)


def predictor_on(transport: httpx.AsyncBaseTransport, repeat_limit: int = 0) -> tuple[ActionPredictor, VllmClient]:
    """A predictor whose model server is ``transport`` (the double), in compact-v1 as the double answers;
    the caller closes the client."""
    client = VllmClient(
        "http://upstream/v1",
        "served-model",
        request_timeout_s=2,
        connect_timeout_s=1,
        max_connections=4,
        http_transport=transport,
    )
    predictor = ActionPredictor(
        spaces=load_action_spaces([DEFAULT_ACTION_SPACES_DIR]),
        client=client,
        counter=load_token_counter(Path("/nonexistent/tokenizer.json")),
        memory_token_budget=1024,
        max_output_tokens=128,
        max_arg_chars=256,
        output_format="compact",
        temperature=0.0,
        repeat_limit=repeat_limit,
    )
    return predictor, client
