// The startup log calls a provider ready only when it can be called (issue 17.4).
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createReachabilityProbe } from '@teacher-gateway/gateway/internal/providers/create-reachability-probe';
import { reportProviders } from '@teacher-gateway/gateway/internal/providers/report-providers';
import { createRealProviderGateway } from '../../helpers/create-real-provider-gateway.ts';

async function listen() {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function providersOf(yaml: string) {
  return createRealProviderGateway(yaml).providers.list();
}

function recordingLogger() {
  const lines: { level: 'info' | 'warn'; fields: Record<string, unknown>; message: string }[] = [];
  return {
    lines,
    info: (fields: object, message: string) => lines.push({ level: 'info', fields: fields as Record<string, unknown>, message }),
    warn: (fields: object, message: string) => lines.push({ level: 'warn', fields: fields as Record<string, unknown>, message }),
  };
}

test('a self-hosted provider nothing serves is logged unreachable with what to do; one that listens is ready', async () => {
  const open = await listen();
  const closed = await listen();
  await closed.close();
  try {
    const entries = providersOf(`storage: { path: ":memory:" }
providers:
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: "\${OPENAI_API_KEY}" }
  - { id: keyed, kind: openai, model: gpt-4o-mini, apiKey: sk-test }
  - { id: local-vlm, kind: openai-compatible, baseURL: "http://127.0.0.1:${closed.port}/v1", model: Qwen2.5-VL-7B-Instruct }
  - { id: simulated, kind: openai-compatible, baseURL: "http://127.0.0.1:${closed.port}/v1", model: simulated-planner }
  - { id: served, kind: openai-compatible, baseURL: "http://127.0.0.1:${open.port}/v1", model: served-model }
`);
    const logger = recordingLogger();
    const done = reportProviders(entries, createReachabilityProbe({ timeoutMs: 2_000 }), logger);
    // Providers that need no probe are reported at once: nothing waits for a dial.
    assert.deepEqual(
      logger.lines.map(({ level, fields, message }) => [level, fields.provider, message]),
      [
        ['warn', 'openai-mini', 'provider unavailable'],
        ['info', 'keyed', 'provider ready'],
      ],
    );
    await done;
    const line = (id: string) => logger.lines.find((entry) => entry.fields.provider === id);
    assert.equal(line('local-vlm')?.level, 'warn');
    assert.equal(
      line('local-vlm')?.message,
      `provider local-vlm: unreachable at http://127.0.0.1:${closed.port}/v1 (start it or remove it from the config)`,
    );
    assert.match(String(line('local-vlm')?.fields.reason), /ECONNREFUSED/);
    assert.equal(
      line('simulated')?.message,
      `provider simulated: unreachable at http://127.0.0.1:${closed.port}/v1 (start it with: npx teacher-train simulated-vlm --port ${closed.port}, or remove it from the config)`,
    );
    assert.deepEqual([line('served')?.level, line('served')?.message], ['info', 'provider ready']);
    assert.equal(logger.lines.length, 5, 'one line per provider');
  } finally {
    await open.close();
  }
});

test('without a probe, every buildable provider is reported ready as before', async () => {
  const entries = providersOf(`storage: { path: ":memory:" }
providers:
  - { id: local-vlm, kind: openai-compatible, baseURL: "http://127.0.0.1:9/v1", model: m }
`);
  const logger = recordingLogger();
  await reportProviders(entries, undefined, logger);
  assert.deepEqual(logger.lines.map(({ level, message }) => [level, message]), [['info', 'provider ready']]);
});
