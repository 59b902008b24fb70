import { randomBytes } from 'node:crypto';
import { deriveDefaultAnswer } from './derive-default-answer.ts';
import { startStandInServer } from './start-stand-in-server.ts';
import type {
  ScriptedAnswer,
  StandInContext,
  StandInReply,
  StandInServer,
} from './start-stand-in-server.ts';
import { fillTopAlternatives } from './fill-top-alternatives.ts';

export type GeminiScenario =
  | 'invalid-request'
  | 'unauthorized'
  | 'permission-denied'
  | 'rate-limited'
  | 'rate-limited-with-header'
  | 'quota-exhausted'
  | 'array-wrapped'
  | 'nested-array-message'
  | 'unavailable'
  | 'internal'
  | 'logprobs-not-supported'
  | 'safety'
  | 'prompt-blocked'
  | 'truncated'
  | 'no-logprobs';

export interface GeminiStandInOptions {
  /** When set, a request without this key (x-goog-api-key header or ?key=) gets the real 400. */
  apiKey?: string;
  /** Models that answer 400 "Logprobs is not enabled for models/<model>". */
  logprobsRefusingModels?: string[];
  latencyMs?: number;
  /** Over this many requests in flight, answer 429 RESOURCE_EXHAUSTED (per-minute quota). */
  maxConcurrency?: number;
  port?: number;
}

export type GeminiStandIn = StandInServer<GeminiScenario>;

const typePrefix = 'type.googleapis.com/google.rpc.';
const pathPattern = /^\/(v1beta|v1)\/models\/([^/:]+):generateContent$/;

/**
 * A protocol-faithful Gemini `generateContent` server: candidates with avgLogprobs and
 * logprobsResult (chosenCandidates/topCandidates, no bytes), usageMetadata, and Google's error
 * envelope with QuotaFailure / RetryInfo / ErrorInfo details. `url` is the origin: the SDK
 * appends /v1beta itself.
 */
