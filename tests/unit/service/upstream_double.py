"""``MockTransport`` test double of vLLM's chat API: answers what the test scripts, or fails on purpose.

Not a model: it exists to test the layer's own behaviour (error mapping, grounding, headers).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from service.action_space import load_action_spaces
from service.formats import CompactFormat
from service.settings import DEFAULT_ACTION_SPACES_DIR, DEFAULT_MODEL

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
