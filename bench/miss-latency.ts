/**
 * Latency the gateway adds on a cache miss (issue 4, Figures). One caller, one request at a time,
 * alternating between two paths to the same stand-in (latency 0) so both see the same machine noise:
 *   - direct: the OpenAI SDK with the gateway's own keep-alive undici fetch, sending the very body
 *     the gateway sent for the same kind of request;
 *   - gateway: POST /v1/suggestions to the gateway on loopback (a distinct observation each time,
 *     so every request is a miss that goes upstream, is parsed, cached and audited).
 * Reported: p50 and p99 of the per-pair difference, and of each path. Goal: p50 added < 1 ms
 * (published anchors: ~0.4 ms Bifrost (Go), 2.4 ms Portkey, 4.3 ms LiteLLM).
 *
 *   npm run bench:miss-latency          # BENCH_PAIRS=2000 by default, after 300 warm-up pairs
 */
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { createRecordingFetch } from '../gateway/src/providers/openai/create-recording-fetch.ts';
import { startOpenAIStandIn } from '../test/stand-ins/openai-stand-in.ts';
import { createJsonPoster } from './create-json-poster.ts';
import { startBenchGateway } from './start-bench-gateway.ts';

const pairs = Number(process.env.BENCH_PAIRS ?? 2000);
const warmup = 300;
const standIn = await startOpenAIStandIn({ apiKey: 'sk-bench', latencyMs: 0 });
const bench = await startBenchGateway(`
defaultProvider: standin
providers: [{ id: standin, kind: openai, model: gpt-4o-mini, apiKey: sk-bench, baseURL: ${JSON.stringify(standIn.url)} }]
`);
const client = createJsonPoster(bench.url, 4);
const sdk = new OpenAI({
  apiKey: 'sk-bench',
  baseURL: standIn.url,
  maxRetries: 0,
  fetch: createRecordingFetch().fetch,
});
const labels = ['turn left', 'turn right', 'move forward', 'pick up', 'drop', 'toggle', 'done'];
const request = (index: number) => ({
  template: 'minigrid-text',
  observation: {
    text: `mission ${index}: use the key to open the door and then get to the goal`,
    state: {},
  },
  actions: { kind: 'discrete', labels },
});

// The direct path sends what the gateway sends upstream for one such request.
await client.post('/v1/suggestions', request(-1));
const upstreamBody = standIn.calls.at(-1)?.body as ChatCompletionCreateParamsNonStreaming;

const gatewayMs: number[] = [];
const directMs: number[] = [];
const addedMs: number[] = [];
let errors = 0;
let cpuGateway = 0;
let cpuDirect = 0;
for (let index = 0; index < warmup + pairs; index += 1) {
  const cpuStart = process.cpuUsage();
  const t0 = performance.now();
  await sdk.chat.completions.create(upstreamBody);
  const t1 = performance.now();
  const cpuDirectCall = process.cpuUsage(cpuStart);
  const cpu0 = process.cpuUsage();
  const response = await client.post('/v1/suggestions', request(index));
  const t2 = performance.now();
  const cpu1 = process.cpuUsage(cpu0);
  if (response.status !== 200 || (response.body as { cache?: string }).cache !== 'miss')
    errors += 1;
  if (index < warmup) continue;
  cpuGateway += cpu1.user + cpu1.system;
  cpuDirect += cpuDirectCall.user + cpuDirectCall.system;
  directMs.push(t1 - t0);
  gatewayMs.push(t2 - t1);
  addedMs.push(t2 - t1 - (t1 - t0));
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
const format = (values: number[]) =>
  `p50 ${quantile(values, 0.5).toFixed(3)} ms, p99 ${quantile(values, 0.99).toFixed(3)} ms`;

console.log(
  `miss latency: ${pairs} alternating pairs (after ${warmup} warm-up), stand-in latency 0, one request at a time`,
);
console.log(
  `  gateway path (client → gateway → stand-in): ${format(gatewayMs)}; ${errors} non-miss/errors`,
);
console.log(`  baseline, direct SDK → stand-in:            ${format(directMs)}`);
console.log(`  added by the gateway (per pair):            ${format(addedMs)}`);
console.log(
  `  ratio of p50s gateway / direct: ${(quantile(gatewayMs, 0.5) / quantile(directMs, 0.5)).toFixed(2)}; goal p50 added < 1 ms → ${quantile(addedMs, 0.5) < 1 ? 'met' : 'NOT met'}`,
);
// CPU time is less sensitive than wall time to other processes on a shared machine.
console.log(
  `  process CPU per request (client, gateway and stand-in share the process): gateway path ${(cpuGateway / pairs / 1000).toFixed(3)} ms, direct ${(cpuDirect / pairs / 1000).toFixed(3)} ms, added ${((cpuGateway - cpuDirect) / pairs / 1000).toFixed(3)} ms`,
);
await client.close();
await bench.close();
await standIn.close();
