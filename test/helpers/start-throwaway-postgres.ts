/**
 * @module
 * A PostgreSQL cluster of its own (initdb in a temporary folder, another port), for tests that
 * stop and restart the server: stopping the shared test cluster would break every other test.
 * Runs the server as the `postgres` user, so it needs root (as CI has) or to be that user.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export interface ThrowawayPostgres {
  url: string;
  stop(): void;
  start(): void;
  remove(): void;
}

/** The cluster, or why it cannot be made here. */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres | { skip: string }> {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort() : [];
  const version = versions.at(-1);
  if (version === undefined) return { skip: 'no PostgreSQL server binaries under /usr/lib/postgresql' };
  const bin = `/usr/lib/postgresql/${version}/bin`;
  const user = userInfo().username;
  if (user !== 'root' && user !== 'postgres') return { skip: `a throwaway cluster needs root or the postgres user, not ${user}` };
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'pg-throwaway-'));
  chmodSync(directory, 0o777);
  const data = join(directory, 'data');
  const run = (command: string) =>
    user === 'root'
      ? execFileSync('su', ['postgres', '-c', command], { stdio: 'pipe' })
      : execFileSync('sh', ['-c', command], { stdio: 'pipe' });
  run(`${bin}/initdb -D ${data} -A trust -U postgres >/dev/null`);
  const start = () =>
    run(`${bin}/pg_ctl -D ${data} -l ${directory}/log -w -o "-p ${port} -k ${directory} -c listen_addresses=127.0.0.1" start >/dev/null`);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => run(`${bin}/pg_ctl -D ${data} -m fast -w stop >/dev/null`),
    start,
    remove() {
      try {
        run(`${bin}/pg_ctl -D ${data} -m immediate -w stop >/dev/null 2>&1 || true`);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}

