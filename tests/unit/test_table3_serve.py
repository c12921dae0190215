"""``bench.table3``: what it serves for base / card / an adapter, the commands it runs, and that one
serve of a model covers every split still to do (nothing here starts vLLM: the subprocesses and the
serve are replaced)."""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import bench.table3 as table3
from bench.table3_files import result_path
from models.card import ModelCard
from service.settings import DEFAULT_ACTION_SPACES_DIR, DEFAULT_MODEL, Settings
from stack.engine import ENGINE_PYTHON


@pytest.fixture
def commands(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The commands ``bench.table3.run`` was given; a merge writes its --out folder as the real one does."""
    seen: list[list[str]] = []

    def fake_run(cmd: list[str], **kwargs: Any) -> None:
        seen.append(cmd)
        if "merge" in cmd:
            Path(cmd[cmd.index("--out") + 1]).mkdir(parents=True, exist_ok=True)

    monkeypatch.setattr(table3, "run", fake_run)
    return seen


def test_base_is_the_cards_untrained_base_built_in_the_engine_env(tmp_path: Path, commands: list[list[str]]) -> None:
    folder = table3.servable("LAM0", "base", "some-card", tmp_path / "work", cache=tmp_path)
    assert folder == tmp_path / "_base" / "some-card"
    [cmd] = commands
    assert cmd[0] == str(ENGINE_PYTHON) and "base_folder" in cmd[2] and cmd[3:] == ["some-card", str(tmp_path)]


def test_card_is_the_cards_prepared_folder(tmp_path: Path, commands: list[list[str]]) -> None:
    folder = table3.servable("shipped", "card", "some-card", tmp_path / "work", cache=tmp_path)
    assert folder == tmp_path / "some-card"
    assert commands == [[str(ENGINE_PYTHON), "-m", "models.prepare", "some-card", "--cache", str(tmp_path)]]


def test_an_adapter_is_merged_into_the_cards_base_once(tmp_path: Path, commands: list[list[str]]) -> None:
    first, second = tmp_path / "a1", tmp_path / "a2"
    work = tmp_path / "work"
    folder = table3.servable("LAM2", str(first), "card-x", work)
    assert folder == work / "card-x" / "LAM2"
    assert commands[-1][1:] == ["-m", "models.train", "merge", str(first), "--out", str(folder), "--card", "card-x"]
    table3.servable("LAM2", str(first), "card-x", work)
    assert len(commands) == 1  # the same adapter is merged there already
    table3.servable("LAM2", str(second), "card-x", work)
    assert len(commands) == 2 and commands[-1][4] == str(second)
    assert table3.servable("LAM2", str(second), "card-y", work) == work / "card-y" / "LAM2"
    assert commands[-1][-1] == "card-y" and len(commands) == 3


def test_eval_command_per_split_and_mode(tmp_path: Path) -> None:
    args = table3.parser().parse_args(
        ["--data", "D", "--out", str(tmp_path), "--model", "A=base", "--offline-per-family", "0"]
    )
    offline = table3.eval_command("A", "heldout_dev", "offline", "http://l", args)
    online = table3.eval_command("A", "heldout_dev", "online", "http://l", args)
    assert offline[1:4] == ["eval", "offline", "--tasks"] and offline[4] == str(Path("D/heldout_dev.jsonl"))
    assert "--per-family" not in offline and "--max-steps" not in offline  # 0: every task of the split
    assert offline[-1] == str(tmp_path / "A.heldout_dev.offline.json")
    assert online[online.index("--per-family") + 1] == "2" and online[online.index("--max-steps") + 1] == "20"
    assert online[online.index("--concurrency") + 1] == "4"
    assert online[-1] == str(tmp_path / "A.heldout_dev.online.json")


def _result(mode: str, split: str) -> dict[str, Any]:
    common = {"mode": mode, "tasks_file": f"/d/{split}.jsonl", "n_tasks": 3, "tsr": 0.5}
    return common | ({"n_steps": 9} if mode == "offline" else {"avg_steps": 4.0})


@pytest.fixture
def serves(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, list[tuple[str, str]], str]]:
    """Each serve main asks for: (name, what, the (split, mode) pairs run on it, card); it writes their results."""
    seen: list[tuple[str, str, list[tuple[str, str]], str]] = []

    def fake_servable(name: str, what: str, card: str, work: Path) -> Path:
        return Path(what)

    def fake_evaluate(
        name: str, model_dir: Path, todo: Sequence[tuple[str, str]], card: ModelCard, fmt: str, args: argparse.Namespace
    ) -> None:
        seen.append((name, str(model_dir), list(todo), card.name))
        for split, mode in todo:
            result_path(args.out, name, split, mode).write_text(json.dumps(_result(mode, split)))

    monkeypatch.setattr(table3, "servable", fake_servable)
    monkeypatch.setattr(table3, "evaluate", fake_evaluate)
    return seen


def test_one_serve_per_model_covers_every_split_and_done_results_are_skipped(
    tmp_path: Path, serves: list[tuple[str, str, list[tuple[str, str]], str]]
) -> None:
    for split in ("val", "heldout_dev"):
        for mode in ("offline", "online"):
            result_path(tmp_path, "done", split, mode).write_text(json.dumps(_result(mode, split)))
    result_path(tmp_path, "half", "val", "offline").write_text(json.dumps(_result("offline", "val")))
    argv = ["--data", "D", "--out", str(tmp_path), "--split", "val", "--split", "heldout_dev"]
    assert table3.main([*argv, "--model", "done=base", "--model", "half=card", "--model", "new=/runs/x"]) == 0
    assert serves == [
        ("half", "card", [("val", "online"), ("heldout_dev", "offline"), ("heldout_dev", "online")], DEFAULT_MODEL),
        ("new", "/runs/x", [(s, m) for s in ("val", "heldout_dev") for m in ("offline", "online")], DEFAULT_MODEL),
    ]
    md = (tmp_path / "table3.md").read_text()
    assert md.index("## val") < md.index("## heldout_dev")
    assert md.count("| done | 3 | 9 |") == 2 and md.count("| new | 3 | 50.0 |") == 2  # offline, online per split
    serves.clear()
    table3.main([*argv, "--model", "new=/runs/x"])
    assert serves == []  # a re-run resumes: nothing left to serve


def test_no_online_runs_offline_only_and_split_defaults_to_test(
    tmp_path: Path, serves: list[tuple[str, str, list[tuple[str, str]], str]]
) -> None:
    table3.main(["--data", "D", "--out", str(tmp_path), "--model", "A=base", "--no-online"])
    assert serves == [("A", "base", [("test", "offline")], DEFAULT_MODEL)]


def test_no_offline_runs_online_only(tmp_path: Path, serves: list[tuple[str, str, list[tuple[str, str]], str]]) -> None:
    table3.main(["--data", "D", "--out", str(tmp_path), "--model", "A=base", "--split", "val", "--no-offline"])
    assert serves == [("A", "base", [("val", "online")], DEFAULT_MODEL)]


@pytest.mark.parametrize(
    "bad",
    [
        ["--split", "dev"],
        ["--offline-per-family", "-1"],
        ["--card", "no-such-card"],
        ["--model", "=base"],
        ["--format", "A=no-such-format"],
        ["--no-online", "--no-offline"],
    ],
)
def test_bad_arguments_are_refused_before_anything_runs(
    tmp_path: Path, bad: list[str], serves: list[tuple[str, str, list[tuple[str, str]], str]]
) -> None:
    with pytest.raises(SystemExit):
        table3.main(["--data", "D", "--out", str(tmp_path), "--model", "A=base", *bad])
    assert serves == []


@pytest.fixture
def layer_envs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    """The LAM_* settings each layer ``evaluate`` started was given; no engine starts, and each ``lam eval``
    writes a result as the real one does."""
    envs: list[dict[str, str]] = []

    @contextmanager
    def fake_engine(config: Any, log: Path, ready_timeout_s: int) -> Iterator[str]:
        yield "http://engine"

    @contextmanager
    def fake_layer(upstream: str, **kwargs: Any) -> Iterator[str]:
        envs.append({k: v for k, v in kwargs.items() if k.startswith("LAM_")})
        yield "http://layer"

    def fake_run(cmd: list[str], **kwargs: Any) -> None:
        Path(cmd[cmd.index("--out") + 1]).write_text(json.dumps(_result("online", "val")))

    monkeypatch.setattr(table3, "running_engine", fake_engine)
    monkeypatch.setattr(table3, "layer", fake_layer)
    monkeypatch.setattr(table3, "run", fake_run)
    return envs


@pytest.mark.parametrize("limit", [None, 0, 2, 5])
def test_the_repeat_limit_reaches_the_layer_and_the_result(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, layer_envs: list[dict[str, str]], limit: int | None
) -> None:
    """``--repeat-limit`` sets the layer's LAM_REPEAT_LIMIT; left out, the layer's own default, set all the
    same (a developer's LAM_REPEAT_LIMIT in the shell does not change a scoring), and each result says it."""
    monkeypatch.delenv("LAM_REPEAT_LIMIT", raising=False)
    flag = [] if limit is None else ["--repeat-limit", str(limit)]
    args = table3.parser().parse_args(["--data", "D", "--out", str(tmp_path), "--model", "A=base", *flag])
    card = table3.load_card(DEFAULT_MODEL)
    table3.evaluate("A", tmp_path, [("val", "online"), ("val", "offline")], card, "compact-v2", args)
    expected = Settings().repeat_limit if limit is None else limit
    [layer_env] = layer_envs
    assert layer_env["LAM_REPEAT_LIMIT"] == str(expected)
    assert layer_env["LAM_ACTION_SPACES_DIR"] == str(DEFAULT_ACTION_SPACES_DIR)
    assert layer_env["LAM_MAX_CONCURRENCY"] == table3.EVAL_ENV["LAM_MAX_CONCURRENCY"]
    shipped = hashlib.sha256((DEFAULT_ACTION_SPACES_DIR / "word.yaml").read_bytes()).hexdigest()
    for mode in ("online", "offline"):
        result = json.loads(result_path(tmp_path, "A", "val", mode).read_text())
        assert result["layer"]["LAM_REPEAT_LIMIT"] == expected and result["tsr"] == 0.5
        assert result["layer"]["action_spaces"]["word.yaml"] == shipped


def test_another_action_space_folder_reaches_the_layer_and_the_result_records_its_hashes(
    tmp_path: Path, layer_envs: list[dict[str, str]]
) -> None:
    """``--action-spaces DIR`` scores a changed action-space file (its repeatable list) before it ships;
    the result records that folder's files by hash, not the shipped ones'."""
    spaces = tmp_path / "spaces"
    spaces.mkdir()
    changed = (DEFAULT_ACTION_SPACES_DIR / "word.yaml").read_text(encoding="utf-8") + "# changed\n"
    (spaces / "word.yaml").write_text(changed, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    args = table3.parser().parse_args(
        ["--data", "D", "--out", str(out), "--model", "A=base", "--action-spaces", str(spaces)]
    )
    table3.evaluate("A", tmp_path, [("val", "online")], table3.load_card(DEFAULT_MODEL), "compact-v2", args)
    assert [env["LAM_ACTION_SPACES_DIR"] for env in layer_envs] == [str(spaces.resolve())]
    result = json.loads(result_path(out, "A", "val", "online").read_text())
    assert result["layer"]["action_spaces"] == {"word.yaml": hashlib.sha256(changed.encode()).hexdigest()}
    assert result["layer"]["LAM_ACTION_SPACES_DIR"] == str(spaces.resolve())


def test_an_action_space_folder_without_files_is_refused_before_vllm_starts(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        table3.parser().parse_args(["--data", "D", "--out", "O", "--model", "A=base", "--action-spaces", str(tmp_path)])


@pytest.mark.parametrize("bad", ["1", "-2"])
def test_a_repeat_limit_the_layer_would_refuse_is_refused_before_vllm_starts(bad: str) -> None:
    with pytest.raises(SystemExit):
        table3.parser().parse_args(["--data", "D", "--out", "O", "--model", "A=base", "--repeat-limit", bad])
