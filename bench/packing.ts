/**
 * Packed prompts against single prompts (issue 4, Figures). Distinct DoorKey-8x8 frames are asked
 * through the `minigrid-lvlm2p` template (packed: true) of two gateways in front of the simulated
 * VLM: one with packing off (batching.windowMs 0: one call per observation) and one packing up to
 * 16 observations per call. Reported: upstream calls and tokens (from the gateway's usage), and how
 * often the packed answer's argmax differs from the single prompt's. The simulated VLM misreads the
 * agent's facing with p = 0.1 per observation and call, so answers are noisy; a second single-prompt
 * run with another seed gives the disagreement that noise alone causes, the baseline for the packed
 * one. The simulated VLM judges each observation of a packed prompt on its own: it has no context
 * effects (earlier images swaying later answers), so on a real VLM expect more disagreement.
 *
 *   npm run bench:packing               # BENCH_FRAMES=96 by default
 */
import { makeEnv, toPngDataUrl } from '@teacher-gateway/trainer';
import { ACTION_LABELS } from '@teacher-gateway/trainer/internal/envs/grid-world/action';
import { createSimulatedVlmServer } from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/create-simulated-vlm-server';
import { countUpstreamCalls } from './count-upstream-calls.ts';
import { createJsonPoster } from './create-json-poster.ts';
import { startBenchGateway } from './start-bench-gateway.ts';

const frameCount = Number(process.env.BENCH_FRAMES ?? 96);
const packSize = 16;
const labels = [...ACTION_LABELS];

function collectFrames(): { image: string; mission: string }[] {
  const frames = new Map<string, string>();
  let seed = 0;
  let random = 7;
  while (frames.size < frameCount) {
    const env = makeEnv('MiniGrid-DoorKey-8x8-v0');
    env.reset(seed++);
    for (let step = 0; step < 20 && frames.size < frameCount; step += 1) {
      frames.set(toPngDataUrl(env.renderRgb({ tileSize: 8 })), env.snapshot().mission);
      random = (random * 1103515245 + 12345) % 2 ** 31;
      const result = env.step(random % 3 === 2 ? 2 : random % 3);
      if (result.terminated || result.truncated) break;
    }
  }
  return [...frames].map(([image, mission]) => ({ image, mission }));
}

async function ask(
  frames: { image: string; mission: string }[],
  options: { windowMs: number; seed: number },
) {
  const simulated = await createSimulatedVlmServer({ seed: options.seed, misreadFacing: 0.1 });
  const counter = countUpstreamCalls();
  const bench = await startBenchGateway(
    `
batching: { windowMs: ${options.windowMs}, maxBatchSize: ${packSize} }
defaultProvider: simulated
providers: [{ id: simulated, kind: openai-compatible, model: simulated-planner, baseURL: ${JSON.stringify(simulated.url)}, maxConcurrency: 16 }]
`,
    { fetch: counter.fetch },
  );
  const client = createJsonPoster(bench.url);
  const actions: number[] = [];
  let tokens = { input: 0, output: 0 };
  let errors = 0;
  for (let start = 0; start < frames.length; start += packSize) {
    const response = await client.post('/v1/suggestions:batch', {
      requests: frames.slice(start, start + packSize).map((frame) => ({
        template: 'minigrid-lvlm2p',
        observation: { image: frame.image, text: frame.mission },
        actions: { kind: 'discrete', labels },
      })),
    });
    for (const result of (
      response.body as {
        results: { action?: number; usage?: { inputTokens: number; outputTokens: number } }[];
      }
    ).results) {
      if (result.action === undefined) errors += 1;
      actions.push(result.action ?? -1);
      tokens = {
        input: tokens.input + (result.usage?.inputTokens ?? 0),
        output: tokens.output + (result.usage?.outputTokens ?? 0),
      };
    }
  }
  await client.close();
  await bench.close();
  await simulated.close();
  return { actions, tokens, calls: counter.count(), errors };
}

const disagreement = (a: number[], b: number[]) =>
  a.filter((action, index) => action !== b[index]).length / a.length;

const frames = collectFrames();
const single = await ask(frames, { windowMs: 0, seed: 1 });
const packed = await ask(frames, { windowMs: 5, seed: 2 });
const singleAgain = await ask(frames, { windowMs: 0, seed: 3 });
const totalTokens = (run: { tokens: { input: number; output: number } }) =>
  run.tokens.input + run.tokens.output;
console.log(
  `packing: ${frames.length} distinct DoorKey-8x8 frames, template minigrid-lvlm2p, up to ${packSize} per packed call, simulated VLM (misreadFacing 0.1)`,
);
console.log(
  `  packed: ${packed.calls} upstream calls, ${packed.tokens.input} input + ${packed.tokens.output} output tokens; errors ${packed.errors}`,
);
console.log(
  `  single (baseline): ${single.calls} upstream calls, ${single.tokens.input} input + ${single.tokens.output} output tokens; errors ${single.errors}`,
);
console.log(
  `  saved: ${(100 * (1 - packed.calls / single.calls)).toFixed(1)}% of calls (ratio ${(packed.calls / single.calls).toFixed(3)}), ${(100 * (1 - totalTokens(packed) / totalTokens(single))).toFixed(1)}% of tokens (ratio ${(totalTokens(packed) / totalTokens(single)).toFixed(3)})`,
);
console.log(
  `  argmax differs, packed vs single: ${(100 * disagreement(packed.actions, single.actions)).toFixed(1)}%; single vs single (noise floor, another seed): ${(100 * disagreement(singleAgain.actions, single.actions)).toFixed(1)}%`,
);
