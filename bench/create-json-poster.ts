import { Agent, request } from 'undici';

export interface JsonPoster {
  post(path: string, body: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** POSTs JSON over keep-alive connections with undici's `request`, the cheapest Node client (perf-limits §4). */
export function createJsonPoster(origin: string, connections = 128): JsonPoster {
  const dispatcher = new Agent({ connections, keepAliveTimeout: 30_000 });
  return {
    async post(path, body) {
      const response = await request(`${origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        dispatcher,
      });
      return { status: response.statusCode, body: await response.body.json() };
    },
    close: () => dispatcher.close(),
  };
}
