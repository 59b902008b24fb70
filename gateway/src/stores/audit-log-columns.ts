/**
 * The audit log's columns in schema order, for statements that bind by position or copy rows
 * between databases. An upstream call's own id is left out: a copied call gets a new one.
 */
export const auditLogColumns = {
  requests: [
    'id',
    'time',
    'run',
    'tags',
    'template',
    'template_sha256',
    'provider',
    'model',
    'cache',
    'cache_key',
    'method',
    'latency_ms',
    'input_tokens',
    'output_tokens',
    'upstream_calls',
    'status',
    'error_code',
    'error_message',
    'token_name',
    'prompt',
    'image_sha256',
    'result',
  ],
  upstreamCalls: [
    'request_id',
    'attempt',
    'provider',
    'model',
    'started_at',
    'duration_ms',
    'url',
    'request_body',
    'status',
    'headers',
    'response_body',
    'error_kind',
    'error_message',
  ],
} as const;

/** `INSERT … (columns) VALUES (?, …)` for one of the audit log's tables. */
export function insertStatement(table: 'requests' | 'upstream_calls', verb = 'INSERT'): string {
  const columns = table === 'requests' ? auditLogColumns.requests : auditLogColumns.upstreamCalls;
  return `${verb} INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}
