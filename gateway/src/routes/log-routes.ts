import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { LogQuerySchema } from '@teacher-gateway/client';
import { GatewayError } from '../errors/gateway-error.ts';
import type { AuditLog, LogFilter } from '../stores/audit-log.ts';
import { decodeCursor } from '../stores/request-cursor.ts';
import type { GatewayEnv } from '../app-env.ts';

/** `GET /v1/logs`, `GET /v1/logs/export` (JSON Lines, streamed) and `GET /v1/logs/:id`. */
export function createLogRoutes(auditLog: AuditLog): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const readQuery = (query: Record<string, string>) => {
    const parsed = LogQuerySchema.safeParse(query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new GatewayError('invalid_request', `${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'invalid'}`);
    }
    const { limit, cursor, ...filter } = parsed.data;
    if (cursor !== undefined && decodeCursor(cursor) === undefined) {
      // Read as "no cursor" it would silently answer page 1 again, and a client paging on would loop.
      throw new GatewayError('invalid_request', 'cursor: not a cursor this gateway handed out (use nextCursor as given)', { cursor: cursor.slice(0, 200) });
    }
    return { limit, cursor, filter: filter as LogFilter };
  };
  app.get('/v1/logs', async (c) => {
    const { limit, cursor, filter } = readQuery(c.req.query());
    return c.json(await auditLog.list(filter, limit, cursor));
  });
  app.get('/v1/logs/export', (c) => {
    const { filter } = readQuery(c.req.query());
    c.header('content-type', 'application/x-ndjson');
    return stream(c, async (output) => {
      let lines: string[] = [];
      for await (const entry of auditLog.iterate(filter)) {
        lines.push(JSON.stringify(entry));
        if (lines.length === 200) {
          await output.write(lines.join('\n') + '\n');
          lines = [];
        }
      }
      if (lines.length > 0) await output.write(lines.join('\n') + '\n');
    });
  });
  app.get('/v1/logs/:id', async (c) => {
    const id = c.req.param('id');
    const entry = await auditLog.get(id);
    if (!entry) throw new GatewayError('not_found', `no audit-log entry "${id}"`, { id });
    return c.json(entry);
  });
  return app;
}
