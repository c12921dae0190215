# syntax=docker/dockerfile:1
# The LAM layer (FastAPI in front of vLLM). Build: docker build -t lam-serve .
# Run:  docker run -p 8000:8000 -v ~/.cache/lam/models:/models:ro \
#         -e LAM_VLLM_BASE_URL=http://HOST:8001/v1 lam-serve
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- builder: a venv with the package and its dependencies ---------------------------------------
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Dependencies first, from pyproject.toml alone: this layer is reused while only the code changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt
# Then the code (.dockerignore lets in only pyproject.toml, README.md and the packages).
COPY . .
RUN pip install --no-deps . \
    && python -m compileall -q /opt/venv/lib

# --- runtime: slim Python, the venv, a user without privileges ------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 lam \
    && useradd --system --uid 10001 --gid lam --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin lam
COPY --from=builder /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LAM_HOST=0.0.0.0 \
    LAM_PORT=8000 \
    LAM_WORKERS=1 \
    LAM_MODEL=lam-smollm2-135m \
    LAM_TOKENIZER_PATH=/models/lam-smollm2-135m/tokenizer.json
# The served model's tokenizer.json is not in the image: mount the prepared model folder read-only
# (docker-compose.yml and deploy/k8s do) or point LAM_TOKENIZER_PATH elsewhere.
USER 10001:10001
WORKDIR /tmp
EXPOSE 8000
# Liveness only (the process answers); /readyz, which also asks vLLM, is for load balancers.
# Python's urllib, since the slim image has no curl: non-2xx or no answer -> exit 1.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('LAM_PORT', '8000'), timeout=3)"]
ENTRYPOINT ["python", "-m", "service"]
