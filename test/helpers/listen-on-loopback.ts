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

export interface LoopbackGateway<G> {
  /** The origin, e.g. http://127.0.0.1:PORT. */
  url: string;
  gateway: G;
  /** Stops listening, flushes the gateway's pending writes, then runs `afterClose`. */
  close(): Promise<void>;
}

/** Serves a gateway's app on loopback; `close` stops the server, then flushes the gateway. */
export async function serveGatewayOnLoopback<G extends { app: { fetch: (request: Request) => Response | Promise<Response> }; flush(): Promise<void> }>(
  gateway: G,
  afterClose: () => Promise<void> | void = () => {},
): Promise<LoopbackGateway<G>> {
  const server = await listenOnLoopback(gateway.app.fetch);
  return {
    url: server.url,
    gateway,
    async close() {
      await server.close();
      await gateway.flush();
      await afterClose();
    },
  };
}
