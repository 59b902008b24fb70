/**
 * A 429 storm (issue 4, Figures): the OpenAI stand-in throttles half of all calls, each independently,
 * with its real 429 (retry-after: 2, retry-after-ms: 1500, x-should-retry: true,
 * x-ratelimit-remaining-requests: 0). Distinct requests (all misses) go through the gateway with
 * maxRetries 10, a budget of 11 attempts per request (the chance that one request draws 11 throttles
 * in a row is 2^-11). Figure: client-visible errors (goal 0) and upstream attempts against the
 * budget. Baseline in the same run: the same storm through a gateway with maxRetries 0.
 *
 *   npm run bench:rate-limit-storm      # BENCH_REQUESTS=32 by default (each 429 pauses the provider 1.5 s)
 */
import { deriveDefaultAnswer } from '../test/stand-ins/derive-default-answer.ts';
import { startOpenAIStandIn } from '../test/stand-ins/openai-stand-in.ts';
import { readChatPrompt } from '../test/stand-ins/read-chat-prompt.ts';
import { createJsonPoster } from './create-json-poster.ts';
import { startBenchGateway } from './start-bench-gateway.ts';
import { ACTION_LABELS } from '@teacher-gateway/trainer/internal/envs/grid-world/action';

const total = Number(process.env.BENCH_REQUESTS ?? 32);
const maxRetries = 10;
const standIn = await startOpenAIStandIn({ apiKey: 'sk-bench', latencyMs: 20 });
// Calls are throttled independently with p = 1/2: after each answered call, queue a run of 429s
// whose length is geometric (P(k) = 2^-(k+1)), which makes the arrival sequence i.i.d. Bernoulli(1/2).
let seed = 42;
const uniform = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
let answered = 0;
const queueThrottles = () => {
  let run = 0;
  while (uniform() < 0.5) run += 1;
  if (run > 0) standIn.fail('rate-limited', run);
};
queueThrottles();
standIn.respondWith((body, index) => {
  if (index === 0) {
    answered += 1;
    queueThrottles();
  }
  const prompt = readChatPrompt(body);
  const top = (body as { top_logprobs?: number }).top_logprobs ?? 0;
  return deriveDefaultAnswer({
    prompt: prompt.text,
    json: false,
    topLogprobs: Math.max(1, top),
    sampleIndex: 0,
    samples: 1,
  });
});
const labels = [...ACTION_LABELS];

async function storm(retries: number, run: string) {
  const bench = await startBenchGateway(`
defaultProvider: standin
providers: [{ id: standin, kind: openai, model: gpt-4o-mini, apiKey: sk-bench, baseURL: ${JSON.stringify(standIn.url)}, maxConcurrency: 8, maxRetries: ${retries} }]
`);
  const client = createJsonPoster(bench.url);
  const before = standIn.calls.length;
  const answeredBefore = answered;
  const started = performance.now();
  const responses = await Promise.all(
    Array.from({ length: total }, (_, index) =>
      client.post('/v1/suggestions', {
        template: 'minigrid-text',
        observation: { text: `${run} mission ${index}: get to the goal`, state: {} },
        actions: { kind: 'discrete', labels },
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const attempts = standIn.calls.length - before;
  const errors = responses.filter((response) => response.status !== 200);
  const codes = errors.map(
    (response) =>
      (response.body as { error?: { code?: string } }).error?.code ?? String(response.status),
  );
  await client.close();
  await bench.close();
  return {
    attempts,
    throttled: attempts - (answered - answeredBefore),
    errors: errors.length,
    codes,
    seconds,
    budget: total * (1 + retries),
  };
}

try {
  const withRetries = await storm(maxRetries, 'storm');
  const baseline = await storm(0, 'baseline');
  console.log(
    `rate-limit storm: ${total} distinct requests, each upstream call throttled with p = 1/2 (429, retry-after-ms 1500), provider maxConcurrency 8`,
  );
  console.log(
    `  gateway (maxRetries ${maxRetries}): ${withRetries.errors} client-visible errors${withRetries.errors ? ` (${[...new Set(withRetries.codes)].join(', ')})` : ''}; ${withRetries.attempts} upstream attempts (${withRetries.throttled} throttled) vs budget ${withRetries.budget} (${total} x ${1 + maxRetries}) = ${((100 * withRetries.attempts) / withRetries.budget).toFixed(0)}% of budget; ${withRetries.seconds.toFixed(1)} s`,
  );
  console.log(
    `  baseline (maxRetries 0):  ${baseline.errors} client-visible errors (${[...new Set(baseline.codes)].join(', ') || 'none'}); ${baseline.attempts} upstream attempts; ${baseline.seconds.toFixed(1)} s`,
  );
  console.log(
    `  ratio of errors gateway / baseline: ${withRetries.errors}/${baseline.errors}; goal 0 errors and attempts <= budget → ${withRetries.errors === 0 && withRetries.attempts <= withRetries.budget ? 'met' : 'NOT met'}`,
  );
} finally {
  await standIn.close();
}
