import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NumpyGenerator } from '../../random/numpy-generator.ts';
import { createPictureReader } from './create-picture-reader.ts';
import { handleChatRequest } from './handle-chat-request.ts';
import type { ServerState, SimulatedResponse } from './handle-chat-request.ts';
import { resolveOptions } from './simulated-vlm-options.ts';
import type { SimulatedVlmOptions } from './simulated-vlm-options.ts';
import { physicsAdvisor } from '../physics-advisor/physics-advisor.ts';

export interface SimulatedVlmServer {
  /** Base URL for an OpenAI client, ending in `/v1`. */
  url: string;
  close(): Promise<void>;
}

/** Big enough for several tile-32 frames as base64 data URLs. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, { status, headers, body }: SimulatedResponse): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/**
 * An OpenAI-compatible chat-completions server whose "model" is the planner behind a simulated
 * VLM's eyes (see `judgeObservation`): `POST /v1/chat/completions`, `GET /v1/models`. Its answers
 * are reproducible for a given seed and request order.
 */
export async function createSimulatedVlmServer(
  options: SimulatedVlmOptions = {},
): Promise<SimulatedVlmServer> {
  // json-vector prompts are the physics tasks' (physics-varl): read the picture, advise a move.
  const resolved = resolveOptions(options, physicsAdvisor);
  const generator = new NumpyGenerator(resolved.seed);
  const state: ServerState = {
    options: resolved,
    random: () => generator.random(),
    requests: 0,
    // GoToDoor-5x5 draws 12,960 distinct maps; a reading is a few hundred bytes.
    readPicture: createPictureReader(16_384),
  };
  const model = {
    id: resolved.model,
    object: 'model',
    created: Math.floor(resolved.now() / 1000),
    owned_by: 'simulated-vlm',
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
    const route = path.replace(/^\/v1(?=\/)/, '');
    void (async () => {
      try {
        if (request.method === 'POST' && route === '/chat/completions') {
          send(response, await handleChatRequest(await readBody(request), state));
        } else if (request.method === 'GET' && route === '/models') {
          send(response, { status: 200, headers: {}, body: { object: 'list', data: [model] } });
        } else if (request.method === 'GET' && route === `/models/${resolved.model}`) {
          send(response, { status: 200, headers: {}, body: model });
        } else {
          send(response, {
            status: 404,
            headers: {},
            body: {
              error: {
                message: `Unknown request URL: ${request.method} ${path}.`,
                type: 'invalid_request_error',
                param: null,
                code: 'unknown_url',
              },
            },
          });
        }
      } catch (error) {
        // A bug here must look like a server error to the client, never kill the process.
        if (!response.headersSent) {
          send(response, {
            status: 500,
            headers: {},
            body: {
              error: {
                message: `The simulated VLM failed: ${error instanceof Error ? error.message : String(error)}`,
                type: 'server_error',
                param: null,
                code: null,
              },
            },
          });
        } else response.destroy();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
