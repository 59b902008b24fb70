import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { suggestionRequest, tinyPng } from '../../helpers/create-test-gateway.ts';
import { startGatewayProcess } from '../../helpers/start-gateway-process.ts';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';

/** A client that sends `head`, then one byte every 100 ms, never finishing; resolves with what the server did. */
function slowClient(port: number, head: string, drip: string): { done: Promise<{ response: string; closed: boolean }>; socket: Socket } {
  const socket = connect(port, '127.0.0.1');
  let response = '';
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<{ response: string; closed: boolean }>((resolve) => {
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => socket.writable && socket.write(drip), 100);
    });
    socket.on('data', (chunk) => (response += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ response, closed: true });
    });
  });
  return { done, socket };
}

describe('slow clients', () => {
  test('clients that never finish their headers or body are cut off while others are served', { timeout: 60_000 }, async (t) => {
    const directory = mkdtempSync(join(tmpdir(), 'slow-clients-'));
    t.after(() => rmSync(directory, { recursive: true, force: true }));
    const standIn = await startOpenAIStandIn({ apiKey: 'sk-slow-clients' });
    t.after(() => standIn.close());
    const config = join(directory, 'gateway.config.yaml');
    writeFileSync(
      config,
      `server: { host: 127.0.0.1, port: 0, requestTimeoutMs: 1500, headersTimeoutMs: 1000 }
storage: { path: ${JSON.stringify(join(directory, 'teacher.db'))} }
defaultProvider: openai-mini
providers:
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: sk-slow-clients, baseURL: ${JSON.stringify(standIn.url)} }
`,
    );
    const gateway = await startGatewayProcess(['--config', config]);
    t.after(() => gateway.child.kill('SIGKILL'));
    const port = Number(new URL(gateway.url).port);

    const started = performance.now();
    const bodies = Array.from({ length: 10 }, () =>
      slowClient(port, 'POST /v1/suggestions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"template":', ' '),
    );
    const headers = Array.from({ length: 10 }, () => slowClient(port, 'POST /v1/suggestions HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X'));
    t.after(() => [...bodies, ...headers].forEach((client) => client.socket.destroy()));

    // While twenty sockets dribble, other clients are answered.
    for (let index = 0; index < 5; index += 1) {
      const response = await fetch(`${gateway.url}/v1/suggestions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(suggestionRequest({ observation: { text: `served ${index}`, image: tinyPng } })),
      });
      assert.equal(response.status, 200, await response.text());
    }
    const outcomes = await Promise.all([...bodies, ...headers].map((client) => client.done));
    const elapsed = performance.now() - started;
    assert.ok(outcomes.every((outcome) => outcome.closed), 'every slow socket was closed by the server');
    // Node answers 408 when it can; a socket cut mid-headers may just close.
    for (const outcome of outcomes) assert.ok(outcome.response === '' || /^HTTP\/1\.1 408/.test(outcome.response), outcome.response.slice(0, 200));
    assert.ok(outcomes.some((outcome) => /^HTTP\/1\.1 408/.test(outcome.response)), 'slow bodies get a 408');
    // Deadlines of 1–1.5 s, checked every second: a generous bound that still rules out "never".
    assert.ok(elapsed < 30_000, `slow clients were cut after ${Math.round(elapsed)} ms`);
    t.diagnostic(`20 slow clients cut off after ${Math.round(elapsed)} ms`);
    assert.equal((await fetch(`${gateway.url}/healthz`)).status, 200);
  });
});
