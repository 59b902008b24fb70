import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { LogPageSchema } from '@teacher-gateway/client';
import { exportLogs } from '@teacher-gateway/gateway/internal/commands/export-logs';
import type { RequestRecord } from '@teacher-gateway/gateway/internal/stores/audit-log';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { createFakeProvider } from '../../helpers/fake-provider.ts';
import { createStandInGateway } from '../../helpers/create-stand-in-gateway.ts';
import { createTestGateway, suggestionRequest } from '../../helpers/create-test-gateway.ts';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';

const t0 = Date.parse('2026-03-01T00:00:00Z');
const hour = 3_600_000;

function row(id: string, hours: number, overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id,
    time: t0 + hours * hour,
    tags: { run: 'run-a' },
    provider: 'fake',
    cache: 'miss',
    latencyMs: 1,
    usage: { inputTokens: 1, outputTokens: 1, upstreamCalls: 1 },
    status: 200,
    ...overrides,
  };
}

async function seededGateway() {
  const gateway = createTestGateway({ providers: { fake: createFakeProvider() } });
  await Promise.all(
    [
      row('e1', 0),
      row('e2', 1, { cache: 'hit' }),
      row('e3', 2, { tags: { run: 'run-b', step: 4 } }),
      row('e4', 3, { provider: 'other' }),
      row('e5', 4, { status: 404, errorCode: 'not_cached' }),
      row('e6', 5, { status: 429, errorCode: 'rate_limited', tags: { run: 'run-b' } }),
    ].map((entry) => gateway.auditLog.record(entry, [])),
  );
  return gateway;
}

async function page(gateway: Awaited<ReturnType<typeof seededGateway>>, query: string) {
  const response = await gateway.get(`/v1/logs?${query}`);
  assert.equal(response.status, 200, query);
  return LogPageSchema.parse(await response.json());
}

const idsOf = (entries: { id: string }[]) => entries.map((entry) => entry.id);

describe('GET /v1/logs', () => {
  test('answers every filter, with times as milliseconds or ISO dates', async () => {
    const gateway = await seededGateway();
    const cases: [string, string[]][] = [
      ['', ['e6', 'e5', 'e4', 'e3', 'e2', 'e1']],
      ['run=run-b', ['e6', 'e3']],
      ['provider=other', ['e4']],
      ['cache=hit', ['e2']],
      ['status=ok', ['e4', 'e3', 'e2', 'e1']],
      ['status=error', ['e6', 'e5']],
      ['status=429', ['e6']],
      ['status=not_cached', ['e5']],
      [`since=${t0 + 4 * hour}`, ['e6', 'e5']],
      ['since=2026-03-01T04:00:00Z', ['e6', 'e5']],
      ['since=2026-03-01T01:00:00.000Z&until=2026-03-01T03:00:00Z', ['e3', 'e2']],
      [`until=${t0 + hour}`, ['e1']],
      ['run=run-a&status=ok&since=2026-03-01T01:00:00Z', ['e4', 'e2']],
    ];
    for (const [query, expected] of cases) assert.deepEqual(idsOf((await page(gateway, query)).entries), expected, query);
  });

  test('pages with a cursor until the last page, which has none', async () => {
    const gateway = await seededGateway();
    const first = await page(gateway, 'limit=4');
    assert.deepEqual(idsOf(first.entries), ['e6', 'e5', 'e4', 'e3']);
    assert.ok(first.nextCursor);
    const second = await page(gateway, `limit=4&cursor=${first.nextCursor}`);
    assert.deepEqual(idsOf(second.entries), ['e2', 'e1']);
    assert.equal(second.nextCursor, undefined);
  });

  test('bad filters are 400 invalid_request', async () => {
    const gateway = await seededGateway();
    for (const query of ['since=yesterday', 'limit=0', 'limit=5000', 'cache=sometimes', 'cursor=not-a-cursor', `cursor=${Buffer.from('page-2').toString('base64url')}`]) {
      const response = await gateway.get(`/v1/logs?${query}`);
      assert.equal(response.status, 400, query);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'invalid_request');
    }
  });

  test('GET /v1/logs/export streams the filtered entries as JSON Lines, as the command writes them', async () => {
    const gateway = await seededGateway();
    const response = await gateway.get('/v1/logs/export?run=run-b');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /ndjson/);
    const text = await response.text();
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: string; tags?: unknown });
    assert.deepEqual(idsOf(lines), ['e6', 'e3']);
    assert.deepEqual(lines[1]?.tags, { run: 'run-b', step: 4 });

    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const rows = await exportLogs({ auditLog: gateway.auditLog, filter: { run: 'run-b' }, output });
    assert.equal(rows, 2);
    assert.equal(Buffer.concat(chunks).toString(), text, 'the command and the route write the same lines');
  });
});

describe('provider secrets in the audit log', () => {
  test('a configured API key appears in no audit row, no export and nowhere in the database file', async () => {
    const apiKey = 'sk-proj-SECRETcafe0123456789abcdefTOKEN';
    const standIn = await startOpenAIStandIn({ apiKey });
    const directory = mkdtempSync(join(tmpdir(), 'secrets-'));
    const path = join(directory, 'teacher.db');
    const database = openDatabase(path);
    try {
      const gateway = createStandInGateway({ baseURL: standIn.url, apiKey, database });
      const ok = await gateway.post('/v1/suggestions', suggestionRequest({ tags: { run: 'secret-run' } }));
      assert.equal(ok.status, 200);
      standIn.fail('server-error');
      const retried = await gateway.post('/v1/suggestions', suggestionRequest({ observation: { text: 'retry me' }, template: 'minigrid-text', tags: { run: 'secret-run' } }));
      standIn.fail('unauthorized', 3);
      const rejected = await gateway.post('/v1/suggestions', suggestionRequest({ observation: { text: 'reject me' }, template: 'minigrid-text', tags: { run: 'secret-run' } }));
      assert.notEqual(rejected.status, 200);
      await gateway.flush();
      assert.ok(
        standIn.calls.some((call) => call.headers.authorization === `Bearer ${apiKey}`),
        'the key really was sent upstream, so its absence below means something',
      );
      assert.equal(retried.status, 200, "a 500 is retried and then answered");

      const list = await (await gateway.get('/v1/logs?run=secret-run')).text();
      const exported = await (await gateway.get('/v1/logs/export')).text();
      const entries = LogPageSchema.parse(JSON.parse(list)).entries;
      assert.equal(entries.length, 3);
      const details = await Promise.all(entries.map(async (entry) => (await gateway.get(`/v1/logs/${entry.id}`)).text()));
      assert.ok(details.some((detail) => detail.includes('upstreamCalls') && detail.includes('chat/completions')));
      const output = new PassThrough();
      const chunks: Buffer[] = [];
      output.on('data', (chunk: Buffer) => chunks.push(chunk));
      await exportLogs({ auditLog: gateway.auditLog, filter: {}, output });
      database.pragma('wal_checkpoint(TRUNCATE)');
      const file = readFileSync(path).toString('latin1');
      const distinctive = 'SECRETcafe0123456789abcdef';
      for (const [where, text] of [
        ['GET /v1/logs', list],
        ['GET /v1/logs/export', exported],
        ['GET /v1/logs/:id', details.join('\n')],
        ['logs export command', Buffer.concat(chunks).toString()],
        ['database file', file],
      ] as const) {
        assert.ok(!text.includes(apiKey), `${where} holds the key`);
        assert.ok(!text.includes(distinctive), `${where} holds part of the key`);
      }
    } finally {
      database.close();
      await standIn.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
