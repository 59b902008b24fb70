import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { suggestionRequest } from '../../helpers/create-test-gateway.ts';
import { distinctPng } from '../../helpers/distinct-png.ts';
import { postgresTestDatabase } from '../../helpers/postgres-test-database.ts';
import { startGatewayProcess } from '../../helpers/start-gateway-process.ts';
import type { GatewayProcess } from '../../helpers/start-gateway-process.ts';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';

interface Answered {
  id: string;
  cacheKey: string;
  cache: string;
  probs: number[];
}

const database = await postgresTestDatabase();

async function post(replica: GatewayProcess, body: unknown): Promise<{ status: number; body: Answered }> {
  // Bounded: a waiter left hanging fails the test instead of stalling it.
  const response = await fetch(`${replica.url}/v1/suggestions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: response.status, body: (await response.json()) as Answered };
}

if ('skip' in database) {
  describe('gateway replicas on one PostgreSQL', () => test('skipped', { skip: database.skip }, () => undefined));
} else {
  after(() => database.dropSchemas());

  describe('gateway replicas on one PostgreSQL (separate processes)', () => {
    test('40 identical requests over two replicas make one upstream call; a miss on one is a hit on the other; kill -9 of one mid-burst loses no answer and strands no waiter', { timeout: 180_000 }, async (t) => {
      const directory = mkdtempSync(join(tmpdir(), 'replicas-'));
      t.after(() => rmSync(directory, { recursive: true, force: true }));
      const standIn = await startOpenAIStandIn({ apiKey: 'sk-replicas', latencyMs: 300 });
      t.after(() => standIn.close());
      const url = await database.schemaUrl();
      // The URL reaches the replicas through ${VAR} expansion, as a deployment would pass its secret.
      process.env.TEACHER_GATEWAY_TEST_PG_URL = url;
      const config = join(directory, 'gateway.config.yaml');
      writeFileSync(
        config,
        `server: { host: 127.0.0.1, port: 0 }
storage: { url: "\${TEACHER_GATEWAY_TEST_PG_URL}" }
defaultProvider: openai-mini
providers:
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: sk-replicas, baseURL: ${JSON.stringify(standIn.url)}, maxConcurrency: 64 }
`,
      );
      const [first, second] = await Promise.all([startGatewayProcess(['--config', config]), startGatewayProcess(['--config', config])]);
      t.after(() => first.child.kill('SIGKILL'));
      t.after(() => second.child.kill('SIGKILL'));
      const replicas = [first, second];
      // What a replica logs about a request it could not answer, for the message of a failed assertion.
      const unexpected: string[] = [];
      for (const replica of replicas) {
        replica.child.stdout?.on('data', (chunk: Buffer) => {
          for (const line of chunk.toString().split('\n')) if (line.includes('unexpectedly')) unexpected.push(line);
        });
      }
      const chatCalls = () => standIn.calls.filter((call) => call.path.endsWith('/chat/completions')).length;

      const burst = suggestionRequest({ observation: { image: distinctPng(1), text: 'burst' } });
      const answers = await Promise.all(Array.from({ length: 40 }, (_, index) => post(replicas[index % 2] as GatewayProcess, burst)));
      assert.deepEqual(answers.filter((answer) => answer.status !== 200), [], `every request answered; replica logs: ${unexpected.join('\n')}`);
      assert.equal(chatCalls(), 1, 'one upstream call for 40 identical requests over two replicas');
      assert.equal(answers.filter((answer) => answer.body.cache === 'miss').length, 1);

      const single = suggestionRequest({ observation: { image: distinctPng(2), text: 'one then the other' } });
      const onFirst = await post(first, single);
      const onSecond = await post(second, single);
      assert.deepEqual([onFirst.body.cache, onSecond.body.cache], ['miss', 'hit']);
      assert.deepEqual(onSecond.body.probs, onFirst.body.probs);
      assert.equal(chatCalls(), 2);

      // Both replicas get the same stream of observations, so the first often holds the claim the
      // second waits on when it dies.
      const answered: Answered[] = [];
      let killed = false;
      const client = async (worker: number, replica: GatewayProcess) => {
        for (let step = 0; step < 30; step += 1) {
          const request = suggestionRequest({ observation: { image: distinctPng(1_000 + worker * 100 + step), text: 'kill' } });
          try {
            const response = await post(replica, request);
            assert.equal(response.status, 200, `${JSON.stringify(response.body)}; replica logs: ${unexpected.join('\n')}`);
            answered.push(response.body);
          } catch (error) {
            // Only the killed replica may fail its in-flight requests.
            if (!(killed && replica === first)) throw error;
            return;
          }
          if (replica === first && answered.length >= 40 && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, (_, worker) => [client(worker, first), client(worker, second)]).flat());
      assert.ok(killed);
      assert.equal(await first.exited, 'SIGKILL');

      const client2 = new pg.Client(url);
      await client2.connect();
      try {
        for (const answer of answered) {
          const logged = await client2.query('SELECT status, cache_key FROM requests WHERE id = $1', [answer.id]);
          assert.deepEqual(logged.rows[0], { status: 200, cache_key: answer.cacheKey }, `request ${answer.id} is in the shared log`);
          const cached = await client2.query('SELECT 1 FROM cache_entries WHERE key = $1', [answer.cacheKey]);
          assert.equal(cached.rowCount, 1, `cache key ${answer.cacheKey} is in the shared cache`);
        }
      } finally {
        await client2.end();
      }
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0);
    });
  });
}
