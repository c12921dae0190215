"""The benchmark's own pieces, fast: fixed observations, the UFO-style comparison, the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.observations import observation_body, realistic_mix
from bench.report import load_rows, plot, table
from bench.tokens import ChatTokens, prompt_tokens_table, render_chatml
from bench.ufo_style import ufo_style_messages
from models.cache import MODEL_CACHE
from service.action_space import load_action_spaces
from service.protocol import PredictRequest
from service.settings import DEFAULT_ACTION_SPACES_DIR, DEFAULT_MODEL

SPACES = load_action_spaces([DEFAULT_ACTION_SPACES_DIR])
TOKENIZER = MODEL_CACHE / DEFAULT_MODEL / "tokenizer.json"


def test_observations_are_valid_and_deterministic() -> None:
    assert observation_body("word", 50, 2) == observation_body("word", 50, 2)
    mix = realistic_mix(60)
    assert {b["app"] for b in mix} == {"word", "excel"}
    assert min(len(b["observation"]["controls"]) for b in mix) == 10
    assert max(len(b["observation"]["controls"]) for b in mix) == 200
    assert max(len(b["memory"]["steps"]) for b in mix) <= 10
    for body in mix:
        PredictRequest.model_validate(body)


def test_ufo_style_prompt_renders_controls_as_json_dicts() -> None:
    body = observation_body("word", 10, 2)
    system, user = ufo_style_messages(body, SPACES["word"])
    assert system["role"] == "system" and "## Response format" in system["content"]
    controls = json.loads(user["content"].splitlines()[0].removeprefix("<Available Control Item:> "))
    assert controls[0].keys() == {"label", "control_text", "control_type"} and len(controls) == 10


@pytest.mark.skipif(not TOKENIZER.exists(), reason="no prepared model tokenizer")
def test_prompt_tokens_ours_vs_ufo_style() -> None:
    rows = {r["controls"]: r for r in prompt_tokens_table(SPACES, ChatTokens(TOKENIZER), TOKENIZER, (10, 50))}
    assert rows[50]["ours"] <= 550 and rows[50]["ratio"] <= 0.10
    assert 10_000 < rows[50]["ufo_style"] < 12_500  # sized like UFO's AppAgent prompt
    assert render_chatml([{"role": "system", "content": "s"}]).endswith("<|im_start|>assistant\n")


def _fake_results() -> dict:
    wrk = {"requests": 10, "non_2xx": 0, "socket_errors": 0, "duration_us": 1_000_000, "p50_us": 800, "p90_us": 900,
           "p99_us": 2000, "max_us": 3000, "rps": 1100.0}  # fmt: skip
    q = {"direct_ms": 0.05, "layer_ms": 0.8, "diff_ms": 0.75, "ratio": 16.0}
    steps = {"concurrency": 1, "steps": 5, "failures": 0, "p50_s": 0.5, "p95_s": 0.7, "steps_per_s": 2.0,
             "prompt_tokens_median": 480, "completion_tokens_median": 9, "prefix_cache_hit_rate": 0.8}  # fmt: skip
    return {
        "overhead": {
            "c1": {"p50": q, "p99": q},
            "c32": {"p50": q, "p99": q},
            "stub_rps_c64": 9000.0,
            "throughput": {"workers_1": wrk, "workers_2": wrk},
        },
        "prompt_tokens": [{"controls": 50, "ours": 480, "ufo_style": 11000, "ratio": 0.0436}],
        "expert_action_tokens": {
            "steps": 10,
            "compact": {"median": 6, "mean": 6.7, "max": 15},
            "compact-v2": {"median": 8, "mean": 7.9, "max": 16},
            "json": {"median": 30, "mean": 26.8, "max": 33},
        },
        "e2e": {"c1": steps, "c4": steps, "c16": steps, "mix_c4": steps, "json_c1": steps},
    }


def _load_level(ok: float, p99: float, p99_429: float | None = None, other: int = 0) -> dict:
    return {"ok_steps_per_s": ok, "share_429": 0.3 if p99_429 else 0.0, "admitted_p50_s": p99 / 2,
            "admitted_p99_s": p99, "p99_429_ms": p99_429, "errors_other_than_429": other,
            "admission_limit": 20.0}  # fmt: skip


def test_load_table_judges_the_defaults_against_admission_off_in_the_same_run() -> None:
    load = {
        "off_a1": _load_level(2.0, 0.5),
        "off_a16": _load_level(16.0, 1.2),
        "defaults_a16": _load_level(13.0, 1.9),  # 13 >= 0.8 x 16 and 1.9 <= 4 x 0.5
        "defaults_a64": _load_level(14.0, 1.8, p99_429=120.0),  # the 429s are too slow
    }
    rows = {name: (value, goal, met) for name, value, goal, met in load_rows(load)}
    assert [name for name in rows][:2] == ["1 agents, admission off", "16 agents, admission off"]
    assert rows["16 agents, admission defaults"][1:] == (">= 12.8 ok/s, p99 <= 2.00 s", "yes")
    assert rows["64 agents, admission defaults"][2] == "MISSED"
    load["defaults_a64"] = _load_level(14.0, 1.8, p99_429=20.0, other=1)  # anything but a 429 going wrong
    assert dict((n, m) for n, _, _, m in load_rows(load))["64 agents, admission defaults"] == "MISSED"
    load["defaults_a64"] = _load_level(14.0, 1.8, p99_429=20.0)
    assert dict((n, m) for n, _, _, m in load_rows(load))["64 agents, admission defaults"] == "yes"
    assert "limit 20" in rows["16 agents, admission defaults"][0]


def test_report_table_and_figure(tmp_path: Path) -> None:
    text = table(_fake_results())
    assert "layer overhead c=1 p50" in text and "MISSED" in text  # 2 steps/s at c=16 misses its goal
    assert "compact-v1 median 6" in text and "compact-v2 median 8 (max 16)" in text
    plot(_fake_results(), tmp_path / "bench.png")
    assert (tmp_path / "bench.png").read_bytes()[:4] == b"\x89PNG"
