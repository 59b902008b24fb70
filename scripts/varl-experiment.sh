#!/usr/bin/env bash
# SAC vs VARL on the three physics tasks (5 seeds), then lambda / N_s sensitivity on reach
# (3 seeds), as reported in README.md. Runs JOBS processes at a time (default 4).
# Usage: scripts/varl-experiment.sh [out-folder]   (default runs/varl-experiment)
set -euo pipefail
OUT=${1:-runs/varl-experiment}
JOBS=${JOBS:-4}
STEPS=${STEPS:-5000}
COMMON="--steps $STEPS --train-frequency 2 --quiet"
{
  for seed in 1 2 3 4 5; do
    for env in Physics-Reach-v0 Physics-Push-v0 Physics-ButtonPress-v0; do
      echo "sac --env $env --seeds $seed --out $OUT/main $COMMON"
      echo "varl --env $env --seeds $seed --out $OUT/main $COMMON"
    done
  done
  for seed in 1 2 3; do
    for lambda in 1 50; do
      echo "varl --env Physics-Reach-v0 --seeds $seed --lambda $lambda --label varl_lambda_$lambda --out $OUT/sensitivity $COMMON"
    done
    for cutoff in 2000 5000; do
      echo "varl --env Physics-Reach-v0 --seeds $seed --cutoff-step $cutoff --label varl_Ns_$cutoff --out $OUT/sensitivity $COMMON"
    done
  done
} | xargs -P "$JOBS" -I{} sh -c 'node trainer/bin/teacher-train.js {} >/dev/null 2>&1 || echo "failed: {}"'
