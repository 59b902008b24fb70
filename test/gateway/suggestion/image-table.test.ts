import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { createImageTable } from '@teacher-gateway/gateway/internal/images/create-image-table';
import type { ImageTable } from '@teacher-gateway/gateway/internal/images/create-image-table';
import type { GenerateOptions } from '@teacher-gateway/gateway/internal/providers/provider';
import type { ImageStore, StoredImage } from '@teacher-gateway/gateway/internal/stores/image-store';
import { createSuggestionService } from '@teacher-gateway/gateway/internal/suggestion/create-suggestion-service';
import { parseSuggestionRequest } from '@teacher-gateway/gateway/internal/suggestion/parse-suggestion-request';
import { createUsageCounters } from '@teacher-gateway/gateway/internal/suggestion/usage-counters';
import { loadTemplates } from '@teacher-gateway/gateway/internal/templates/load-templates';
import { createTemplateRegistry } from '@teacher-gateway/gateway/internal/templates/template-registry';
import { distinctPng } from '../../helpers/distinct-png.ts';
import { createFakeProvider, letterAnswer } from '../../helpers/fake-provider.ts';
import {
  createTestGateway,
  minigridActions,
  promptsDir,
} from '../../helpers/create-test-gateway.ts';

function storedImage(size: number, seed: number): StoredImage {
  const data = new Uint8Array(size).fill(seed);
  return { sha256: createHash('sha256').update(data).digest('hex'), mediaType: 'image/png', data };
}

/** An image store in memory that counts every read of an image's bytes. */
function countingImageStore(): ImageStore & { loads: number } {
  const stored = new Map<string, StoredImage>();
  const store = {
    loads: 0,
    async get(sha256: string) {
      const image = stored.get(sha256);
      if (!image) return undefined;
      store.loads += 1;
      // As SQLite does: every read is a fresh copy of the bytes.
      return { ...image, data: new Uint8Array(image.data) };
    },
    has: async (sha256: string) => stored.has(sha256),
    put(image: StoredImage) {
      stored.set(image.sha256, image);
      return Promise.resolve();
    },
  };
  return store;
}

/** A provider that holds every call until released, so work piles up queued and in flight. */
function blockingProvider() {
  const fake = createFakeProvider();
  const held: (() => void)[] = [];
  const seen: GenerateOptions[] = [];
  const doGenerate = fake.doGenerate.bind(fake);
  fake.doGenerate = async (options) => {
    seen.push(options);
    await new Promise<void>((resolve) => held.push(resolve));
    return doGenerate(options);
  };
  return { fake, seen, release: () => held.splice(0).forEach((resolve) => resolve()) };
}

async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 10_000 && !condition(); turn += 1)
    await new Promise((resolve) => setImmediate(resolve));
  assert.ok(condition(), 'the condition was reached');
}

function serviceWith(images: ImageStore, imageTable: ImageTable) {
  const { fake, seen, release } = blockingProvider();
  const gateway = createTestGateway({ providers: { fake } });
  const service = createSuggestionService({
    config: gateway.config,
    templates: createTemplateRegistry(loadTemplates(promptsDir)),
    providers: gateway.providers,
    cache: gateway.cache,
    images,
    auditLog: gateway.auditLog,
    now: () => 0,
    monotonic: () => performance.now(),
    newId: (() => {
      let next = 0;
      return () => `sug_${(next += 1)}`;
    })(),
    sleep: async () => undefined,
    random: () => 0.5,
    counters: createUsageCounters(),
    setTimer: (callback, ms) => void setTimeout(callback, ms),
    schedulerFor: gateway.schedulerFor,
    imageTable,
  });
  return { service, seen, release, fake };
}

const request = (sha256: string, text: string) =>
  parseSuggestionRequest({
    template: 'minigrid-lvlm2p',
    observation: { image: { sha256 }, text },
    actions: minigridActions,
  });

