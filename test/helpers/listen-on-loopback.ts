import { serve } from '@hono/node-server';

export interface LoopbackServer {
  /** The origin, e.g. http://127.0.0.1:PORT. */
  url: string;
  /** Stops listening and drops keep-alive sockets, which would otherwise hold the close open. */
  close(): Promise<void>;
}

/** Serves `fetch` on 127.0.0.1 at a free port. */
export async function listenOnLoopback(fetch: (request: Request) => Response | Promise<Response>): Promise<LoopbackServer> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const instance = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(instance));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
