import { randomBytes } from 'node:crypto';
import { buildChatCompletion } from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/build-chat-completion';
import { completeChat, startOpenAICompatibleServer } from './create-openai-compatible-server.ts';
import type { ChatCompletion } from './create-openai-compatible-server.ts';
import { createOpenAIBatchApi } from './openai-batch-api.ts';
import type { StandInContext, StandInReply, StandInServer } from './start-stand-in-server.ts';

export type OpenAIScenario =
  | 'invalid-request'
  | 'unauthorized'
  | 'rate-limited'
  | 'rate-limited-no-retry'
  /** The throttle as seen through a proxy that drops headers: the delay is only in the message. */
  | 'rate-limited-behind-proxy'
  | 'quota-exhausted'
  | 'server-error'
  | 'overloaded'
  | 'logprobs-unsupported'
  | 'truncated'
  | 'content-filter'
  | 'refusal'
  | 'no-logprobs';

export interface OpenAIStandInOptions {
  /** When set, requests without `Authorization: Bearer <apiKey>` get the real 401. */
  apiKey?: string;
  latencyMs?: number;
  /** Over this many requests in flight, answer the real 429 throttle. */
  maxConcurrency?: number;
  port?: number;
}

export type OpenAIStandIn = StandInServer<OpenAIScenario> & {
  /** The delay the next throttles ask for (default 1 500 ms), written as OpenAI writes it. */
  setThrottleDelay(ms: number): void;
};

const requestLimit = 500;
const tokenLimit = 200_000;

/**
 * A protocol-faithful OpenAI chat-completions server (POST /v1/chat/completions): the real body and
 * error shapes, x-ratelimit-* headers on every success, `bytes` in logprobs.
 * `url` ends in /v1, as the SDK's baseURL does.
 */
