/**
 * @module
 * Hostile input against a live gateway process (issue 15, items 1-3), each replayed against a fresh
 * `teacher-gateway serve` whose RSS is sampled from /proc every 20 ms. Prints, per attack, the peak
 * RSS growth over the idle process and the time to answer, beside the limit that should hold.
 *
 *   npm run bench:hostile [-- --only images|flood|backoff] [--heap-mb 4096] [--rss-kill-mb 6144]
 *
 * 1. images: one stored 5 MB image named by sha256 in a batch of 60, then of 1,000 items (every
 *    item a distinct miss). Limit: RSS growth under 300 MB, answers or 429s, never a crash. The
 *    gateway runs with --max-old-space-size (--heap-mb) and is killed by the bench past --rss-kill-mb,
 *    so a regression reports "crashed" instead of taking the machine down.
 * 2. flood: a provider answering 200 with a 100 MB body, and 500 with a 100 MB error body.
 *    Limit: 502 at once, RSS growth a few MB (limits.upstreamResponseBytes = 2 MiB), and a
 *    GET /v1/logs?limit=10 of a few KB afterwards.
 * 3. backoff: a 429 with `Retry-After: 86400` and `x-ratelimit-reset-requests: 24h0m0s`, then the
 *    upstream answers again. Limit: the first request answers 429 at once, the next within
 *    providers[].maxRetryAfterMs (5 s here, to keep the run short; default 60 s), and the gateway
 *    prints no TimeoutOverflowWarning.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startGatewayProcess } from '../test/helpers/start-gateway-process.ts';
import { startOpenAIStandIn } from '../test/stand-ins/openai-stand-in.ts';
import { readRssMb } from './read-rss-mb.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    'heap-mb': { type: 'string', default: '4096' },
    'rss-kill-mb': { type: 'string', default: '6144' },
  },
});
const heapMb = Number(values['heap-mb']);
const rssKillMb = Number(values['rss-kill-mb']);
const directory = mkdtempSync(join(tmpdir(), 'hostile-'));
const actions = { kind: 'discrete', labels: ['turn left', 'turn right', 'move forward', 'pick up', 'drop', 'toggle', 'done'] };

interface Live {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  /** Resolves when the process ends: exit code or signal. */
  exited: Promise<string>;
  rssMb: () => number;
}

async function startGateway(name: string, yaml: string): Promise<Live> {
  const config = join(directory, `${name}.yaml`);
  writeFileSync(config, `server: { host: 127.0.0.1, port: 0 }\nstorage: { path: ${JSON.stringify(join(directory, `${name}.db`))} }\n${yaml}`);
  const gateway = await startGatewayProcess(['--config', config], { timeoutMs: 120_000, nodeArgs: [`--max-old-space-size=${heapMb}`] });
  const exited = gateway.exited.then((status) => (typeof status === 'string' ? status : `exit code ${status}`));
  return { url: gateway.url, child: gateway.child, stderr: gateway.stderr, exited, rssMb: () => readRssMb(gateway.child.pid) };
}

interface Measured {
  attack: string;
  limit: string;
  outcome: string;
  growthMb: number;
  seconds: number;
  held: boolean;
}
const results: Measured[] = [];

