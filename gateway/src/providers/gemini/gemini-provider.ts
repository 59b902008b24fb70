import type { GenerateContentRequest, GenerationConfig } from '@google/generative-ai';
import type { ProviderConfig } from '../../config/config-schema.ts';
import type {
  Choice,
  GenerateOptions,
  GenerateResult,
  ProviderCapabilities,
  ProviderWarning,
  VisionLanguageModel,
} from '../provider.ts';
import { setBoundedTimeout } from '../../scheduling/set-bounded-timeout.ts';
import { redactSecret } from '../redact-secret.ts';
import { createBoundedFetch } from '../create-bounded-fetch.ts';
import type { FetchFunction } from '../openai/create-recording-fetch.ts';
import { defaultMaxResponseBytes } from '../openai/create-recording-fetch.ts';
import { convertToGeminiContents } from './convert-to-gemini-contents.ts';
import { mapGeminiError } from './map-gemini-error.ts';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
import { normalizeGeminiLogprobs } from './normalize-gemini-logprobs.ts';
import { postGenerateContent } from './post-generate-content.ts';

export interface GeminiProviderOptions {
  config: ProviderConfig;
  /** Replaces the global fetch (tests, proxies). */
  fetch?: FetchFunction;
  /** Answers larger than this are not read (`limits.upstreamResponseBytes`). */
  maxResponseBytes?: number;
}

const defaultBaseUrl = 'https://generativelanguage.googleapis.com';
const maxCandidates = 8;
const maxTopLogprobs = 20;

/**
 * Gemini generateContent in the wire format of `@google/generative-ai` (its types and error
 * classes; the call itself is made here so the answer's size can be bounded). Logprob support differs per model and
 * changes without notice, so it is probed at runtime: the first "Logprobs is not enabled/supported"
 * answer turns `capabilities().logprobs` off for this provider and later calls stop asking.
 * Errors keep the SDK's shape, so `raw` of a failure is rebuilt from what the error carries.
 */
