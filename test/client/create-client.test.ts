import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  GatewayApiError,
  createClient,
  rgbToPngDataUrl,
  sha256Hex,
  encodeRgbPng,
} from '@teacher-gateway/client';
import type { FetchFunction, SuggestionRequestInput } from '@teacher-gateway/client';
import { createFakeProvider } from '../helpers/fake-provider.ts';
import { createTestGateway, suggestionRequest } from '../helpers/create-test-gateway.ts';

const baseUrl = 'http://gateway.test';
const typedRequest = (overrides: Record<string, unknown> = {}) =>
  suggestionRequest(overrides) as SuggestionRequestInput;

/** A fetch that answers from a script and records what it was asked. */
function scriptedFetch(replies: Array<Response | Error>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch: FetchFunction = async (url, init) => {
    calls.push({ url, init });
    const next = replies.shift();
    if (!next) throw new Error('script ran out');
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, calls };
}

const errorResponse = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(
    JSON.stringify({ error: { code, message: `${code} happened`, details: { why: 'test' } } }),
    {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    },
  );

function inProcessGateway() {
  const fake = createFakeProvider();
  const gateway = createTestGateway({ providers: { fake } });
  const requests: string[] = [];
  const fetch: FetchFunction = async (url, init) => {
    requests.push(`${init.method ?? 'GET'} ${new URL(url).pathname}`);
    return gateway.app.request(url, init);
  };
  return { gateway, fake, fetch, requests };
}

describe('createClient: retries', () => {
  test('retries a 503 after the Retry-After the gateway asked for, then succeeds', async () => {
    const { gateway, fetch: realFetch } = inProcessGateway();
    const script = scriptedFetch([
      errorResponse(503, 'provider_unavailable', { 'retry-after': '3' }),
      errorResponse(429, 'rate_limited'),
    ]);
    const waits: number[] = [];
    let live = false;
    const client = createClient({
      baseUrl,
      retries: 2,
      retryBaseMs: 100,
      sleep: async (ms) => void waits.push(ms),
      fetch: (url, init) =>
        live
          ? realFetch(url, init)
          : script.fetch(url, init).finally(() => (live = script.calls.length === 2)),
    });
    const suggestion = await client.suggest(typedRequest());
    assert.equal(suggestion.action, 2);
    assert.equal(waits[0], 3000, 'Retry-After: 3 → 3 s');
    assert.ok(waits[1]! >= 100 && waits[1]! <= 200, `backoff without Retry-After: ${waits[1]}`);
    assert.equal(waits.length, 2);
    await gateway.flush();
  });

  test('gives up after `retries` and throws the last typed error', async () => {
    const script = scriptedFetch([
      errorResponse(502, 'provider_error'),
      errorResponse(502, 'provider_error'),
    ]);
    const client = createClient({
      baseUrl,
      retries: 1,
      sleep: async () => {},
      fetch: script.fetch,
    });
    await assert.rejects(client.suggest(typedRequest()), (error: unknown) => {
      assert.ok(error instanceof GatewayApiError);
      assert.equal(error.code, 'provider_error');
      assert.equal(error.status, 502);
      assert.equal(error.retryable, true);
      assert.deepEqual(error.details, { why: 'test' });
      return true;
    });
    assert.equal(script.calls.length, 2);
  });

  test('never retries a request the gateway rejected', async () => {
    const script = scriptedFetch([
      errorResponse(400, 'invalid_request'),
      errorResponse(404, 'not_cached'),
    ]);
    const client = createClient({
      baseUrl,
      retries: 3,
      sleep: async () => {},
      fetch: script.fetch,
    });
    await assert.rejects(client.suggest(typedRequest()), {
      code: 'invalid_request',
      status: 400,
      retryable: false,
    });
    await assert.rejects(client.suggest(typedRequest()), {
      code: 'not_cached',
      status: 404,
      retryable: false,
    });
    assert.equal(script.calls.length, 2);
  });

  test('a lost connection is a retryable network_error', async () => {
    const script = scriptedFetch([new TypeError('fetch failed'), new TypeError('fetch failed')]);
    const client = createClient({
      baseUrl,
      retries: 1,
      sleep: async () => {},
      fetch: script.fetch,
    });
    await assert.rejects(client.health(), { code: 'network_error', status: 0, retryable: true });
    assert.equal(script.calls.length, 2);
  });

  test('a body that breaks the contract is invalid_response, not a silent cast', async () => {
    const script = scriptedFetch([
      new Response('{"status":"fine"}', { status: 200 }),
      new Response('<html>bad gateway</html>', { status: 502 }),
    ]);
    const client = createClient({ baseUrl, retries: 0, fetch: script.fetch });
    await assert.rejects(client.health(), { code: 'invalid_response', status: 200 });
    await assert.rejects(client.health(), {
      code: 'invalid_response',
      status: 502,
      retryable: true,
    });
  });

  test('sends the bearer token and JSON headers', async () => {
    const script = scriptedFetch([errorResponse(401, 'unauthorized')]);
    const client = createClient({ baseUrl: `${baseUrl}/`, token: 's3cret', fetch: script.fetch });
    await assert.rejects(client.providers(), { code: 'unauthorized', status: 401 });
    const headers = script.calls[0]?.init.headers as Record<string, string>;
    assert.equal(headers.authorization, 'Bearer s3cret');
    assert.equal(script.calls[0]?.url, `${baseUrl}/v1/providers`);
  });
});

