"""The prediction pipeline: prompt -> per-request constraint -> vLLM -> parse, validate and ground.

The output format (``service.formats``) does every format-specific step: the prompt asks it for its
rules and signatures, the screen's references are computed once and serve both the constraint and
the reading back, and ``read`` parses and grounds the completion in one pass.

Knows nothing of FastAPI: it takes a parsed ``PredictRequest`` and returns a ``PredictResponse`` or
raises one of ``service.errors``. Metrics of the model call and of the action are recorded here;
the whole-request outcome is recorded by the route layer, which also sees parse failures.
"""

from __future__ import annotations

import time

from service import metrics, repeat_guard
from service.action_space import ActionSpace
from service.errors import ModelOutputError, UnknownApp
from service.formats import ConstraintSpec, OutputFormatName, make_output_format, untaken
from service.prompt import PROMPT_FORMAT, build_prompt
from service.protocol import PredictRequest, PredictResponse, Timing, Usage
from service.tokens import TokenCounter
from service.values import DEFAULT_VALUE_TOKEN_BUDGET
from service.vllm_client import VllmClient


class ActionPredictor:
    def __init__(
        self,
        *,
        spaces: dict[str, ActionSpace],
        client: VllmClient,
        counter: TokenCounter,
        memory_token_budget: int,
        max_output_tokens: int,
        max_arg_chars: int,
        temperature: float,
        output_format: OutputFormatName,
        repeat_limit: int,
        value_token_budget: int = DEFAULT_VALUE_TOKEN_BUDGET,
    ) -> None:
        self.spaces = spaces
        self.client = client
        self.counter = counter
        self.memory_token_budget = memory_token_budget
        self.value_token_budget = value_token_budget
        self.max_output_tokens = max_output_tokens
        self.temperature = temperature
        self.repeat_limit = repeat_limit
        self.output_format = make_output_format(output_format, max_arg_chars)

    def space_for(self, app: str) -> ActionSpace:
        space = self.spaces.get(app)
        if space is None:
            known = ", ".join(sorted(self.spaces)) or "none"
            raise UnknownApp(f"unknown app {app!r}; known apps: {known}", field="app")
        return space

    async def predict(self, req: PredictRequest, request_id: str, started: float) -> PredictResponse:
        space = self.space_for(req.app)
        prompt = build_prompt(
            req, space, self.counter, self.memory_token_budget, self.output_format, self.value_token_budget
        )
        screen = self.output_format.screen(req.observation.controls)  # what the model may write, once
        options = req.options
        repeated = repeat_guard.left_out(req.memory.steps, space, screen, self.repeat_limit)
        if repeated is not None:
            metrics.REPEATS_LEFT_OUT.labels(req.app, repeated.function).inc()
        left_out = untaken(space, screen) + ((repeated,) if repeated is not None else ())
        constraint = self.output_format.constraint(
            ConstraintSpec(space, screen.choices, options.include_thought, options.include_plan, left_out)
        )
        model_started = time.perf_counter()
        completion = await self.client.chat(
            prompt.messages,
            constraint=constraint.body,
            max_tokens=min(constraint.max_tokens, self.max_output_tokens),
            temperature=self.temperature,
        )
        model_s = time.perf_counter() - model_started
        model_name = self.client.model
        metrics.MODEL_LATENCY.labels(model_name, req.app).observe(model_s)
        metrics.PROMPT_TOKENS.labels(model_name, req.app).inc(completion.prompt_tokens)
        metrics.COMPLETION_TOKENS.labels(model_name, req.app).inc(completion.completion_tokens)
        if completion.finish_reason == "length":
            raise ModelOutputError("model output was cut at max_tokens", reason="truncated")
        grounded = self.output_format.read(completion.text, space, screen)
        metrics.ACTIONS.labels(grounded.action.function if grounded.action else "", grounded.status).inc()
        # Every part is validated already: construct without validating again (hot path).
        return PredictResponse.model_construct(
            action=grounded.action,
            status=grounded.status,
            plan=grounded.plan if options.include_plan else [],
            thought=grounded.thought if options.include_thought else None,
            model=model_name,
            usage=Usage.model_construct(
                prompt_tokens=completion.prompt_tokens,
                completion_tokens=completion.completion_tokens,
                memory_steps_dropped=prompt.memory_steps_dropped,
                value_chars_cut=prompt.value_chars_cut,
                document_paragraphs_cut=prompt.document_paragraphs_cut,
            ),
            timing_ms=Timing.model_construct(
                total=round((time.perf_counter() - started) * 1000, 2), model=round(model_s * 1000, 2)
            ),
            request_id=request_id,
            prompt_format=PROMPT_FORMAT,
        )
