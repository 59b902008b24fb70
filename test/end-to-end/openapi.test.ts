import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createClient } from '@teacher-gateway/client';
import { createFakeProvider } from '../helpers/fake-provider.ts';
import { createTestGateway } from '../helpers/create-test-gateway.ts';
import { startGatewayWithStandIn } from '../helpers/start-gateway-with-stand-in.ts';
import type { EndToEndGateway } from '../helpers/start-gateway-with-stand-in.ts';

describe('GET /openapi.json', () => {
  let gateway: EndToEndGateway;
  let document: Record<string, unknown>;
  before(async () => {
    gateway = await startGatewayWithStandIn();
    const client = createClient({ baseUrl: gateway.url });
    document = await client.openapi();
    await client.close();
  });
  after(() => gateway.close());

  test('is a valid OpenAPI 3.1 document', async () => {
    assert.match(String(document.openapi), /^3\.1\./);
    const validator = new Validator();
    const result = await validator.validate(document);
    assert.equal(validator.version, '3.1');
    assert.ok(result.valid, JSON.stringify(result.errors, null, 2)?.slice(0, 2000));
  });

  test('describes every route the app serves, with its method', () => {
    // The same createApp wiring as the listening server, in process, to read Hono's route table.
    const { app } = createTestGateway({ providers: { fake: createFakeProvider() } });
    const paths = document.paths as Record<string, Record<string, unknown>>;
    // Only a segment starting with ":" is a parameter; "suggestions:batch" is a literal (AIP-136 custom method).
    const served = app.routes
      .filter((route) => route.method !== 'ALL')
      .map((route) => ({
        method: route.method.toLowerCase(),
        path: route.path.replace(/\/:([A-Za-z_]\w*)/g, '/{$1}'),
      }));
    assert.ok(served.length >= 10, `expected the whole API, found ${served.length} routes`);
    const missing = served.filter(({ method, path }) => paths[path]?.[method] === undefined);
    assert.deepEqual(missing, [], 'routes served but absent from /openapi.json');
  });
});
