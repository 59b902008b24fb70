#!/usr/bin/env bash
# The LVLM2P experiment in README.md: PPO vs LVLM2P (simulated VLM, accuracy 0.8) on DoorKey-5x5,
# LavaGapS5 and Empty-8x8, 5 seeds each, plus an accuracy sweep (0.5 / 1.0) on DoorKey-5x5, then
# the report. Two lanes run side by side (one per core). Frames per run are set by what fits in
# this machine's time budget (see README).
#   bash scripts/experiment-lvlm2p.sh [out-folder]
set -euo pipefail
out="${1:-runs/experiment}"
seeds="${SEEDS:-1,2,3,4,5}"
train="npx tsx trainer/src/cli.ts"
lane_a() {
  $train ppo    --env DoorKey-5x5 --frames 50000 --seeds "$seeds" --out "$out/doorkey" --quiet
  $train lvlm2p --env DoorKey-5x5 --frames 50000 --seeds "$seeds" --out "$out/doorkey" --accuracy 0.8 --quiet
  $train ppo    --env Empty-8x8   --frames 25000 --seeds "$seeds" --out "$out/empty" --quiet
  $train lvlm2p --env Empty-8x8   --frames 25000 --seeds "$seeds" --out "$out/empty" --accuracy 0.8 --quiet
}
lane_b() {
  $train ppo    --env LavaGapS5   --frames 50000 --seeds "$seeds" --out "$out/lavagap" --quiet
  $train lvlm2p --env LavaGapS5   --frames 50000 --seeds "$seeds" --out "$out/lavagap" --accuracy 0.8 --quiet
  $train lvlm2p --env DoorKey-5x5 --frames 50000 --seeds "$seeds" --out "$out/sweep" --accuracy 0.5 --quiet
  $train lvlm2p --env DoorKey-5x5 --frames 50000 --seeds "$seeds" --out "$out/sweep" --accuracy 1.0 --quiet
}
lane_a > "$out.lane-a.log" 2>&1 &
a=$!
mkdir -p "$out"
lane_b > "$out.lane-b.log" 2>&1 &
b=$!
wait $a $b
npx tsx trainer/src/cli.ts report "$out/doorkey" "$out/lavagap" "$out/empty" --out "$out/report" --title "PPO vs LVLM2P (simulated VLM, accuracy 0.8)"
npx tsx trainer/src/cli.ts report "$out/doorkey" "$out/sweep" --out "$out/report-sweep" --title "LVLM2P teacher accuracy sweep, DoorKey-5x5"
