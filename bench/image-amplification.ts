/**
 * @module
 * Image amplification (issue 15, item 1): one stored 5 MB image named by hash in every item of a
 * `POST /v1/suggestions:batch`, 60 items and then 1,000 (each item a distinct mission, so each is
 * a miss of its own). Before the image table each item read its own copy of the bytes and 60 items
 * grew the gateway by ~3 GB; 1,000 killed it. Goal: RSS growth under 300 MB for both.
 *
 *   npm run bench:image-amplification            # BENCH_SIZES=60,1000 by default
 *
 * The gateway runs as its own process (as served: `teacher-gateway serve`), so its RSS is its own;
 * it is sampled every 20 ms from /proc while each batch is answered. The OpenAI stand-in answers in
 * this process after 20 ms, so calls queue behind the provider's concurrency (8) as they would.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { startGatewayProcess } from '../test/helpers/start-gateway-process.ts';
import { startOpenAIStandIn } from '../test/stand-ins/openai-stand-in.ts';
import { readRssMb } from './read-rss-mb.ts';

const sizes = (process.env.BENCH_SIZES ?? '60,1000').split(',').map(Number);
const goalMb = 300;
const directory = mkdtempSync(join(tmpdir(), 'image-amplification-'));
const standIn = await startOpenAIStandIn({ apiKey: 'sk-bench', latencyMs: 20 });
const config = join(directory, 'gateway.config.yaml');
writeFileSync(
  config,
  `server: { host: 127.0.0.1, port: 0 }
storage: { path: ${JSON.stringify(join(directory, 'teacher.db'))} }
defaultProvider: openai-mini
providers:
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: sk-bench, baseURL: ${JSON.stringify(standIn.url)}, maxRetries: 0 }
`,
);
const { url, child } = await startGatewayProcess(['--config', config], { timeoutMs: 120_000 });
// A 1,000-item batch of 5 MB images takes minutes on a busy machine: no client-side timeouts.
const pool = new Pool(url, { connections: 2, headersTimeout: 0, bodyTimeout: 0 });
const rssMb = () => readRssMb(child.pid);

async function post(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await pool.request({
    path,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.statusCode, json: await response.body.json() };
}

// A valid PNG header (1x1) padded to just under limits.imageBytes: decoders stop at IEND.
const onePixel = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const image = Buffer.concat([onePixel, randomBytes(5 * 1024 * 1024 - onePixel.length - 64)]);
const upload = await post('/v1/images', {
  image: `data:image/png;base64,${image.toString('base64')}`,
});
if (upload.status !== 200 && upload.status !== 201)
  throw new Error(`upload failed: ${upload.status} ${JSON.stringify(upload.json)}`);
const { sha256 } = upload.json as { sha256: string };
console.log(
  `image amplification: one stored ${(image.length / 1024 / 1024).toFixed(1)} MB image named by hash in every batch item; gateway pid ${child.pid}`,
);

let round = 0;
for (const size of sizes) {
  round += 1;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = rssMb();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb());
    // The stand-in keeps every request it saw (7 MB each here): drop them, this process is not measured.
    standIn.calls.splice(0);
  }, 20);
  const requests = Array.from({ length: size }, (_, index) => ({
    template: 'minigrid-lvlm2p',
    observation: { image: { sha256 }, text: `round ${round}, mission ${index}: get to the goal` },
    actions: {
      kind: 'discrete',
      labels: ['turn left', 'turn right', 'move forward', 'pick up', 'drop', 'toggle', 'done'],
    },
  }));
  const started = performance.now();
  const response = await post('/v1/suggestions:batch', { requests });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rssMb());
  const results =
    (response.json as { results?: { cache?: string; error?: { code: string } }[] }).results ?? [];
  const statuses = new Map<string, number>();
  for (const result of results) {
    const key = result.cache ?? result.error?.code ?? 'unknown';
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  }
  const growth = peak - before;
  console.log(
    `  ${String(size).padStart(5)} items: HTTP ${response.status} in ${seconds.toFixed(1)} s (${[...statuses].map(([key, count]) => `${count} ${key}`).join(', ')}); ` +
      `RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB, growth ${growth.toFixed(0)} MB vs goal < ${goalMb} MB ` +
      `(ratio ${(growth / goalMb).toFixed(2)}, ${growth < goalMb ? 'met' : 'NOT met'}); reported before the fix: ~3,000 MB for 60, out of memory for 1,000`,
  );
}
await pool.close();
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
await standIn.close();
rmSync(directory, { recursive: true, force: true });
