import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { excerptText } from '../excerpt-text.ts';
import { mapBodyTooLarge } from '../map-body-too-large.ts';
import { parseGoDuration } from '../parse-go-duration.ts';
import { ProviderCallError } from '../provider.ts';
import type { ProviderErrorKind, RawExchange } from '../provider.ts';
import { redactSecret } from '../redact-secret.ts';
import type { ExchangeRecord } from './create-recording-fetch.ts';

export interface MapOpenAIErrorContext {
  record: ExchangeRecord;
  url: string;
  requestBody: unknown;
  /** Redacted from every message. */
  apiKey?: string;
  signal?: AbortSignal;
}

/** An upstream error message longer than this is cut to an excerpt with its size noted. */
const maxMessageCharacters = 1000;

interface ErrorFields {
  message: string;
  type?: string;
  code?: string | number;
  param?: string;
}

/**
 * Classifies a failed chat-completions call from OpenAI or an OpenAI-compatible server. Reads the
 * raw body the recording fetch kept, because the SDK only understands `{error: {...}}` and loses
 * vLLM's legacy flat body (`{object: "error", message, code: 400}`) and Ollama's `{error: "text"}`.
 */
export function mapOpenAIError(error: unknown, context: MapOpenAIErrorContext): ProviderCallError {
  const { record } = context;
  const raw: Partial<RawExchange> = {
    url: record.url ?? context.url,
    requestBody: context.requestBody,
    ...(record.status !== undefined ? { status: record.status } : {}),
    headers: record.headers,
    ...(record.responseBody !== undefined ? { responseBody: record.responseBody } : {}),
  };
  const clean = (text: string) => redactSecret(text, context.apiKey);

  const tooLarge = mapBodyTooLarge(error, raw, clean);
  if (tooLarge) return tooLarge;
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderCallError({
      kind: 'timeout',
      message: 'request timed out',
      retryable: true,
      raw,
    });
  }
  if (error instanceof APIUserAbortError || context.signal?.aborted) {
    // The gateway aborts through a TimeoutError signal when its own deadline passes.
    const reason: unknown = context.signal?.reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') {
      return new ProviderCallError({
        kind: 'timeout',
        message: 'request timed out',
        retryable: true,
        raw,
      });
    }
    return new ProviderCallError({
      kind: 'other',
      message: 'request aborted by the caller',
      retryable: false,
      raw,
    });
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${describeCause(error.cause)}` : '';
    return new ProviderCallError({
      kind: 'network',
      message: clean(`connection failed${cause}`),
      retryable: true,
      raw,
    });
  }
  if (isBrokenConnection(error)) {
    // The socket closed while the answer was still arriving: undici rejects the body read with
    // "terminated", outside the SDK's connection errors. It is as retryable as a refused connection.
    return new ProviderCallError({
      kind: 'network',
      message: clean(`connection broke while reading the answer: ${describeCause(error)}`),
      retryable: true,
      raw,
    });
  }
  if (!(error instanceof APIError) || error.status === undefined) {
    const message = error instanceof Error ? error.message : String(error);
    return new ProviderCallError({ kind: 'other', message: clean(message), retryable: false, raw });
  }

  const status = error.status;
  const fields = readErrorFields(record.responseBody) ??
    readErrorFields({ error: error.error }) ?? {
      message: error.message,
    };
  const headers = record.headers;
  const shouldRetry = headers['x-should-retry'];
  const { kind, retryable } = classify(status, fields);
  const retryAfterMs =
    readRetryAfterMs(headers) ??
    readRetryHintMs(fields.message) ??
    (kind === 'rate-limited' ? readResetMs(headers, fields) : undefined);
  const label = [fields.type, typeof fields.code === 'string' ? fields.code : undefined]
    .filter((part, index, all) => part && all.indexOf(part) === index)
    .join('/');
  return new ProviderCallError({
    kind,
    message: clean(`${status}${label ? ` ${label}` : ''}: ${excerptText(fields.message, maxMessageCharacters)}`),
    status,
    // The server's explicit word beats our table (the official SDKs obey it too).
    retryable: shouldRetry === 'false' ? false : shouldRetry === 'true' ? true : retryable,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    raw,
  });
}

function classify(
  status: number,
  fields: ErrorFields,
): { kind: ProviderErrorKind; retryable: boolean } {
  const code = typeof fields.code === 'string' ? fields.code : '';
  if (status === 429) {
    if (code === 'insufficient_quota' || fields.type === 'insufficient_quota') {
      return { kind: 'quota-exhausted', retryable: false };
    }
    return { kind: 'rate-limited', retryable: true };
  }
  if (status === 401 || status === 403) return { kind: 'unauthorized', retryable: false };
  if (status === 408) return { kind: 'timeout', retryable: true };
  if (status === 400 && refusesLogprobs(fields))
    return { kind: 'logprobs-unsupported', retryable: false };
  if (status >= 500) return { kind: 'overloaded', retryable: true };
  if (status === 409) return { kind: 'other', retryable: true };
  if (status >= 400) return { kind: 'invalid-request', retryable: false };
  return { kind: 'other', retryable: false };
}

/** Reasoning models answer 400 `unsupported_parameter` for logprobs; a cap violation is not that. */
function refusesLogprobs(fields: ErrorFields): boolean {
  const mentionsLogprobs = /logprobs/i.test(fields.param ?? '') || /logprobs/i.test(fields.message);
  return (
    mentionsLogprobs &&
    /not (supported|enabled|allowed)|unsupported/i.test(`${fields.code ?? ''} ${fields.message}`)
  );
}

function readErrorFields(body: unknown): ErrorFields | undefined {
  if (typeof body === 'string') return body.trim() ? { message: body.trim() } : undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const inner = record.error;
  if (typeof inner === 'string') return { message: inner };
  const source =
    typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : record;
  const message = source.message ?? source.detail;
  if (typeof message !== 'string' && source === record) return undefined;
  return {
    message: typeof message === 'string' ? message : JSON.stringify(message ?? source),
    ...(typeof source.type === 'string' ? { type: source.type } : {}),
    ...(typeof source.code === 'string' || typeof source.code === 'number'
      ? { code: source.code }
      : {}),
    ...(typeof source.param === 'string' ? { param: source.param } : {}),
  };
}

/** `retry-after-ms` first (more precise), then `retry-after` in seconds or as an HTTP date. */
function readRetryAfterMs(headers: Record<string, string>): number | undefined {
  const ms = Number.parseFloat(headers['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/**
 * OpenAI's throttle message ends "Please try again in 20s" with a Go duration ("6m0s", "19m0.864s",
 * "1.5s", "120ms"); read when a proxy dropped the headers.
 */
function readRetryHintMs(message: string): number | undefined {
  const match = /try again in ((?:\d+(?:\.\d+)?(?:h|ms|m|s))+)/i.exec(message);
  return match?.[1] ? parseGoDuration(match[1].toLowerCase()) : undefined;
}

/** Last resort for a throttle: when the limited window (`type` requests or tokens) resets. */
function readResetMs(headers: Record<string, string>, fields: ErrorFields): number | undefined {
  const window = fields.type === 'tokens' ? 'tokens' : 'requests';
  const reset = headers[`x-ratelimit-reset-${window}`];
  return reset === undefined ? undefined : parseGoDuration(reset);
}

function describeCause(cause: Error): string {
  const inner = (cause as { cause?: unknown }).cause;
  const code =
    inner instanceof Error ? ((inner as { code?: unknown }).code ?? inner.message) : undefined;
  return typeof code === 'string' ? `${cause.message} (${code})` : cause.message;
}

const brokenConnectionCodes = new Set(['UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);

function isBrokenConnection(error: unknown): error is Error {
  if (!(error instanceof Error) || error instanceof APIError) return false;
  for (let current: unknown = error; current instanceof Error; current = (current as { cause?: unknown }).cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && brokenConnectionCodes.has(code)) return true;
    if (current.name === 'TypeError' && current.message === 'terminated') return true;
  }
  return false;
}
