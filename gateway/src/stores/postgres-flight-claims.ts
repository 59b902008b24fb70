import { createHash } from 'node:crypto';
import pg from 'pg';
import type { FlightClaims } from './flight-claims.ts';
import { toStorageError } from './to-storage-error.ts';

const channel = 'teacher_gateway_flights';

export interface PostgresFlightClaims extends FlightClaims {
  close(): Promise<void>;
}

/**
 * Claims as session-level advisory locks on one connection per replica. A lock lives as long as
 * the session: a replica that dies (kill -9, lost network) loses its connection and with it every
 * claim, so nobody waits on a dead claimant. The claimant releases with `pg_notify`, which wakes
 * the waiters at once; a waiter also looks again every `pollMs`, which covers claims freed by a
 * dead session (no notification) and notifications lost with a connection.
 *
 * @example
 * const claim = await claims.claim(`${key}:${sample}`)
 * if (claim.owned) try { await askAndCommit() } finally { await claim.release() }
 */
export function createPostgresFlightClaims(
  url: string,
  options: { pollMs?: number; connectTimeoutMs?: number } = {},
): PostgresFlightClaims {
  const pollMs = options.pollMs ?? 250;
  let connecting: Promise<pg.Client> | undefined;
  const waiters = new Map<string, Set<() => void>>();
  let closed = false;

  function wake(lock: string): void {
    const waiting = waiters.get(lock);
    if (!waiting) return;
    waiters.delete(lock);
    for (const resume of waiting) resume();
  }

  function connection(): Promise<pg.Client> {
    // A request still waiting when the gateway shuts down must not open a session nobody closes.
    if (closed) return Promise.reject(new Error('the single-flight claims are closed'));
    connecting ??= (async () => {
      const client = new pg.Client({
        connectionString: url,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 2_000,
        keepAlive: true,
      });
      const drop = () => {
        if (connecting === current) connecting = undefined;
        // Claims held on this session are gone: waiters look again now.
        for (const lock of [...waiters.keys()]) wake(lock);
      };
      client.on('error', drop);
      client.on('end', drop);
      client.on('notification', (message) => {
        if (message.payload !== undefined) wake(message.payload);
      });
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      return client;
    })();
    const current = connecting;
    current.catch(() => {
      if (connecting === current) connecting = undefined;
    });
    return current;
  }

  // One session runs one query at a time; claims queue here rather than inside the driver.
  let queue: Promise<unknown> = Promise.resolve();
  function query<Row extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<Row[]> {
    const result = queue.then(async () => {
      try {
        return (await (await connection()).query<Row>(text, values)).rows;
      } catch (error) {
        throw toStorageError(error, 'single-flight claim');
      }
    });
    queue = result.catch(() => undefined);
    return result;
  }

  return {
    async claim(key, signal) {
      const lock = lockOf(key);
      const [row] = await query<{ owned: boolean }>('SELECT pg_try_advisory_lock($1) AS owned', [lock]);
      if (row?.owned) {
        let released = false;
        return {
          owned: true,
          async release() {
            if (released) return;
            released = true;
            await query('SELECT pg_advisory_unlock($1), pg_notify($2, $3)', [lock, channel, lock]);
          },
        };
      }
      await new Promise<void>((resolve) => {
        const resume = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', resume);
          waiters.get(lock)?.delete(resume);
          resolve();
        };
        let waiting = waiters.get(lock);
        if (!waiting) waiters.set(lock, (waiting = new Set()));
        waiting.add(resume);
        const timer = setTimeout(resume, pollMs);
        signal?.addEventListener('abort', resume, { once: true });
      });
      return { owned: false, release: async () => undefined };
    },
    async close() {
      if (closed) return;
      closed = true;
      const client = await connecting?.catch(() => undefined);
      connecting = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}

/** A claim's advisory-lock key: 63 bits of the sha256 of the flight key, as a decimal string. */
function lockOf(key: string): string {
  return BigInt.asIntN(64, BigInt(`0x${createHash('sha256').update(key).digest('hex').slice(0, 16)}`)).toString();
}
