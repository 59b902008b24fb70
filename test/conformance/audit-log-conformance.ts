/**
 * @module
 * What every AuditLog must do (filters, paging under writes, iteration, pruning, commit before
 * resolve), as a suite each backend runs with its own factory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { AuditLog, RequestRecord } from '@teacher-gateway/gateway/internal/stores/audit-log';

const day = 86_400_000;
const t0 = Date.parse('2026-01-01T00:00:00Z');

function requestRecord(id: string, overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id,
    time: t0,
    tags: { run: 'run-a', step: 1 },
    template: 'minigrid-lvlm2p@1',
    provider: 'openai-mini',
    model: 'gpt-4o-mini',
    cache: 'miss',
    latencyMs: 1.5,
    usage: { inputTokens: 10, outputTokens: 1, upstreamCalls: 1 },
    status: 200,
    ...overrides,
  };
}

export interface OpenedAuditLog {
  auditLog: AuditLog;
  close(): unknown;
}

export interface AuditLogFactory {
  name: string;
  /** Opens an audit log on a database; called again with the same path for a second connection. */
  open(path: string): OpenedAuditLog | Promise<OpenedAuditLog>;
}

/** Twelve requests covering every filter's dimensions, one day apart. */
async function seed(auditLog: AuditLog) {
  const rows: RequestRecord[] = [
    requestRecord('r01', { time: t0 + 0 * day }),
    requestRecord('r02', { time: t0 + 1 * day, cache: 'hit', usage: { inputTokens: 10, outputTokens: 1, upstreamCalls: 0 } }),
    requestRecord('r03', { time: t0 + 2 * day, tags: { run: 'run-b' } }),
    requestRecord('r04', { time: t0 + 3 * day, provider: 'gemini-flash', model: 'gemini-2.0-flash' }),
    requestRecord('r05', { time: t0 + 4 * day, status: 404, cache: undefined, errorCode: 'not_cached', errorMessage: 'replay mode' }),
    requestRecord('r06', { time: t0 + 5 * day, status: 502, errorCode: 'provider_error', errorMessage: 'upstream 500' }),
    requestRecord('r07', { time: t0 + 6 * day, cache: 'coalesced', tags: { run: 'run-b' } }),
    requestRecord('r08', { time: t0 + 7 * day, cache: 'replayed' }),
    requestRecord('r09', { time: t0 + 8 * day, status: 422, errorCode: 'unparsable_response', provider: 'gemini-flash' }),
    requestRecord('r10', { time: t0 + 9 * day, template: 'minigrid-verbalized@1' }),
    requestRecord('r11', { time: t0 + 10 * day, tags: undefined }),
    requestRecord('r12', { time: t0 + 11 * day, status: 400, errorCode: 'invalid_request', provider: undefined, cache: undefined }),
  ];
  await Promise.all(rows.map((row) => auditLog.record(row, [])));
  return auditLog;
}

const ids = (entries: { id: string }[]) => entries.map((entry) => entry.id);

