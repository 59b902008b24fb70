#!/usr/bin/env bash
# Measures each simulated-VLM profile with teacher-eval on the experiment's envs and writes
# docs/results/teacher-eval/<env>-<profile>/{result.json,reliability.svg} plus a table on stdout.
#   bash scripts/teacher-eval-profiles.sh [states]      (default 400)
set -euo pipefail
STATES=${1:-400}
OUT=${OUT:-docs/results/teacher-eval}
for env in DoorKey-5x5 LavaGapS5 GoToDoor-5x5; do
  for profile in oracle good typical poor; do
    line=$(nice -n 10 npx tsx trainer/src/cli.ts teacher-eval --env "$env" --states "$STATES" --profile "$profile" \
      --out "$OUT/$env-$profile" --json --quiet | tail -1)
    node -e 'const r = JSON.parse(process.argv[1]); const f = (x) => x.toFixed(2);
      console.log(`| ${process.argv[2]} | ${process.argv[3]} | ${f(r.agreement)} | ${f(r.agreementAnswered)} | ${f(r.massOnPlanner)} | ${f(r.ece)} | ${f(r.meanConfidence)} | ${f(r.malformedRate)} | ${r.queries} | ${r.upstreamCalls} |`)' \
      "$line" "$env" "$profile"
  done
done