export function startGeminiStandIn(options: GeminiStandInOptions = {}): Promise<GeminiStandIn> {
  const refusing = new Set(
    options.logprobsRefusingModels ?? ['gemini-2.5-flash', 'gemini-2.5-pro'],
  );
  return startStandInServer<GeminiScenario>({
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    handle(context) {
      const { call } = context;
      const match = pathPattern.exec(call.path);
      if (call.method !== 'POST' || !match?.[2]) {
        return googleError(404, 'NOT_FOUND', `Requested entity was not found.`, []);
      }
      const model = match[2];
      const key = call.headers['x-goog-api-key'] ?? call.query.key;
      if (
        context.scenario === 'unauthorized' ||
        (options.apiKey !== undefined && key !== options.apiKey)
      ) {
        return googleError(
          400,
          'INVALID_ARGUMENT',
          'API key not valid. Please pass a valid API key.',
          [
            {
              '@type': `${typePrefix}ErrorInfo`,
              reason: 'API_KEY_INVALID',
              domain: 'googleapis.com',
              metadata: { service: 'generativelanguage.googleapis.com' },
            },
            {
              '@type': `${typePrefix}LocalizedMessage`,
              locale: 'en-US',
              message: 'API key not valid. Please pass a valid API key.',
            },
          ],
        );
      }
      if (context.overloaded) return quotaError(model, 'minute', {});
      const failure = failWith(context, model);
      if (failure) return failure;
      const body = (call.body ?? {}) as Record<string, unknown>;
      const config = (body.generationConfig ?? {}) as Record<string, unknown>;
      if (!Array.isArray(body.contents) || body.contents.length === 0) {
        return googleError(
          400,
          'INVALID_ARGUMENT',
          '* GenerateContentRequest.contents: contents is not specified\n',
          [],
        );
      }
      if (config.responseLogprobs === true && refusing.has(model)) {
        return googleError(
          400,
          'INVALID_ARGUMENT',
          `Logprobs is not enabled for models/${model}`,
          [],
        );
      }
      const logprobs = typeof config.logprobs === 'number' ? config.logprobs : undefined;
      if (logprobs !== undefined && config.responseLogprobs !== true) {
        return googleError(
          400,
          'INVALID_ARGUMENT',
          'logprobs is only supported when responseLogprobs is true.',
          [],
        );
      }
      if (logprobs !== undefined && (logprobs < 0 || logprobs > 20)) {
        return googleError(
          400,
          'INVALID_ARGUMENT',
          `logprobs must be in the range [0, 20], got ${logprobs}.`,
          [],
        );
      }
      const candidateCount = typeof config.candidateCount === 'number' ? config.candidateCount : 1;
      if (candidateCount < 1 || candidateCount > 8) {
        return googleError(
          400,
          'INVALID_ARGUMENT',
          `candidateCount must be in the range [1, 8], got ${candidateCount}.`,
          [],
        );
      }
      return { status: 200, body: generate(context, model, body, config, candidateCount) };
    },
  });

  function failWith(
    context: StandInContext<GeminiScenario>,
    model: string,
  ): StandInReply | undefined {
    switch (context.scenario) {
      case 'invalid-request':
        return googleError(
          400,
          'INVALID_ARGUMENT',
          'Invalid value at \'generation_config.temperature\' (TYPE_FLOAT), "hot"',
          [
            {
              '@type': `${typePrefix}BadRequest`,
              fieldViolations: [
                { field: 'generation_config.temperature', description: 'Invalid value' },
              ],
            },
          ],
        );
      case 'permission-denied':
        return googleError(
          403,
          'PERMISSION_DENIED',
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
          [],
        );
      case 'rate-limited':
        return quotaError(model, 'minute', {});
      case 'rate-limited-with-header':
        return quotaError(model, 'minute', { 'retry-after': '7' });
      case 'quota-exhausted':
        return quotaError(model, 'day', {});
      case 'array-wrapped': {
        const reply = quotaError(model, 'minute', {});
        return { ...reply, body: [reply.body] };
      }
      case 'nested-array-message': {
        // A relay that wraps Google's array-wrapped answer inside its own error message.
        const inner = quotaError(model, 'day', {});
        return googleError(429, 'RESOURCE_EXHAUSTED', JSON.stringify([inner.body], null, 2), []);
      }
      case 'unavailable':
        // Google's 503 carries no RetryInfo: the client picks its own backoff.
        return googleError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.', []);
      case 'internal':
        return googleError(
          500,
          'INTERNAL',
          'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
          [],
        );
      case 'logprobs-not-supported':
        return googleError(
          400,
          'INVALID_ARGUMENT',
          'Logprobs is not supported for this model.',
          [],
        );
      default:
        return undefined;
    }
  }
}

function generate(
  context: StandInContext<GeminiScenario>,
  model: string,
  body: Record<string, unknown>,
  config: Record<string, unknown>,
  candidateCount: number,
): unknown {
  const { text: prompt, images } = readPrompt(body);
  const promptTokenCount = Math.ceil(prompt.length / 4) + 258 * images;
  const usage = (candidatesTokenCount: number) => ({
    promptTokenCount,
    candidatesTokenCount,
    totalTokenCount: promptTokenCount + candidatesTokenCount,
    promptTokensDetails: [
      { modality: 'TEXT', tokenCount: promptTokenCount - 258 * images },
      ...(images > 0 ? [{ modality: 'IMAGE', tokenCount: 258 * images }] : []),
    ],
  });
  const envelope = { modelVersion: model, responseId: randomBytes(12).toString('base64url') };
  if (context.scenario === 'prompt-blocked') {
    return {
      promptFeedback: { blockReason: 'SAFETY', safetyRatings: safetyRatings('HIGH') },
      usageMetadata: usage(0),
      ...envelope,
    };
  }
  const wantLogprobs = config.responseLogprobs === true && context.scenario !== 'no-logprobs';
  const topK = typeof config.logprobs === 'number' ? config.logprobs : 0;
  const json = config.responseMimeType === 'application/json';
  let tokenCount = 0;
  const candidates = Array.from({ length: candidateCount }, (_, index) => {
    const answer: ScriptedAnswer =
      context.answer?.(body, index) ??
      deriveDefaultAnswer({
        prompt,
        json,
        topLogprobs: Math.max(topK, 1),
        sampleIndex: index,
        samples: candidateCount,
      });
    let tokens = answer.logprobs ?? [{ token: answer.text, logprob: -0.01, top: [] }];
    let finishReason = answer.finishReason ?? 'STOP';
    let text: string | undefined = answer.text;
    if (context.scenario === 'safety') {
      text = undefined;
      tokens = [];
      finishReason = 'SAFETY';
    } else if (context.scenario === 'truncated') {
      tokens = tokens.slice(0, 1);
      text = tokens.map((token) => token.token).join('');
      finishReason = 'MAX_TOKENS';
    }
    tokenCount += tokens.length;
    const tokenId = (token: string) =>
      1000 + [...token].reduce((sum, char) => sum + (char.codePointAt(0) ?? 0), 0);
    const sum = tokens.reduce((total, token) => total + token.logprob, 0);
    return {
      // A SAFETY stop has no content parts at all, as the real API answers.
      content: text === undefined ? { role: 'model' } : { parts: [{ text }], role: 'model' },
      finishReason,
      ...(context.scenario === 'safety' ? { safetyRatings: safetyRatings('HIGH') } : {}),
      ...(tokens.length > 0 ? { avgLogprobs: sum / tokens.length } : {}),
      ...(wantLogprobs
        ? {
            logprobsResult: {
              topCandidates: tokens.map((token) => ({
                candidates: fillTopAlternatives(token.top ?? [], topK).map((entry) => ({
                  token: entry.token,
                  tokenId: tokenId(entry.token),
                  logProbability: entry.logprob,
                })),
              })),
              chosenCandidates: tokens.map((token) => ({
                token: token.token,
                tokenId: tokenId(token.token),
                logProbability: token.logprob,
              })),
              logProbabilitySum: sum,
            },
          }
        : {}),
      index,
    };
  });
  return { candidates, usageMetadata: usage(tokenCount), ...envelope };
}

