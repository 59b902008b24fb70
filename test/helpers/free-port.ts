import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on: bound, read and released, so a server can be started on it
 * next or a connection to it is refused.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
