import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { openPostgresStorage } from '@teacher-gateway/gateway/internal/stores/open-postgres-storage';
import { createTestGateway, suggestionRequest } from '../../helpers/create-test-gateway.ts';
import type { TestGateway } from '../../helpers/create-test-gateway.ts';
import { distinctPng } from '../../helpers/distinct-png.ts';
import { createFakeProvider } from '../../helpers/fake-provider.ts';
import { postgresTestDatabase } from '../../helpers/postgres-test-database.ts';

const postgres = await postgresTestDatabase();
if (!('skip' in postgres)) after(() => postgres.dropSchemas());

interface Backend {
  name: string;
  open(): Promise<{ gateway: TestGateway; row(id: string): Promise<{ result: string | null; served_sample: number | null; image_sha256: string | null }>; close(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    async open() {
      const gateway = createTestGateway({ providers: { fake: createFakeProvider() } });
      return {
        gateway,
        row: async (id) => gateway.database.prepare('SELECT result, served_sample, image_sha256 FROM requests WHERE id = ?').get(id) as never,
        close: async () => {
          gateway.database.close();
        },
      };
    },
  },
];
if (!('skip' in postgres)) {
  backends.push({
    name: 'PostgreSQL',
    async open() {
      const url = await postgres.schemaUrl();
      const storage = await openPostgresStorage(url);
      const gateway = createTestGateway({ providers: { fake: createFakeProvider() }, storage });
      const client = new pg.Client(url);
      await client.connect();
      return {
        gateway,
        row: async (id) => (await client.query('SELECT result, served_sample, image_sha256 FROM requests WHERE id = $1', [id])).rows[0],
        async close() {
          await client.end();
          await storage.close();
        },
      };
    },
  });
}

for (const backend of backends) {
  describe(`a hit's audit row references what it served (${backend.name})`, () => {
    test('the row holds the key and slot, not the answer; the log shows the response that was sent', async () => {
      const { gateway, row, close } = await backend.open();
      try {
        const request = suggestionRequest({ observation: { image: distinctPng(3), text: 'reference' }, tags: { run: 'ref', plannerAction: 2 } });
        const miss = (await (await gateway.post('/v1/suggestions', request)).json()) as Record<string, unknown>;
        const hit = (await (await gateway.post('/v1/suggestions', request)).json()) as Record<string, unknown> & { id: string };
        assert.equal(hit.cache, 'hit');
        await gateway.flush();
        const stored = await row(hit.id);
        assert.equal(stored.served_sample, 0);
        assert.equal(stored.image_sha256, null);
        assert.ok((stored.result ?? '').length < 64, `a hit's result column holds only its own fields: ${stored.result}`);
        const logged = (await (await gateway.get(`/v1/logs/${hit.id}`)).json()) as { result: unknown; imageSha256?: string; prompt?: string };
        assert.deepEqual(logged.result, hit, 'the logged response is the one sent');
        assert.ok(logged.imageSha256 && logged.prompt);
        const listed = (await (await gateway.get('/v1/logs?run=ref')).json()) as { entries: { id: string; result: unknown }[] };
        assert.deepEqual(listed.entries.map((entry) => entry.result), [hit, miss]);
        const page = await (await gateway.get('/ui?run=ref')).text();
        // The request list reads each row's suggested action, the hit's through its reference.
        assert.ok((page.match(/move forward/g)?.length ?? 0) >= 2, 'both rows show their action');
        const runs = await gateway.get('/ui/runs');
        assert.equal(runs.status, 200);
      } finally {
        await close();
      }
    });
  });
}
