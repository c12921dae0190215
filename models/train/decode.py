"""The model as a policy inside training: transformers decoding under the service's own constraint.

Phases 3 and 4 run the model in the simulator. The real serving path (layer + vLLM) is the same
pipeline over HTTP; here, for CPU economy and to need no server inside a training job, each step
does in-process what ``service.predictor`` does: ``build_prompt`` -> the output format's
constraint for *this* observation (the regex or JSON schema vLLM would get) compiled with
xgrammar (vLLM's structured-output backend) -> greedy (or sampled) decoding under that grammar ->
the format's ``read`` (its ``parse``, then ``service.formats.ground``). So the action is one the service could
have returned, and an unusable output fails the same way (``ModelOutputError``).
"""

from __future__ import annotations

import json
from typing import Any

import torch
from torch import nn

from models.train.data import Renderer
from models.train.policy import Decision
from service.action_space import ActionSpace
from service.formats import ConstraintSpec, untaken
from service.formats.base import Screen
from service.protocol import PredictRequest


class LocalPolicy:
    """Greedy by default (the service decodes at temperature 0); ``sample`` gives alternatives."""

    def __init__(self, model: nn.Module, renderer: Renderer) -> None:
        import xgrammar as xgr

        self.model = model.eval()
        self.renderer = renderer
        tokenizer = renderer.tokenizer
        vocab = int(getattr(model.config, "vocab_size", len(tokenizer)))
        self.compiler = xgr.GrammarCompiler(xgr.TokenizerInfo.from_huggingface(tokenizer, vocab_size=vocab))
        self.device = next(model.parameters()).device

    def _compiled(self, space: ActionSpace, screen: Screen) -> tuple[Any, int]:
        constraint = self.renderer.format.constraint(
            ConstraintSpec(space, screen.choices, left_out=untaken(space, screen))
        )
        body = constraint.body
        if "structured_outputs" in body:
            grammar = self.compiler.compile_regex(body["structured_outputs"]["regex"])
        else:
            schema = body["response_format"]["json_schema"]["schema"]
            grammar = self.compiler.compile_json_schema(json.dumps(schema), any_whitespace=False)
        return grammar, constraint.max_tokens

    @torch.no_grad()
    def generate(
        self,
        req: PredictRequest,
        *,
        n: int = 1,
        sample: bool = False,
        temperature: float = 1.0,
        max_new_tokens: int | None = None,
    ) -> tuple[list[str], ActionSpace]:
        """``n`` completions of the step's prompt, each valid under the step's grammar.

        ``max_new_tokens`` may cap the grammar's own bound (samples of a free string arg can run to
        150 tokens); a completion cut by it does not parse and is dropped by the caller.
        """
        from xgrammar.contrib.hf import LogitsProcessor

        messages, space = self.renderer.step_messages(req)
        screen = self.renderer.format.screen(req.observation.controls)  # its choices as the layer's
        grammar, max_tokens = self._compiled(space, screen)
        prompt = torch.tensor([self.renderer.prompt_ids(messages)] * n, device=self.device)
        out = self.model.generate(
            input_ids=prompt,
            attention_mask=torch.ones_like(prompt),
            max_new_tokens=min(max_tokens, max_new_tokens or max_tokens),
            do_sample=sample,
            temperature=temperature if sample else None,
            top_p=None,
            top_k=None,
            logits_processor=[LogitsProcessor([grammar] * n)],
            eos_token_id=self.renderer.eos_id,
            pad_token_id=self.renderer.eos_id,
            use_cache=True,
        )
        texts = self.renderer.tokenizer.batch_decode(out[:, prompt.shape[1] :], skip_special_tokens=True)
        return [t.strip("\n") for t in texts], space

    def to_decision(self, req: PredictRequest, text: str, space: ActionSpace) -> Decision:
        """Parse and ground as the layer does; raises ``ModelOutputError`` like the layer's 502."""
        fmt = self.renderer.format
        grounded = fmt.read(text, space, fmt.screen(req.observation.controls))
        action = grounded.action.model_dump() if grounded.action is not None else None
        return Decision(action, grounded.status, text)

    def act(self, req: PredictRequest, temperature: float = 0.0) -> Decision:
        """The step's answer: greedy at temperature 0 (as served), else one sample (phase 3's tries)."""
        texts, space = self.generate(req, sample=temperature > 0, temperature=temperature or 1.0)
        return self.to_decision(req, texts[0], space)
