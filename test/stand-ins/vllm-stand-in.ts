import { randomBytes } from 'node:crypto';
import { deriveDefaultAnswer } from './derive-default-answer.ts';
import { readChatPrompt } from './read-chat-prompt.ts';
import { renderOpenAILogprobs } from './render-openai-logprobs.ts';
import { startStandInServer } from './start-stand-in-server.ts';
import type {
  ScriptedAnswer,
  StandInContext,
  StandInReply,
  StandInServer,
} from './start-stand-in-server.ts';

export type VllmScenario =
  | 'unauthorized'
  | 'invalid-request'
  | 'invalid-request-legacy'
  | 'not-found'
  | 'server-error'
  | 'overloaded'
  | 'overloaded-legacy'
  | 'truncated'
  | 'no-logprobs';

export interface VllmStandInOptions {
  /** The served model name; other names get 404 (default: accept any). */
  model?: string;
  /** `vllm serve --api-key`: requests without the bearer token get 401 `{"error": "Unauthorized"}`. */
  apiKey?: string;
  /** Answer errors in the older flat form `{object: "error", message, type, param, code}`. */
  legacyErrors?: boolean;
  /** `--max-logprobs` (engine default 20). */
  maxLogprobs?: number;
  latencyMs?: number;
  /** vLLM itself queues; past this many in flight the stand-in answers 503 like a saturated proxy in front of it. */
  maxConcurrency?: number;
  port?: number;
}

export type VllmStandIn = StandInServer<VllmScenario>;

/**
 * A protocol-faithful vLLM OpenAI-compatible server: integer `code` in errors (nested, or the
 * legacy flat body), `guided_choice` honoured (answers only from the list), and the
 * `--max-logprobs` cap enforced with vLLM's 400.
 */
export function startVllmStandIn(options: VllmStandInOptions = {}): Promise<VllmStandIn> {
  const maxLogprobs = options.maxLogprobs ?? 20;
  const fail = (
    status: number,
    type: string,
    message: string,
    legacy = options.legacyErrors ?? false,
  ): StandInReply => ({
    status,
    body: legacy
      ? { object: 'error', message, type, param: null, code: status }
      : { error: { message, type, param: null, code: status } },
  });
  return startStandInServer<VllmScenario>({
    basePath: '/v1',
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    handle(context) {
      const { call } = context;
      if (call.method !== 'POST' || call.path !== '/v1/chat/completions') {
        return { status: 404, body: { detail: 'Not Found' } };
      }
      const keyMismatch =
        options.apiKey !== undefined && call.headers.authorization !== `Bearer ${options.apiKey}`;
      if (keyMismatch || context.scenario === 'unauthorized') {
        return { status: 401, body: { error: 'Unauthorized' } };
      }
      if (context.overloaded)
        return fail(
          503,
          'ServiceUnavailableError',
          'The server is overloaded. Please retry later.',
        );
      switch (context.scenario) {
        case 'invalid-request':
          return fail(
            400,
            'BadRequestError',
            "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens in the messages. Please reduce the length of the messages.",
          );
        case 'invalid-request-legacy':
          return fail(
            400,
            'BadRequestError',
            "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens in the messages. Please reduce the length of the messages.",
            true,
          );
        case 'not-found':
          return fail(404, 'NotFoundError', `The model \`${modelOf(call.body)}\` does not exist.`);
        case 'server-error':
          return fail(
            500,
            'InternalServerError',
            'EngineCore encountered an issue. See stack trace (above) for the root cause.',
          );
        case 'overloaded':
          return fail(
            503,
            'ServiceUnavailableError',
            'The server is overloaded. Please retry later.',
          );
        case 'overloaded-legacy':
          return fail(
            503,
            'ServiceUnavailableError',
            'The server is overloaded. Please retry later.',
            true,
          );
        default:
          break;
      }
      const body = (call.body ?? {}) as Record<string, unknown>;
      if (options.model !== undefined && body.model !== options.model) {
        return fail(404, 'NotFoundError', `The model \`${modelOf(body)}\` does not exist.`);
      }
      const top = typeof body.top_logprobs === 'number' ? body.top_logprobs : undefined;
      if (top !== undefined && top > maxLogprobs) {
        return fail(
          400,
          'BadRequestError',
          `Requested sample logprobs of ${top}, which is greater than max allowed: ${maxLogprobs}`,
        );
      }
      if (top !== undefined && top > 0 && body.logprobs !== true) {
        return fail(
          400,
          'BadRequestError',
          'when using `top_logprobs`, `logprobs` must be set to true.',
        );
      }
      const guided = Array.isArray(body.guided_choice)
        ? body.guided_choice.filter((item): item is string => typeof item === 'string')
        : undefined;
      return { status: 200, body: complete(context, body, guided) };
    },
  });
}

function complete(
  context: StandInContext<VllmScenario>,
  body: Record<string, unknown>,
  guided: string[] | undefined,
): unknown {
  const prompt = readChatPrompt(body);
  const n = typeof body.n === 'number' ? body.n : 1;
  const topLogprobs = typeof body.top_logprobs === 'number' ? body.top_logprobs : 0;
  const wantLogprobs = body.logprobs === true && context.scenario !== 'no-logprobs';
  const json = (body.response_format as { type?: unknown } | undefined)?.type === 'json_object';
  let completionTokens = 0;
  const choices = Array.from({ length: n }, (_, index) => {
    const fallback = () =>
      deriveDefaultAnswer({
        prompt: prompt.text,
        json: json && !guided,
        ...(guided ? { choices: guided } : {}),
        topLogprobs: Math.max(topLogprobs, 1),
        sampleIndex: index,
        samples: n,
      });
    let answer: ScriptedAnswer = context.answer?.(body, index) ?? fallback();
    // The grammar makes any other output impossible.
    if (guided && guided.length > 0 && !guided.includes(answer.text)) answer = fallback();
    let tokens = answer.logprobs ?? [{ token: answer.text, logprob: -0.01, top: [] }];
    let finish = answer.finishReason ?? 'stop';
    let content = answer.text;
    if (context.scenario === 'truncated') {
      tokens = tokens.slice(0, 1);
      content = tokens.map((token) => token.token).join('');
      finish = 'length';
    }
    completionTokens += tokens.length;
    return {
      index,
      message: { role: 'assistant', reasoning_content: null, content, tool_calls: [] },
      logprobs: wantLogprobs
        ? {
            content: (
              renderOpenAILogprobs(tokens, {
                topLogprobs,
                sentinelPadding: false,
                bytes: true,
              }) as { content: unknown }
            ).content,
          }
        : null,
      finish_reason: finish,
      stop_reason: null,
    };
  });
  const promptTokens = Math.ceil(prompt.text.length / 4) + 256 * prompt.imageUrls.length + 12;
  return {
    id: `chatcmpl-${randomBytes(16).toString('hex')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: modelOf(body),
    choices,
    usage: {
      prompt_tokens: promptTokens,
      total_tokens: promptTokens + completionTokens,
      completion_tokens: completionTokens,
      prompt_tokens_details: null,
    },
    prompt_logprobs: null,
    kv_transfer_params: null,
  };
}

function modelOf(body: unknown): string {
  const model = (body as { model?: unknown } | undefined)?.model;
  return typeof model === 'string' ? model : 'unknown';
}
