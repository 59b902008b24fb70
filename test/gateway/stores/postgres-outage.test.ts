import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openPostgresStorage } from '@teacher-gateway/gateway/internal/stores/open-postgres-storage';
import { createTestGateway, suggestionRequest } from '../../helpers/create-test-gateway.ts';
import { distinctPng } from '../../helpers/distinct-png.ts';
import { createFakeProvider } from '../../helpers/fake-provider.ts';
import { startThrowawayPostgres } from '../../helpers/start-throwaway-postgres.ts';

const server = await startThrowawayPostgres();
const inCi = process.env.CI === 'true' || process.env.CI === '1';
if ('skip' in server && inCi) throw new Error(`CI needs a throwaway PostgreSQL cluster: ${server.skip}`);
if ('skip' in server) process.stderr.write(`# skipping the PostgreSQL outage test: ${server.skip}\n`);

describe('PostgreSQL stopped and restarted under load', () => {
  test('requests get 503 storage_unavailable with Retry-After and pay no upstream call while it is down, and succeed again once it is back', { skip: 'skip' in server ? server.skip : false, timeout: 120_000 }, async (t) => {
    if ('skip' in server) return;
    let running = true;
    let workers: Promise<void>[] = [];
    const opened: { close(): Promise<void> }[] = [];
    // However the test ends: the load stops, then the store closes, then the cluster goes.
    t.after(async () => {
      running = false;
      await Promise.all(workers);
      for (const storage of opened) await storage.close();
      server.remove();
    });
    const storage = await openPostgresStorage(server.url);
    opened.push(storage);
    const provider = createFakeProvider({ delayMs: 5 });
    const gateway = createTestGateway({ providers: { fake: provider }, storage });
    const outcomes: { status: number; code?: string; retryAfter: string | null; at: number }[] = [];
    let sent = 0;
    const worker = async () => {
      while (running) {
        const step = sent++;
        // Half the requests repeat an earlier observation (hits), half are new (misses).
        const image = distinctPng(step % 2 === 0 ? step : step - 1);
        const response = await gateway.post('/v1/suggestions', suggestionRequest({ observation: { image, text: 'outage' } }));
        const body = (await response.json()) as { error?: { code?: string } };
        outcomes.push({ status: response.status, code: body.error?.code, retryAfter: response.headers.get('retry-after'), at: Date.now() });
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    };
    workers = Array.from({ length: 8 }, worker);
    const waitFor = async (what: string, ok: () => boolean, ms = 20_000) => {
      const until = Date.now() + ms;
      while (!ok()) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await waitFor('answers before the outage', () => outcomes.filter((outcome) => outcome.status === 200).length >= 50);

    server.stop();
    const stoppedAt = Date.now();
    await waitFor('503s', () => outcomes.some((outcome) => outcome.at > stoppedAt && outcome.status === 503));
    // Requests already past their storage read when it went down may have called upstream; after
    // a moment nothing does.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const callsWhileDown = provider.calls.length;
    const refusedFrom = outcomes.length;
    await waitFor('requests while PostgreSQL is down', () => outcomes.length - refusedFrom >= 20);
    const refused = outcomes.slice(refusedFrom);
    for (const outcome of refused) {
      assert.equal(outcome.status, 503);
      assert.equal(outcome.code, 'storage_unavailable');
      assert.ok(Number(outcome.retryAfter) > 0, 'Retry-After is set');
    }
    assert.equal(provider.calls.length, callsWhileDown, 'no upstream call is paid for an answer that cannot be stored');

    server.start();
    const restartedAt = Date.now();
    await waitFor('recovery', () => outcomes.filter((outcome) => outcome.at > restartedAt && outcome.status === 200).length >= 50);
    running = false;
    await Promise.all(workers);
    const unexpected = outcomes.filter((outcome) => outcome.status !== 200 && !(outcome.status === 503 && outcome.code === 'storage_unavailable'));
    assert.deepEqual(unexpected, [], 'every request was answered or refused as storage_unavailable');
    assert.ok(provider.calls.length > callsWhileDown, 'misses call upstream again once PostgreSQL is back');
  });
});
