// Training throughput on this machine: environment frames per second including updates, PPO
// alone and LVLM2P with its teacher (in-process gateway + simulated VLM, a fresh cache), and
// the teacher's upstream calls per environment frame against the LVLM2P release (about 8: every
// sample, every minibatch, every epoch, two API calls each, no cache).
//   npm run bench:training [-- frames] [--env DoorKey-5x5]
import * as tf from '@tensorflow/tfjs';
import { createClient } from '@teacher-gateway/client';
import { LVLM2P_DEFAULTS, train as trainLvlm2p } from '@teacher-gateway/trainer/internal/algorithms/lvlm2p';
import { PPO_DEFAULTS, train as trainPpo } from '@teacher-gateway/trainer/internal/algorithms/ppo';
import { resolveEnvId } from '@teacher-gateway/trainer/internal/commands/run-training';
import { ACTION_LABELS } from '@teacher-gateway/trainer';
import { startLocalGateway } from '@teacher-gateway/trainer/internal/teachers/local-gateway/start-local-gateway';
import { setUpBackend } from '@teacher-gateway/trainer/internal/tensors/set-up-backend';

const argv = process.argv.slice(2);
const envFlag = argv.indexOf('--env');
const envId = resolveEnvId(envFlag >= 0 ? argv[envFlag + 1]! : 'DoorKey-5x5');
const frames = Number(
  argv.find((arg, i) => !arg.startsWith('--') && argv[i - 1] !== '--env') ?? 15_360,
);
// The release: 4 epochs x (every sample of the 384-frame rollout) x 2 calls (probability, then action) per frame.
const RELEASED_CALLS_PER_FRAME = PPO_DEFAULTS.updateEpochs * 2;

const backend = await setUpBackend({ backend: 'auto' });
console.log(
  `training throughput, ${envId}, ${frames} frames per run, backend ${backend}, ${PPO_DEFAULTS.numEnvs} envs x ${PPO_DEFAULTS.numSteps} steps per update`,
);

const clock = { now: () => performance.now() };
const args = { ...PPO_DEFAULTS, envId, totalTimesteps: frames, seed: 1 };
const start = performance.now();
const ppo = await trainPpo(args, { clock, logger: { log: () => undefined } });
const ppoSeconds = (performance.now() - start) / 1000;
ppo.model.dispose();

/** One LVLM2P run against a fresh in-process gateway (cold cache), so runs do not share answers. */
async function runLvlm2p(teacherLag: 0 | 1) {
  const local = await startLocalGateway({
    databasePath: ':memory:',
    simulatedVlm: { accuracy: 0.8, seed: 1 },
  });
  const client = createClient({ baseUrl: local.url });
  const teacher = client.teacher({
    template: LVLM2P_DEFAULTS.template,
    actions: { kind: 'discrete', labels: [...ACTION_LABELS] },
    provider: local.provider,
    distribution: { method: 'logprobs' },
  });
  let waitMs = 0;
  let queries = 0;
  const begin = performance.now();
  const result = await trainLvlm2p(
    { ...LVLM2P_DEFAULTS, ...args, teacherLag },
    {
      clock,
      teacher: { advisor: teacher },
      logger: {
        log: (_step, metrics) => {
          waitMs += metrics['teacher/wait_ms'] ?? 0;
          queries = metrics['teacher/calls'] ?? queries;
        },
      },
    },
  );
  const seconds = (performance.now() - begin) / 1000;
  result.model.dispose();
  const stats = (await client.cacheStats()).total;
  await client.close();
  await local.close();
  return { seconds, waitMs, queries, stats, frames: result.steps, updates: result.updates };
}

const lvlm2p = await runLvlm2p(0);
const lagged = await runLvlm2p(1);
const { waitMs, queries, stats } = lvlm2p;
const lvlm2pSeconds = lvlm2p.seconds;

const ppoFps = lvlm2p.frames / ppoSeconds;
const lvlm2pFps = lvlm2p.frames / lvlm2pSeconds;
const callsPerFrame = stats.upstreamCalls / lvlm2p.frames;
const rows = [
  ['figure', 'value', 'baseline', 'ratio'],
  ['PPO frames/s (updates included)', ppoFps.toFixed(0), '—', '—'],
  [
    'LVLM2P frames/s (teacher included)',
    lvlm2pFps.toFixed(0),
    `${ppoFps.toFixed(0)} (PPO)`,
    `${(lvlm2pFps / ppoFps).toFixed(2)}x`,
  ],
  ['teacher wait per update (ms)', (waitMs / lvlm2p.updates).toFixed(1), '—', '—'],
  [
    'LVLM2P --teacher-lag 1 frames/s (round overlaps the next rollout)',
    (lagged.frames / lagged.seconds).toFixed(0),
    `${lvlm2pFps.toFixed(0)} (lag 0)`,
    `${(lagged.frames / lagged.seconds / lvlm2pFps).toFixed(2)}x`,
  ],
  [
    'teacher wait per update with lag 1 (ms)',
    (lagged.waitMs / lagged.updates).toFixed(1),
    '—',
    '—',
  ],
  [
    'teacher queries per frame (distinct states asked)',
    (queries / lvlm2p.frames).toFixed(3),
    `${RELEASED_CALLS_PER_FRAME} (release)`,
    `${(RELEASED_CALLS_PER_FRAME / Math.max(queries / lvlm2p.frames, 1e-9)).toFixed(0)}x fewer`,
  ],
  [
    'teacher upstream calls per frame',
    callsPerFrame.toFixed(4),
    `${RELEASED_CALLS_PER_FRAME} (release)`,
    `${(RELEASED_CALLS_PER_FRAME / Math.max(callsPerFrame, 1e-9)).toFixed(0)}x fewer`,
  ],
  ['gateway cache hits / requests', `${stats.hits} / ${stats.requests}`, '—', '—'],
];
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
for (const [n, row] of rows.entries()) {
  console.log(
    row
      .map((value, i) => (i === 0 ? value.padEnd(widths[i]!) : value.padStart(widths[i]!)))
      .join('  '),
  );
  if (n === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
}
console.log(
  `upstream calls: ${stats.upstreamCalls} for ${lvlm2p.frames} frames (${queries} teacher queries; the minigrid-lvlm2p template packs misses that arrive within 2 ms into one call). tensors alive at the end: ${tf.memory().numTensors}`,
);
