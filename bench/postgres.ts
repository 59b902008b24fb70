/**
 * @module
 * `npm run bench:postgres`: the figures of issue 19, PostgreSQL beside SQLite in the same run
 * (the host is noisy; only same-run ratios mean much).
 *
 *  (a) cache hits served from a replica's LRU: hits/s and gateway CPU per hit;
 *  (b) cache hits that read the store (memory tier off): hits/s and CPU per hit;
 *  (c) misses (an upstream that answers at once): gateway CPU per miss;
 *  (d) bytes the store grows by per hit and per miss (tables and indexes; SQLite after a
 *      truncating checkpoint);
 *  (e) hits/s over HTTP for one replica against two, as separate processes on one PostgreSQL.
 *
 * (a)-(d) drive the app in-process (`app.request`, 32 at a time), so CPU is the gateway's own; the
 * PostgreSQL server's CPU is not in it. PostgreSQL comes from BENCH_DATABASE_URL or
 * TEST_DATABASE_URL; each run works in a schema of its own and drops it.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '@teacher-gateway/gateway/internal/config/load-config';
import { createGateway } from '@teacher-gateway/gateway/internal/create-gateway';
import type { Gateway } from '@teacher-gateway/gateway/internal/create-gateway';
import type { GenerateResult, VisionLanguageModel } from '@teacher-gateway/gateway/internal/providers/provider';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import type { SqliteDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { openPostgresStorage } from '@teacher-gateway/gateway/internal/stores/open-postgres-storage';
import type { Storage } from '@teacher-gateway/gateway/internal/stores/storage';
import { loadTemplates } from '@teacher-gateway/gateway/internal/templates/load-templates';
import { startGatewayProcess } from '../test/helpers/start-gateway-process.ts';
import { startOpenAIStandIn } from '../test/stand-ins/openai-stand-in.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!baseUrl) {
  process.stderr.write('bench:postgres needs BENCH_DATABASE_URL or TEST_DATABASE_URL (postgres://…)\n');
  process.exit(2);
}
const directory = mkdtempSync(join(tmpdir(), 'bench-postgres-'));
const templates = loadTemplates(join(root, 'prompts'));
const schemas: string[] = [];

const instantProvider: VisionLanguageModel = {
  id: 'bench',
  kind: 'openai',
  model: 'bench-model',
  capabilities: () => ({ logprobs: true, maxTopLogprobs: 20, samples: true, maxSamples: 16, images: true, guidedChoice: false }),
  doGenerate: async (): Promise<GenerateResult> => ({
    choices: [
      {
        text: 'C',
        finishReason: { unified: 'stop', raw: 'stop' },
        logprobs: [{ token: 'C', logprob: Math.log(0.9), top: ['A', 'B', 'C', 'D'].map((token, index) => ({ token, logprob: Math.log([0.03, 0.03, 0.9, 0.04][index] ?? 0.01) })) }],
      },
    ],
    usage: { inputTokens: 800, outputTokens: 1 },
    warnings: [],
    raw: { url: 'http://bench/v1/chat/completions', requestBody: {}, status: 200, headers: {}, responseBody: {} },
  }),
};

const actions = { kind: 'discrete', labels: ['turn left', 'turn right', 'move forward', 'pick up', 'drop', 'toggle', 'done'] };
const body = (index: number) =>
  JSON.stringify({ template: 'minigrid-text', observation: { text: `room ${index}: use the key to open the door` }, actions, tags: { run: 'bench', step: index } });

async function schemaUrl(): Promise<string> {
  const schema = `bench_${process.pid}_${schemas.length}`;
  const client = new pg.Client(baseUrl);
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  await client.end();
  schemas.push(schema);
  const url = new URL(baseUrl as string);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

interface Backend {
  name: 'SQLite' | 'PostgreSQL';
  gateway: Gateway;
  bytes(): Promise<number>;
  close(): Promise<void>;
}

async function open(name: Backend['name'], memoryEntries: number): Promise<Backend> {
  const { config } = loadConfig(
    `storage: { path: ":memory:" }\ncache: { memoryEntries: ${memoryEntries} }\ndefaultProvider: bench\nproviders:\n  - { id: bench, kind: openai, model: bench-model, apiKey: k, maxConcurrency: 64 }\n`,
    {},
  );
  const base = { config, templates, createProvider: () => instantProvider, logError: (error: unknown) => console.error(error) };
  if (name === 'SQLite') {
    const path = join(directory, `teacher-${memoryEntries}-${Date.now()}.db`);
    const database: SqliteDatabase = openDatabase(path);
    const gateway = createGateway({ ...base, database });
    return {
      name,
      gateway,
      async bytes() {
        await gateway.flush();
        database.pragma('wal_checkpoint(TRUNCATE)');
        return statSync(path).size;
      },
      async close() {
        await gateway.flush();
        database.close();
      },
    };
  }
  const url = await schemaUrl();
  const storage: Storage = await openPostgresStorage(url);
  const gateway = createGateway({ ...base, storage });
  const client = new pg.Client(url);
  await client.connect();
  return {
    name,
    gateway,
    async bytes() {
      await gateway.flush();
      const { rows } = await client.query<{ bytes: string }>(
        `SELECT sum(pg_total_relation_size(c.oid))::text AS bytes FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`,
      );
      return Number(rows[0]?.bytes ?? 0);
    },
    async close() {
      await client.end();
      await storage.close();
    },
  };
}

/** Runs `bodies` (cycled) through the app, 32 at a time, for `ms`; requests/s and CPU µs per request. */
async function drive(gateway: Gateway, next: () => string, ms: number): Promise<{ perSecond: number; cpuMicros: number; requests: number }> {
  let requests = 0;
  let failed = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const worker = async () => {
    while (performance.now() - started < ms) {
      const response = await gateway.app.request('/v1/suggestions', { method: 'POST', body: next(), headers: { 'content-type': 'application/json' } });
      if (response.status !== 200) failed += 1;
      await response.arrayBuffer();
      requests += 1;
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  await gateway.flush();
  const used = process.cpuUsage(cpu);
  const elapsed = performance.now() - started;
  if (failed > 0) throw new Error(`${failed} requests failed`);
  return { perSecond: (requests / elapsed) * 1000, cpuMicros: (used.user + used.system) / requests, requests };
}

async function inProcess(): Promise<string> {
  const keys = 64;
  const rows: string[] = [];
  const results: Record<string, Record<string, number>> = {};
  for (const name of ['SQLite', 'PostgreSQL'] as const) {
    const result: Record<string, number> = {};
    // (c) and (d): misses, then hits of those keys.
    const backend = await open(name, 10_000);
    let index = 0;
    const start = await backend.bytes();
    const misses = await drive(backend.gateway, () => body(index++), seconds * 1000);
    const afterMisses = await backend.bytes();
    result.missCpu = misses.cpuMicros;
    result.missPerSecond = misses.perSecond;
    result.bytesPerMiss = (afterMisses - start) / misses.requests;
    let hitIndex = 0;
    const hits = await drive(backend.gateway, () => body(hitIndex++ % keys), seconds * 1000);
    result.lruPerSecond = hits.perSecond;
    result.lruCpu = hits.cpuMicros;
    result.bytesPerHit = ((await backend.bytes()) - afterMisses) / hits.requests;
    await backend.close();
    // (b): the memory tier off, every hit reads the store.
    const cold = await open(name, 0);
    for (let warm = 0; warm < keys; warm += 1) await cold.gateway.app.request('/v1/suggestions', { method: 'POST', body: body(warm), headers: { 'content-type': 'application/json' } });
    let coldIndex = 0;
    const reads = await drive(cold.gateway, () => body(coldIndex++ % keys), seconds * 1000);
    result.readPerSecond = reads.perSecond;
    result.readCpu = reads.cpuMicros;
    await cold.close();
    results[name] = result;
  }
  const sqlite = results.SQLite as Record<string, number>;
  const postgres = results.PostgreSQL as Record<string, number>;
  const line = (label: string, key: string, unit: (value: number) => string, higherIsBetter: boolean) => {
    const a = sqlite[key] as number;
    const b = postgres[key] as number;
    const ratio = higherIsBetter ? a / b : b / a;
    rows.push(`  ${label.padEnd(34)} SQLite ${unit(a).padStart(14)}   PostgreSQL ${unit(b).padStart(14)}   PostgreSQL costs ${ratio.toFixed(2)}x`);
  };
  const perSecond = (value: number) => `${Math.round(value).toLocaleString('en-US')}/s`;
  const micros = (value: number) => `${Math.round(value)} µs`;
  const bytes = (value: number) => `${Math.round(value)} B`;
  rows.push(`(a)-(d) in-process, 32 concurrent requests, ${seconds} s each`);
  line('(a) LRU hit: hits/s', 'lruPerSecond', perSecond, true);
  line('(a) LRU hit: gateway CPU per hit', 'lruCpu', micros, false);
  line('(b) hit reading the store: hits/s', 'readPerSecond', perSecond, true);
  line('(b) hit reading the store: CPU', 'readCpu', micros, false);
  line('(c) miss: gateway CPU per miss', 'missCpu', micros, false);
  line('(d) store growth per hit', 'bytesPerHit', bytes, false);
  line('(d) store growth per miss', 'bytesPerMiss', bytes, false);
  const lruRatio = (sqlite.lruPerSecond as number) / (postgres.lruPerSecond as number);
  const readRatio = (sqlite.lruPerSecond as number) / (postgres.readPerSecond as number);
  rows.push(`  goal: LRU hit on PostgreSQL within 10% of SQLite: ${lruRatio <= 1.1 ? 'met' : 'NOT MET'} (${lruRatio.toFixed(2)}x)`);
  rows.push(`  goal: hit reading PostgreSQL within 3x of an LRU hit on SQLite: ${readRatio <= 3 ? 'met' : 'NOT MET'} (${readRatio.toFixed(2)}x)`);
  rows.push(`  goal: ≤ ~250 B per hit row with indexes: SQLite ${Math.round(sqlite.bytesPerHit as number)} B, PostgreSQL ${Math.round(postgres.bytesPerHit as number)} B`);
  return rows.join('\n');
}

async function replicas(): Promise<string> {
  const standIn = await startOpenAIStandIn({ apiKey: 'sk-bench' });
  const url = await schemaUrl();
  process.env.TEACHER_GATEWAY_BENCH_PG_URL = url;
  const config = join(directory, 'replica.yaml');
  writeFileSync(
    config,
    `server: { host: 127.0.0.1, port: 0 }\nstorage: { url: "\${TEACHER_GATEWAY_BENCH_PG_URL}" }\ndefaultProvider: openai-mini\nproviders:\n  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: sk-bench, baseURL: ${JSON.stringify(standIn.url)}, maxConcurrency: 64 }\n`,
  );
  const processes = await Promise.all([startGatewayProcess(['--config', config]), startGatewayProcess(['--config', config])]);
  try {
    const keys = 64;
    for (let index = 0; index < keys; index += 1) {
      for (const replica of processes) await fetch(`${replica.url}/v1/suggestions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(index) });
    }
    const load = async (targets: string[]) => {
      let requests = 0;
      const started = performance.now();
      const worker = async (id: number) => {
        for (let turn = 0; performance.now() - started < seconds * 1000; turn += 1) {
          const target = targets[(id + turn) % targets.length] as string;
          const response = await fetch(`${target}/v1/suggestions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(turn % keys) });
          await response.arrayBuffer();
          requests += 1;
        }
      };
      await Promise.all(Array.from({ length: 32 }, (_, id) => worker(id)));
      return (requests / (performance.now() - started)) * 1000;
    };
    const one = await load([processes[0]?.url as string]);
    const two = await load(processes.map((replica) => replica.url));
    return [
      `(e) HTTP hits (LRU) over separate replica processes on one PostgreSQL, 32 connections, ${seconds} s each`,
      `  one replica ${Math.round(one).toLocaleString('en-US')}/s   two replicas ${Math.round(two).toLocaleString('en-US')}/s   ratio ${(two / one).toFixed(2)}x`,
      `  (${(await import('node:os')).availableParallelism()} cores shared by the load generator, the replicas and PostgreSQL)`,
    ].join('\n');
  } finally {
    for (const replica of processes) replica.child.kill('SIGTERM');
    await Promise.all(processes.map((replica) => replica.exited));
    await standIn.close();
  }
}

try {
  console.log(await inProcess());
  console.log(await replicas());
} finally {
  const client = new pg.Client(baseUrl);
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  rmSync(directory, { recursive: true, force: true });
}
