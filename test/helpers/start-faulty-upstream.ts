import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

/** How one upstream request misbehaves; requests with no fault queued reach the stand-in unchanged. */
export type UpstreamFault =
  | 'non-json' // 200 with an HTML page
  | 'truncated-json' // 200, JSON cut off half way
  | 'wrong-shape' // 200, valid JSON that is no chat completion
  | 'empty-choices' // 200, a completion with no choices
  | 'hang' // reads the request, never answers
  | 'reset' // destroys the socket before any byte of the answer
  | 'reset-mid-body' // sends headers and half the body, then destroys the socket
  | 'status-500' // 500 in OpenAI's error shape
  | 'status-502-html'; // 502 from a proxy: HTML, not JSON

export interface FaultyUpstream {
  /** Base URL to configure as the provider's baseURL (ends in /v1, like the stand-in's). */
  url: string;
  inject(fault: UpstreamFault, count?: number): void;
  /** Drops the faults still queued. */
  clear(): void;
  /** Requests received, faulty or forwarded. */
  requests(): number;
  close(): Promise<void>;
}

/**
 * A loopback proxy in front of a stand-in that turns queued requests into faults the stand-in
 * cannot produce itself: garbage 200s, hangs, connection resets.
 */
export async function startFaultyUpstream(target: string): Promise<FaultyUpstream> {
  const faults: UpstreamFault[] = [];
  const sockets = new Set<Socket>();
  let received = 0;
  const server = createServer((request, response) => void handle(request, response));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    received += 1;
    const body = await readBody(request);
    const fault = faults.shift();
    const completion = JSON.stringify({ id: 'chatcmpl-x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'C' }, finish_reason: 'stop' }] });
    switch (fault) {
      case 'non-json':
        return void response.writeHead(200, { 'content-type': 'application/json' }).end('<html><body>502 Bad Gateway</body></html>');
      case 'truncated-json':
        return void response.writeHead(200, { 'content-type': 'application/json' }).end(completion.slice(0, completion.length / 2));
      case 'wrong-shape':
        return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: [1, 2, 3], choices: 'none' }));
      case 'empty-choices':
        return void response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: 'chatcmpl-x', object: 'chat.completion', choices: [], usage: { prompt_tokens: 1, completion_tokens: 0, total_tokens: 1 } }));
      case 'hang':
        return;
      case 'reset':
        return void request.socket.destroy();
      case 'reset-mid-body':
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(completion.length) });
        response.write(completion.slice(0, 20));
        setTimeout(() => request.socket.destroy(), 20);
        return;
      case 'status-500':
        return void response
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } }));
      case 'status-502-html':
        return void response.writeHead(502, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      case undefined: {
        const forwarded = await fetch(`${target.replace(/\/v1$/, '')}${request.url ?? '/'}`, {
          method: request.method ?? 'POST',
          headers: Object.fromEntries(
            Object.entries(request.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)) as [string, string][],
          ),
          ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
        });
        const text = await forwarded.text();
        response.writeHead(forwarded.status, Object.fromEntries([...(forwarded.headers as unknown as Iterable<[string, string]>)].filter(([name]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(name))));
        return void response.end(text);
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    inject(fault, count = 1) {
      for (let index = 0; index < count; index += 1) faults.push(fault);
    },
    clear() {
      faults.length = 0;
    },
    requests: () => received,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
