"""A fault-injecting stand-in for vLLM's OpenAI API: the named test tool of the reliability tests.

    python -m stack.fault_upstream --port 8011 [--mode normal] [--delay-s 2] [--model lam-smollm2-135m]

It serves ``POST /v1/chat/completions``, ``GET /v1/models`` and ``GET /health``. In mode ``normal`` it
answers at once with a *valid* action for the request's own constraint: under a JSON schema
(``response_format``) the first label of ``$defs.label.enum`` with the first function that targets a
control, or the FINISH branch when no control is on screen; under a regex (``structured_outputs``)
the first-choice string that matches it. So the layer's whole pipeline runs, with no model.

Faults (``--mode`` at start, or at runtime ``POST /admin/mode {"mode": ..., "delay_s": ...,
"all_endpoints": false}``; ``GET /admin/stats``; ``POST /admin/reset``):

    normal          valid answer at once                 slow            valid answer after delay_s
    hang            never answers (holds the socket)     error500        500 with an error body
    unavailable     503                                  drop            closes the connection, no answer
    reset           TCP reset (RST), no answer           garbage         200 whose body is not JSON
    invalid_output  200, content is prose, not an action ungrounded      200, action on a label not on screen
    truncated       200, finish_reason "length"

A fault hits chat completions only, unless ``all_endpoints`` is true (then ``/v1/models`` and
``/health`` fail the same way: a dead or stalled engine). "Connection refused" needs no mode: stop
the process. The admin endpoints themselves never fail.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import socket
import struct
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from service.settings import DEFAULT_MODEL

MODES = (
    "normal",
    "slow",
    "hang",
    "error500",
    "unavailable",
    "drop",
    "reset",
    "garbage",
    "invalid_output",
    "ungrounded",
    "truncated",
)
NOT_ON_SCREEN = "99999"

try:  # the regex parser behind ``re`` (3.11+: re._parser; before: sre_parse)
    from re import _constants as _sre  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as _sre
    import sre_parse as _sre_parse


# ------------------------------------------------------------------ valid answers for a constraint


def _in_category(ch: str, category: Any) -> bool:
    name = str(category)
    if "DIGIT" in name:
        hit = ch.isdigit()
    elif "SPACE" in name:
        hit = ch.isspace()
    elif "WORD" in name:
        hit = ch.isalnum() or ch == "_"
    else:  # LINEBREAK
        hit = ch == "\n"
    return not hit if "NOT" in name else hit


def _in_class(ch: str, items: list[tuple[Any, Any]]) -> bool:
    code = ord(ch)
    for op, av in items:
        if (op is _sre.LITERAL and av == code) or (op is _sre.RANGE and av[0] <= code <= av[1]):
            return True
        if op is _sre.CATEGORY and _in_category(ch, av):
            return True
    return False


def _first_of_class(items: list[tuple[Any, Any]]) -> str:
    if items and items[0][0] is _sre.NEGATE:
        rest = items[1:]
        for ch in "ax0 _-.":
            if not _in_class(ch, rest):
                return ch
        raise ValueError("cannot satisfy a negated character class")
    op, av = items[0]
    if op is _sre.LITERAL:
        return chr(av)
    if op is _sre.RANGE:
        return chr(av[0])
    if op is _sre.CATEGORY:
        for ch in "a0 _-":
            if _in_category(ch, av):
                return ch
    raise ValueError(f"unsupported character class item {op}")


def _sample(pattern: Any) -> str:
    """The first-choice string of a parsed regex: first alternative, fewest repeats."""
    out = []
    for op, av in pattern:
        if op is _sre.LITERAL:
            out.append(chr(av))
        elif op is _sre.NOT_LITERAL:
            out.append("a" if av != ord("a") else "b")
        elif op is _sre.ANY:
            out.append("a")
        elif op is _sre.IN:
            out.append(_first_of_class(av))
        elif op is _sre.CATEGORY:
            out.append(_first_of_class([(op, av)]))
        elif op is _sre.BRANCH:
            out.append(_sample(av[1][0]))
        elif op is _sre.SUBPATTERN:
            out.append(_sample(av[-1]))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) or str(op) == "POSSESSIVE_REPEAT":
            low, _high, sub = av
            out.append(_sample(sub) * low)
        elif str(op) == "ATOMIC_GROUP":
            out.append(_sample(av))
        elif op is _sre.AT:
            continue
        else:
            raise ValueError(f"unsupported regex construct {op}")
    return "".join(out)


def sample_regex(regex: str) -> str:
    """A string that fully matches ``regex`` (checked), for the regex subset vLLM constraints use."""
    text = _sample(_sre_parse.parse(regex))
    if re.fullmatch(regex, text) is None:
        raise ValueError(f"sampled {text!r} does not match the constraint")
    return text


def _instance(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """The first-choice instance of a JSON schema (the subset our output schemas use)."""
    if "$ref" in schema:
        return _instance(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    if "anyOf" in schema:
        return _instance(schema["anyOf"][0], defs)
    kind = schema.get("type", "object")
    if kind == "object":
        props = schema.get("properties") or {}
        return {name: _instance(prop, defs) for name, prop in props.items()}
    if kind == "string":
        return "x" * max(1, int(schema.get("minLength", 1)))
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if kind == "array":
        return [_instance(schema.get("items") or {}, defs) for _ in range(int(schema.get("minItems", 0)))]
    return None


def _schema_action(schema: dict[str, Any]) -> dict[str, Any]:
    defs = schema.get("$defs") or {}
    labels = (defs.get("label") or {}).get("enum") or []
    branches = schema.get("anyOf") or [schema]

    def targets_control(branch: dict[str, Any]) -> bool:
        return (branch.get("properties") or {}).get("label") == {"$ref": "#/$defs/label"}

    def finishes(branch: dict[str, Any]) -> bool:
        return bool((branch.get("properties") or {}).get("function", {}).get("enum") == [""])

    chosen = next((b for b in branches if targets_control(b)), None) if labels else None
    chosen = chosen or next((b for b in branches if finishes(b)), branches[-1])
    action: dict[str, Any] = _instance(chosen, defs)
    if finishes(chosen):
        action["status"] = "FINISH"
    return action


def valid_content(body: dict[str, Any]) -> str:
    """What a perfectly obedient model would generate under this request's constraint."""
    regex = (body.get("structured_outputs") or {}).get("regex") or body.get("guided_regex")
    if regex:
        return sample_regex(regex)
    fmt = body.get("response_format") or {}
    schema = (fmt.get("json_schema") or {}).get("schema")
    if schema:
        return json.dumps(_schema_action(schema), separators=(",", ":"))
    return json.dumps({"function": "", "label": "", "args": {}, "status": "FINISH"})


