/**
 * @module
 * `npm run bench:cache`: the cache and audit-log figures of issue 3, each printed beside a baseline
 * measured in the same run (the host is noisy; only same-run ratios mean much).
 *
 *  (a) a cache hit served from memory through the real HTTP server, against a Hono route on the
 *      same server stack returning a constant JSON of the same size;
 *  (b) a cache hit from SQLite after a restart (cold memory tier), against memory hits;
 *  (c) audit-log write throughput under concurrent load, against the 5,000/s goal: hits only (each
 *      writes its audit row), then half misses (each also goes upstream and writes a cache entry).
 *
 * The load comes from a child process (bench/load-generator.ts) on undici keep-alive connections,
 * so on two cores the server has one core and the client the other.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { ACTION_LABELS } from '@teacher-gateway/trainer/internal/envs/grid-world/action';
import { loadConfig } from '@teacher-gateway/gateway/internal/config/load-config';
import { createGateway } from '@teacher-gateway/gateway/internal/create-gateway';
import type { Gateway } from '@teacher-gateway/gateway/internal/create-gateway';
import type { GenerateResult, VisionLanguageModel } from '@teacher-gateway/gateway/internal/providers/provider';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { startCheckpointWorker } from '@teacher-gateway/gateway/internal/stores/start-checkpoint-worker';
import type { CheckpointWorker } from '@teacher-gateway/gateway/internal/stores/start-checkpoint-worker';
import type { SqliteDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { createSqliteAuditLog } from '@teacher-gateway/gateway/internal/stores/sqlite-audit-log';
import { loadTemplates } from '@teacher-gateway/gateway/internal/templates/load-templates';
import { listenOnLoopback } from '../test/helpers/listen-on-loopback.ts';
import type { LoadOptions, TargetResult } from './load-generator.ts';
import { parseSuggestionRequest } from '@teacher-gateway/gateway/internal/suggestion/parse-suggestion-request';

const root = fileURLToPath(new URL('../', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const directory = mkdtempSync(join(tmpdir(), 'bench-cache-'));
const templates = loadTemplates(join(root, 'prompts'));

/**
 * An upstream that answers at once, so misses cost only the gateway's own work. A packed call
 * (several observations, one image each) gets one answer line per observation, as a real VLM
 * gives, so no observation falls back to a call of its own.
 */
const instantProvider: VisionLanguageModel = {
  id: 'bench',
  kind: 'openai',
  model: 'bench-model',
  capabilities: () => ({ logprobs: true, maxTopLogprobs: 20, samples: true, maxSamples: 16, images: true, guidedChoice: false }),
  doGenerate: async (options): Promise<GenerateResult> => {
    const observations = Math.max(
      1,
      options.messages.reduce((count, message) => count + message.parts.filter((part) => part.type === 'image').length, 0),
    );
    const line = {
      token: 'C',
      logprob: Math.log(0.9),
      top: ['A', 'B', 'C', 'D'].map((token, index) => ({ token, logprob: Math.log([0.03, 0.03, 0.9, 0.04][index] ?? 0.01) })),
    };
    const logprobs = Array.from({ length: observations }, (_, index) => (index === 0 ? [line] : [{ token: '\n', logprob: 0, top: [] }, line])).flat();
    return {
      choices: [{ text: Array(observations).fill('C').join('\n'), finishReason: { unified: 'stop', raw: 'stop' }, logprobs }],
      usage: { inputTokens: 800 * observations, outputTokens: 2 * observations - 1 },
      warnings: [],
      raw: { url: 'http://bench/v1/chat/completions', requestBody: {}, status: 200, headers: {}, responseBody: {} },
    };
  },
};

const checkpointers = new WeakMap<SqliteDatabase, CheckpointWorker>();
/** A gateway's database as served: WAL checkpoints on their own thread (gateway/src/server.ts). */
function openServedDatabase(path: string): SqliteDatabase {
  const database = openDatabase(path);
  checkpointers.set(database, startCheckpointWorker(database, { intervalMs: 200 }));
  return database;
}
async function closeServedDatabase(database: SqliteDatabase): Promise<void> {
  await checkpointers.get(database)?.stop();
  database.close();
}

