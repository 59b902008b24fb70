import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GatewayApiError, createClient } from '@teacher-gateway/client';
import type { FetchFunction, GatewayClient } from '@teacher-gateway/client';
import { startGatewayWithStandIn } from '../helpers/start-gateway-with-stand-in.ts';
import type { EndToEndGateway } from '../helpers/start-gateway-with-stand-in.ts';
import { frame, minigridLabels, minigridRequest } from '../helpers/minigrid-request.ts';

/** A real fetch that counts the HTTP requests by path, so batching is measured on the wire. */
function countingFetch() {
  const paths: string[] = [];
  const fetch: FetchFunction = (url, init) => {
    paths.push(`${init.method ?? 'GET'} ${new URL(url).pathname}`);
    return globalThis.fetch(url, init);
  };
  return { fetch, paths };
}

describe('client → listening gateway → OpenAI stand-in', () => {
  let gateway: EndToEndGateway;
  let client: GatewayClient;
  before(async () => {
    gateway = await startGatewayWithStandIn();
    client = createClient({ baseUrl: gateway.url, retries: 0 });
  });
  after(async () => {
    await client.close();
    await gateway.close();
  });

  test('single: a miss goes upstream once, the same request again is a hit', async () => {
    const calls = gateway.standIn.calls.length;
    const first = await client.suggest(minigridRequest('single'));
    assert.equal(first.cache, 'miss');
    assert.equal(first.method, 'logprobs');
    assert.equal(first.provider, 'openai-standin');
    assert.equal(first.probs?.length, 7);
    assert.equal(gateway.standIn.calls.length, calls + 1);
    const again = await client.suggest(minigridRequest('single', { tags: { run: 'e2e' } }));
    assert.equal(again.cache, 'hit');
    assert.deepEqual(again.probs, first.probs);
    assert.equal(gateway.standIn.calls.length, calls + 1);
  });

  test('batch: N concurrent teacher.suggest calls are exactly one :batch HTTP request', async () => {
    const counting = countingFetch();
    const batchingClient = createClient({
      baseUrl: gateway.url,
      fetch: counting.fetch,
      retries: 0,
    });
    const teacher = batchingClient.teacher({
      template: 'minigrid-lvlm2p',
      actions: { kind: 'discrete', labels: minigridLabels },
      images: 'inline',
    });
    const calls = gateway.standIn.calls.length;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        teacher.suggest({ image: frame(index % 4), text: 'batch' }, { tags: { env: index } }),
      ),
    );
    assert.deepEqual(counting.paths, ['POST /v1/suggestions:batch']);
    assert.equal(results.length, 12);
    assert.ok(results.every((result) => result.probs?.length === 7));
    assert.equal(
      gateway.standIn.calls.length - calls,
      4,
      'identical items of a batch cost one upstream call',
    );
    for (let index = 4; index < 12; index++)
      assert.equal(results[index]?.cacheKey, results[index % 4]?.cacheKey);
  });

  test('batch with hash-first images: one hash-only batch, one upload per new frame, one retry batch', async () => {
    const counting = countingFetch();
    const batchingClient = createClient({
      baseUrl: gateway.url,
      fetch: counting.fetch,
      retries: 0,
    });
    const teacher = batchingClient.teacher({
      template: 'minigrid-lvlm2p',
      actions: { kind: 'discrete', labels: minigridLabels },
    });
    const frames = [frame(101), frame(102), frame(101)];
    await Promise.all(frames.map((image) => teacher.suggest({ image, text: 'hash first' })));
    assert.deepEqual(counting.paths, [
      'POST /v1/suggestions:batch',
      'POST /v1/images',
      'POST /v1/images',
      'POST /v1/suggestions:batch',
    ]);
    counting.paths.length = 0;
    const again = await Promise.all(
      frames.map((image) => teacher.suggest({ image, text: 'hash first' })),
    );
    assert.deepEqual(counting.paths, ['POST /v1/suggestions:batch']);
    assert.ok(again.every((result) => result.cache === 'hit'));
  });

  test('coalesced: identical requests in flight together share one upstream call', async () => {
    gateway.standIn.setLatency(300);
    try {
      const calls = gateway.standIn.calls.length;
      const results = await Promise.all([
        client.suggest(minigridRequest('coalesce')),
        client.suggest(minigridRequest('coalesce')),
      ]);
      assert.deepEqual(results.map((result) => result.cache).sort(), ['coalesced', 'miss']);
      assert.equal(gateway.standIn.calls.length - calls, 1);
      assert.deepEqual(results[0]?.probs, results[1]?.probs);
    } finally {
      gateway.standIn.setLatency(0);
    }
  });

  test('cache "only" answers from the cache and never calls upstream', async () => {
    await client.suggest(minigridRequest('only'));
    const calls = gateway.standIn.calls.length;
    const cached = await client.suggest(minigridRequest('only', { cache: 'only' }));
    assert.equal(cached.cache, 'hit');
    await assert.rejects(client.suggest(minigridRequest('only, never seen', { cache: 'only' })), {
      code: 'not_cached',
      status: 404,
    });
    assert.equal(gateway.standIn.calls.length, calls);
  });
});

describe('replay mode', () => {
  test('a gateway replaying a recorded database answers "replayed" and never calls upstream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teacher-gateway-replay-'));
    const db = join(dir, 'teacher.db');
    try {
      const recording = await startGatewayWithStandIn({ mode: 'record', db });
      const recorder = createClient({ baseUrl: recording.url });
      const recorded = await recorder.suggest(minigridRequest('replay me'));
      await recorder.close();
      await recording.close();

      const replaying = await startGatewayWithStandIn({ mode: 'replay', db });
      const client = createClient({ baseUrl: replaying.url, retries: 0 });
      try {
        const replayed = await client.suggest(minigridRequest('replay me'));
        assert.equal(replayed.cache, 'replayed');
        assert.deepEqual(replayed.probs, recorded.probs);
        assert.equal(replayed.cacheKey, recorded.cacheKey);
        await assert.rejects(
          client.suggest(minigridRequest('never recorded')),
          (error: unknown) => {
            assert.ok(error instanceof GatewayApiError);
            assert.equal(error.code, 'not_cached');
            assert.equal(error.status, 404);
            assert.equal(error.retryable, false);
            assert.ok('key' in error.details, 'details name the key');
            return true;
          },
        );
        assert.equal(replaying.standIn.calls.length, 0);
      } finally {
        await client.close();
        await replaying.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
