#!/usr/bin/env bash
# SAC vs VARL on Physics-Reach and Physics-ButtonPress, with the two controls that can make VARL's
# claim fail: random advice (the simulated VLM's `random` profile: a confident, random action per
# scene) and no gate (gate tolerance -1: the behaviour-cloning term applies everywhere). The
# teacher is the simulated VLM at the `typical` profile (mistakes repeat per scene). 20k steps,
# guidance ends at N_s = 6k (3 query rounds of 64 states at 1k, 2k, 3k), 50 greedy evaluation
# episodes every 2k steps; the result is read after guidance ends.
#
#   bash scripts/experiment-varl.sh [out-folder]          (default runs/varl-20k)
#   SEEDS=1,2,3 STEPS=20000 JOBS=1 bash scripts/experiment-varl.sh
#
# Resumable: a finished run leaves <out>/<env>/<arm>/.done-<seed>; rerunning skips it. Jobs go
# seed-major so an early stop leaves every arm at the same seeds. Progress: <out>/progress.log.
set -euo pipefail
OUT=${1:-runs/varl-20k}
SEEDS=${SEEDS:-1,2,3,4,5,6,7,8,9,10}
ENVS=${ENVS:-"Physics-Reach-v0 Physics-ButtonPress-v0"}
ARMS=${ARMS:-"sac varl random-advice no-gate"}
STEPS=${STEPS:-20000}
CUTOFF=${CUTOFF:-6000}
JOBS=${JOBS:-1}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COMMON="--steps $STEPS --train-frequency 2 --eval-every 2000 --eval-episodes 50 --quiet"

flags_for() {
  case "$1" in
    sac) echo "sac" ;;
    varl) echo "varl --profile typical --cutoff-step $CUTOFF" ;;
    random-advice) echo "varl --profile random --cutoff-step $CUTOFF" ;;
    no-gate) echo "varl --profile typical --cutoff-step $CUTOFF --gate-tolerance=-1" ;;
    *) echo "unknown arm $1" >&2; return 1 ;;
  esac
}

run_job() {
  local env=$1 arm=$2 seed=$3
  local dir="$OUT/$env/$arm"
  [ -e "$dir/.done-$seed" ] && return 0
  mkdir -p "$dir"
  rm -rf "$dir"/*__"$seed"__*
  local started=$SECONDS
  # shellcheck disable=SC2046
  if nice -n 10 node --import tsx "$ROOT/trainer/src/cli.ts" $(flags_for "$arm") --env "$env" --seeds "$seed" \
      --out "$dir" --label "$arm" $COMMON > "$dir/log-$seed.txt" 2>&1; then
    touch "$dir/.done-$seed"
    echo "$(date -u +%H:%M:%S) done $env $arm seed $seed ($((SECONDS - started)) s)" >> "$OUT/progress.log"
  else
    echo "$(date -u +%H:%M:%S) FAILED $env $arm seed $seed (see $dir/log-$seed.txt)" >> "$OUT/progress.log"
  fi
}
export -f run_job flags_for
export OUT ROOT CUTOFF COMMON

jobs_list() {
  for seed in ${SEEDS//,/ }; do
    for env in $ENVS; do
      for arm in $ARMS; do echo "$env $arm $seed"; done
    done
  done
}
echo "$(date -u +%H:%M:%S) start: $(jobs_list | wc -l) runs ($ENVS; arms $ARMS; seeds $SEEDS; $STEPS steps, N_s $CUTOFF) -> $OUT" >> "$OUT/progress.log"
jobs_list | xargs -P "$JOBS" -L 1 bash -c 'run_job "$0" "$1" "$2"'
echo "$(date -u +%H:%M:%S) all runs finished" >> "$OUT/progress.log"
npx tsx "$ROOT/scripts/analyze-varl-experiment.ts" "$OUT" --out "${REPORT:-docs/results/varl-20k}"
