#!/usr/bin/env bash
# PPO vs LVLM2P with teachers of four qualities (the simulated VLM's oracle / good / typical / poor
# profiles), the release's LVLM2P (constant 0.01 x 0.8 hard target, 3-action teacher) and hard-CE,
# on DoorKey-5x5, LavaGapS5 and GoToDoor-5x5: matched seeds (the same list for every arm), equal
# frame budgets, a greedy evaluation of every final student on 50 held-out episodes (seeds from
# 100000, never trained on). Then scripts/analyze-lvlm2p-experiment.ts writes the break-even table.
#
#   bash scripts/experiment-lvlm2p-break-even.sh [out-folder]       (default runs/lvlm2p-break-even)
#   SEEDS=1,2,3,4,5,6,7,8,9,10 ENVS="DoorKey-5x5 LavaGapS5 GoToDoor-5x5" JOBS=2 bash scripts/...
#
# Resumable: a finished run leaves <out>/<env>/<arm>/.done-<seed>; rerunning skips it and restarts
# any run that was cut short. Jobs go seed-major (all arms of seed 1, then seed 2, ...) so that a
# run stopped early still has every arm at the same seeds. Progress: <out>/progress.log.
set -euo pipefail
OUT=${1:-runs/lvlm2p-break-even}
SEEDS=${SEEDS:-1,2,3,4,5,6,7,8,9,10}
ENVS=${ENVS:-"DoorKey-5x5 LavaGapS5 GoToDoor-5x5"}
ARMS=${ARMS:-"ppo oracle good typical poor released hard-ce"}
JOBS=${JOBS:-2}
EPISODES=${EPISODES:-50}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)

frames_for() {
  case "$1" in
    DoorKey-5x5) echo "${DOORKEY_FRAMES:-50000}" ;;
    *) echo "${FRAMES:-40000}" ;;
  esac
}

flags_for() {
  case "$1" in
    ppo) echo "ppo" ;;
    oracle | good | typical | poor) echo "lvlm2p --profile $1" ;;
    # The release: weight 0.01 on KL(0.8 * onehot(teacher argmax) || softmax(probs)), constant, teacher limited to 3 moves.
    released) echo "lvlm2p --profile typical --distill released --lambda 1 --lambda-schedule constant --teacher-actions 3 --action-set move" ;;
    hard-ce) echo "lvlm2p --profile typical --distill hard-ce" ;;
    *) echo "unknown arm $1" >&2; return 1 ;;
  esac
}

run_job() {
  local env=$1 arm=$2 seed=$3
  local dir="$OUT/$env/$arm"
  local marker="$dir/.done-$seed"
  if [ -e "$marker" ]; then return 0; fi
  mkdir -p "$dir"
  rm -rf "$dir"/*__"$seed"__*
  local frames; frames=$(frames_for "$env")
  local started=$SECONDS
  # shellcheck disable=SC2046
  if ! nice -n 10 node --import tsx "$ROOT/trainer/src/cli.ts" $(flags_for "$arm") --env "$env" --frames "$frames" \
      --seeds "$seed" --out "$dir" --label "$arm" --quiet > "$dir/log-$seed.txt" 2>&1; then
    echo "$(date -u +%H:%M:%S) FAILED $env $arm seed $seed (see $dir/log-$seed.txt)" >> "$OUT/progress.log"
    return 0
  fi
  local run; run=$(ls -d "$dir"/*__"$seed"__* | head -1)
  nice -n 10 node --import tsx "$ROOT/trainer/src/cli.ts" eval --checkpoint "$run/checkpoint.json" \
    --episodes "$EPISODES" --seed 100000 --greedy --json > "$run/greedy-eval.json" 2>> "$dir/log-$seed.txt"
  touch "$marker"
  echo "$(date -u +%H:%M:%S) done $env $arm seed $seed ($((SECONDS - started)) s)" >> "$OUT/progress.log"
}
export -f run_job frames_for flags_for
export OUT ROOT EPISODES DOORKEY_FRAMES FRAMES

jobs_list() {
  for seed in ${SEEDS//,/ }; do
    for env in $ENVS; do
      for arm in $ARMS; do echo "$env $arm $seed"; done
    done
  done
}
total=$(jobs_list | wc -l)
echo "$(date -u +%H:%M:%S) start: $total runs ($ENVS; arms $ARMS; seeds $SEEDS) -> $OUT" >> "$OUT/progress.log"
jobs_list | xargs -P "$JOBS" -L 1 bash -c 'run_job "$0" "$1" "$2"'
echo "$(date -u +%H:%M:%S) all runs finished" >> "$OUT/progress.log"
npx tsx "$ROOT/scripts/analyze-lvlm2p-experiment.ts" "$OUT" --out "${REPORT:-docs/results/lvlm2p-break-even}"
