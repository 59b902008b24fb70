/**
 * Drop-in endpoints (issue 16, Tests and figures): what the gateway's POST /v1/chat/completions
 * adds over calling the provider directly, in one run, against the OpenAI stand-in (latency 0):
 *   - direct:  POST the body to the stand-in;
 *   - miss:    POST it to the gateway, a distinct prompt each time (pass-through, cached, audited);
 *   - hit:     POST one of a few recorded prompts (answered from the cache, audited).
 * At concurrency 1 the paths alternate request by request, so they see the same machine noise;
 * at concurrency 32 each path runs on its own for the same number of requests.
 * Goals: a miss adds at most 0.5 ms at the median over direct; hits reach at least 3x the
 * req/s of the pass-through miss path.
 *
 *   npm run bench:drop-in      # BENCH_PAIRS=1500, BENCH_REQUESTS=3000 by default
 */
import { createJsonPoster } from './create-json-poster.ts';
import { startBenchGateway } from './start-bench-gateway.ts';
import { startOpenAIStandIn } from '../test/stand-ins/openai-stand-in.ts';

const pairs = Number(process.env.BENCH_PAIRS ?? 1500);
const requests = Number(process.env.BENCH_REQUESTS ?? 3000);
const warmup = 200;
const hitPrompts = 64;

const standIn = await startOpenAIStandIn({ latencyMs: 0 });
standIn.respondWith(() => ({ text: 'C' }));
const bench = await startBenchGateway(`
providers: [{ id: standin, kind: openai, model: gpt-4o-mini, apiKey: sk-bench, maxConcurrency: 64, baseURL: ${JSON.stringify(standIn.url)} }]
`);
const direct = createJsonPoster(standIn.url.replace(/\/v1$/, ''), 64);
const gateway = createJsonPoster(bench.url, 64);

const body = (text: string) => ({
  model: 'gpt-4o-mini',
  temperature: 0,
  max_completion_tokens: 4,
  logprobs: true,
  top_logprobs: 5,
  messages: [
    { role: 'system', content: 'You are the teacher. Answer with the letter of one action: A turn left, B turn right, C move forward.' },
    { role: 'user', content: text },
  ],
});
let fresh = 0;
const missBody = () => ({ ...body(`mission ${(fresh += 1)}: use the key to open the door`), model: 'standin' });
const hitBody = (index: number) => ({ ...body(`recorded mission ${index % hitPrompts}`), model: 'standin' });

let failures = 0;
const timed = async (post: () => Promise<{ status: number }>) => {
  const started = performance.now();
  const response = await post();
  if (response.status !== 200) failures += 1;
  return performance.now() - started;
};
const paths = {
  direct: () => timed(() => direct.post('/v1/chat/completions', body(`mission ${(fresh += 1)}: direct`))),
  miss: () => timed(() => gateway.post('/v1/chat/completions', missBody())),
  hit: () => timed(() => gateway.post('/v1/chat/completions', hitBody(fresh++))),
};

for (let index = 0; index < hitPrompts; index += 1) await gateway.post('/v1/chat/completions', hitBody(index));
await bench.gateway.flush();

// Concurrency 1: alternating triples.
const serial = { direct: [] as number[], miss: [] as number[], hit: [] as number[], added: [] as number[] };
// CPU time is less sensitive than wall time to other processes on a shared machine.
const cpu = { direct: 0, miss: 0, hit: 0 };
const cpuOf = async (run: () => Promise<number>): Promise<[number, number]> => {
  const start = process.cpuUsage();
  const ms = await run();
  const used = process.cpuUsage(start);
  return [ms, (used.user + used.system) / 1000];
};
for (let index = 0; index < warmup + pairs; index += 1) {
  const [d, cpuDirect] = await cpuOf(paths.direct);
  const [m, cpuMiss] = await cpuOf(paths.miss);
  const [h, cpuHit] = await cpuOf(paths.hit);
  if (index < warmup) continue;
  cpu.direct += cpuDirect;
  cpu.miss += cpuMiss;
  cpu.hit += cpuHit;
  serial.direct.push(d);
  serial.miss.push(m);
  serial.hit.push(h);
  serial.added.push(m - d);
}

