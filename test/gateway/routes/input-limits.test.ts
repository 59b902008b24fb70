import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encode } from 'fast-png';
import { createFakeProvider } from '../../helpers/fake-provider.ts';
import { createTestGateway, suggestionRequest } from '../../helpers/create-test-gateway.ts';

function pngDataUrl(width: number, height: number): string {
  const png = encode({ width, height, data: new Uint8Array(width * height * 3), channels: 3 });
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}

/** A PNG whose header claims a size it does not have: the limit must trip before any decoding. */
function claimedPng(width: number, height: number): string {
  const bytes = Buffer.from(pngDataUrl(1, 1).split(',')[1] ?? '', 'base64');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return `data:image/png;base64,${bytes.toString('base64')}`;
}

const yaml = (limits: string) => `storage: { path: ":memory:" }
limits: ${limits}
providers:
  - { id: fake, kind: openai, model: fake-model, apiKey: k }
`;

test('images over the byte, side or pixel limits are refused with the limit named', async () => {
  const gateway = createTestGateway({ yaml: yaml('{ imageBytes: 2000, imageMaxSide: 64, imagePixels: 2000 }'), providers: { fake: createFakeProvider() } });
  const cases: [string, number, RegExp][] = [
    [claimedPng(100_000, 10), 413, /limits\.imageMaxSide/],
    [pngDataUrl(50, 50), 413, /limits\.imagePixels/],
    [`data:image/png;base64,${Buffer.alloc(3000, 1).toString('base64')}`, 400, /not a PNG, JPEG or WebP/],
    ['data:image/gif;base64,R0lGODlhAQABAAAAACw=', 400, /not a PNG, JPEG or WebP/],
  ];
  for (const [image, status, message] of cases) {
    const response = await gateway.post('/v1/suggestions', suggestionRequest({ observation: { image, text: 'x' } }));
    assert.equal(response.status, status);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, message);
  }
  const big = pngDataUrl(40, 40);
  const tooManyBytes = createTestGateway({ yaml: yaml('{ imageBytes: 50 }'), providers: { fake: createFakeProvider() } });
  const response = await tooManyBytes.post('/v1/images', { image: big });
  assert.equal(response.status, 413);
  assert.match(JSON.stringify(await response.json()), /limits\.imageBytes/);
});

test('image URLs are fetched only from allow-listed https hosts', async () => {
  const fake = createFakeProvider();
  const refused = createTestGateway({ providers: { fake } });
  for (const url of ['http://169.254.169.254/latest/meta-data', 'https://example.com/frame.png', 'file:///etc/passwd']) {
    const response = await refused.post('/v1/suggestions', suggestionRequest({ observation: { image: url, text: 'x' } }));
    assert.equal(response.status, 400, url);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, /limits\.imageHosts|URL/);
  }
  assert.equal(fake.calls.length, 0);
});

test('the audit log records the token name, never the token; tokens are rate-limited one by one', async () => {
  const config = `storage: { path: ":memory:" }
auth: { tokens: [{ name: alice, token: "\${ALICE}" }, { name: bob, token: bob-secret }], requestsPerMinute: 120 }
providers:
  - { id: fake, kind: openai, model: fake-model, apiKey: k }
`;
  const gateway = createTestGateway({ yaml: config, providers: { fake: createFakeProvider() }, environment: { ALICE: 'alice-secret' } });
  const as = (token: string, path: string, body?: unknown) =>
    gateway.app.request(path, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const answered = (await (await as('alice-secret', '/v1/suggestions', suggestionRequest())).json()) as { id: string };
  const entry = await as('alice-secret', `/v1/logs/${answered.id}`);
  const text = await entry.text();
  assert.match(text, /"tokenName":"alice"/);
  assert.doesNotMatch(text, /alice-secret/);
  const limited = await as('alice-secret', '/v1/providers');
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  assert.equal((await as('bob-secret', '/v1/providers')).status, 200, 'bob has his own budget');
});