export function createGeminiProvider({ config, fetch, maxResponseBytes }: GeminiProviderOptions): VisionLanguageModel {
  if (!config.apiKey) throw new Error(`provider ${config.id}: the gemini kind needs an apiKey`);
  const apiKey = config.apiKey;
  const { baseUrl, apiVersion } = splitBaseUrl(config.baseURL ?? defaultBaseUrl);
  const boundedFetch = createBoundedFetch(fetch ?? globalThis.fetch, maxResponseBytes ?? defaultMaxResponseBytes);
  const modelPath = config.model.includes('/') ? config.model : `models/${config.model}`;
  const url = `${baseUrl}/${apiVersion ?? 'v1beta'}/${modelPath}:generateContent`;
  const capabilities: ProviderCapabilities = {
    logprobs: config.logprobs ?? true,
    maxTopLogprobs,
    samples: true,
    maxSamples: maxCandidates,
    images: true,
    guidedChoice: false,
  };

  return {
    id: config.id,
    kind: 'gemini',
    model: config.model,
    capabilities: () => ({ ...capabilities }),
    async doGenerate(options: GenerateOptions): Promise<GenerateResult> {
      const warnings: ProviderWarning[] = [];
      const candidateCount = Math.max(1, Math.min(options.samples, maxCandidates));
      if (options.samples > candidateCount) {
        warnings.push({
          type: 'unsupported',
          feature: 'samples',
          details: `capped at ${candidateCount}`,
        });
      }
      const wantLogprobs = options.topLogprobs > 0;
      if (wantLogprobs && !capabilities.logprobs) {
        warnings.push({
          type: 'unsupported',
          feature: 'logprobs',
          details: `${config.model} does not return logprobs`,
        });
      }
      const sendLogprobs = wantLogprobs && capabilities.logprobs;
      const generationConfig: GenerationConfig & { seed?: number } = {
        maxOutputTokens: options.maxOutputTokens,
        temperature: options.temperature,
        ...(candidateCount > 1 ? { candidateCount } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(sendLogprobs
          ? { responseLogprobs: true, logprobs: Math.min(options.topLogprobs, maxTopLogprobs) }
          : {}),
        ...(options.json ? { responseMimeType: 'application/json' } : {}),
      };
      const request: GenerateContentRequest = {
        ...convertToGeminiContents(options.messages),
        generationConfig,
      };

      const controller = new AbortController();
      let timedOut = false;
      const timer = setBoundedTimeout(() => {
        timedOut = true;
        controller.abort();
      }, config.timeoutMs);
      const onAbort = () => controller.abort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) controller.abort();
      let response: unknown;
      try {
        response = await postGenerateContent({ fetch: boundedFetch, url, apiKey, request, signal: controller.signal });
      } catch (error) {
        const mapped = mapGeminiError(error, {
          url,
          requestBody: request,
          apiKey,
          timedOut,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        if (mapped.kind === 'logprobs-unsupported') capabilities.logprobs = false;
        throw mapped;
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      }

      const body = withoutHelpers(response);
      const choices = readChoices(body, sendLogprobs, warnings);
      if (candidateCount > 1 && choices.length < candidateCount) {
        warnings.push({
          type: 'unsupported',
          feature: 'samples',
          details: `asked for ${candidateCount}, got ${choices.length}`,
        });
      }
      const usage = isRecord(body.usageMetadata) ? body.usageMetadata : {};
      return {
        choices,
        usage: {
          inputTokens: numberOr0(usage.promptTokenCount),
          // Thinking models bill their thoughts as output.
          outputTokens: numberOr0(usage.candidatesTokenCount) + numberOr0(usage.thoughtsTokenCount),
        },
        warnings,
        raw: {
          url: redactSecret(url, apiKey),
          requestBody: request,
          status: 200,
          headers: {},
          responseBody: body,
        },
      };
    },
  };
}

function readChoices(
  body: Record<string, unknown>,
  wantLogprobs: boolean,
  warnings: ProviderWarning[],
): Choice[] {
  const candidates = Array.isArray(body.candidates) ? body.candidates.filter(isRecord) : [];
  if (candidates.length === 0) {
    // A blocked prompt has no candidates, only promptFeedback.blockReason.
    const feedback = isRecord(body.promptFeedback) ? body.promptFeedback : {};
    const reason =
      typeof feedback.blockReason === 'string' ? `blockReason:${feedback.blockReason}` : undefined;
    return [
      {
        text: '',
        finishReason: reason ? mapGeminiFinishReason(reason) : { unified: 'error', raw: undefined },
      },
    ];
  }
  let missingLogprobs = false;
  const choices = [...candidates]
    .sort((a, b) => numberOr0(a.index) - numberOr0(b.index))
    .map((candidate): Choice => {
      const content = isRecord(candidate.content) ? candidate.content : {};
      const parts = Array.isArray(content.parts) ? content.parts.filter(isRecord) : [];
      // Thinking models return their thoughts as parts flagged `thought`; they are not the answer.
      const text = parts
        .filter((part) => part.thought !== true && typeof part.text === 'string')
        .map((part) => part.text as string)
        .join('');
      const logprobs = wantLogprobs ? normalizeGeminiLogprobs(candidate.logprobsResult) : undefined;
      if (wantLogprobs && logprobs === undefined) missingLogprobs = true;
      const finishReason =
        typeof candidate.finishReason === 'string' ? candidate.finishReason : undefined;
      return {
        text,
        finishReason: mapGeminiFinishReason(finishReason),
        ...(logprobs ? { logprobs } : {}),
      };
    });
  if (missingLogprobs)
    warnings.push({
      type: 'unsupported',
      feature: 'logprobs',
      details: 'requested but not returned',
    });
  return choices;
}

/** The audit log wants the JSON only (the SDK would add `text()` and friends onto the body). */
function withoutHelpers(response: unknown): Record<string, unknown> {
  if (!isRecord(response)) return {};
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(response))
    if (typeof value !== 'function') body[key] = value;
  return body;
}

/** The SDK appends the API version itself, so a configured `.../v1beta` is split off. */
function splitBaseUrl(baseURL: string): { baseUrl: string; apiVersion?: string } {
  const trimmed = baseURL.replace(/\/+$/, '');
  const match = /^(.*)\/(v\d+(?:alpha|beta)?\d*)$/.exec(trimmed);
  return match?.[1] && match[2]
    ? { baseUrl: match[1], apiVersion: match[2] }
    : { baseUrl: trimmed };
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
