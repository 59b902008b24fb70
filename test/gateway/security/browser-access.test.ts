/**
 * Issue 15 item 5: the default config is not open to any web page. JSON routes take only
 * application/json, a loopback-bound gateway answers only to loopback names (DNS rebinding), and
 * cross-origin browser requests are refused unless their origin is configured.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ErrorBodySchema } from '@teacher-gateway/client';
import { defaultAllowedHosts } from '@teacher-gateway/gateway/internal/middleware/host-allow-list/index';
import { startServer } from '@teacher-gateway/gateway/internal/server';
import { createTestGateway, promptsDir, suggestionRequest } from '../../helpers/create-test-gateway.ts';
import { createFakeProvider } from '../../helpers/fake-provider.ts';

function gateway(server = '') {
  const fake = createFakeProvider();
  const test = createTestGateway({
    yaml: `storage: { path: ":memory:" }\n${server}\ndefaultProvider: fake\nproviders:\n  - { id: fake, kind: openai, model: fake-model, apiKey: k }\n`,
    providers: { fake },
  });
  return { fake, app: test.app };
}

async function codeOf(response: Response): Promise<string> {
  return ErrorBodySchema.parse(await response.json()).error.code;
}

describe('JSON routes take only application/json', () => {
  test('a text/plain or untyped body is 415 and costs no provider call', async () => {
    const { app, fake } = gateway();
    const body = JSON.stringify(suggestionRequest());
    for (const path of ['/v1/suggestions', '/v1/suggestions:batch', '/v1/cache/explain']) {
      const kinds: Record<string, string>[] = [{ 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }, {}];
      for (const headers of kinds) {
        const response = await app.request(path, { method: 'POST', headers, body });
        assert.equal(response.status, 415, `${path} ${JSON.stringify(headers)}`);
        assert.equal(await codeOf(response), 'unsupported_media_type');
      }
    }
    assert.equal(fake.calls.length, 0);
    const typed = await app.request('/v1/suggestions', { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body });
    assert.equal(typed.status, 200);
  });
});

describe('cross-origin browser requests', () => {
  const body = JSON.stringify(suggestionRequest());
  const json = { 'content-type': 'application/json' };

  test('another site\'s page is refused (Origin or Sec-Fetch-Site), before any provider call', async () => {
    const { app, fake } = gateway();
    const attempts: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' },
      { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' },
    ];
    for (const headers of attempts) {
      const response = await app.request('http://localhost/v1/suggestions', { method: 'POST', headers: { ...json, ...headers }, body });
      assert.equal(response.status, 403, JSON.stringify(headers));
      assert.equal(await codeOf(response), 'forbidden');
      const logs = await app.request('http://localhost/v1/logs', { headers });
      assert.equal(logs.status, 403, `reading the log: ${JSON.stringify(headers)}`);
    }
    assert.equal(fake.calls.length, 0);
  });

  test('same-origin pages, non-browser clients and link navigations are served', async () => {
    const { app } = gateway();
    const own = await app.request('http://localhost:8787/v1/suggestions', {
      method: 'POST',
      headers: { ...json, origin: 'http://localhost:8787', 'sec-fetch-site': 'same-origin' },
      body,
    });
    assert.equal(own.status, 200);
    assert.equal((await app.request('http://localhost/v1/suggestions', { method: 'POST', headers: json, body })).status, 200);
    const link = await app.request('http://localhost/healthz', { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' } });
    assert.equal(link.status, 200);
  });

  test('an origin in server.allowedOrigins is served, with CORS headers and preflight', async () => {
    const { app } = gateway('server: { allowedOrigins: ["http://localhost:5173"] }');
    const origin = 'http://localhost:5173';
    const preflight = await app.request('http://localhost/v1/suggestions', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), origin);
    const response = await app.request('http://localhost/v1/suggestions', {
      method: 'POST',
      headers: { ...json, origin, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors' },
      body,
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), origin);
    const other = await app.request('http://localhost/v1/suggestions', { method: 'POST', headers: { ...json, origin: 'http://localhost:3000' }, body });
    assert.equal(other.status, 403);
  });
});

describe('Host allow-list against DNS rebinding', () => {
  test('defaults: loopback names when bound to loopback, any name otherwise', () => {
    assert.deepEqual(defaultAllowedHosts('127.0.0.1'), ['localhost', '127.0.0.1', '::1']);
    assert.deepEqual(defaultAllowedHosts('localhost'), ['localhost', '127.0.0.1', '::1']);
    assert.deepEqual(defaultAllowedHosts('::1'), ['localhost', '127.0.0.1', '::1']);
    assert.equal(defaultAllowedHosts('0.0.0.0'), undefined);
  });

  test('configured hosts only; "*" allows any', async () => {
    const { app } = gateway('server: { allowedHosts: [gateway.lab] }');
    assert.equal((await app.request('http://gateway.lab/healthz')).status, 200);
    assert.equal((await app.request('http://localhost/healthz')).status, 403);
    const open = gateway('server: { allowedHosts: ["*"] }');
    assert.equal((await open.app.request('http://anything.example/healthz')).status, 200);
  });

  const dir = mkdtempSync(join(tmpdir(), 'teacher-gateway-hosts-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a gateway listening on 127.0.0.1 refuses a rebinding name in Host and serves loopback names', async () => {
    const configPath = join(dir, 'gateway.config.yaml');
    writeFileSync(configPath, `server: { host: 127.0.0.1, port: 0 }\nstorage: { path: ":memory:" }\ntemplates: { dir: ${JSON.stringify(promptsDir)} }\n`);
    const server = await startServer({ configPath, environment: {} });
    try {
      const port = Number(new URL(server.url).port);
      const get = (host: string, path: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const call = request({ host: '127.0.0.1', port, path, headers: { host } }, (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString()));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
          });
          call.on('error', reject);
          call.end();
        });
      const rebound = await get(`rebind.attacker.example:${port}`, '/v1/logs');
      assert.equal(rebound.status, 403);
      assert.match(rebound.body, /server\.allowedHosts/);
      assert.equal((await get(`localhost:${port}`, '/v1/logs')).status, 200);
      assert.equal((await get(`127.0.0.1:${port}`, '/healthz')).status, 200);
      assert.equal((await get(`[::1]:${port}`, '/healthz')).status, 200);
    } finally {
      await server.close();
    }
  });
});
