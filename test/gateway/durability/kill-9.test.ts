import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { distinctPng } from '../../helpers/distinct-png.ts';
import { suggestionRequest } from '../../helpers/create-test-gateway.ts';
import { startGatewayProcess } from '../../helpers/start-gateway-process.ts';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';

interface Answered {
  id: string;
  cacheKey: string;
  cache: string;
  probs: number[];
  request: Record<string, unknown>;
}

describe('durability', () => {
  test('every answer returned before kill -9 is in the audit log and the cache after a restart', { timeout: 120_000 }, async (t) => {
    const directory = mkdtempSync(join(tmpdir(), 'kill9-'));
    t.after(() => rmSync(directory, { recursive: true, force: true }));
    const standIn = await startOpenAIStandIn({ apiKey: 'sk-durability-test', latencyMs: 2 });
    t.after(() => standIn.close());
    const dbPath = join(directory, 'teacher.db');
    const config = join(directory, 'gateway.config.yaml');
    writeFileSync(
      config,
      `server: { host: 127.0.0.1, port: 0 }
storage: { path: ${JSON.stringify(dbPath)} }
defaultProvider: openai-mini
providers:
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: sk-durability-test, baseURL: ${JSON.stringify(standIn.url)}, maxConcurrency: 64 }
`,
    );
    const first = await startGatewayProcess(['--config', config]);
    t.after(() => first.child.kill('SIGKILL'));

    // 32 clients, each sending its own stream of requests; a quarter repeat an earlier observation (cache hits).
    const answered: Answered[] = [];
    let killed = false;
    const killAfter = 150;
    const client = async (worker: number) => {
      for (let step = 0; !killed; step += 1) {
        const image = step % 4 === 3 ? distinctPng(worker * 1000 + step - 3) : distinctPng(worker * 1000 + step);
        const request = suggestionRequest({ observation: { image, text: 'use the key' }, tags: { run: 'kill9', worker, step } });
        try {
          const response = await fetch(`${first.url}/v1/suggestions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(request),
          });
          const text = await response.text();
          if (response.status !== 200) throw new Error(`status ${response.status}: ${text}`);
          answered.push({ ...(JSON.parse(text) as Omit<Answered, 'request'>), request });
          if (answered.length >= killAfter && !killed) {
            killed = true;
            // Straight after an answer arrives, while other requests are mid-flight.
            first.child.kill('SIGKILL');
          }
        } catch (error) {
          if (!killed) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, (_, worker) => client(worker)));
    assert.equal(await first.exited, 'SIGKILL');
    assert.ok(answered.length >= killAfter);
    assert.ok(answered.some((answer) => answer.cache === 'hit') && answered.some((answer) => answer.cache === 'miss'));

    // The file after the crash: intact, and holding every answered request and cache entry.
    const database = new Database(dbPath);
    assert.equal(database.pragma('integrity_check', { simple: true }), 'ok');
    const logged = database.prepare<[string], { status: number; cache_key: string }>('SELECT status, cache_key FROM requests WHERE id = ?');
    const cached = database.prepare<[string], { n: number }>('SELECT count(*) AS n FROM cache_entries WHERE key = ?');
    for (const answer of answered) {
      assert.deepEqual(logged.get(answer.id), { status: 200, cache_key: answer.cacheKey }, `request ${answer.id} is in the audit log`);
      assert.ok((cached.get(answer.cacheKey)?.n ?? 0) > 0, `cache key ${answer.cacheKey} is in the cache`);
    }
    database.close();

    // A restarted gateway on the same file, in replay mode with the provider gone, answers them all.
    await standIn.close();
    const second = await startGatewayProcess(['--config', config, '--mode', 'replay']);
    t.after(() => second.child.kill('SIGKILL'));
    for (const answer of answered.slice(0, 40)) {
      const response = await fetch(`${second.url}/v1/suggestions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(answer.request),
      });
      assert.equal(response.status, 200);
      const replayed = (await response.json()) as Answered;
      assert.equal(replayed.cache, 'replayed');
      assert.deepEqual(replayed.probs, answer.probs);
      const entry = await fetch(`${second.url}/v1/logs/${answer.id}`);
      assert.equal(entry.status, 200);
    }
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0, 'SIGTERM shuts down cleanly');
  });
});
