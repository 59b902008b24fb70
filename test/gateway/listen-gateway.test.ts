/**
 * The start-up `teacher-gateway serve` and the embedded gateway share (`listenGateway`): what the
 * embedded one used to lack when it had its own copy (a Host allow-list, request deadlines, a
 * port-in-use error instead of a crash), checked through `startEmbeddedGateway`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startEmbeddedGateway } from '@teacher-gateway/gateway';
import { promptsDir } from '../helpers/create-test-gateway.ts';

const dir = mkdtempSync(join(tmpdir(), 'teacher-gateway-listen-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const configYaml = (port: number, path: string, extra = '') =>
  `server: { host: 127.0.0.1, port: ${port}${extra} }\nstorage: { path: ${JSON.stringify(path)} }\n`;

function get(port: number, host: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const call = request({ host: '127.0.0.1', port, path, headers: { host } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    call.on('error', reject);
    call.end();
  });
}

describe('startEmbeddedGateway', () => {
  test('answers loopback names and refuses a rebinding Host, like the command line', async () => {
    const gateway = await startEmbeddedGateway({ configYaml: configYaml(0, ':memory:'), templatesDir: promptsDir });
    try {
      const port = Number(new URL(gateway.url).port);
      assert.equal(await get(port, `localhost:${port}`, '/healthz'), 200);
      assert.equal(await get(port, `rebind.attacker.example:${port}`, '/healthz'), 403);
    } finally {
      await gateway.close();
    }
  });

  test('a port in use rejects the start instead of crashing the process', async () => {
    const path = join(dir, 'in-use.db');
    const first = await startEmbeddedGateway({ configYaml: configYaml(0, path), templatesDir: promptsDir });
    const port = Number(new URL(first.url).port);
    try {
      await assert.rejects(
        startEmbeddedGateway({ configYaml: configYaml(port, join(dir, 'second.db')), templatesDir: promptsDir }),
        (error: NodeJS.ErrnoException) => error.code === 'EADDRINUSE',
      );
    } finally {
      await first.close();
    }
  });

  test('closes a connection whose body never arrives once server.requestTimeoutMs passes', async () => {
    const gateway = await startEmbeddedGateway({
      configYaml: configYaml(0, ':memory:', ', requestTimeoutMs: 200, headersTimeoutMs: 200'),
      templatesDir: promptsDir,
    });
    try {
      const port = Number(new URL(gateway.url).port);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          // Promise a body and never send it.
          socket.write(
            `POST /v1/suggestions HTTP/1.1\r\nhost: localhost:${port}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{`,
          );
        });
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      // Node answers 408 before closing; either way the socket did not stay open.
      assert.ok(answer === '' || answer.startsWith('HTTP/1.1 408'), answer.slice(0, 80));
    } finally {
      await gateway.close();
    }
  });
});