/** Runs `attack` while sampling RSS; a process past --rss-kill-mb is killed and reported as crashed. */
async function measure(
  live: Live,
  attack: string,
  limit: string,
  run: () => Promise<string>,
  holds: (outcome: string, growthMb: number, seconds: number) => boolean,
): Promise<void> {
  const baseline = live.rssMb();
  let peak = baseline;
  let killed = false;
  const sampler = setInterval(() => {
    const rss = live.rssMb();
    peak = Math.max(peak, rss);
    if (rss > rssKillMb && !killed) {
      killed = true;
      live.child.kill('SIGKILL');
    }
  }, 20);
  const started = performance.now();
  let outcome: string;
  const died = live.exited.then((status) => `crashed (${status}${killed ? `: killed by the bench at ${rssKillMb} MB RSS` : ''})`);
  try {
    outcome = await Promise.race([run(), died]);
  } catch (error) {
    outcome = `failed: ${(error as Error).message}`;
    if (live.child.exitCode !== null || live.child.signalCode !== null || killed) outcome = await died;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const growthMb = peak - baseline;
  if (/heap out of memory/i.test(live.stderr())) outcome += ' (JavaScript heap out of memory)';
  const held = !outcome.startsWith('crashed') && !outcome.startsWith('failed') && holds(outcome, growthMb, seconds);
  results.push({ attack, limit, outcome, growthMb, seconds, held });
  console.log(`${held ? 'held ' : 'FAIL '} ${attack}: ${outcome}; RSS +${growthMb.toFixed(0)} MB, ${seconds.toFixed(2)} s (limit: ${limit})`);
}

async function post(url: string, path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const payload = typeof body === 'string' ? body : body instanceof Buffer ? new Blob([body]) : JSON.stringify(body);
  const response = await fetch(`${url}${path}`, { method: 'POST', headers, body: payload, signal: AbortSignal.timeout(600_000) });
  return { status: response.status, text: await response.text() };
}

function statusCounts(text: string): string {
  const results = (JSON.parse(text) as { results: Array<{ error?: { code: string } }> }).results;
  const counts = new Map<string, number>();
  for (const result of results) counts.set(result.error?.code ?? 'ok', (counts.get(result.error?.code ?? 'ok') ?? 0) + 1);
  return [...counts].map(([code, count]) => `${count} ${code}`).join(', ');
}

const stop = async (live: Live) => {
  if (live.child.exitCode === null && live.child.signalCode === null) {
    live.child.kill('SIGTERM');
    await live.exited;
  }
};

// 1. One stored 5 MB image named by hash in big batches.
if (!values.only || values.only === 'images') {
  const standIn = await startOpenAIStandIn({ apiKey: 'sk-hostile', latencyMs: 50 });
  const live = await startGateway(
    'images',
    `batching: { windowMs: 2 }\ndefaultProvider: openai-mini\nproviders:\n  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: sk-hostile, baseURL: ${JSON.stringify(standIn.url)}, maxRetries: 0, maxConcurrency: 8 }\n`,
  );
  // The stand-in keeps every request it saw (7 MB each here): drop them, this process is not measured.
  const forget = setInterval(() => standIn.calls.splice(0), 20);
  try {
    // A valid 1x1 PNG followed by 5,000,000 random bytes (decoders stop at IEND; the hash does not).
    const png = Buffer.concat([
      Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
      randomBytes(5_000_000),
    ]);
    const uploaded = await post(live.url, '/v1/images', png, { 'content-type': 'image/png' });
    const { sha256 } = JSON.parse(uploaded.text) as { sha256: string };
    let round = 0;
    for (const items of [60, 1000]) {
      round += 1;
      const body = {
        requests: Array.from({ length: items }, (_, index) => ({
          template: 'minigrid-lvlm2p',
          observation: { image: { sha256 }, text: `hostile round ${round} item ${index}` },
          actions,
        })),
      };
      await measure(
        live,
        `batch of ${items} items naming one stored 5 MB image (${JSON.stringify(body).length} bytes of request)`,
        'RSS growth < 300 MB; answers or 429 rate_limited, no crash',
        async () => {
          const response = await post(live.url, '/v1/suggestions:batch', body);
          return response.status === 200 ? `200 (${statusCounts(response.text)})` : `${response.status}`;
        },
        (_outcome, growthMb) => growthMb < 300,
      );
      if (live.child.exitCode !== null || live.child.signalCode !== null) break;
    }
  } finally {
    clearInterval(forget);
    await stop(live);
    await standIn.close();
  }
}

// 2. A provider answering with 100 MB.
if (!values.only || values.only === 'flood') {
  let status = 200;
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const hundredMb = 100 * 1024 * 1024;
  let sentBytes = 0;
  const flood = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      sentBytes = 0;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.write(status === 200 ? '{"id":"chatcmpl-x","choices":[],"padding":"' : '{"error":{"message":"');
      response.on('error', () => undefined);
      const pump = () => {
        while (sentBytes < hundredMb && !response.destroyed) {
          sentBytes += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        if (!response.destroyed) response.end('"}}');
      };
      pump();
    });
  });
  await new Promise<void>((resolve) => flood.listen(0, '127.0.0.1', resolve));
  const floodUrl = `http://127.0.0.1:${(flood.address() as AddressInfo).port}/v1`;
  const live = await startGateway(
    'flood',
    `batching: { windowMs: 0 }\ndefaultProvider: flood\nproviders:\n  - { id: flood, kind: openai, model: gpt-4o-mini, apiKey: sk-flood, baseURL: ${JSON.stringify(floodUrl)}, maxRetries: 2 }\n`,
  );
  try {
    const tiny = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    for (const answer of [200, 500]) {
      status = answer;
      await measure(
        live,
        `provider answers ${answer} with a 100 MB body`,
        '502 at once, RSS growth < 50 MB (limits.upstreamResponseBytes = 2 MiB)',
        async () => {
          const response = await post(live.url, '/v1/suggestions', { template: 'minigrid-lvlm2p', observation: { image: tiny, text: `flood ${answer}` }, actions });
          const code = (JSON.parse(response.text) as { error?: { code: string; message: string } }).error;
          return `${response.status} ${code?.code ?? ''} (${response.text.length} bytes; the upstream got to send ${(sentBytes / 1048576).toFixed(1)} MB)`;
        },
        (outcome, growthMb) => outcome.startsWith('502') && growthMb < 50,
      );
    }
    await measure(
      live,
      'GET /v1/logs?limit=10 after the floods',
      'a few KB',
      async () => {
        const response = await fetch(`${live.url}/v1/logs?limit=10`);
        const text = await response.text();
        return `${response.status} (${(text.length / 1024).toFixed(1)} KB)`;
      },
      (outcome) => outcome.startsWith('200') && Number(/\(([\d.]+) KB\)/.exec(outcome)?.[1]) < 100,
    );
  } finally {
    await stop(live);
    await new Promise<void>((resolve) => {
      flood.close(() => resolve());
      flood.closeAllConnections();
    });
  }
}

