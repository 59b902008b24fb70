import { GatewayError } from '../errors/gateway-error.ts';

// Conditions of the file or the disk, not of the request: they clear without a restart.
const storageCodes = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CANTOPEN|CORRUPT|NOTADB)/;
// PostgreSQL that cannot be reached or cannot take writes now: connection failures (class 08),
// insufficient resources (53), a server shutting down or starting (57P01-57P03), system errors
// (58), a read-only standby (25006), and the socket errors of a server that is not there.
const postgresCodes = /^(08|53|57P0[1-3]|58|25006$|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|EAI_AGAIN)/;
const postgresMessages = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|the database system is (starting up|shutting down)/;

/**
 * Turns a failed write (or a read of a store that is down) into `503 storage_unavailable`, so a
 * client sees a clear, retryable refusal instead of a 500; any other error passes through unchanged.
 *
 * @example
 * try { insert.run(row) } catch (error) { throw toStorageError(error, 'cache write') }
 */
export function toStorageError(error: unknown, operation: string): unknown {
  if (error instanceof GatewayError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && storageCodes.test(code)) {
    return new GatewayError(
      'storage_unavailable',
      `the gateway could not write to its database (${operation}: ${code}); retry once the disk or file is writable`,
      { operation, sqliteCode: code },
      5,
    );
  }
  const message = error instanceof Error ? error.message : '';
  if ((typeof code === 'string' && postgresCodes.test(code)) || postgresMessages.test(message)) {
    return new GatewayError(
      'storage_unavailable',
      `the gateway cannot reach its PostgreSQL store (${operation}: ${typeof code === 'string' ? code : message}); retry shortly`,
      { operation, ...(typeof code === 'string' ? { postgresCode: code } : {}) },
      5,
    );
  }
  return error;
}
