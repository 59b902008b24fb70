import { GatewayError } from '../errors/gateway-error.ts';

// Conditions of the file or the disk, not of the request: they clear without a restart.
const storageCodes = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CANTOPEN|CORRUPT|NOTADB)/;

/**
 * Turns a failed SQLite write into `503 storage_unavailable` so a client sees a clear, retryable
 * refusal instead of a 500; any other error passes through unchanged.
 *
 * @example
 * try { insert.run(row) } catch (error) { throw toStorageError(error, 'cache write') }
 */
export function toStorageError(error: unknown, operation: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !storageCodes.test(code)) return error;
  return new GatewayError(
    'storage_unavailable',
    `the gateway could not write to its database (${operation}: ${code}); retry once the disk or file is writable`,
    { operation, sqliteCode: code },
    5,
  );
}
