/**
 * @module
 * The PostgreSQL that tests run against: `TEST_DATABASE_URL` (set by `.ci/run`). Without one,
 * tests that need it are skipped with the reason printed, except in CI (`CI=true`), where a
 * missing or unreachable PostgreSQL fails the run instead.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface PostgresTestDatabase {
  url: string;
  /** A URL whose connections work in a fresh, empty schema: one isolated store per test. */
  schemaUrl(): Promise<string>;
  /** Drops the schemas `schemaUrl` made. */
  dropSchemas(): Promise<void>;
}

/** Resolves to the test database, or to the reason to skip (never in CI: throws there). */
export async function postgresTestDatabase(): Promise<PostgresTestDatabase | { skip: string }> {
  const url = process.env.TEST_DATABASE_URL;
  const fail = (reason: string) => {
    if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`CI needs PostgreSQL: ${reason}`);
    process.stderr.write(`# skipping PostgreSQL tests: ${reason}\n`);
    return { skip: reason };
  };
  if (!url) return fail('TEST_DATABASE_URL is not set (bash .ci/run starts PostgreSQL and sets it)');
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (error) {
    return fail(`cannot connect to TEST_DATABASE_URL: ${(error as Error).message}`);
  }
  await admin.end();
  const schemas: string[] = [];
  return {
    url,
    async schemaUrl() {
      const schema = `test_${randomBytes(6).toString('hex')}`;
      const client = new pg.Client(url);
      await client.connect();
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.end();
      schemas.push(schema);
      return withSearchPath(url, schema);
    },
    async dropSchemas() {
      const client = new pg.Client(url);
      await client.connect();
      for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

export function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}