export function runAuditLogConformance(factory: AuditLogFactory): void {
describe(`AuditLog conformance: ${factory.name}`, () => {
  let directory: string;
  let path: string;
  const opened: OpenedAuditLog[] = [];
  const open = async () => {
    const log = await factory.open(path);
    opened.push(log);
    return log.auditLog;
  };
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'audit-'));
    path = join(directory, 'teacher.db');
  });
  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close();
    rmSync(directory, { recursive: true, force: true });
  });

  test('every filter of GET /v1/logs, newest first', async () => {
    const auditLog = await seed(await open());
    const list = async (filter: Parameters<typeof auditLog.list>[0]) => ids((await auditLog.list(filter, 100)).entries);
    assert.deepEqual(await list({}), ['r12', 'r11', 'r10', 'r09', 'r08', 'r07', 'r06', 'r05', 'r04', 'r03', 'r02', 'r01']);
    assert.deepEqual(await list({ run: 'run-b' }), ['r07', 'r03']);
    assert.deepEqual(await list({ provider: 'gemini-flash' }), ['r09', 'r04']);
    assert.deepEqual(await list({ cache: 'hit' }), ['r02']);
    assert.deepEqual(await list({ cache: 'coalesced' }), ['r07']);
    assert.deepEqual(await list({ cache: 'replayed' }), ['r08']);
    assert.deepEqual(await list({ status: 'ok' }), ['r11', 'r10', 'r08', 'r07', 'r04', 'r03', 'r02', 'r01']);
    assert.deepEqual(await list({ status: 'error' }), ['r12', 'r09', 'r06', 'r05']);
    assert.deepEqual(await list({ status: '404' }), ['r05']);
    assert.deepEqual(await list({ status: 'not_cached' }), ['r05']);
    assert.deepEqual(await list({ status: 'provider_error' }), ['r06']);
    assert.deepEqual(await list({ template: 'minigrid-verbalized@1' }), ['r10']);
    assert.deepEqual(await list({ since: t0 + 9 * day }), ['r12', 'r11', 'r10']);
    assert.deepEqual(await list({ until: t0 + 2 * day }), ['r02', 'r01'], 'until is exclusive');
    assert.deepEqual(await list({ since: t0 + 1 * day, until: t0 + 5 * day, run: 'run-a', status: 'ok' }), ['r04', 'r02']);
  });

  test('an entry keeps its fields, tags and error', async () => {
    const auditLog = await seed(await open());
    const entry = await auditLog.get('r06');
    assert.equal(entry?.status, 502);
    assert.equal(entry?.errorCode, 'provider_error');
    assert.deepEqual(entry?.tags, { run: 'run-a', step: 1 });
    assert.deepEqual(entry?.upstreamCalls, []);
    assert.equal(await auditLog.get('nope'), undefined);
  });

  test('cursor paging has no duplicates or gaps while new requests keep arriving', async () => {
    const auditLog = await open();
    // Several rows share each millisecond, so the cursor must break ties by id.
    const initial = Array.from({ length: 237 }, (_, index) =>
      requestRecord(`a${String(index).padStart(4, '0')}`, { time: t0 + Math.floor(index / 4) }),
    );
    await Promise.all(initial.map((row) => auditLog.record(row, [])));
    const seen: string[] = [];
    let cursor: string | undefined;
    let added = 0;
    do {
      const page = await auditLog.list({}, 20, cursor);
      seen.push(...ids(page.entries));
      cursor = page.nextCursor;
      // Newer requests land while the client pages through older ones.
      const arrivals = Array.from({ length: 7 }, () => requestRecord(`b${String(added++).padStart(4, '0')}`, { time: t0 + 10_000 + added }));
      await Promise.all(arrivals.map((row) => auditLog.record(row, [])));
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length, 'no duplicates');
    assert.deepEqual(seen, ids(initial).reverse(), 'every row present at the start, newest first, none skipped');

    // Paging a filtered view works the same way.
    const filtered: string[] = [];
    cursor = undefined;
    do {
      const page = await auditLog.list({ since: t0 + 10 }, 9, cursor);
      filtered.push(...ids(page.entries));
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(new Set(filtered).size, filtered.length);
    assert.equal(filtered.length, initial.filter((row) => row.time >= t0 + 10).length + added);
  });

  test('iterate walks every match in pages, newest first', async () => {
    const auditLog = await open();
    const rows = Array.from({ length: 1234 }, (_, index) => requestRecord(`i${String(index).padStart(5, '0')}`, { time: t0 + index }));
    await Promise.all(rows.map((row) => auditLog.record(row, [])));
    const walked: string[] = [];
    for await (const entry of auditLog.iterate({ run: 'run-a' })) walked.push(entry.id);
    assert.equal(walked.length, 1234);
    assert.deepEqual(walked, ids(rows).reverse());
  });

  test('prune deletes older requests with their upstream calls, and nothing newer', async () => {
    const auditLog = await open();
    for (let index = 0; index < 10; index += 1) {
      await auditLog.record(requestRecord(`p${index}`, { time: t0 + index * day }), [
        { requestId: `p${index}`, attempt: 1, provider: 'openai-mini', model: 'gpt-4o-mini', startedAt: t0 + index * day, durationMs: 5, status: 200 },
      ]);
    }
    assert.equal(await auditLog.prune(t0 + 4 * day), 4);
    assert.deepEqual(ids((await auditLog.list({}, 100)).entries), ['p9', 'p8', 'p7', 'p6', 'p5', 'p4']);
    assert.equal((await auditLog.get('p4'))?.upstreamCalls.length, 1);
    assert.equal(await auditLog.get('p3'), undefined);
    assert.equal(await auditLog.prune(t0 + 4 * day), 0);
  });

  test('record resolves only once the rows are committed: another connection sees them', async () => {
    const auditLog = await open();
    const reader = await open();
    const count = async () => (await reader.list({}, 1000)).entries.length;
    const pending = Array.from({ length: 500 }, (_, index) => auditLog.record(requestRecord(`c${index}`, { time: t0 + index }), []));
    assert.equal(await count(), 0, 'nothing is written synchronously');
    await pending[0];
    // Group commit: the whole burst shares one transaction, so the first promise implies all.
    assert.equal(await count(), 500);
    await Promise.all(pending);
  });
});
}
