// Physics tasks: environment steps/s per task with rendering off, on (the 128x128 top-down RGB
// frame VARL shows the teacher) and on + PNG encoding, and SAC gradient updates/s at our default
// network size (64-unit hidden layers, batch 128) and cleanrl's (256, batch 256), on the
// WebAssembly backend, one thread. Each figure is also given per CPU-second, since this machine's
// two cores are shared with other work and wall-clock rates understate what a free core does.
// Usage: npm run bench:physics [-- --quick]
import { SAC_DEFAULTS, createSacOptimizers, updateSac } from '@teacher-gateway/trainer/internal/algorithms/sac';
import { createSacAgent } from '@teacher-gateway/trainer/internal/networks/sac-agent';
import { ReplayBuffer } from '@teacher-gateway/trainer/internal/buffers/replay-buffer';
import { encodePng } from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/encode-png';
import { makeEnv } from '@teacher-gateway/trainer/internal/envs/make-env';
import { NumpyGenerator } from '@teacher-gateway/trainer/internal/random/numpy-generator';
import { setUpBackend } from '@teacher-gateway/trainer/internal/tensors/set-up-backend';

const quick = process.argv.includes('--quick');
const ENV_STEPS = quick ? 2_000 : 10_000;
const TASKS = ['Physics-Reach-v0', 'Physics-Push-v0', 'Physics-ButtonPress-v0'] as const;

interface Rate {
  wall: number;
  cpu: number;
}

function measure(count: number, body: () => void): Rate {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  body();
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  return { wall: count / wall, cpu: count / ((cpu.user + cpu.system) / 1e6) };
}

function envRate(id: (typeof TASKS)[number], mode: 'off' | 'rgb' | 'png'): Rate {
  const env = makeEnv(id, { seed: 0 });
  const random = new NumpyGenerator(1);
  const actions = Array.from({ length: ENV_STEPS }, () => [
    random.uniform(-1, 1),
    random.uniform(-1, 1),
  ]);
  env.reset(0);
  let sink = 0;
  const rate = measure(ENV_STEPS, () => {
    for (let t = 0; t < ENV_STEPS; t++) {
      const step = env.step(actions[t]!);
      if (mode === 'rgb') sink += env.render().data[0]!;
      if (mode === 'png') sink += encodePng(env.render()).length;
      if (step.terminated || step.truncated) env.reset();
    }
  });
  env.close();
  if (sink < 0) console.log(sink);
  return rate;
}

function updateRate(hiddenSize: number, batchSize: number, updates: number): Rate {
  const random = new NumpyGenerator(0);
  const agent = createSacAgent({
    observationSize: 6,
    low: [-1, -1],
    high: [1, 1],
    hiddenSize,
    random,
  });
  const optimizers = createSacOptimizers(SAC_DEFAULTS);
  const buffer = new ReplayBuffer({ capacity: 1_000, observationSize: 6, actionSize: 2 });
  const draw = (n: number) => Array.from({ length: n }, () => random.uniform(-0.5, 0.5));
  for (let i = 0; i < 1_000; i++)
    buffer.add({
      observation: draw(6),
      action: draw(2),
      reward: i % 50 === 0 ? 1 : 0,
      nextObservation: draw(6),
      done: false,
    });
  const args = { ...SAC_DEFAULTS, hiddenSize, batchSize };
  let alpha = 1;
  const run = (update: number) => {
    alpha = updateSac(
      { agent, optimizers, args, random, alpha, step: update, update, hooks: {} },
      buffer.sample(batchSize, random),
      false,
    ).alpha;
  };
  for (let update = 0; update < 4; update++) run(update); // optimizer slots, kernel warm-up
  const rate = measure(updates, () => {
    for (let update = 0; update < updates; update++) run(update);
  });
  agent.dispose();
  return rate;
}

const format = (rate: Rate) =>
  `${Math.round(rate.wall).toString().padStart(7)} /s wall  ${Math.round(rate.cpu).toString().padStart(7)} /s per CPU-second`;

const backend = await setUpBackend({ backend: 'wasm', threads: 1 });
console.log(`physics env steps (${ENV_STEPS} random actions per figure, auto-reset)`);
for (const id of TASKS) {
  console.log(`  ${id.padEnd(24)} render off   ${format(envRate(id, 'off'))}`);
  console.log(`  ${''.padEnd(24)} render rgb   ${format(envRate(id, 'rgb'))}`);
  console.log(`  ${''.padEnd(24)} rgb + png    ${format(envRate(id, 'png'))}`);
}
console.log(
  `SAC gradient updates (${backend} backend, 1 thread; critic + actor + alpha + targets per update)`,
);
console.log(`  hidden 64, batch 128 (ours)     ${format(updateRate(64, 128, quick ? 40 : 200))}`);
console.log(`  hidden 256, batch 256 (cleanrl) ${format(updateRate(256, 256, quick ? 3 : 10))}`);