test('sixty queued requests naming one stored image read it once and hold one copy', async () => {
  const images = countingImageStore();
  const image = storedImage(1024 * 1024, 7);
  await images.put(image);
  const table = createImageTable({ images, maxBytes: 64 * 1024 * 1024 });
  const { service, seen, release } = serviceWith(images, table);

  const batch = service.suggestBatch(
    Array.from({ length: 60 }, (_, index) => request(image.sha256, `step ${index}`)),
  );
  // Eight calls in flight (the scheduler's concurrency), the rest queued behind them.
  await until(() => seen.length === 8);
  assert.equal(images.loads, 1, 'the bytes were read from the store once');
  assert.equal(table.size(), 1);
  assert.equal(table.heldBytes(), image.data.byteLength, 'one copy is held for all sixty');
  const parts = seen.map((options) =>
    options.messages.at(-1)?.parts.find((part) => part.type === 'image'),
  );
  assert.ok(
    parts.every(
      (part) => part?.type === 'image' && part.data === (parts[0] as { data: Uint8Array }).data,
    ),
    'every call shares the bytes',
  );

  while (seen.length < 60) {
    release();
    await new Promise((resolve) => setImmediate(resolve));
  }
  release();
  const results = await batch;
  assert.equal(results.filter((result) => 'cache' in result).length, 60);
  assert.equal(images.loads, 1);
  assert.equal(table.heldBytes(), 0, 'nothing is held once every call is answered');
});

test('past limits.inflightImageBytes a miss gets 429 rate_limited with Retry-After, and is served once bytes free up', async () => {
  const { fake, seen, release } = blockingProvider();
  const gateway = createTestGateway({
    providers: { fake },
    yaml: `storage: { path: ":memory:" }
defaultProvider: fake
limits: { inflightImageBytes: 100 }
providers: [{ id: fake, kind: openai, model: fake-model, apiKey: test-key }]
`,
  });
  const body = (image: string, text: string) => ({
    template: 'minigrid-lvlm2p',
    observation: { image, text },
    actions: minigridActions,
  });
  const first = gateway.post('/v1/suggestions', body(distinctPng(1), 'first'));
  await until(() => seen.length === 1);
  // The same image again is shared, not counted twice.
  const same = gateway.post('/v1/suggestions', body(distinctPng(1), 'same image'));
  const refused = await gateway.post('/v1/suggestions', body(distinctPng(2), 'another image'));
  assert.equal(refused.status, 429);
  assert.ok(Number(refused.headers.get('retry-after')) >= 1, 'Retry-After is set');
  const error = (await refused.json()) as { error: { code: string; details: { bound: string } } };
  assert.equal(error.error.code, 'rate_limited');
  assert.equal(error.error.details.bound, 'limits.inflightImageBytes');
  const texts = () => seen.map((options) => JSON.stringify(options.messages));
  await until(() => seen.length === 2);
  assert.ok(
    !texts().some((text) => text.includes('another image')),
    'nothing went upstream for the refused request',
  );
  release();
  assert.equal((await first).status, 200);
  assert.equal((await same).status, 200);
  fake.fallback = letterAnswer('B');
  const retried = gateway.post('/v1/suggestions', body(distinctPng(2), 'another image'));
  await until(() => seen.length === 3);
  release();
  assert.equal((await retried).status, 200);
});

test('the image table shares by hash, admits one image past a tiny bound, and frees on the last release', async () => {
  const images = countingImageStore();
  const big = storedImage(1000, 1);
  const other = storedImage(10, 2);
  void images.put(big);
  void images.put(other);
  const table = createImageTable({ images, maxBytes: 500 });
  // Both ask while the first read is still pending: they share it.
  const [a, b] = await Promise.all([table.acquire(big.sha256), table.acquire(big.sha256)]);
  assert.ok(a.ok && b.ok);
  assert.equal(a.lease.image, b.lease.image);
  assert.equal(images.loads, 1);
  const refused = await table.acquire(other.sha256);
  assert.ok(!refused.ok);
  assert.equal(refused.error.status, 429);
  assert.equal(refused.error.retryAfterSeconds, 1);
  a.lease.release();
  a.lease.release();
  assert.equal(table.heldBytes(), 1000, 'a second release of one lease changes nothing');
  b.lease.release();
  assert.equal(table.heldBytes(), 0);
  assert.ok((await table.acquire(other.sha256)).ok);
});

test('calls carrying images wait for room to be sent, one always goes, and a waiter can give up', async () => {
  const table = createImageTable({
    images: countingImageStore(),
    maxBytes: 1000,
    maxSendingBytes: 15,
  });
  const first = await table.sending(10);
  let secondSent = false;
  const second = table.sending(10).then((release) => {
    secondSent = true;
    return release;
  });
  const leaving = new AbortController();
  const third = table.sending(1, leaving.signal);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(secondSent, false, 'the second waits while the first is being sent');
  leaving.abort(new Error('client went away'));
  await assert.rejects(third, /client went away/);
  first();
  (await second)();
  const huge = await table.sending(10_000);
  huge();
});