// Concurrency 32: each path alone, the same number of requests.
async function throughput(run: () => Promise<number>): Promise<{ perSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (issued < requests) {
        issued += 1;
        latencies.push(await run());
      }
    }),
  );
  return { perSecond: requests / ((performance.now() - started) / 1000), latencies };
}
await throughput(paths.miss);
const concurrent = { direct: await throughput(paths.direct), miss: await throughput(paths.miss), hit: await throughput(paths.hit) };

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? Number.NaN;
const ms = (value: number) => `${value.toFixed(3)} ms`;
const addedSerial = quantile(serial.added, 0.5);
const addedConcurrent = quantile(concurrent.miss.latencies, 0.5) - quantile(concurrent.direct.latencies, 0.5);
const serialRate = (values: number[]) => 1000 / (values.reduce((sum, value) => sum + value, 0) / values.length);
const hitRatioSerial = serialRate(serial.hit) / serialRate(serial.miss);
const hitRatioConcurrent = concurrent.hit.perSecond / concurrent.miss.perSecond;

console.log(`drop-in POST /v1/chat/completions, OpenAI stand-in latency 0, ${failures} non-200 answers`);
console.log(`concurrency 1 (${pairs} alternating triples after ${warmup} warm-up):`);
console.log(`  direct → stand-in          p50 ${ms(quantile(serial.direct, 0.5))}  p99 ${ms(quantile(serial.direct, 0.99))}  ${serialRate(serial.direct).toFixed(0)} req/s`);
console.log(`  gateway miss (pass-through) p50 ${ms(quantile(serial.miss, 0.5))}  p99 ${ms(quantile(serial.miss, 0.99))}  ${serialRate(serial.miss).toFixed(0)} req/s`);
console.log(`  gateway hit                 p50 ${ms(quantile(serial.hit, 0.5))}  p99 ${ms(quantile(serial.hit, 0.99))}  ${serialRate(serial.hit).toFixed(0)} req/s`);
console.log(`  miss added over direct (per pair) p50 ${ms(addedSerial)}; ratio miss/direct p50 ${(quantile(serial.miss, 0.5) / quantile(serial.direct, 0.5)).toFixed(2)}`);
console.log(`  process CPU per request (client, gateway and stand-in share the process): direct ${ms(cpu.direct / pairs)}, miss ${ms(cpu.miss / pairs)}, hit ${ms(cpu.hit / pairs)}; miss adds ${ms((cpu.miss - cpu.direct) / pairs)}`);
console.log(`concurrency 32 (${requests} requests per path; latency here is mostly queueing, req/s is the figure):`);
for (const [name, result] of Object.entries(concurrent)) {
  console.log(`  ${name.padEnd(6)} ${result.perSecond.toFixed(0).padStart(6)} req/s  p50 ${ms(quantile(result.latencies, 0.5))}  p99 ${ms(quantile(result.latencies, 0.99))}`);
}
console.log(`  miss added over direct (difference of p50s) ${ms(addedConcurrent)}`);
console.log(`goals:`);
console.log(`  miss adds ≤ 0.5 ms at the median: c=1 ${ms(addedSerial)} → ${addedSerial <= 0.5 ? 'met' : 'NOT met'}; c=32 ${ms(addedConcurrent)} → ${addedConcurrent <= 0.5 ? 'met' : 'NOT met'}`);
console.log(`  hits ≥ 3x miss req/s: c=1 ${hitRatioSerial.toFixed(2)}x → ${hitRatioSerial >= 3 ? 'met' : 'NOT met'}; c=32 ${hitRatioConcurrent.toFixed(2)}x → ${hitRatioConcurrent >= 3 ? 'met' : 'NOT met'}`);

await direct.close();
await gateway.close();
await bench.close();
await standIn.close();