describe('createClient: every endpoint against an in-process gateway', () => {
  test('suggest, batch, images, catalog, cache, logs, export, health and openapi', async () => {
    const { gateway, fetch } = inProcessGateway();
    const client = createClient({ baseUrl, fetch });

    const first = await client.suggest(typedRequest({ tags: { run: 'unit' } }));
    assert.equal(first.cache, 'miss');
    const batch = await client.suggestBatch([typedRequest(), typedRequest({ template: 'nope' })]);
    assert.equal(batch.length, 2);
    const hit = batch[0]!;
    assert.ok(!('error' in hit) && hit.cache === 'hit');
    const second = batch[1]!;
    assert.ok('error' in second && second.error.code === 'not_found');

    const frame = { width: 2, height: 2, data: new Uint8Array(12).fill(200) };
    const stored = await client.uploadImage(frame);
    assert.equal(stored.sha256, sha256Hex(encodeRgbPng(frame)));
    assert.equal(stored.mediaType, 'image/png');
    assert.equal((await client.uploadImage(rgbToPngDataUrl(frame))).created, false);
    const image = await client.getImage(stored.sha256);
    assert.equal(image.mediaType, 'image/png');
    assert.deepEqual(image.data, encodeRgbPng(frame));
    await assert.rejects(client.getImage('0'.repeat(64)), { code: 'not_found', status: 404 });

    assert.equal((await client.providers()).providers[0]?.id, 'fake');
    const templates = await client.templates();
    assert.ok(templates.templates.some((template) => template.id === 'minigrid-lvlm2p'));
    assert.ok((await client.template('minigrid-lvlm2p')).body.length > 0);
    await assert.rejects(client.template('nope'), { code: 'not_found' });
    const explanation = await client.explainCache(typedRequest());
    assert.equal(explanation.key, first.cacheKey);
    const stats = await client.cacheStats();
    assert.ok(stats.total.hits >= 1);

    await gateway.flush();
    const page = await client.logs({ run: 'unit', limit: 10 });
    assert.equal(page.entries.length, 1);
    assert.equal(page.entries[0]?.id, first.id);
    const detail = await client.log(first.id);
    assert.equal(detail.upstreamCalls.length, 1);
    await assert.rejects(client.log('sug_missing'), { code: 'not_found' });
    const exported = [];
    for await (const entry of client.exportLogs()) exported.push(entry);
    assert.equal(exported.length, 3);
    assert.ok(exported.some((entry) => entry.id === first.id));

    assert.equal((await client.health()).status, 'ok');
    const document = await client.openapi();
    assert.equal(typeof document.openapi, 'string');
    await client.close();
  });
});