function buildGateway(database: SqliteDatabase, logErrors: unknown[] = []): Gateway {
  const { config, missingVariables } = loadConfig(
    `storage: { path: ":memory:" }
defaultProvider: bench
providers:
  - { id: bench, kind: openai, model: bench-model, apiKey: bench-key, maxConcurrency: 1024 }
`,
    {},
  );
  return createGateway({
    config,
    missingVariables,
    templates,
    database,
    createProvider: () => instantProvider,
    logError: (error) => logErrors.push(error),
  });
}

/** Runs a load and also reports this process's CPU time per answered request (the server's cost). */
async function runLoadWithCpu(options: LoadOptions): Promise<TargetResult & { cpuMicros: number }> {
  const before = process.cpuUsage();
  const [result] = await runLoad(options);
  const used = process.cpuUsage(before);
  if (!result) throw new Error('missing load results');
  // The warm-up's requests cost CPU too; count them at the measured rate.
  const requests = result.requests * (1 + options.warmupMs / options.durationMs);
  return { ...result, cpuMicros: (used.user + used.system) / Math.max(1, requests) };
}

function runLoad(options: LoadOptions): Promise<TargetResult[]> {
  const file = join(directory, `load-${Date.now()}-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify(options));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(root, 'bench/load-generator.ts'), file],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as TargetResult[])),
    );
  });
}

/** A PNG of about the size of a rendered MiniGrid frame (bytes after IEND make it unique and larger). */
function frame(index: number, bytes = 9_000): string {
  const pixel = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const padding = Buffer.alloc(bytes, index % 251);
  padding.write(`#${index}#`);
  return `data:image/png;base64,${Buffer.concat([pixel, padding]).toString('base64')}`;
}

const actions = { kind: 'discrete', labels: [...ACTION_LABELS] };
function suggestionBody(image: unknown, text: string): string {
  return JSON.stringify({ template: 'minigrid-lvlm2p', observation: { image, text }, actions, tags: { run: 'bench', step: 1 } });
}

const ms = (value: number) => `${value.toFixed(3)} ms`;
const rate = (value: number) => `${Math.round(value).toLocaleString('en-US')} req/s`;
const check = (ok: boolean) => (ok ? 'goal met' : 'GOAL MISSED');
function failures(results: TargetResult[]): string {
  const bad = results.filter((result) => result.errors > 0);
  return bad.length === 0 ? '' : `  errors: ${bad.map((result) => `${result.name} ${result.errors} ${JSON.stringify(result.failures)}`).join('; ')}\n`;
}

async function benchMemoryHit(): Promise<number> {
  const database = openServedDatabase(join(directory, 'a.db'));
  const gateway = buildGateway(database);
  const uploaded = (await (await gateway.app.request('/v1/images', { method: 'POST', body: JSON.stringify({ image: frame(1) }), headers: { 'content-type': 'application/json' } })).json()) as { sha256: string };
  const bodies = { inline: suggestionBody(frame(1), 'use the key to open the door and then get to the goal'), byHash: suggestionBody({ sha256: uploaded.sha256 }, 'use the key to open the door and then get to the goal') };
  const first = await gateway.app.request('/v1/suggestions', { method: 'POST', body: bodies.inline, headers: { 'content-type': 'application/json' } });
  const hit = (await (await gateway.app.request('/v1/suggestions', { method: 'POST', body: bodies.inline, headers: { 'content-type': 'application/json' } })).json()) as Record<string, unknown>;
  if (first.status !== 200 || hit.cache !== 'hit') throw new Error(`the gateway did not hit: ${JSON.stringify(hit)}`);
  // The baseline answers the same POST with a constant JSON the size of a hit answer.
  const constant = { ...hit };
  const baselineApp = new Hono();
  baselineApp.post('/baseline', async (c) => {
    await c.req.arrayBuffer();
    return c.json(constant);
  });
  const gatewayServer = await listenOnLoopback(gateway.app.fetch);
  const baselineServer = await listenOnLoopback(baselineApp.fetch);
  const responseBytes = JSON.stringify(hit).length;
  const target = (name: string, origin: string, path: string, body: string) => ({ name, origin, path, bodies: [body] });

  let out = `\n(a) cache hit from memory through HTTP (response ${responseBytes} B; request ${bodies.inline.length} B inline image, ${bodies.byHash.length} B by hash)\n`;
  let baselineThroughput = 0;
  for (const [variant, body] of [['inline 12 KB image', bodies.inline], ['image by sha256', bodies.byHash]] as const) {
    // Latency: one connection, requests alternating between the two routes so both see the same noise.
    const [base, cached] = await runLoad({
      targets: [target('baseline', baselineServer.url, '/baseline', body), target('gateway', gatewayServer.url, '/v1/suggestions', body)],
      connections: 1,
      durationMs: seconds * 1000,
      warmupMs: 1000,
    });
    // Throughput: 32 connections, one route at a time.
    const baseLoad = await runLoadWithCpu({ targets: [target('baseline', baselineServer.url, '/baseline', body)], connections: 32, durationMs: seconds * 1000, warmupMs: 1000 });
    const cachedLoad = await runLoadWithCpu({ targets: [target('gateway', gatewayServer.url, '/v1/suggestions', body)], connections: 32, durationMs: seconds * 1000, warmupMs: 1000 });
    if (!base || !cached) throw new Error('missing load results');
    baselineThroughput = Math.max(baselineThroughput, baseLoad.perSecond);
    const addedP50 = cached.p50Ms - base.p50Ms;
    const addedP99 = cached.p99Ms - base.p99Ms;
    const ratio = cachedLoad.perSecond / baseLoad.perSecond;
    out +=
      `  [${variant}]\n` +
      `  latency, 1 connection (n=${cached.requests}): gateway p50 ${ms(cached.p50Ms)} p99 ${ms(cached.p99Ms)} | baseline p50 ${ms(base.p50Ms)} p99 ${ms(base.p99Ms)}\n` +
      `    added: p50 ${ms(addedP50)}, p99 ${ms(addedP99)} (goal p99 < 1 ms: ${check(addedP99 < 1)}); ratio p50 ${(cached.p50Ms / base.p50Ms).toFixed(2)}x, p99 ${(cached.p99Ms / base.p99Ms).toFixed(2)}x\n` +
      `  throughput, 32 connections: gateway ${rate(cachedLoad.perSecond)} (p50 ${ms(cachedLoad.p50Ms)} p99 ${ms(cachedLoad.p99Ms)}) | baseline ${rate(baseLoad.perSecond)} (p50 ${ms(baseLoad.p50Ms)} p99 ${ms(baseLoad.p99Ms)})\n` +
      `    ratio ${ratio.toFixed(2)} (goal >= 0.5: ${check(ratio >= 0.5)})\n` +
      `  server CPU per request: gateway ${cachedLoad.cpuMicros.toFixed(0)} µs | baseline ${baseLoad.cpuMicros.toFixed(0)} µs; added ${(cachedLoad.cpuMicros - baseLoad.cpuMicros).toFixed(0)} µs, ratio ${(cachedLoad.cpuMicros / baseLoad.cpuMicros).toFixed(2)}x\n` +
      failures([base, cached, baseLoad, cachedLoad]);
  }
  process.stdout.write(out);
  await gatewayServer.close();
  await baselineServer.close();
  await gateway.flush();
  await closeServedDatabase(database);
  return baselineThroughput;
}

async function benchSqliteHit(): Promise<void> {
  const path = join(directory, 'b.db');
  const count = 3000;
  const bodyOf = (index: number) => suggestionBody(frame(index, 2_000), `step ${index}: use the key to open the door`);
  const cold = Array.from({ length: count }, (_, index) => bodyOf(index));
  const warm = Array.from({ length: count }, (_, index) => bodyOf(count + index));
  const post = (gateway: Gateway, body: string) =>
    gateway.app.request('/v1/suggestions', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  {
    const database = openServedDatabase(path);
    const gateway = buildGateway(database);
    for (const body of [...cold, ...warm]) {
      const response = await post(gateway, body);
      if (response.status !== 200) throw new Error(await response.text());
    }
    await gateway.flush();
    await closeServedDatabase(database);
  }
  // A restart: a new gateway on the same file, its memory tier empty. Reading the "warm" half once
  // puts it in memory; then requests alternate between a never-read entry (SQLite) and a warm one,
  // so both are measured under the same machine conditions.
  const database = openServedDatabase(path);
  const gateway = buildGateway(database);
  for (const body of warm) await (await post(gateway, body)).text();
  const server = await listenOnLoopback(gateway.app.fetch);
  const [fromDisk, fromMemory] = await runLoad({
    targets: [
      { name: 'SQLite', origin: server.url, path: '/v1/suggestions', bodies: cold },
      { name: 'memory', origin: server.url, path: '/v1/suggestions', bodies: warm },
    ],
    connections: 1,
    durationMs: 120_000,
    warmupMs: 0,
    requests: 2 * count,
  });
  if (!fromDisk || !fromMemory) throw new Error('missing load results');
  process.stdout.write(
    `\n(b) cache hit from SQLite after a restart (cold memory), 1 connection, ${count} entries each read once, alternating with memory hits (2 KB images inline)\n` +
      `  SQLite: p50 ${ms(fromDisk.p50Ms)} p99 ${ms(fromDisk.p99Ms)} | baseline, memory hits: p50 ${ms(fromMemory.p50Ms)} p99 ${ms(fromMemory.p99Ms)}\n` +
      `    ratio p50 ${(fromDisk.p50Ms / fromMemory.p50Ms).toFixed(2)}x, p99 ${(fromDisk.p99Ms / fromMemory.p99Ms).toFixed(2)}x; added p50 ${ms(fromDisk.p50Ms - fromMemory.p50Ms)}, p99 ${ms(fromDisk.p99Ms - fromMemory.p99Ms)}\n` +
      failures([fromDisk, fromMemory]),
  );
  await server.close();
  await gateway.flush();
  await closeServedDatabase(database);
}

async function benchAuditLog(baselineThroughput: number): Promise<void> {
  const path = join(directory, 'c.db');
  const database = openServedDatabase(path);
  const errors: unknown[] = [];
  const gateway = buildGateway(database, errors);
  const server = await listenOnLoopback(gateway.app.fetch);
  const image = (await (await gateway.app.request('/v1/images', { method: 'POST', body: JSON.stringify({ image: frame(7) }), headers: { 'content-type': 'application/json' } })).json()) as { sha256: string };
  // The repeated observation is a hit that writes only its audit row; a new one is a miss that also
  // goes upstream and writes a cache entry and an upstream-call row.
  const hitBody = suggestionBody({ sha256: image.sha256 }, 'the same step again');
  const missBody = suggestionBody({ sha256: image.sha256 }, 'step {{n}}: open the door');
  await gateway.app.request('/v1/suggestions', { method: 'POST', body: hitBody, headers: { 'content-type': 'application/json' } });
  const bodies = [missBody, hitBody];
  // A reader on its own connection, as the viewer or an export would be, the whole time.
  const reader = openDatabase(path);
  const readerErrors: string[] = [];
  const readerTimer = setInterval(() => {
    try {
      reader.prepare('SELECT count(*) FROM requests').pluck().get();
      reader.prepare('SELECT * FROM requests ORDER BY time DESC, id DESC LIMIT 200').all();
    } catch (error) {
      readerErrors.push(String(error));
    }
  }, 50);
  const countRows = () => database.prepare('SELECT count(*) FROM requests').pluck().get() as number;
  async function loadOverHttp(mix: string[]) {
    const before = countRows();
    const [result] = await runLoad({ targets: [{ name: 'gateway', origin: server.url, path: '/v1/suggestions', bodies: mix }], connections: 64, durationMs: seconds * 1000, warmupMs: 0 });
    await gateway.flush();
    if (!result) throw new Error('missing load results');
    const logged = countRows() - before;
    const answered = result.requests + result.errors;
    const perSecond = result.requests / seconds;
    const busy = [...errors.map(String), ...readerErrors, ...Object.values(result.failures)].filter((text) => /SQLITE_BUSY|database is locked/i.test(text)).length;
    const met = perSecond >= 5000 && busy === 0 && logged >= answered;
    return (
      `  ${rate(perSecond)} answered and logged (${logged} rows committed for ${answered} requests answered in the window, every one logged: ${logged >= answered}; p50 ${ms(result.p50Ms)} p99 ${ms(result.p99Ms)}); errors ${result.errors}; SQLITE_BUSY ${busy}\n` +
      `    vs goal 5,000 req/s: ratio ${(perSecond / 5000).toFixed(2)} (${check(met)}); vs the constant-JSON route in (a): ${(perSecond / baselineThroughput).toFixed(2)}\n` +
      failures([result])
    );
  }
  const hitsOnly = await loadOverHttp([hitBody]);
  const halfMisses = await loadOverHttp(bodies);
  clearInterval(readerTimer);
  await server.close();

  // The same mix through the suggestion service in-process, 64 at a time: what the service and its
  // log sustain without the HTTP stack, whose cost on two cores is shared with the load generator.
  const serviceBefore = database.prepare('SELECT count(*) FROM requests').pluck().get() as number;
  const parsedBodies = bodies.map((body) => JSON.parse(body) as { observation: { text: string } });
  let served = 0;
  const serviceStarted = performance.now();
  const deadline = serviceStarted + seconds * 1000;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (performance.now() < deadline) {
        const index = served++;
        const body = structuredClone(parsedBodies[index % 2] as { observation: { text: string } });
        body.observation.text = body.observation.text.replace('{{n}}', `service-${index}`);
        await gateway.service.suggest(parseSuggestionRequest(body));
      }
    }),
  );
  const servicePerSecond = served / ((performance.now() - serviceStarted) / 1000);
  const serviceLogged = (database.prepare('SELECT count(*) FROM requests').pluck().get() as number) - serviceBefore;

  // The log alone, without HTTP: how fast group commit takes rows.
  const auditLog = createSqliteAuditLog(database);
  const rows = 200_000;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let index = 0; index < rows; index += 1) {
    pending.push(
      auditLog.record(
        { id: `bench_${index}`, time: Date.now(), tags: { run: 'bench', step: index }, template: 'minigrid-lvlm2p@1', provider: 'bench', cache: 'hit', latencyMs: 0.3, usage: { inputTokens: 800, outputTokens: 1, upstreamCalls: 0 }, status: 200, result: { probs: [0.1, 0.9] } },
        [],
      ),
    );
    if (pending.length === 1000) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  const rawPerSecond = rows / ((performance.now() - started) / 1000);
  process.stdout.write(
    `\n(c) audit-log writes under concurrent load: 64 connections over HTTP, a reader polling at 20 Hz the whole time\n` +
      `  [hits only: every request writes its audit row]\n${hitsOnly}` +
      `  [half misses (upstream, cache entry, audit and upstream-call rows), half hits]\n${halfMisses}` +
      `  the half-miss mix through the suggestion service in-process (no HTTP), 64 at a time: ${rate(servicePerSecond)} answered and logged (${serviceLogged} rows for ${served} requests), vs goal 5,000 req/s: ratio ${(servicePerSecond / 5000).toFixed(2)}\n` +
      `  the audit log alone (record() in-process, group commit): ${Math.round(rawPerSecond).toLocaleString('en-US')} rows/s\n`,
  );
  reader.close();
  await closeServedDatabase(database);
}

try {
  process.stdout.write(`bench:cache on Node ${process.version}, ${seconds} s per measurement\n`);
  // BENCH_ONLY=c (or a, b, ac...) runs a subset, e.g. under --cpu-prof.
  const only = process.env.BENCH_ONLY ?? 'abc';
  const baselineThroughput = only.includes('a') ? await benchMemoryHit() : Number.NaN;
  if (only.includes('b')) await benchSqliteHit();
  if (only.includes('c')) await benchAuditLog(baselineThroughput);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
