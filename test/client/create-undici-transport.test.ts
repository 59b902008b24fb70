import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { createClient } from '@teacher-gateway/client';

describe('the default undici transport', () => {
  test('no answer within timeoutMs is a retryable timeout', async () => {
    const server = createServer((_request, response) => {
      setTimeout(() => response.end('{}'), 500);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = createClient({
      baseUrl: `http://127.0.0.1:${port}`,
      timeoutMs: 100,
      retries: 0,
    });
    try {
      await assert.rejects(client.health(), { code: 'timeout', status: 0, retryable: true });
    } finally {
      await client.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('a refused connection is a retryable network_error, retried `retries` times', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const waits: number[] = [];
    const client = createClient({
      baseUrl: `http://127.0.0.1:${port}`,
      retries: 2,
      sleep: async (ms) => void waits.push(ms),
    });
    try {
      await assert.rejects(client.health(), (error: unknown) => {
        assert.ok(error instanceof Error && 'code' in error && error.code === 'network_error');
        assert.match(error.message, /ECONNREFUSED/);
        return true;
      });
      assert.equal(waits.length, 2);
    } finally {
      await client.close();
    }
  });

  test('reuses keep-alive connections across sequential calls', async () => {
    const sockets = new Set<unknown>();
    const server = createServer((request, response) => {
      sockets.add(request.socket);
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          status: 'ok',
          version: '0',
          mode: 'live',
          uptimeSeconds: 1,
          providers: { available: 1, total: 1 },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}` });
    try {
      for (let index = 0; index < 20; index++) assert.equal((await client.health()).status, 'ok');
      // undici may open a second socket when a call starts before the previous one's socket is released.
      assert.ok(sockets.size <= 2, `${sockets.size} sockets for 20 calls`);
    } finally {
      await client.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
