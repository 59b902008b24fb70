import { randomInt } from 'node:crypto';
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

export type OllamaScenario =
  'queue-full' | 'not-found' | 'server-error' | 'invalid-request' | 'truncated';

export interface OllamaStandInOptions {
  /** Ollama's version: logprobs come back from 0.12.11 on, older versions ignore the request. Default 0.13.0. */
  version?: string;
  latencyMs?: number;
  /** OLLAMA_MAX_QUEUE: past this many in flight, the real 503 "server busy". */
  maxConcurrency?: number;
  port?: number;
}

export type OllamaStandIn = StandInServer<OllamaScenario>;

const dataUrlPattern = /^data:(image\/(jpeg|jpg|png|webp))?;base64,/;
const queueFullMessage = 'server busy, please try again.  maximum pending requests exceeded';

/**
 * A protocol-faithful Ollama `/v1/chat/completions`: images only as base64 data URLs (jpeg, png,
 * webp; anything else is "invalid image input"), `n` ignored (one choice), 503 with the native
 * `{"error": "<text>"}` body when the queue is full, logprobs present or absent by version.
 */
export function startOllamaStandIn(options: OllamaStandInOptions = {}): Promise<OllamaStandIn> {
  const logprobsSupported = compareVersions(options.version ?? '0.13.0', '0.12.11') >= 0;
  const fail = (status: number, type: string, message: string): StandInReply => ({
    status,
    body: { error: { message, type, param: null, code: null } },
  });
  return startStandInServer<OllamaScenario>({
    basePath: '/v1',
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    handle(context) {
      const { call } = context;
      if (call.method !== 'POST' || call.path !== '/v1/chat/completions') {
        return { status: 404, body: '404 page not found' };
      }
      if (context.overloaded || context.scenario === 'queue-full')
        return { status: 503, body: { error: queueFullMessage } };
      const body = (call.body ?? {}) as Record<string, unknown>;
      switch (context.scenario) {
        case 'not-found':
          return fail(
            404,
            'not_found_error',
            `model "${String(body.model)}" not found, try pulling it first`,
          );
        case 'server-error':
          return fail(500, 'api_error', 'llama runner process has terminated: exit status 2');
        case 'invalid-request':
          return fail(400, 'invalid_request_error', 'invalid message content type');
        default:
          break;
      }
      const prompt = readChatPrompt(body);
      if (prompt.imageUrls.some((url) => !dataUrlPattern.test(url))) {
        return fail(400, 'invalid_request_error', 'invalid image input');
      }
      return { status: 200, body: complete(context, body, prompt.text, logprobsSupported) };
    },
  });
}

function complete(
  context: StandInContext<OllamaScenario>,
  body: Record<string, unknown>,
  prompt: string,
  logprobsSupported: boolean,
): unknown {
  const topLogprobs = typeof body.top_logprobs === 'number' ? body.top_logprobs : 0;
  const json = (body.response_format as { type?: unknown } | undefined)?.type === 'json_object';
  const answer: ScriptedAnswer =
    context.answer?.(body, 0) ??
    deriveDefaultAnswer({
      prompt,
      json,
      topLogprobs: Math.max(topLogprobs, 1),
      sampleIndex: 0,
      samples: 1,
    });
  let tokens = answer.logprobs ?? [{ token: answer.text, logprob: -0.01, top: [] }];
  let content = answer.text;
  let finish = answer.finishReason ?? 'stop';
  if (context.scenario === 'truncated') {
    tokens = tokens.slice(0, 1);
    content = tokens.map((token) => token.token).join('');
    finish = 'length';
  }
  const promptTokens = Math.ceil(prompt.length / 4) + 20;
  const wantLogprobs = logprobsSupported && body.logprobs === true;
  return {
    id: `chatcmpl-${randomInt(1000)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: typeof body.model === 'string' ? body.model : 'unknown',
    system_fingerprint: 'fp_ollama',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content },
        finish_reason: finish,
        ...(wantLogprobs
          ? {
              logprobs: {
                content: (
                  renderOpenAILogprobs(tokens, {
                    topLogprobs,
                    sentinelPadding: false,
                    bytes: true,
                  }) as { content: unknown }
                ).content,
              },
            }
          : {}),
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: tokens.length,
      total_tokens: promptTokens + tokens.length,
    },
  };
}

function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
