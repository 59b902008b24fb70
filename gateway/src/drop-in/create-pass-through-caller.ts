/**
 * @module
 * One raw upstream call with the request body exactly as given: the drop-in endpoints' way past
 * the provider adapters, which build their own bodies. Failures are classified by the adapters'
 * own error mappers, so retries, the breaker and fallbacks judge them as they judge any call.
 */
import { GoogleGenerativeAIFetchError } from '@google/generative-ai';
import { APIError } from 'openai';
import { Agent, request } from 'undici';
import type { ProviderConfig } from '../config/config-schema.ts';
import { mapGeminiError } from '../providers/gemini/map-gemini-error.ts';
import { mapOpenAIError } from '../providers/openai/map-openai-error.ts';
import { ProviderCallError } from '../providers/provider.ts';
import { redactSecret } from '../providers/redact-secret.ts';
import { wireOf } from './wire.ts';
import { parseUpstreamBody } from '../providers/parse-upstream-body.ts';

/** What came back from a successful call, as the provider sent it. */
export interface PassThroughExchange {
  url: string;
  status: number;
  /** The headers a client may see: request id and rate-limit state (never hop-by-hop ones). */
  headers: Record<string, string>;
  body: unknown;
  /** Size of the answer as received, for memory accounting. */
  bytes: number;
}

export interface PassThroughCall {
  provider: ProviderConfig;
  /** The model to ask for (Gemini puts it in the path; OpenAI bodies already carry it). */
  model: string;
  body: Record<string, unknown>;
  signal: AbortSignal;
}

export type PassThroughCaller = (call: PassThroughCall) => Promise<PassThroughExchange>;

export interface PassThroughCallerOptions {
  /** Larger answers are cut off and fail: a provider cannot make the gateway buffer without end. */
  maxResponseBytes?: number;
}

const relayedHeaders = new Set(['retry-after', 'retry-after-ms', 'x-should-retry', 'x-request-id', 'openai-processing-ms']);

/**
 * Posts to the provider's generate endpoint over keep-alive connections (undici's `request`, the
 * cheapest Node client) and reads at most `maxResponseBytes` of the answer.
 *
 * @example
 * const call = createPassThroughCaller()
 * const exchange = await call({ provider, model: 'gpt-4o-mini', body, signal })
 */
export function createPassThroughCaller(options: PassThroughCallerOptions = {}): PassThroughCaller {
  const maxBytes = options.maxResponseBytes ?? 2 * 1024 * 1024;
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  return async function passThrough(call) {
    const { provider } = call;
    const wire = wireOf(provider.kind);
    const apiKey = provider.apiKey ?? '';
    const url = endpointOf(provider, call.model);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (wire === 'gemini') headers['x-goog-api-key'] = apiKey;
    else if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    const safeUrl = redactSecret(url, apiKey);
    let status: number;
    let kept: Record<string, string>;
    let text: string;
    try {
      const response = await request(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(call.body),
        signal: call.signal,
        dispatcher,
      });
      status = response.statusCode;
      kept = pickHeaders(response.headers);
      text = await readBounded(response.body, maxBytes);
    } catch (error) {
      throw toTransportError(error, call.signal, safeUrl, call.body, apiKey);
    }
    const ok = status >= 200 && status < 300;
    // Some servers echo the key they were sent in an error; the client must never see it.
    const body = parseUpstreamBody(ok ? text : redactSecret(text, apiKey));
    if (ok) {
      if (typeof body !== 'object' || body === null) {
        throw new ProviderCallError({
          kind: 'other',
          message: `${provider.id} answered ${status} with a body that is not JSON`,
          retryable: false,
          raw: { url: safeUrl, status, headers: kept, responseBody: redactSecret(text.slice(0, 2000), apiKey) },
        });
      }
      return { url: safeUrl, status, headers: kept, body, bytes: text.length };
    }
    const record = { url: safeUrl, status, headers: kept, responseBody: body };
    if (wire === 'openai') {
      const error = APIError.generate(status, isRecord(body) ? body : undefined, undefined, new Headers(kept));
      throw mapOpenAIError(error, { record, url: safeUrl, requestBody: call.body, apiKey });
    }
    // The Gemini mapper reads what its SDK keeps: the status and the body inside the message.
    const sdkError = new GoogleGenerativeAIFetchError(`[${status}] ${redactSecret(text, apiKey)}`, status, '');
    const mapped = mapGeminiError(sdkError, { url: safeUrl, requestBody: call.body, apiKey, timedOut: false });
    throw new ProviderCallError({
      kind: mapped.kind,
      message: mapped.message,
      ...(mapped.status !== undefined ? { status: mapped.status } : {}),
      retryable: mapped.retryable,
      ...(mapped.retryAfterMs !== undefined ? { retryAfterMs: mapped.retryAfterMs } : {}),
      raw: record,
    });
  };
}

/** Where the provider's non-streaming generate call goes; the gateway streams to clients itself. */
export function endpointOf(provider: ProviderConfig, model: string): string {
  if (wireOf(provider.kind) === 'openai') {
    return `${(provider.baseURL ?? 'https://api.openai.com/v1').replace(/\/+$/, '')}/chat/completions`;
  }
  const base = (provider.baseURL ?? 'https://generativelanguage.googleapis.com').replace(/\/+$/, '');
  const versioned = /\/v\d+(?:alpha|beta)?\d*$/.test(base) ? base : `${base}/v1beta`;
  const path = model.includes('/') ? model : `models/${model}`;
  return `${versioned}/${path}:generateContent`;
}

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): void }, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new ResponseTooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
}

class ResponseTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the provider's answer is larger than ${maxBytes} bytes`);
  }
}

function toTransportError(error: unknown, signal: AbortSignal, url: string, requestBody: unknown, apiKey: string): ProviderCallError {
  const raw = { url, requestBody, headers: {} };
  if (error instanceof ResponseTooLarge) {
    return new ProviderCallError({ kind: 'other', message: error.message, retryable: false, raw });
  }
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
    return new ProviderCallError({
      kind: timedOut ? 'timeout' : 'other',
      message: timedOut ? 'request timed out' : 'request aborted by the caller',
      retryable: timedOut,
      raw,
    });
  }
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderCallError({
    kind: 'network',
    message: redactSecret(`connection failed: ${message}${typeof code === 'string' ? ` (${code})` : ''}`, apiKey),
    retryable: true,
    raw,
  });
}

function pickHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || !(relayedHeaders.has(name) || name.startsWith('x-ratelimit-'))) continue;
    kept[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