function quotaError(
  model: string,
  window: 'minute' | 'day',
  headers: Record<string, string>,
): StandInReply {
  const perDay = window === 'day';
  const quotaId = perDay
    ? 'GenerateRequestsPerDayPerProjectPerModel-FreeTier'
    : 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier';
  const metric = perDay
    ? 'generativelanguage.googleapis.com/generate_content_free_tier_requests'
    : 'generativelanguage.googleapis.com/generate_content_free_tier_requests';
  const reply = googleError(
    429,
    'RESOURCE_EXHAUSTED',
    `You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n* Quota exceeded for metric: ${metric}, limit: ${perDay ? 200 : 10}, model: ${model}\nPlease retry in 42.5s.`,
    [
      {
        '@type': `${typePrefix}QuotaFailure`,
        violations: [
          {
            quotaMetric: metric,
            quotaId,
            quotaDimensions: { location: 'global', model },
            quotaValue: perDay ? '200' : '10',
          },
        ],
      },
      {
        '@type': `${typePrefix}Help`,
        links: [
          {
            description: 'Learn more about Gemini API quotas',
            url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
          },
        ],
      },
      { '@type': `${typePrefix}RetryInfo`, retryDelay: '42s' },
    ],
  );
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

function googleError(
  code: number,
  status: string,
  message: string,
  details: unknown[],
): StandInReply {
  return {
    status: code,
    headers: { vary: 'Origin, X-Origin, Referer', server: 'scaffolding on HTTPServer2' },
    body: { error: { code, message, status, ...(details.length > 0 ? { details } : {}) } },
  };
}

function safetyRatings(probability: string): unknown[] {
  return [
    'HARM_CATEGORY_HATE_SPEECH',
    'HARM_CATEGORY_DANGEROUS_CONTENT',
    'HARM_CATEGORY_HARASSMENT',
    'HARM_CATEGORY_SEXUALLY_EXPLICIT',
  ].map((category, index) => ({ category, probability: index === 1 ? probability : 'NEGLIGIBLE' }));
}

function readPrompt(body: Record<string, unknown>): { text: string; images: number } {
  const texts: string[] = [];
  let images = 0;
  const visit = (content: unknown) => {
    const parts = (content as { parts?: unknown } | undefined)?.parts;
    if (!Array.isArray(parts)) return;
    for (const part of parts as Array<Record<string, unknown>>) {
      if (typeof part?.text === 'string') texts.push(part.text);
      if (part?.inlineData) images += 1;
    }
  };
  visit(body.systemInstruction);
  if (Array.isArray(body.contents)) for (const content of body.contents) visit(content);
  return { text: texts.join('\n'), images };
}
