import { randomBytes } from 'node:crypto';
import { buildChatCompletion } from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/build-chat-completion';
import { startOpenAICompatibleServer } from './create-openai-compatible-server.ts';
import type { ChatCompletion } from './create-openai-compatible-server.ts';
import type { StandInReply, StandInServer } from './start-stand-in-server.ts';

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
  return startOpenAICompatibleServer<VllmScenario>({
    honoursN: true,
    guidedChoice: true,
    listen: options,
    notFound: () => ({ status: 404, body: { detail: 'Not Found' } }),
    render: (completion) => ({ status: 200, body: renderCompletion(completion) }),
    screen(context) {
      const { call } = context;
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
      return undefined;
    },
  });
}

/** vLLM's chat.completion body: `reasoning_content` and `tool_calls` in the message, `stop_reason`. */
function renderCompletion(completion: ChatCompletion): unknown {
  const { prompt, completionTokens } = completion;
  return buildChatCompletion({
    dialect: 'vllm',
    id: `chatcmpl-${randomBytes(16).toString('hex')}`,
    created: Math.floor(Date.now() / 1000),
    model: completion.model,
    choices: completion.choices,
    logprobs: completion.logprobs,
    topLogprobs: completion.topLogprobs,
    promptTokens: Math.ceil(prompt.text.length / 4) + 256 * prompt.imageUrls.length + 12,
    completionTokens,
  });
}

function modelOf(body: unknown): string {
  const model = (body as { model?: unknown } | undefined)?.model;
  return typeof model === 'string' ? model : 'unknown';
}
