/**
 * Trainer-like traffic (issue 4, Figures): 16 DoorKey-5x5 environments step together (planner
 * actions, 30% random), and every step their 16 rendered frames go to POST /v1/suggestions:batch,
 * as a vectorised LVLM2P trainer asks. Frames repeat naturally (DoorKey-5x5 has few layouts; agents turn in place),
 * so the cache, single flight and packed prompts all take part. The teacher is the simulated VLM
 * (an OpenAI-compatible server answering from the planner); upstream calls are counted at the
 * gateway's HTTP client.
 *
 * Figure: upstream calls per request. Baselines: the same traffic with the cache bypassed and
 * packing off (one call per request: what a gateway without issue 4 does), measured in this run;
 * and the released LVLM2P code's pattern of about 8 calls per environment frame (a published
 * figure, not run here).
 *
 *   npm run bench:trainer-traffic       # BENCH_STEPS=48 by default
 */
import { makeEnv, toPngDataUrl } from '@teacher-gateway/trainer';
import type { GridWorldEnv } from '@teacher-gateway/trainer';
import { ACTION_LABELS } from '@teacher-gateway/trainer/internal/envs/grid-world/action';
import { planAction } from '@teacher-gateway/trainer/internal/teachers/planner/plan-action';
import { createSimulatedVlmServer } from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/create-simulated-vlm-server';
import { countUpstreamCalls } from './count-upstream-calls.ts';
import { createJsonPoster } from './create-json-poster.ts';
import { startBenchGateway } from './start-bench-gateway.ts';

const envCount = 16;
const steps = Number(process.env.BENCH_STEPS ?? 48);
const lvlm2pCallsPerFrame = 8;
const labels = [...ACTION_LABELS];

const simulated = await createSimulatedVlmServer({ seed: 1 });

/** Replays the same seeded episodes through a gateway; returns what the trainer and the upstream saw. */
async function run(options: { windowMs: number; cache: 'default' | 'bypass' }) {
  const counter = countUpstreamCalls();
  const bench = await startBenchGateway(
    `
batching: { windowMs: ${options.windowMs}, maxBatchSize: 64 }
defaultProvider: simulated
providers: [{ id: simulated, kind: openai-compatible, model: simulated-planner, baseURL: ${JSON.stringify(simulated.url)}, maxConcurrency: 16 }]
`,
    { fetch: counter.fetch },
  );
  const client = createJsonPoster(bench.url);
  let random = 12345;
  const nextRandom = () => {
    random = (random * 1103515245 + 12345) % 2 ** 31;
    return random / 2 ** 31;
  };
  const envs: GridWorldEnv[] = Array.from({ length: envCount }, () =>
    makeEnv('MiniGrid-DoorKey-5x5-v0'),
  );
  const episodes = envs.map(() => 0);
  envs.forEach((env, index) => env.reset(index));
  const outcomes: Record<string, number> = {};
  let requests = 0;
  let errors = 0;
  const distinctFrames = new Set<string>();
  const started = performance.now();
  for (let step = 0; step < steps; step += 1) {
    const frames = envs.map((env) => toPngDataUrl(env.renderRgb({ tileSize: 8 })));
    frames.forEach((frame) => distinctFrames.add(frame));
    const items = envs.map((env, index) => ({
      template: 'minigrid-lvlm2p',
      observation: { image: frames[index], text: env.snapshot().mission },
      actions: { kind: 'discrete', labels },
      cache: options.cache,
    }));
    // The baseline gateway has no batch endpoint: a batch shares identical items' calls even
    // under `bypass`, so the naive baseline sends its items as separate concurrent requests.
    const results =
      options.cache === 'bypass'
        ? (await Promise.all(items.map((item) => client.post('/v1/suggestions', item)))).map(
            (response) => response.body as { cache?: string; error?: unknown },
          )
        : (((await client.post('/v1/suggestions:batch', { requests: items })).body as {
            results?: { cache?: string; error?: unknown }[];
          }).results ?? []);
    for (const result of results) {
      requests += 1;
      if (result.error !== undefined || result.cache === undefined) errors += 1;
      else outcomes[result.cache] = (outcomes[result.cache] ?? 0) + 1;
    }
    envs.forEach((env, index) => {
      const planned = planAction(env.snapshot());
      const action =
        nextRandom() < 0.3 || !planned.ok ? Math.floor(nextRandom() * 3) : planned.action;
      const result = env.step(action);
      if (result.terminated || result.truncated) {
        episodes[index] = (episodes[index] ?? 0) + 1;
        // Fresh seeds: repeats come only from the environment itself (few layouts, turning in place).
        env.reset(index + envCount * (episodes[index] ?? 0));
      }
    });
  }
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  await bench.close();
  return {
    requests,
    calls: counter.count(),
    outcomes,
    errors,
    distinct: distinctFrames.size,
    seconds,
  };
}

try {
  const gateway = await run({ windowMs: 2, cache: 'default' });
  const naive = await run({ windowMs: 0, cache: 'bypass' });
  const frames = steps * envCount;
  console.log(
    `trainer traffic: ${envCount} DoorKey-5x5 envs x ${steps} steps = ${frames} frames (${gateway.distinct} distinct), one :batch request per step, simulated VLM`,
  );
  console.log(
    `  gateway (cache, single flight, packed prompts): ${gateway.calls} upstream calls for ${gateway.requests} requests = ${(gateway.calls / gateway.requests).toFixed(3)} calls/request; outcomes ${JSON.stringify(gateway.outcomes)}; errors ${gateway.errors}; ${gateway.seconds.toFixed(1)} s`,
  );
  console.log(
    `  baseline, measured (cache bypassed, packing off): ${naive.calls} upstream calls = ${(naive.calls / naive.requests).toFixed(3)} calls/request; errors ${naive.errors}; ${naive.seconds.toFixed(1)} s`,
  );
  console.log(
    `  baseline, LVLM2P release pattern: ~${lvlm2pCallsPerFrame} calls/frame = ${lvlm2pCallsPerFrame * frames} calls (published, not run)`,
  );
  console.log(
    `  ratios: gateway / measured baseline ${(gateway.calls / naive.calls).toFixed(3)}; gateway / LVLM2P pattern ${(gateway.calls / (lvlm2pCallsPerFrame * frames)).toFixed(4)} (${((lvlm2pCallsPerFrame * frames) / gateway.calls).toFixed(0)}x fewer calls)`,
  );
} finally {
  await simulated.close();
}