def ungrounded_content(body: dict[str, Any]) -> str:
    """A well-formed answer that names a control not on screen (what grounding must refuse)."""
    content = valid_content(body)
    if content.startswith("{"):
        action = json.loads(content)
        return json.dumps({**action, "function": "click_input", "label": NOT_ON_SCREEN, "args": {}})
    return f"{NOT_ON_SCREEN} click_input"


# ------------------------------------------------------------------ the server


@dataclass
class FaultState:
    mode: str = "normal"
    delay_s: float = 2.0
    all_endpoints: bool = False
    model: str = DEFAULT_MODEL
    chat_requests: int = 0
    in_flight: int = 0
    max_in_flight: int = 0


def _completion(state: FaultState, content: str, finish_reason: str = "stop") -> dict[str, Any]:
    return {
        "id": f"chatcmpl-fault-{state.chat_requests}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": state.model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 100, "completion_tokens": max(1, len(content) // 4)},
    }


async def _fault(request: web.Request, state: FaultState) -> web.StreamResponse | None:
    """The answer of a fault mode, or None to answer normally."""
    mode = state.mode
    if mode == "slow":
        await asyncio.sleep(state.delay_s)
        return None
    if mode == "hang":
        await asyncio.Event().wait()  # until the client gives up (the handler is then cancelled)
    if mode == "error500":
        return web.json_response({"object": "error", "message": "injected failure", "code": 500}, status=500)
    if mode == "unavailable":
        return web.json_response({"object": "error", "message": "injected: engine unavailable"}, status=503)
    if mode in ("drop", "reset"):
        transport = request.transport
        if transport is not None:
            sock = transport.get_extra_info("socket")
            if mode == "reset" and sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.close()
        await asyncio.sleep(3600)  # the connection is gone; never answer
    if mode == "garbage":
        return web.Response(body=b"<html>502 Bad Gateway</html>{not json", content_type="application/json")
    return None


def build_app(state: FaultState) -> web.Application:
    async def chat(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        state.chat_requests += 1
        state.in_flight += 1
        state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            faulted = await _fault(request, state)
            if faulted is not None:
                return faulted
            if state.mode == "invalid_output":
                return web.json_response(_completion(state, "I think you should click the Bold button."))
            if state.mode == "ungrounded":
                return web.json_response(_completion(state, ungrounded_content(body)))
            if state.mode == "truncated":
                return web.json_response(_completion(state, valid_content(body)[:5], finish_reason="length"))
            return web.json_response(_completion(state, valid_content(body)))
        finally:
            state.in_flight -= 1

    async def models(request: web.Request) -> web.StreamResponse:
        if state.all_endpoints:
            faulted = await _fault(request, state)
            if faulted is not None:
                return faulted
        return web.json_response({"object": "list", "data": [{"id": state.model, "object": "model"}]})

    async def health(request: web.Request) -> web.StreamResponse:
        if state.all_endpoints:
            faulted = await _fault(request, state)
            if faulted is not None:
                return faulted
        return web.Response(text="")

    async def set_mode(request: web.Request) -> web.StreamResponse:
        data = await request.json()
        mode = data.get("mode", state.mode)
        if mode not in MODES:
            return web.json_response({"error": f"unknown mode {mode!r}; modes: {list(MODES)}"}, status=400)
        state.mode = mode
        state.delay_s = float(data.get("delay_s", state.delay_s))
        state.all_endpoints = bool(data.get("all_endpoints", False))
        return web.json_response(_stats(state))

    async def stats(request: web.Request) -> web.StreamResponse:
        return web.json_response(_stats(state))

    async def reset(request: web.Request) -> web.StreamResponse:
        state.mode, state.all_endpoints, state.chat_requests, state.max_in_flight = "normal", False, 0, 0
        return web.json_response(_stats(state))

    app = web.Application(client_max_size=16 * 1024 * 1024)
    app.router.add_post("/v1/chat/completions", chat)
    app.router.add_get("/v1/models", models)
    app.router.add_get("/health", health)
    app.router.add_post("/admin/mode", set_mode)
    app.router.add_get("/admin/stats", stats)
    app.router.add_post("/admin/reset", reset)
    return app


def _stats(state: FaultState) -> dict[str, Any]:
    return {
        "mode": state.mode,
        "delay_s": state.delay_s,
        "all_endpoints": state.all_endpoints,
        "chat_requests": state.chat_requests,
        "in_flight": state.in_flight,
        "max_in_flight": state.max_in_flight,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fault-injecting stand-in for vLLM's OpenAI API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode", choices=MODES, default="normal")
    parser.add_argument("--delay-s", type=float, default=2.0)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args(argv)
    state = FaultState(mode=args.mode, delay_s=args.delay_s, model=args.model)
    # A test tool: on SIGTERM drop hung requests at once rather than wait for them.
    web.run_app(build_app(state), host=args.host, port=args.port, access_log=None, print=None, shutdown_timeout=0.2)


if __name__ == "__main__":
    main()
