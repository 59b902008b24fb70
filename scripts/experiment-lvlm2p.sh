#!/usr/bin/env bash
# The LVLM2P experiment in README.md: PPO vs LVLM2P (simulated VLM, accuracy 0.8) on DoorKey-5x5,
# LavaGapS5 and Empty-8x8, 5 seeds each, plus an accuracy sweep (0.5 / 1.0, 2 seeds) on
# DoorKey-5x5, then the reports. Lanes run side by side. Frames per run and the seeds of the sweep
# and of PPO's longer DoorKey-5x5 runs were cut to fit this machine's time budget (see README):
# PPO on DoorKey-5x5 gets 100k frames (3 seeds) because it mostly does not reach the threshold in
# 40k.
#   bash scripts/experiment-lvlm2p.sh [out-folder]
set -euo pipefail
out="${1:-runs/experiment}"
seeds="${SEEDS:-1,2,3,4,5}"
sweep_seeds="${SWEEP_SEEDS:-1,2}"
long_seeds="${LONG_SEEDS:-1,2,3}"
train="npx teacher-train"
mkdir -p "$out"
lane_a() {
  $train lvlm2p --env DoorKey-5x5 --frames 40000 --seeds "$seeds" --out "$out/doorkey" --accuracy 0.8 --quiet
  $train ppo    --env Empty-8x8   --frames 20000 --seeds "$seeds" --out "$out/empty" --quiet
  $train lvlm2p --env DoorKey-5x5 --frames 40000 --seeds "$sweep_seeds" --out "$out/sweep" --accuracy 1.0 --quiet
}
lane_b() {
  $train ppo    --env LavaGapS5   --frames 40000 --seeds "$seeds" --out "$out/lavagap" --quiet
  $train lvlm2p --env LavaGapS5   --frames 40000 --seeds "$seeds" --out "$out/lavagap" --accuracy 0.8 --quiet
  $train lvlm2p --env Empty-8x8   --frames 20000 --seeds "$seeds" --out "$out/empty" --accuracy 0.8 --quiet
  $train lvlm2p --env DoorKey-5x5 --frames 40000 --seeds "$sweep_seeds" --out "$out/sweep" --accuracy 0.5 --quiet
}
lane_c() {
  $train ppo    --env DoorKey-5x5 --frames 100000 --seeds "$long_seeds" --out "$out/doorkey-ppo-100k" --quiet
}
lane_a > "$out/lane-a.log" 2>&1 &
a=$!
lane_b > "$out/lane-b.log" 2>&1 &
b=$!
lane_c > "$out/lane-c.log" 2>&1 &
c=$!
wait $a $b $c
report="npx teacher-train report --threshold 0.8"
$report "$out/doorkey" "$out/doorkey-ppo-100k" "$out/lavagap" "$out/empty" --out "$out/report" --title "PPO vs LVLM2P (simulated VLM, accuracy 0.8)"
$report "$out/doorkey" "$out/doorkey-ppo-100k" "$out/sweep" --out "$out/report-sweep" --title "LVLM2P teacher accuracy sweep, DoorKey-5x5"
