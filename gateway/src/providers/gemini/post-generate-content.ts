import {
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
} from '@google/generative-ai';
import type { GenerateContentRequest } from '@google/generative-ai';
import { findBodyTooLarge } from '../create-bounded-fetch.ts';
import type { FetchFunction } from '../openai/create-recording-fetch.ts';

/**
 * One `generateContent` call as `@google/generative-ai` makes it, through a fetch of our choosing:
 * the SDK always uses the global fetch and reads whole bodies, so a flood from upstream could not be
 * bounded through it. Failures are the SDK's own error classes with the SDK's message format, so
 * `mapGeminiError` reads them as before; an oversized answer rejects with
 * `UpstreamBodyTooLargeError`.
 */
export async function postGenerateContent(options: {
  fetch: FetchFunction;
  url: string;
  apiKey: string;
  request: GenerateContentRequest;
  signal: AbortSignal;
}): Promise<unknown> {
  const { url } = options;
  let response: Response;
  try {
    response = await options.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': options.apiKey },
      body: JSON.stringify(options.request),
      signal: options.signal,
    });
  } catch (error) {
    const cause = error as Error;
    if (findBodyTooLarge(error)) throw error;
    if (cause.name === 'AbortError') {
      throw new GoogleGenerativeAIAbortError(`Request aborted when fetching ${url}: ${cause.message}`);
    }
    throw new GoogleGenerativeAIError(`Error fetching from ${url}: ${cause.message}`);
  }
  if (!response.ok) {
    let message = '';
    let details: unknown;
    try {
      const json = (await response.json()) as { error: { message: string; details?: unknown } };
      message = json.error.message;
      if (json.error.details) {
        message += ` ${JSON.stringify(json.error.details)}`;
        details = json.error.details;
      }
    } catch (error) {
      // The SDK ignores an unreadable error body; an oversized one is an error of its own.
      if (findBodyTooLarge(error)) throw error;
    }
    throw new GoogleGenerativeAIFetchError(
      `Error fetching from ${url}: [${response.status} ${response.statusText}] ${message}`,
      response.status,
      response.statusText,
      details as ConstructorParameters<typeof GoogleGenerativeAIFetchError>[3],
    );
  }
  return response.json();
}
