import {
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
  GoogleGenerativeAIRequestInputError,
} from '@google/generative-ai';
import { excerptText } from '../excerpt-text.ts';
import { mapBodyTooLarge } from '../map-body-too-large.ts';
import { ProviderCallError } from '../provider.ts';
import type { ProviderErrorKind, RawExchange } from '../provider.ts';
import { redactSecret } from '../redact-secret.ts';

export interface MapGeminiErrorContext {
  url: string;
  requestBody: unknown;
  apiKey: string;
  /** True when our own deadline aborted the call. */
  timedOut: boolean;
  signal?: AbortSignal;
}

interface GeminiErrorBody {
  code?: number;
  message: string;
  status?: string;
  details: unknown[];
}

const sdkPrefix = '[GoogleGenerativeAI Error]: ';

/**
 * Classifies a failed generateContent call. The SDK keeps only status, statusText, the message and
 * `error.details` (no headers, so a Retry-After header is not visible and RetryInfo in the body is
 * the delay source). Google relays sometimes nest the whole error, wrapped in a JSON array, inside
 * the message; that form is unpacked too. The URL in SDK messages never carries the key (it goes
 * in x-goog-api-key), but every message is redacted anyway.
 */
export function mapGeminiError(error: unknown, context: MapGeminiErrorContext): ProviderCallError {
  const clean = (text: string) => redactSecret(text, context.apiKey);
  const baseRaw: Partial<RawExchange> = {
    url: clean(context.url),
    requestBody: context.requestBody,
    headers: {},
  };

  const tooLarge = mapBodyTooLarge(error, baseRaw, clean);
  if (tooLarge) return tooLarge;
  if (
    error instanceof GoogleGenerativeAIFetchError &&
    typeof error.status === 'number' &&
    error.status > 0
  ) {
    const body = readBody(error);
    const kept = boundBody(body);
    const status = error.status;
    const raw: Partial<RawExchange> = {
      ...baseRaw,
      status,
      // Rebuilt from what the SDK kept; the SDK does not expose the body itself.
      responseBody: {
        error: {
          code: body.code ?? status,
          message: kept.message,
          status: body.status,
          details: kept.details,
        },
      },
    };
    const { kind, retryable } = classify(status, body);
    const retryAfterMs = readRetryDelayMs(body.details);
    return new ProviderCallError({
      kind,
      message: clean(
        `${status}${body.status ? ` ${body.status}` : ''}: ${kept.message || error.statusText || 'no message'}`,
      ),
      status,
      retryable,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      raw,
    });
  }
  if (context.timedOut) {
    return new ProviderCallError({
      kind: 'timeout',
      message: 'request timed out',
      retryable: true,
      raw: baseRaw,
    });
  }
  if (error instanceof GoogleGenerativeAIAbortError || context.signal?.aborted) {
    const reason: unknown = context.signal?.reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') {
      return new ProviderCallError({
        kind: 'timeout',
        message: 'request timed out',
        retryable: true,
        raw: baseRaw,
      });
    }
    return new ProviderCallError({
      kind: 'other',
      message: 'request aborted by the caller',
      retryable: false,
      raw: baseRaw,
    });
  }
  const message = error instanceof Error ? error.message.replace(sdkPrefix, '') : String(error);
  if (error instanceof GoogleGenerativeAIRequestInputError) {
    return new ProviderCallError({
      kind: 'invalid-request',
      message: clean(message),
      retryable: false,
      raw: baseRaw,
    });
  }
  if (error instanceof GoogleGenerativeAIError && /^Error fetching from /.test(message)) {
    return new ProviderCallError({
      kind: 'network',
      message: clean(message),
      retryable: true,
      raw: baseRaw,
    });
  }
  return new ProviderCallError({
    kind: 'other',
    message: clean(message),
    retryable: false,
    raw: baseRaw,
  });
}

function classify(
  status: number,
  body: GeminiErrorBody,
): { kind: ProviderErrorKind; retryable: boolean } {
  if (status === 429 || body.status === 'RESOURCE_EXHAUSTED') {
    // A per-day quota will not recover within any retry budget; per-minute ones will.
    const quotaIds = readQuotaIds(body.details);
    if (quotaIds.some((id) => /PerDay/i.test(id)))
      return { kind: 'quota-exhausted', retryable: false };
    return { kind: 'rate-limited', retryable: true };
  }
  if (status === 400 && /logprobs is not (enabled|supported)/i.test(body.message)) {
    return { kind: 'logprobs-unsupported', retryable: false };
  }
  if (
    status === 401 ||
    status === 403 ||
    hasReason(body.details, 'API_KEY_INVALID') ||
    /API key not valid/i.test(body.message)
  ) {
    return { kind: 'unauthorized', retryable: false };
  }
  if (status === 504 || body.status === 'DEADLINE_EXCEEDED')
    return { kind: 'timeout', retryable: true };
  if (status >= 500) return { kind: 'overloaded', retryable: true };
  if (status >= 400) return { kind: 'invalid-request', retryable: false };
  return { kind: 'other', retryable: false };
}

