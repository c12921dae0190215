"""deploy/k8s: rendered with kustomize (kubectl's, when installed; else the resources list read here),
every object validated offline against the Kubernetes OpenAPI schemas that kubernetes-validate
bundles, the KEDA ScaledObject (a CRD, not bundled) against the part of its schema we use, and the
objects checked against each other (selectors, probes, volumes, scale targets)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
K8S_VERSION = "1.30.0"

# The fields of keda.sh/v1alpha1 ScaledObject that vllm-keda.yaml uses, from KEDA's CRD.
SCALED_OBJECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "keda.sh/v1alpha1"},
        "kind": {"const": "ScaledObject"},
        "metadata": {"type": "object", "required": ["name"]},
        "spec": {
            "type": "object",
            "required": ["scaleTargetRef", "triggers"],
            "additionalProperties": False,
            "properties": {
                "scaleTargetRef": {
                    "type": "object",
                    "required": ["name"],
                    "additionalProperties": False,
                    "properties": {
                        "apiVersion": {"type": "string"},
                        "kind": {"type": "string"},
                        "name": {"type": "string"},
                    },
                },
                "minReplicaCount": {"type": "integer", "minimum": 0},
                "maxReplicaCount": {"type": "integer", "minimum": 1},
                "pollingInterval": {"type": "integer"},
                "cooldownPeriod": {"type": "integer"},
                "advanced": {"type": "object"},
                "triggers": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["type", "metadata"],
                        "properties": {
                            "type": {"type": "string"},
                            # KEDA trigger metadata values are all strings.
                            "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
                        },
                    },
                },
            },
        },
    },
}


def render() -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl:
        out = subprocess.run(
            [kubectl, "kustomize", str(K8S)], capture_output=True, text=True, timeout=60, check=True
        ).stdout
        return [doc for doc in yaml.safe_load_all(out) if doc]
    # No kubectl: the same objects, without kustomize's transformations but with its namespace.
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    docs = [doc for name in kustomization["resources"] for doc in yaml.safe_load_all((K8S / name).read_text()) if doc]
    for doc in docs:
        if doc["kind"] != "Namespace":
            doc["metadata"]["namespace"] = kustomization["namespace"]
    return docs


@pytest.fixture(scope="module")
def objects() -> dict[tuple[str, str], dict[str, Any]]:
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in render()}


def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == on_disk


def test_objects_match_the_kubernetes_schemas(objects: dict[tuple[str, str], dict[str, Any]]) -> None:
    kinds = {kind for kind, _ in objects}
    assert {
        "Namespace",
        "PersistentVolumeClaim",
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "ScaledObject",
    } <= kinds
    for (kind, name), doc in objects.items():
        if kind == "ScaledObject":
            jsonschema.validate(doc, SCALED_OBJECT_SCHEMA)
        else:
            kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
        if kind != "Namespace":
            assert doc["metadata"]["namespace"] == "lam", f"{kind}/{name}"


def test_schema_validation_catches_mistakes(objects: dict[tuple[str, str], dict[str, Any]]) -> None:
    broken = yaml.safe_load(yaml.safe_dump(objects[("Deployment", "lam-layer")]))
    broken["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["pathh"] = "/x"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSION, strict=True)


def container(deployment: dict[str, Any]) -> dict[str, Any]:
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    result: dict[str, Any] = only
    return result


def env_of(c: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e["value"] for e in c.get("env", [])}


def test_services_select_their_deployments(objects: dict[tuple[str, str], dict[str, Any]]) -> None:
    for name in ("lam-layer", "vllm"):
        deployment, service = objects[("Deployment", name)], objects[("Service", name)]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"].items() <= labels.items()
        assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
        ports = {p["name"] for p in container(deployment)["ports"]}
        assert {p["targetPort"] for p in service["spec"]["ports"]} <= ports


def test_layer(objects: dict[tuple[str, str], dict[str, Any]]) -> None:
    deployment = objects[("Deployment", "lam-layer")]
    c = container(deployment)
    assert c["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert c["image"].startswith("lam-serve")
    env = env_of(c)
    vllm_port = objects[("Service", "vllm")]["spec"]["ports"][0]["port"]
    assert env["LAM_VLLM_BASE_URL"] == f"http://vllm:{vllm_port}/v1"
    assert env["LAM_HOST"] == "0.0.0.0"
    assert env["LAM_TOKENIZER_PATH"].startswith(c["volumeMounts"][0]["mountPath"] + "/")
    assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    assert c["resources"]["requests"]["cpu"], "the CPU HPA needs a CPU request"

    hpa = objects[("HorizontalPodAutoscaler", "lam-layer")]
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "lam-layer"}
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"


def test_vllm(objects: dict[tuple[str, str], dict[str, Any]]) -> None:
    deployment = objects[("Deployment", "vllm")]
    c = container(deployment)
    assert c["resources"]["limits"]["nvidia.com/gpu"] == 1
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert c[probe]["httpGet"]["path"] == "/health"
    args = c["args"]
    served = args[args.index("--served-model-name") + 1]
    assert env_of(container(objects[("Deployment", "lam-layer")]))["LAM_MODEL"] == served
    assert "--structured-outputs-config" in args
    claims = [
        v["persistentVolumeClaim"]["claimName"]
        for d in ("vllm", "lam-layer")
        for v in objects[("Deployment", d)]["spec"]["template"]["spec"]["volumes"]
        if "persistentVolumeClaim" in v
    ]
    assert claims == ["lam-models", "lam-models"]
    assert ("PersistentVolumeClaim", "lam-models") in objects


def test_vllm_replicas_follow_the_queue(objects: dict[tuple[str, str], dict[str, Any]]) -> None:
    scaled = objects[("ScaledObject", "vllm")]
    assert scaled["spec"]["scaleTargetRef"]["name"] == "vllm"
    assert ("Deployment", "vllm") in objects
    (trigger,) = scaled["spec"]["triggers"]
    assert trigger["type"] == "prometheus"
    assert "vllm:num_requests_waiting" in trigger["metadata"]["query"]
    assert float(trigger["metadata"]["threshold"]) > 0
    assert 1 <= scaled["spec"]["minReplicaCount"] < scaled["spec"]["maxReplicaCount"]
