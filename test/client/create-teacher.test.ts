import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  GatewayApiError,
  createClient,
  createTeacher,
  encodeRgbPng,
  sha256Hex,
} from '@teacher-gateway/client';
import type { ErrorBody, Suggestion, SuggestionRequestInput } from '@teacher-gateway/client';
import type { FetchFunction } from '@teacher-gateway/client';
import { createFakeProvider } from '../helpers/fake-provider.ts';
import { createTestGateway, minigridActions } from '../helpers/create-test-gateway.ts';

const frame = (shade: number) => ({ width: 4, height: 4, data: new Uint8Array(48).fill(shade) });

function setUp() {
  const fake = createFakeProvider();
  const gateway = createTestGateway({ providers: { fake } });
  const requests: Array<{ path: string; items: number }> = [];
  const fetch: FetchFunction = async (url, init) => {
    const path = new URL(url).pathname;
    const items = path.endsWith(':batch')
      ? (JSON.parse(String(init.body)) as { requests: unknown[] }).requests.length
      : 1;
    requests.push({ path, items });
    return gateway.app.request(url, init);
  };
  const client = createClient({ baseUrl: 'http://gateway.test', fetch, sleep: async () => {} });
  return { fake, gateway, client, requests };
}

describe('client.teacher', () => {
  test('one tick of suggest calls is one :batch request, results in caller order', async () => {
    const { client, requests } = setUp();
    const teacher = client.teacher({
      template: 'minigrid-text',
      actions: minigridActions,
      tags: { run: 't' },
    });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        teacher.suggest({ text: `mission ${index}` }, { tags: { env: index } }),
      ),
    );
    assert.deepEqual(requests, [{ path: '/v1/suggestions:batch', items: 8 }]);
    assert.equal(results.length, 8);
    for (const result of results) assert.equal(result.action, 2);
  });

  test('splits a tick at maxBatchSize', async () => {
    const { client, requests } = setUp();
    const teacher = client.teacher({
      template: 'minigrid-text',
      actions: minigridActions,
      maxBatchSize: 3,
    });
    await Promise.all(
      Array.from({ length: 7 }, (_, index) => teacher.suggest({ text: `m${index}` })),
    );
    assert.deepEqual(
      requests.map((request) => request.items),
      [3, 3, 1],
    );
  });

  test('a failed item rejects only its own promise, with the item error typed', async () => {
    const { client } = setUp();
    const teacher = client.teacher({ template: 'minigrid-text', actions: minigridActions });
    const settled = await Promise.allSettled([
      teacher.suggest({ text: 'fine' }),
      teacher.suggest({ text: 'x'.repeat(100_001) }),
      teacher.suggest({ text: 'also fine' }),
    ]);
    assert.deepEqual(
      settled.map((outcome) => outcome.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    const error = (settled[1] as PromiseRejectedResult).reason as unknown;
    assert.ok(error instanceof GatewayApiError);
    assert.equal(error.code, 'invalid_request');
    assert.equal(error.status, 400);
    assert.equal(error.retryable, false);
  });

  test('sends images by hash; uploads each unseen frame once, then never again', async () => {
    const { client, requests, fake } = setUp();
    const teacher = client.teacher({ template: 'minigrid-lvlm2p', actions: minigridActions });
    const frames = [frame(1), frame(2), frame(1), frame(3)];
    const first = await Promise.all(frames.map((image) => teacher.suggest({ image, text: 'go' })));
    assert.equal(first.length, 4);
    assert.deepEqual(
      requests.map((request) => `${request.path}×${request.items}`),
      [
        '/v1/suggestions:batch×4',
        '/v1/images×1',
        '/v1/images×1',
        '/v1/images×1',
        '/v1/suggestions:batch×4',
      ],
      'one hash-only batch, three uploads (frame 1 twice shares one), one retry batch',
    );
    assert.equal(fake.calls.length, 3, 'three distinct frames, three upstream calls');
    for (const image of [frame(1), frame(2), frame(3)])
      assert.ok(teacher.knownImages.has(sha256Hex(encodeRgbPng(image))));

    requests.length = 0;
    const second = await Promise.all(frames.map((image) => teacher.suggest({ image, text: 'go' })));
    assert.deepEqual(
      requests.map((request) => request.path),
      ['/v1/suggestions:batch'],
    );
    assert.ok(second.every((suggestion) => suggestion.cache === 'hit'));
  });

  test('inline mode sends data URLs and never uploads', async () => {
    const { client, requests } = setUp();
    const teacher = client.teacher({
      template: 'minigrid-lvlm2p',
      actions: minigridActions,
      images: 'inline',
    });
    await Promise.all([
      teacher.suggest({ image: frame(9), text: 'go' }),
      teacher.suggest({ image: frame(8), text: 'go' }),
    ]);
    assert.deepEqual(
      requests.map((request) => request.path),
      ['/v1/suggestions:batch'],
    );
  });

  test('retries a retryable item error (rate_limited) up to `retries`, alone in its next batch', async () => {
    const batches: string[][] = [];
    let throttled = 1;
    const teacher = createTeacher(
      { template: 'minigrid-text', actions: minigridActions },
      {
        retries: 2,
        retryDelay: { baseMs: 1, maxMs: 1 },
        sleep: async () => {},
        suggestBatch: async (requests: SuggestionRequestInput[]) => {
          batches.push(requests.map((request) => request.observation.text ?? ''));
          return requests.map((request): Suggestion | ErrorBody => {
            if (request.observation.text === 'busy' && throttled-- > 0) {
              return { error: { code: 'rate_limited', message: 'slow down', details: {} } };
            }
            if (request.observation.text === 'always busy') {
              return { error: { code: 'provider_unavailable', message: 'down', details: {} } };
            }
            return { id: request.observation.text } as unknown as Suggestion;
          });
        },
        uploadImage: async () => ({}),
      },
    );
    const settled = await Promise.allSettled([
      teacher.suggest({ text: 'calm' }),
      teacher.suggest({ text: 'busy' }),
      teacher.suggest({ text: 'always busy' }),
    ]);
    assert.deepEqual(
      settled.map((outcome) => outcome.status),
      ['fulfilled', 'fulfilled', 'rejected'],
    );
    assert.deepEqual(batches, [
      ['calm', 'busy', 'always busy'],
      ['busy', 'always busy'],
      ['always busy'],
    ]);
    const error = (settled[2] as PromiseRejectedResult).reason as GatewayApiError;
    assert.equal(error.code, 'provider_unavailable');
    assert.equal(error.status, 503);
  });
});
