/**
 * Upstream scheduling throughput (issue 4, Figures): the stand-in takes 200 ms per call and throttles
 * past 8 calls in flight, so its ceiling is 8 / 0.2 s = 40 requests/s. Distinct requests (all cache
 * misses) arrive faster than that through the gateway (provider maxConcurrency 8); achieved
 * throughput as a fraction of 40/s. Baseline in the same run: 8 workers calling the stand-in
 * directly with the OpenAI SDK, back to back (the best a client can do).
 *
 *   npm run bench:throughput            # BENCH_REQUESTS=400 by default (about 10 s per side)
 */
import OpenAI from 'openai';
import { startOpenAIStandIn } from '../test/stand-ins/openai-stand-in.ts';
import { createJsonPoster } from './create-json-poster.ts';
import { startBenchGateway } from './start-bench-gateway.ts';
import { ACTION_LABELS } from '@teacher-gateway/trainer/internal/envs/grid-world/action';

const total = Number(process.env.BENCH_REQUESTS ?? 400);
const latencyMs = 200;
const limit = 8;
const ceiling = limit / (latencyMs / 1000);
const standIn = await startOpenAIStandIn({ apiKey: 'sk-bench', latencyMs, maxConcurrency: limit });
const bench = await startBenchGateway(`
defaultProvider: standin
providers: [{ id: standin, kind: openai, model: gpt-4o-mini, apiKey: sk-bench, baseURL: ${JSON.stringify(standIn.url)}, maxConcurrency: ${limit} }]
`);
const client = createJsonPoster(bench.url, 256);
const labels = [...ACTION_LABELS];
const request = (index: number) => ({
  template: 'minigrid-text',
  observation: {
    text: `mission ${index}: use the key to open the door and then get to the goal`,
    state: {},
  },
  actions: { kind: 'discrete', labels },
});

async function throughGateway(): Promise<{ rate: number; errors: number; upstream: number }> {
  const before = standIn.calls.length;
  // 64 callers keep the gateway's queue full; the scheduler decides what goes upstream.
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < total) {
        const index = next++;
        const response = await client.post('/v1/suggestions', request(index));
        if (response.status !== 200) errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { rate: total / seconds, errors, upstream: standIn.calls.length - before };
}

async function direct(): Promise<{ rate: number; errors: number }> {
  const sdk = new OpenAI({ apiKey: 'sk-bench', baseURL: standIn.url, maxRetries: 0 });
  const body = {
    model: 'gpt-4o-mini',
    messages: [
      {
        role: 'user' as const,
        content: 'Mission: get to the goal\nA. turn left\nB. turn right\nC. move forward',
      },
    ],
    max_completion_tokens: 1,
    logprobs: true,
    top_logprobs: 20,
  };
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < total) {
        next += 1;
        await sdk.chat.completions.create(body).catch(() => (errors += 1));
      }
    }),
  );
  return { rate: total / ((performance.now() - started) / 1000), errors };
}

try {
  const baseline = await direct();
  const gateway = await throughGateway();
  console.log(
    `throughput: ${total} distinct requests; stand-in ${latencyMs} ms per call, ${limit} in flight at most → ceiling ${ceiling} requests/s`,
  );
  console.log(
    `  gateway (provider maxConcurrency ${limit}, 64 callers): ${gateway.rate.toFixed(2)} requests/s = ${((100 * gateway.rate) / ceiling).toFixed(1)}% of ${ceiling}/s; ${gateway.upstream} upstream calls, ${gateway.errors} errors, stand-in peak concurrency ${standIn.peakConcurrency()}`,
  );
  console.log(
    `  baseline (${limit} SDK workers straight to the stand-in): ${baseline.rate.toFixed(2)} requests/s = ${((100 * baseline.rate) / ceiling).toFixed(1)}% of ${ceiling}/s; ${baseline.errors} errors`,
  );
  console.log(
    `  ratio gateway / baseline: ${(gateway.rate / baseline.rate).toFixed(3)}; goal >= 95% of ${ceiling}/s → ${gateway.rate >= 0.95 * ceiling ? 'met' : 'NOT met'}`,
  );
} finally {
  await client.close();
  await bench.close();
  await standIn.close();
}
