/**
 * Issue 15 item 6: small failures that were silent now say so: storage health, the checkpoint
 * thread coming back, malformed cursors and template versions, image-fetch timeouts, cache-control
 * of images behind auth, and /metrics behind auth.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ErrorBodySchema, HealthSchema } from '@teacher-gateway/client';
import { GatewayError } from '@teacher-gateway/gateway/internal/errors/gateway-error';
import { fetchRemoteImage } from '@teacher-gateway/gateway/internal/images/fetch-remote-image';
import { loadConfig } from '@teacher-gateway/gateway/internal/config/load-config';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import type { CheckpointThread } from '@teacher-gateway/gateway/internal/stores/start-checkpoint-worker';
import { startCheckpointWorker } from '@teacher-gateway/gateway/internal/stores/start-checkpoint-worker';
import { createTestGateway, suggestionRequest, tinyPng } from '../../helpers/create-test-gateway.ts';
import { createFakeProvider } from '../../helpers/fake-provider.ts';

const fakeYaml = (extra = '') => `storage: { path: ":memory:" }\n${extra}\ndefaultProvider: fake\nproviders:\n  - { id: fake, kind: openai, model: fake-model, apiKey: k }\n`;

function fileDatabase(t: { after: (fn: () => void) => void }) {
  const directory = mkdtempSync(join(tmpdir(), 'ops-hardening-'));
  const database = openDatabase(join(directory, 'teacher.db'));
  t.after(() => {
    if (database.open) database.close();
    rmSync(directory, { recursive: true, force: true });
  });
  return database;
}

describe('/healthz reports storage', () => {
  test('a database that cannot be written makes /healthz degraded with the reason; writable again, ok', async (t) => {
    const database = fileDatabase(t);
    const gateway = createTestGateway({ providers: { fake: createFakeProvider() }, database });
    const healthy = HealthSchema.parse(await (await gateway.get('/healthz')).json());
    assert.equal(healthy.status, 'ok');
    assert.deepEqual(healthy.storage, { writable: true });

    database.pragma('query_only = ON');
    const readOnly = HealthSchema.parse(await (await gateway.get('/healthz')).json());
    assert.equal(readOnly.status, 'degraded');
    assert.equal(readOnly.storage?.writable, false);
    assert.match(readOnly.storage?.reason ?? '', /SQLITE_READONLY/);
    database.pragma('query_only = OFF');

    // A full page budget: what SQLITE_FULL looks like before the disk itself fills.
    const pages = database.pragma('page_count', { simple: true }) as number;
    database.pragma(`max_page_count = ${pages}`);
    const full = HealthSchema.parse(await (await gateway.get('/healthz')).json());
    assert.equal(full.status, 'degraded');
    assert.match(full.storage?.reason ?? '', /SQLITE_FULL/);
    database.pragma('max_page_count = 1073741823');
    assert.equal(HealthSchema.parse(await (await gateway.get('/healthz')).json()).status, 'ok');
  });
});

describe('the checkpoint thread', () => {
  class FakeThread extends EventEmitter implements CheckpointThread {
    messages: unknown[] = [];
    postMessage(message: unknown) {
      this.messages.push(message);
      setImmediate(() => this.emit('exit', 0));
    }
    ref() {}
    unref() {}
  }

  test('after the thread dies (SQLITE_FULL, SQLITE_IOERR) the connection checkpoints inline, and a new thread takes over', async (t) => {
    const database = fileDatabase(t);
    const threads: FakeThread[] = [];
    let spawned: () => void = () => {};
    const errors: unknown[] = [];
    const checkpoints = startCheckpointWorker(database, {
      intervalMs: 10,
      restartDelayMs: 0,
      onError: (error) => errors.push(error),
      spawn: () => {
        const thread = new FakeThread();
        threads.push(thread);
        spawned();
        return thread;
      },
    });
    const autocheckpoint = () => database.pragma('wal_autocheckpoint', { simple: true });
    assert.equal(autocheckpoint(), 0);

    const restarted = new Promise<void>((resolve) => (spawned = resolve));
    threads[0]?.emit('error', Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
    assert.equal(autocheckpoint(), 1000, 'inline checkpoints while no thread runs');
    await restarted;
    assert.equal(threads.length, 2, 'a new thread');
    assert.equal(autocheckpoint(), 0, 'the new thread took over');
    assert.equal((errors[0] as { code?: string }).code, 'SQLITE_FULL');

    // A failed checkpoint inside a running thread hands back until it reports recovery.
    threads[1]?.emit('message', { type: 'failed', code: 'SQLITE_IOERR', message: 'disk I/O error' });
    assert.equal(autocheckpoint(), 1000);
    assert.match(String(errors[1]), /disk I\/O error/);
    threads[1]?.emit('message', { type: 'recovered' });
    assert.equal(autocheckpoint(), 0);
    await checkpoints.stop();
    assert.equal(autocheckpoint(), 1000);
    assert.equal(threads.length, 2, 'no restart after stop');
  });
});

describe('malformed references are refused', () => {
  test('a malformed /v1/logs cursor is 400, not page 1; a real one pages on', async () => {
    const gateway = createTestGateway({ providers: { fake: createFakeProvider() } });
    for (let step = 0; step < 3; step += 1) {
      await gateway.post('/v1/suggestions', suggestionRequest({ observation: { image: tinyPng, text: `step ${step}` } }));
    }
    for (const cursor of ['garbage!', 'bm90LWEtY3Vyc29y', Buffer.from('abc:def').toString('base64url'), '']) {
      const response = await gateway.get(`/v1/logs?limit=1&cursor=${encodeURIComponent(cursor)}`);
      assert.equal(response.status, 400, `cursor "${cursor}"`);
      assert.equal(ErrorBodySchema.parse(await response.json()).error.code, 'invalid_request');
    }
    const first = (await (await gateway.get('/v1/logs?limit=1')).json()) as { entries: { id: string }[]; nextCursor?: string };
    assert.ok(first.nextCursor);
    const second = (await (await gateway.get(`/v1/logs?limit=1&cursor=${first.nextCursor}`)).json()) as { entries: { id: string }[] };
    assert.notEqual(second.entries[0]?.id, first.entries[0]?.id);
  });

  test('"minigrid-lvlm2p@0x1" and other non-decimal versions are not version 1', async () => {
    const gateway = createTestGateway({ providers: { fake: createFakeProvider() } });
    assert.equal((await gateway.get('/v1/templates/minigrid-lvlm2p@1')).status, 200);
    for (const reference of ['minigrid-lvlm2p@0x1', 'minigrid-lvlm2p@1e0', 'minigrid-lvlm2p@', 'minigrid-lvlm2p@+1', 'minigrid-lvlm2p@1.0']) {
      assert.equal((await gateway.get(`/v1/templates/${encodeURIComponent(reference)}`)).status, 404, reference);
      const response = await gateway.post('/v1/suggestions', suggestionRequest({ template: reference }));
      assert.notEqual(response.status, 200, reference);
    }
  });
});

describe('image fetches and image caching', () => {
  test('an image host that does not answer in time is 504, not 400', async (t) => {
    const { config } = loadConfig('limits: { imageHosts: [images.example], imageFetchTimeoutMs: 20 }', {});
    const never = (_url: URL, options: { signal: AbortSignal }) =>
      new Promise<Uint8Array>((_resolve, reject) => options.signal.addEventListener('abort', () => reject(options.signal.reason as Error)));
    // AbortSignal.timeout does not hold the event loop open; a listening server would.
    const keepAlive = setInterval(() => undefined, 1000);
    t.after(() => clearInterval(keepAlive));
    await assert.rejects(fetchRemoteImage('https://images.example/frame.png', config.limits, never), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.status, 504);
      assert.match(error.message, /limits\.imageFetchTimeoutMs/);
      return true;
    });
    const refused = (_url: URL) => Promise.reject(new Error('HTTP 404'));
    await assert.rejects(fetchRemoteImage('https://images.example/frame.png', config.limits, refused), (error: unknown) => error instanceof GatewayError && error.status === 400);
  });

  test('GET /v1/images/* is cache-control private when auth is on, public otherwise', async () => {
    const body = JSON.stringify({ image: tinyPng });
    const open = createTestGateway({ yaml: fakeYaml(), providers: { fake: createFakeProvider() } });
    const { sha256 } = (await (await open.app.request('/v1/images', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()) as { sha256: string };
    assert.match((await open.get(`/v1/images/${sha256}`)).headers.get('cache-control') ?? '', /^public/);
    const guarded = createTestGateway({ yaml: fakeYaml('auth: { tokens: [s3cret-token] }'), providers: { fake: createFakeProvider() } });
    const auth = { authorization: 'Bearer s3cret-token' };
    await guarded.app.request('/v1/images', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });
    const image = await guarded.app.request(`/v1/images/${sha256}`, { headers: auth });
    assert.equal(image.status, 200);
    assert.match(image.headers.get('cache-control') ?? '', /^private/);
  });
});

describe('/metrics behind auth', () => {
  test('metrics.requireAuth asks for a bearer token; the default stays open', async () => {
    const open = createTestGateway({ yaml: fakeYaml('auth: { tokens: [s3cret-token] }'), providers: { fake: createFakeProvider() } });
    assert.equal((await open.get('/metrics')).status, 200);
    const guarded = createTestGateway({ yaml: fakeYaml('auth: { tokens: [s3cret-token] }\nmetrics: { requireAuth: true }'), providers: { fake: createFakeProvider() } });
    assert.equal((await guarded.get('/metrics')).status, 401);
    const allowed = await guarded.app.request('/metrics', { headers: { authorization: 'Bearer s3cret-token' } });
    assert.equal(allowed.status, 200);
    assert.match(await allowed.text(), /teacher_gateway_http_requests_total/);
    assert.throws(() => loadConfig('metrics: { requireAuth: true }', {}), /metrics\.requireAuth.*auth\.tokens/s);
  });
});