/** A long message or details list is cut to an excerpt with its size noted (limits.upstreamResponseBytes bounds the rest). */
function boundBody(body: GeminiErrorBody): GeminiErrorBody {
  const details = JSON.stringify(body.details);
  return {
    ...body,
    message: excerptText(body.message, 1000),
    details: details.length > 16_384 ? [{ truncated: true, excerpt: excerptText(details, 2048) }] : body.details,
  };
}

function readBody(error: GoogleGenerativeAIFetchError): GeminiErrorBody {
  const details = Array.isArray(error.errorDetails) ? (error.errorDetails as unknown[]) : [];
  // SDK message: "Error fetching from <url>: [429 Too Many Requests] <message> <details JSON>".
  const text = error.message.replace(sdkPrefix, '');
  const afterStatus = /\[\d{3}[^\]]*\]\s?([\s\S]*)$/.exec(text)?.[1] ?? text;
  let message = afterStatus;
  if (details.length > 0) {
    const suffix = ` ${JSON.stringify(details)}`;
    if (message.endsWith(suffix)) message = message.slice(0, -suffix.length);
  }
  const nested = readNestedBody(message);
  if (nested) return { ...nested, details: nested.details.length > 0 ? nested.details : details };
  return { message: message.trim(), details };
}

/** Finds an error body (`{error}` or `[{error}]`) embedded in a message and unpacks it. */
function readNestedBody(message: string): GeminiErrorBody | undefined {
  const start = message.search(/[[{]/);
  if (start < 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.slice(start));
  } catch {
    return undefined;
  }
  const envelope: unknown = Array.isArray(parsed) ? parsed[0] : parsed;
  if (typeof envelope !== 'object' || envelope === null) return undefined;
  const inner = (envelope as Record<string, unknown>).error;
  if (typeof inner !== 'object' || inner === null) return undefined;
  const fields = inner as Record<string, unknown>;
  return {
    ...(typeof fields.code === 'number' ? { code: fields.code } : {}),
    message: typeof fields.message === 'string' ? fields.message : '',
    ...(typeof fields.status === 'string' ? { status: fields.status } : {}),
    details: Array.isArray(fields.details) ? (fields.details as unknown[]) : [],
  };
}

function readQuotaIds(details: unknown[]): string[] {
  const ids: string[] = [];
  for (const detail of details) {
    if (!isType(detail, 'google.rpc.QuotaFailure')) continue;
    const violations = (detail as { violations?: unknown }).violations;
    if (!Array.isArray(violations)) continue;
    for (const violation of violations) {
      const record = violation as { quotaId?: unknown; quotaMetric?: unknown };
      if (typeof record.quotaId === 'string') ids.push(record.quotaId);
      else if (typeof record.quotaMetric === 'string') ids.push(record.quotaMetric);
    }
  }
  return ids;
}

/** RetryInfo `retryDelay` is a proto Duration in JSON: "42s", "1.5s", "0.250s". */
function readRetryDelayMs(details: unknown[]): number | undefined {
  for (const detail of details) {
    if (!isType(detail, 'google.rpc.RetryInfo')) continue;
    const delay = (detail as { retryDelay?: unknown }).retryDelay;
    if (typeof delay === 'string') {
      const match = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(delay.trim());
      if (match?.[1]) return Number.parseFloat(match[1]) * (match[2] === 'ms' ? 1 : 1000);
    }
    if (typeof delay === 'object' && delay !== null) {
      const { seconds, nanos } = delay as { seconds?: unknown; nanos?: unknown };
      return Number(seconds ?? 0) * 1000 + Number(nanos ?? 0) / 1e6;
    }
  }
  return undefined;
}

function hasReason(details: unknown[], reason: string): boolean {
  return details.some(
    (detail) =>
      isType(detail, 'google.rpc.ErrorInfo') && (detail as { reason?: unknown }).reason === reason,
  );
}

function isType(detail: unknown, type: string): boolean {
  if (typeof detail !== 'object' || detail === null) return false;
  const name = (detail as Record<string, unknown>)['@type'];
  return typeof name === 'string' && name.endsWith(type);
}
