/**
 * Issue 15 item 2: no upstream answer is read past limits.upstreamResponseBytes. A loopback server
 * floods the real OpenAI and Gemini adapters; it counts what it managed to send before the gateway
 * hung up.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { ErrorBodySchema } from '@teacher-gateway/client';
import { ProviderConfigSchema } from '@teacher-gateway/gateway/internal/config/config-schema';
import { createProvider } from '@teacher-gateway/gateway/internal/providers/registry';
import { createTestGateway, suggestionRequest } from '../../helpers/create-test-gateway.ts';
import { distinctPng } from '../../helpers/distinct-png.ts';

type Flood = { status: number; bytes: number; declare: boolean; json: 'error' | 'completion' | 'message' };

let flood: Flood = { status: 200, bytes: 0, declare: false, json: 'completion' };
let sent = 0;
const chunk = Buffer.alloc(64 * 1024, 'x');
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    sent = 0;
    const { status, bytes } = flood;
    if (flood.json === 'message') {
      // An error whose message alone is 1 MB: under the byte limit, over any sane message.
      const body = JSON.stringify({ error: { message: `Rate limit reached. ${'y'.repeat(bytes)}`, type: 'requests', param: null, code: 'rate_limit_exceeded' } });
      response.writeHead(status, { 'content-type': 'application/json' }).end(body);
      sent = body.length;
      return;
    }
    const prefix = flood.json === 'error' ? '{"error":{"message":"' : '{"id":"chatcmpl-x","choices":[],"padding":"';
    response.writeHead(status, {
      'content-type': 'application/json',
      ...(flood.declare ? { 'content-length': String(bytes) } : {}),
    });
    response.write(prefix);
    sent = prefix.length;
    const pump = () => {
      while (sent < bytes && !response.destroyed) {
        sent += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', pump);
      }
      if (!response.destroyed) response.end('"}}');
    };
    response.on('error', () => undefined);
    pump();
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => new Promise<void>((resolve) => {
  server.close(() => resolve());
  server.closeAllConnections();
}));

const limit = 2 * 1024 * 1024;
const hundredMegabytes = 100 * 1024 * 1024;

function floodGateway(kind: 'openai' | 'gemini') {
  const raw =
    kind === 'openai'
      ? { id: 'flood', kind, model: 'gpt-4o-mini', apiKey: 'sk-flood-000000', baseURL: `${origin}/v1`, maxRetries: 2 }
      : { id: 'flood', kind, model: 'gemini-2.0-flash', apiKey: 'AIza-flood-00000', baseURL: origin, maxRetries: 2 };
  return createTestGateway({
    yaml: `storage: { path: ":memory:" }\nbatching: { windowMs: 0 }\ndefaultProvider: flood\nproviders:\n  - ${JSON.stringify(raw)}\n`,
    providers: { flood: createProvider({ config: ProviderConfigSchema.parse(raw), maxResponseBytes: limit }) },
  });
}

let step = 0;
const fresh = () => suggestionRequest({ observation: { image: distinctPng((step += 1)), text: `flood ${step}` } });

async function floodOnce(kind: 'openai' | 'gemini', setting: Flood) {
  flood = setting;
  const gateway = floodGateway(kind);
  const response = await gateway.post('/v1/suggestions', fresh());
  const error = ErrorBodySchema.parse(await response.json());
  const logs = await (await gateway.get('/v1/logs?limit=10')).text();
  const id = (JSON.parse(logs) as { entries: { id: string }[] }).entries[0]?.id ?? '';
  const detail = await (await gateway.get(`/v1/logs/${id}`)).text();
  return { status: response.status, error: error.error, logsBytes: logs.length, detail, upstreamSent: sent };
}

describe('upstream answers are read only up to limits.upstreamResponseBytes', () => {
  for (const kind of ['openai', 'gemini'] as const) {
    test(`${kind}: a 100 MB success body is cut off at the limit: 502 saying it was too large, an excerpt in the log`, async () => {
      const result = await floodOnce(kind, { status: 200, bytes: hundredMegabytes, declare: false, json: 'completion' });
      assert.equal(result.status, 502);
      assert.equal(result.error.code, 'provider_error');
      assert.match(result.error.message, /too large: over 2097152 bytes \(limits\.upstreamResponseBytes\)/);
      assert.ok(result.error.message.length < 2000, `message of ${result.error.message.length} chars`);
      assert.ok(result.upstreamSent < 20 * 1024 * 1024, `the upstream got to send ${result.upstreamSent} bytes`);
      assert.ok(result.logsBytes < 64 * 1024, `GET /v1/logs?limit=10 is ${result.logsBytes} bytes`);
      assert.ok(result.detail.length < 64 * 1024, `the audit entry is ${result.detail.length} bytes`);
      assert.match(result.detail, /"truncated":true/);
      assert.match(result.detail, /"excerpt":"\{/);
    });

    test(`${kind}: an error body declaring 100 MB is refused after a short excerpt`, async () => {
      const result = await floodOnce(kind, { status: 500, bytes: hundredMegabytes, declare: true, json: 'error' });
      assert.equal(result.status, 502);
      assert.match(result.error.message, /too large.*declared 104857600 bytes/);
      assert.ok(result.upstreamSent < 20 * 1024 * 1024, `the upstream got to send ${result.upstreamSent} bytes`);
      assert.ok(result.detail.length < 64 * 1024, `the audit entry is ${result.detail.length} bytes`);
    });
  }

  test('an error message of 1 MB (under the limit) is kept as an excerpt with its size, in the answer and the log', async () => {
    const result = await floodOnce('openai', { status: 429, bytes: 1024 * 1024, declare: true, json: 'message' });
    assert.equal(result.status, 429);
    assert.equal(result.error.code, 'rate_limited');
    assert.ok(result.error.message.length < 2000, `message of ${result.error.message.length} chars`);
    assert.match(result.error.message, /bytes in all; first 1000 characters kept/);
    assert.ok(result.logsBytes < 64 * 1024, `GET /v1/logs?limit=10 is ${result.logsBytes} bytes`);
    assert.ok(result.detail.length < 64 * 1024, `the audit entry is ${result.detail.length} bytes`);
  });
});