export function startOpenAIStandIn(options: OpenAIStandInOptions = {}): Promise<OpenAIStandIn> {
  let remainingRequests = requestLimit;
  let remainingTokens = tokenLimit;
  let throttleDelayMs = 1500;
  // Batch lines are answered as synchronous calls would be, without the live call's failure scenarios.
  const batchApi = createOpenAIBatchApi(
    (body, answer) =>
      validate(body) ?? {
        status: 200,
        body: renderCompletion(
          completeChat(
            {
              call: { method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body },
              scenario: undefined,
              answer,
              overloaded: false,
            },
            { honoursN: true },
          ),
        ).body,
      },
  );
  const server = startOpenAICompatibleServer<OpenAIScenario>({
    honoursN: true,
    listen: options,
    notFound: (call) =>
      error(404, `Invalid URL (${call.method} ${call.path})`, 'invalid_request_error', null, null),
    route(context) {
      const { call } = context;
      const chat = call.method === 'POST' && call.path === '/v1/chat/completions';
      if (!chat && !batchApi.serves(call)) return undefined;
      const auth = call.headers.authorization ?? '';
      if (
        context.scenario === 'unauthorized' ||
        (options.apiKey !== undefined && auth !== `Bearer ${options.apiKey}`)
      ) {
        const given = auth.replace(/^Bearer /, '');
        return error(
          401,
          `Incorrect API key provided: ${mask(given)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          'invalid_request_error',
          null,
          'invalid_api_key',
        );
      }
      return batchApi.serves(call) ? batchApi.handle(call, context.answer) : undefined;
    },
    screen(context) {
      if (context.overloaded) return throttle(context, true);
      return failWith(context) ?? validate(context.call.body);
    },
    render(completion) {
      const reply = renderCompletion(completion);
      remainingRequests = remainingRequests <= 1 ? requestLimit : remainingRequests - 1;
      remainingTokens = Math.max(0, remainingTokens - reply.tokens);
      if (remainingTokens === 0) remainingTokens = tokenLimit;
      return {
        status: 200,
        headers: {
          ...rateLimitHeaders(remainingRequests, remainingTokens),
          'openai-processing-ms': String(40 + Math.floor(Math.random() * 200)),
          'openai-version': '2020-10-01',
        },
        body: reply.body,
      };
    },
  });

  // Real OpenAI throttles carry `retry-after` in whole seconds beside the x-ratelimit-* headers and
  // the Go-style delay in the message; `retry-after-ms` is Azure's and is not sent.
  function throttle(
    context: StandInContext<OpenAIScenario>,
    shouldRetry: boolean,
    headers = true,
  ): StandInReply {
    const model = modelOf(context.call.body);
    const delay = formatGoDuration(throttleDelayMs);
    return {
      status: 429,
      headers: headers
        ? {
            ...rateLimitHeaders(0, remainingTokens),
            'x-ratelimit-reset-requests': delay,
            'retry-after': String(Math.ceil(throttleDelayMs / 1000)),
            'x-should-retry': String(shouldRetry),
          }
        : {},
      body: {
        error: {
          message: `Rate limit reached for ${model} in organization org-standin on requests per min (RPM): Limit ${requestLimit}, Used ${requestLimit}, Requested 1. Please try again in ${delay}. Visit https://platform.openai.com/account/rate-limits to learn more.`,
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
    };
  }

  function failWith(context: StandInContext<OpenAIScenario>): StandInReply | undefined {
    switch (context.scenario) {
      case 'invalid-request':
        return error(
          400,
          "Invalid value for 'temperature': must be between 0 and 2.",
          'invalid_request_error',
          'temperature',
          'invalid_value',
        );
      case 'rate-limited':
        return throttle(context, true);
      case 'rate-limited-no-retry':
        return throttle(context, false);
      case 'rate-limited-behind-proxy':
        return throttle(context, true, false);
      case 'quota-exhausted':
        return error(
          429,
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
          'insufficient_quota',
          null,
          'insufficient_quota',
        );
      case 'server-error':
        return error(
          500,
          'The server had an error while processing your request. Sorry about that!',
          'server_error',
          null,
          null,
        );
      case 'overloaded':
        return error(
          503,
          'The engine is currently overloaded, please try again later.',
          'server_error',
          null,
          null,
          {
            'x-should-retry': 'true',
          },
        );
      case 'logprobs-unsupported':
        return error(
          400,
          "Unsupported parameter: 'logprobs' is not supported with this model.",
          'invalid_request_error',
          'logprobs',
          'unsupported_parameter',
        );
      default:
        return undefined;
    }
  }
  return server.then((standIn) => ({
    ...standIn,
    setThrottleDelay(ms: number) {
      throttleDelayMs = ms;
    },
  }));
}

/** OpenAI's chat.completion body (and the tokens it counts against the rate limit). */
function renderCompletion(completion: ChatCompletion): { body: unknown; tokens: number } {
  const { prompt, completionTokens } = completion;
  const promptTokens = Math.ceil(prompt.text.length / 4) + 85 * prompt.imageUrls.length + 7;
  return {
    tokens: promptTokens + completionTokens,
    body: buildChatCompletion({
      dialect: 'openai',
      id: `chatcmpl-${randomBytes(15).toString('base64url')}`,
      created: Math.floor(Date.now() / 1000),
      model: completion.model,
      choices: completion.choices,
      logprobs: completion.logprobs,
      topLogprobs: completion.topLogprobs,
      promptTokens,
      completionTokens,
      systemFingerprint: 'fp_standin01',
    }),
  };
}

/** The API's own validation for the fields the gateway uses. */
function validate(body: unknown): StandInReply | undefined {
  if (typeof body !== 'object' || body === null) {
    return error(
      400,
      'We could not parse the JSON body of your request.',
      'invalid_request_error',
      null,
      null,
    );
  }
  const record = body as Record<string, unknown>;
  if (typeof record.model !== 'string')
    return error(400, 'you must provide a model parameter', 'invalid_request_error', null, null);
  if (!Array.isArray(record.messages)) {
    return error(
      400,
      "Missing required parameter: 'messages'.",
      'invalid_request_error',
      'messages',
      'missing_required_parameter',
    );
  }
  const top = record.top_logprobs;
  if (typeof top === 'number' && top > 20) {
    return error(
      400,
      `Invalid 'top_logprobs': integer above maximum value. Expected a value <= 20, but got ${top} instead.`,
      'invalid_request_error',
      'top_logprobs',
      'integer_above_max_value',
    );
  }
  if (typeof top === 'number' && record.logprobs !== true) {
    return error(
      400,
      "Invalid value for 'top_logprobs': requires 'logprobs' to be true.",
      'invalid_request_error',
      'top_logprobs',
      'invalid_value',
    );
  }
  if (typeof record.n === 'number' && (record.n < 1 || record.n > 128)) {
    return error(
      400,
      `Invalid 'n': integer above maximum value. Expected a value <= 128, but got ${record.n} instead.`,
      'invalid_request_error',
      'n',
      'integer_above_max_value',
    );
  }
  return undefined;
}

function error(
  status: number,
  message: string,
  type: string,
  param: string | null,
  code: string | null,
  headers: Record<string, string> = {},
): StandInReply {
  return {
    status,
    headers: { 'x-request-id': requestId(), ...headers },
    body: { error: { message, type, param, code } },
  };
}

function rateLimitHeaders(
  remainingRequests: number,
  remainingTokens: number,
): Record<string, string> {
  return {
    'x-request-id': requestId(),
    'x-ratelimit-limit-requests': String(requestLimit),
    'x-ratelimit-limit-tokens': String(tokenLimit),
    'x-ratelimit-remaining-requests': String(remainingRequests),
    'x-ratelimit-remaining-tokens': String(remainingTokens),
    'x-ratelimit-reset-requests': remainingRequests === 0 ? '1.5s' : '120ms',
    'x-ratelimit-reset-tokens': '6m0s',
  };
}

function requestId(): string {
  return `req_${randomBytes(16).toString('hex')}`;
}

function modelOf(body: unknown): string {
  const model = (body as { model?: unknown } | undefined)?.model;
  return typeof model === 'string' ? model : 'unknown';
}

/** The real 401 echoes the key masked: first three and last four characters. */
function mask(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}

/** Go's time.Duration.String(): `120ms`, `1.5s`, `6m0s`, `19m0.864s`, `1h0m0s`. */
function formatGoDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = `${Number(((ms % 60_000) / 1000).toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  return minutes > 0 ? `${minutes}m${seconds}` : seconds;
}
