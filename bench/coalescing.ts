/**
 * Single-flight coalescing (issue 4, Figures): 100 concurrent identical requests reach the gateway
 * over HTTP while the upstream call is slow; the stand-in counts the calls it received. Baseline in
 * the same run: the same 100 requests with `cache: "bypass"`, which skips the cache and coalescing.
 *
 *   npm run bench:coalescing
 */
import { startOpenAIStandIn } from '../test/stand-ins/openai-stand-in.ts';
import { createJsonPoster } from './create-json-poster.ts';
import { startBenchGateway } from './start-bench-gateway.ts';
import { ACTION_LABELS } from '@teacher-gateway/trainer/internal/envs/grid-world/action';

const concurrent = 100;
const standIn = await startOpenAIStandIn({ apiKey: 'sk-bench', latencyMs: 1000 });
const bench = await startBenchGateway(`
defaultProvider: standin
providers: [{ id: standin, kind: openai, model: gpt-4o-mini, apiKey: sk-bench, baseURL: ${JSON.stringify(standIn.url)}, maxConcurrency: 128 }]
`);
const client = createJsonPoster(bench.url);
const labels = [...ACTION_LABELS];
const request = (cache: string) => ({
  template: 'minigrid-text',
  observation: {
    text: 'use the key to open the door and then get to the goal',
    state: { grid: 'K . D . G' },
  },
  actions: { kind: 'discrete', labels },
  cache,
});

async function round(
  cache: string,
): Promise<{ upstream: number; outcomes: Record<string, number>; errors: number }> {
  const before = standIn.calls.length;
  const responses = await Promise.all(
    Array.from({ length: concurrent }, () => client.post('/v1/suggestions', request(cache))),
  );
  const outcomes: Record<string, number> = {};
  let errors = 0;
  for (const response of responses) {
    if (response.status !== 200) errors += 1;
    const outcome = (response.body as { cache?: string }).cache ?? 'error';
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return { upstream: standIn.calls.length - before, outcomes, errors };
}

try {
  const coalesced = await round('default');
  const baseline = await round('bypass');
  console.log(`coalescing: ${concurrent} concurrent identical requests, upstream latency 1000 ms`);
  console.log(
    `  gateway (cache + single flight): ${coalesced.upstream} upstream call(s); outcomes ${JSON.stringify(coalesced.outcomes)}; errors ${coalesced.errors}`,
  );
  console.log(
    `  baseline (cache: "bypass"):      ${baseline.upstream} upstream calls; outcomes ${JSON.stringify(baseline.outcomes)}; errors ${baseline.errors}`,
  );
  console.log(
    `  ratio: ${(coalesced.upstream / baseline.upstream).toFixed(3)} (goal: exactly 1 call → ${coalesced.upstream === 1 ? 'met' : 'NOT met'})`,
  );
} finally {
  await client.close();
  await bench.close();
  await standIn.close();
}
