// Steps per second of MiniGrid-DoorKey-8x8-v0 under seeded random actions with auto-reset,
// single process, against the real MiniGrid's figures measured on this machine (spec §10).
// Usage: npm run bench:grid-world [-- --quick]
import { NumpyGenerator, makeEnv } from '@teacher-gateway/trainer';

const ENV_ID = 'MiniGrid-DoorKey-8x8-v0';
const MINIGRID_ENCODING_STEPS_PER_S = 8300; // gym.make, dict obs (7x7x3 encoding + direction + mission)
const MINIGRID_AGENT_VIEW_STEPS_PER_S = 2100; // RGBImgPartialObsWrapper, tile 8 (56x56x3)
const GOAL_RATIO = 20;

const quick = process.argv.includes('--quick');
const REPEATS = quick ? 3 : 5;

/** Actions drawn up front so the loop times the environment, not the action sampler. */
const ACTIONS = (() => {
  const generator = new NumpyGenerator(2024);
  const actions = new Uint8Array(1 << 16);
  for (let k = 0; k < actions.length; k++) actions[k] = generator.integers(0, 7);
  return actions;
})();

function run(steps: number, render: boolean): number {
  const env = makeEnv(ENV_ID, { seed: 0 });
  env.reset(0);
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let t = 0; t < steps; t++) {
    const result = env.step(ACTIONS[t & 0xffff]!);
    if (render) sink += env.renderRgb({ tileSize: 8, agentView: true }).data[0]!;
    else sink += result.observation.image[0]!;
    if (result.terminated || result.truncated) env.reset();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink < 0) console.log(sink); // keeps the observations live
  return steps / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(label: string, steps: number, render: boolean, baseline: number): void {
  run(Math.min(steps, 20_000), render); // warm-up: lets the JIT settle before timing
  const rates: number[] = [];
  for (let r = 0; r < REPEATS; r++) rates.push(run(steps, render));
  const rate = median(rates);
  const ratio = rate / baseline;
  const verdict = ratio >= GOAL_RATIO ? 'meets' : 'below';
  console.log(
    `${label.padEnd(38)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} steps/s ` +
      `(median of ${REPEATS}, range ${Math.round(Math.min(...rates)).toLocaleString('en-US')}-` +
      `${Math.round(Math.max(...rates)).toLocaleString('en-US')})  ` +
      `${ratio.toFixed(1)}x MiniGrid's ${baseline.toLocaleString('en-US')}  [${verdict} the ${GOAL_RATIO}x goal]`,
  );
}

console.log(
  `${ENV_ID}, seeded random actions, auto-reset, single process (Node ${process.version})`,
);
measure(
  'encoding only (7x7x3 + direction)',
  quick ? 200_000 : 1_000_000,
  false,
  MINIGRID_ENCODING_STEPS_PER_S,
);
measure(
  '+ 56x56 agent-view render (tile 8)',
  quick ? 40_000 : 200_000,
  true,
  MINIGRID_AGENT_VIEW_STEPS_PER_S,
);
