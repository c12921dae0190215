"""``stub_upstream``: an instant stand-in for vLLM's OpenAI API, the named upstream of the overhead benchmark.

    python -m bench.stub_upstream --port 8021 [--model lam-smollm2-135m]

It answers ``POST /v1/chat/completions`` at once with a fixed, valid action for the benchmark's
observations (label ``1`` is always on screen): ``1 click_input`` under a regex constraint
(compact-v1), the same action as JSON otherwise. ``GET /v1/models`` and ``GET /health`` answer too.
Raw asyncio + httptools on uvloop, no framework and no parsing of the body: it must cost far less
than the layer it is measuring, so that "through the layer" minus "direct" is the layer's own cost.
(The reliability tests' ``stack.fault_upstream`` answers every constraint correctly and injects faults;
this one only has to be fast.)
"""

from __future__ import annotations

import argparse
import asyncio
import json

import httptools
import uvloop

from service.settings import DEFAULT_MODEL

COMPACT_ACTION = "1 click_input"
JSON_ACTION = json.dumps({"function": "click_input", "label": "1", "args": {}, "status": "CONTINUE"})


def _response(body: bytes, status: bytes = b"200 OK") -> bytes:
    head = b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json\r\ncontent-length: "
    return head + str(len(body)).encode() + b"\r\n\r\n" + body


def _completion(content: str, completion_tokens: int) -> bytes:
    body = {
        "id": "stub",
        "object": "chat.completion",
        "model": "stub",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {
            "prompt_tokens": 500,
            "completion_tokens": completion_tokens,
            "total_tokens": 500 + completion_tokens,
        },
    }
    return _response(json.dumps(body).encode())


class _Protocol(asyncio.Protocol):
    def __init__(self, answers: dict[str, bytes]) -> None:
        self.answers = answers
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.url = b""
        self.body: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's transports are not subclasses

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            assert self.transport is not None
            self.transport.write(_response(b'{"error":"bad request"}', b"400 Bad Request"))
            self.transport.close()

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        url, body = self.url, b"".join(self.body)
        self.url, self.body = b"", []
        if url.endswith(b"/chat/completions"):
            answer = self.answers["compact" if b'"structured_outputs"' in body else "json"]
        elif url.endswith(b"/models"):
            answer = self.answers["models"]
        elif url.endswith(b"/health"):
            answer = self.answers["health"]
        else:
            answer = self.answers["404"]
        assert self.transport is not None
        self.transport.write(answer)
        if not self.parser.should_keep_alive():
            self.transport.close()


def answers_for(model: str) -> dict[str, bytes]:
    return {
        "compact": _completion(COMPACT_ACTION, 6),
        "json": _completion(JSON_ACTION, 22),
        "models": _response(json.dumps({"object": "list", "data": [{"id": model, "object": "model"}]}).encode()),
        "health": _response(b"{}"),
        "404": _response(b'{"error":"not found"}', b"404 Not Found"),
    }


async def serve(host: str, port: int, model: str) -> None:
    answers = answers_for(model)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Protocol(answers), host, port, backlog=1024)
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8021)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args(argv)
    uvloop.run(serve(args.host, args.port, args.model))


if __name__ == "__main__":
    main()
