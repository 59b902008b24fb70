import { Agent, fetch as undiciFetch } from 'undici';
import { createBoundedFetch, findBodyTooLarge } from '../create-bounded-fetch.ts';
import { excerptText } from '../excerpt-text.ts';
import { redactSecret } from '../redact-secret.ts';
import { parseUpstreamBody } from '../parse-upstream-body.ts';

/** A fetch with the WHATWG signature, as the OpenAI SDK and tests use it. */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/** What one call's fetch saw. Filled while the SDK runs; read after it returns or throws. */
export interface ExchangeRecord {
  url?: string;
  status?: number;
  headers: Record<string, string>;
  /** Only kept for failed answers: on success the SDK hands back the parsed body itself. */
  responseBody?: unknown;
}

export interface RecordingFetch {
  fetch: FetchFunction;
  /** A fresh record plus the per-request SDK option that routes this call's exchange into it. */
  track(): { record: ExchangeRecord; fetchOptions: { readonly [key: symbol]: ExchangeRecord } };
}

// The SDK spreads per-request `fetchOptions` into the init it hands to fetch, so a symbol key
// carries the record to our fetch without global state or an extra header on the wire.
const recordKey = Symbol('exchange-record');

const maxKeptErrorCharacters = 16_384;

/** `limits.upstreamResponseBytes` when the caller does not say. */
export const defaultMaxResponseBytes = 2 * 1024 * 1024;

const keptHeaderNames = new Set([
  'retry-after',
  'retry-after-ms',
  'x-should-retry',
  'x-request-id',
  'openai-processing-ms',
]);

/**
 * Wraps fetch so every OpenAI-SDK call leaves its raw exchange behind for the audit log and error
 * mapping (the SDK keeps only `error.error` of a failed body, which loses vLLM's flat and Ollama's
 * string error forms). Without a given fetch it uses undici with a keep-alive Agent: Node's global
 * fetch costs several hundred microseconds of CPU per call. No answer is read past
 * `maxResponseBytes` (see createBoundedFetch).
 */
export function createRecordingFetch(base?: FetchFunction, maxResponseBytes = defaultMaxResponseBytes): RecordingFetch {
  const inner = createBoundedFetch(base ?? createKeepAliveFetch(), maxResponseBytes);
  const recordingFetch: FetchFunction = async (input, init) => {
    const record = (init as Record<symbol, ExchangeRecord | undefined> | undefined)?.[recordKey];
    const response = await inner(input, init);
    if (!record) return response;
    record.url = redactSecret(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
    );
    record.status = response.status;
    record.headers = pickHeaders(response.headers);
    if (response.ok) return response;
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      const tooLarge = findBodyTooLarge(error);
      if (!tooLarge) throw error;
      record.responseBody = tooLarge.toRawBody();
      throw tooLarge;
    }
    // A long error body is kept as an excerpt with its size; the SDK still gets all of it (bounded
    // by limits.upstreamResponseBytes) to build its error.
    record.responseBody = text.length > maxKeptErrorCharacters ? excerptText(text, maxKeptErrorCharacters) : parseUpstreamBody(text);
    // The SDK reads the body again to build its error, so hand it an unread copy.
    return new Response(text, {
      status: response.status,
      statusText: response.statusText,
      headers: headerEntries(response.headers),
    });
  };
  return {
    fetch: recordingFetch,
    track() {
      const record: ExchangeRecord = { headers: {} };
      return { record, fetchOptions: { [recordKey]: record } };
    },
  };
}

function createKeepAliveFetch(): FetchFunction {
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  return ((input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as FetchFunction;
}

function pickHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (keptHeaderNames.has(name) || name.startsWith('x-ratelimit-')) kept[name] = value;
  });
  return kept;
}

function headerEntries(headers: Headers): [string, string][] {
  const entries: [string, string][] = [];
  headers.forEach((value, name) => entries.push([name, value]));
  return entries;
}
