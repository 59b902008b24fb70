#!/usr/bin/env bash
# npm run demo: PPO vs LVLM2P on DoorKey-5x5, offline (an in-process gateway + simulated VLM at
# accuracy 0.8), 3 seeds x 25k frames each, then the report. Writes files only:
# runs/demo/report/{learning-curves.svg,learning-curves.png,summary.md}.
set -euo pipefail
out="${1:-runs/demo}"
frames="${FRAMES:-25000}"
rm -rf "$out"
npx teacher-train ppo    --env DoorKey-5x5 --frames "$frames" --seeds 1,2,3 --out "$out"
npx teacher-train lvlm2p --env DoorKey-5x5 --frames "$frames" --seeds 1,2,3 --out "$out" --accuracy 0.8
npx teacher-train report "$out" --out "$out/report" --title "DoorKey-5x5: PPO vs LVLM2P (offline demo)"
