/**
 * @module
 * The pipeline's border: the one zod parse a suggestion request gets. Everything after it works on
 * the typed `SuggestionRequest`.
 */
import type { SuggestionRequest } from '@teacher-gateway/client';
import { SuggestionRequestSchema, TagsSchema } from '@teacher-gateway/client';
import { GatewayError } from '../errors/gateway-error.ts';

type Tags = NonNullable<SuggestionRequest['tags']>;

export type ParsedSuggestionRequest =
  | { ok: true; request: SuggestionRequest }
  /** Refused: the error to answer with and the tags that passed validation, for the audit log. */
  | { ok: false; error: GatewayError; tags: Tags | undefined };

/**
 * @example
 * const parsed = parseSuggestionRequest(await c.req.json())
 * if (!parsed.ok) throw parsed.error
 */
export function parseSuggestionRequest(body: unknown): ParsedSuggestionRequest {
  const parsed = SuggestionRequestSchema.safeParse(body);
  if (parsed.success) return { ok: true, request: parsed.data };
  const { issues } = parsed.error;
  const error = new GatewayError('invalid_request', describeIssues(issues), {
    issues: issues.map(({ path, message, code }) => ({ path, message, code })),
  });
  return { ok: false, error, tags: validTags(body) };
}

/**
 * The tags of a refused request that would have passed on their own. The audit log is read back
 * through the contract, so an oversized or object-valued tag must never reach it.
 */
function validTags(body: unknown): Tags | undefined {
  if (!isRecord(body) || !isRecord(body.tags)) return undefined;
  const whole = TagsSchema.safeParse(body.tags);
  if (whole.success) return whole.data;
  const kept: Tags = {};
  for (const [key, value] of Object.entries(body.tags).slice(0, 32)) {
    const one = TagsSchema.safeParse({ [key]: value });
    if (one.success) Object.assign(kept, one.data);
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  if (!first) return 'invalid request';
  const field = first.path.map(String).join('.') || '(body)';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${field}: ${first.message}${more}`;
}