// 3. A day-long Retry-After and a 999-hour reset window.
if (!values.only || values.only === 'backoff') {
  const standIn = await startOpenAIStandIn({ apiKey: 'sk-backoff' });
  const live = await startGateway(
    'backoff',
    `batching: { windowMs: 0 }\ndefaultProvider: openai-mini\nproviders:\n  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: sk-backoff, baseURL: ${JSON.stringify(standIn.url)}, maxRetries: 3, requestsPerMinute: 600, maxRetryAfterMs: 5000, timeoutMs: 10000 }\n`,
  );
  try {
    const ask = (text: string) =>
      post(live.url, '/v1/suggestions', {
        template: 'minigrid-lvlm2p',
        observation: { image: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', text },
        actions,
      });
    for (const [delayMs, label] of [
      [86_400_000, 'Retry-After: 86400 (and x-ratelimit-reset-requests: 24h0m0s)'],
      [999 * 3_600_000, 'Retry-After: 3596400 (and x-ratelimit-reset-requests: 999h0m0s)'],
    ] as const) {
      standIn.setThrottleDelay(delayMs);
      standIn.fail('rate-limited');
      await measure(live, `429 with ${label}`, '429 rate_limited at once, Retry-After ≤ 5', async () => {
        const response = await fetch(`${live.url}/v1/suggestions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ template: 'minigrid-lvlm2p', observation: { image: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', text: `backoff ${delayMs}` }, actions }),
        });
        await response.text();
        return `${response.status}, Retry-After ${response.headers.get('retry-after')}`;
      }, (outcome, _growth, seconds) => outcome.startsWith('429') && Number(/Retry-After (\d+)/.exec(outcome)?.[1]) <= 5 && seconds < 2);
      await measure(live, 'the next request, the upstream answering again', 'answered within maxRetryAfterMs (5 s) + timeoutMs', async () => {
        const response = await ask(`after ${delayMs}`);
        return `${response.status}`;
      }, (outcome, _growth, seconds) => outcome === '200' && seconds < 15);
    }
    const warnings = (live.stderr().match(/TimeoutOverflowWarning/g) ?? []).length;
    results.push({ attack: 'TimeoutOverflowWarning on the gateway stderr', limit: '0', outcome: String(warnings), growthMb: 0, seconds: 0, held: warnings === 0 });
    console.log(`${warnings === 0 ? 'held ' : 'FAIL '} TimeoutOverflowWarning on the gateway's stderr: ${warnings}`);
  } finally {
    standIn.setThrottleDelay(1500);
    await stop(live);
    await standIn.close();
  }
}

rmSync(directory, { recursive: true, force: true });
console.log('\n| attack | outcome | peak RSS growth | time to answer | limit | held |\n| --- | --- | --- | --- | --- | --- |');
for (const result of results) {
  console.log(`| ${result.attack} | ${result.outcome} | ${result.growthMb.toFixed(0)} MB | ${result.seconds.toFixed(2)} s | ${result.limit} | ${result.held ? 'yes' : '**no**'} |`);
}
process.exitCode = results.every((result) => result.held) ? 0 : 1;
