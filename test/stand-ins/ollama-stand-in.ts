import { randomInt } from 'node:crypto';
import { buildChatCompletion } from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/build-chat-completion';
import { startOpenAICompatibleServer } from './create-openai-compatible-server.ts';
import type { ChatCompletion } from './create-openai-compatible-server.ts';
import { readChatPrompt } from './read-chat-prompt.ts';
import type { StandInReply, StandInServer } from './start-stand-in-server.ts';

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
  return startOpenAICompatibleServer<OllamaScenario>({
    honoursN: false,
    listen: options,
    notFound: () => ({ status: 404, body: '404 page not found' }),
    screen(context) {
      if (context.overloaded || context.scenario === 'queue-full')
        return { status: 503, body: { error: queueFullMessage } };
      const body = (context.call.body ?? {}) as Record<string, unknown>;
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
      if (readChatPrompt(body).imageUrls.some((url) => !dataUrlPattern.test(url))) {
        return fail(400, 'invalid_request_error', 'invalid image input');
      }
      return undefined;
    },
    render: (completion) => ({
      status: 200,
      body: renderCompletion(completion, logprobsSupported),
    }),
  });
}

/** Ollama's chat.completion body: one choice, `logprobs` present only when given. */
function renderCompletion(completion: ChatCompletion, logprobsSupported: boolean): unknown {
  // Ollama ignores `n`: the completion has one choice.
  const choice = completion.choices[0]!;
  return buildChatCompletion({
    dialect: 'ollama',
    id: `chatcmpl-${randomInt(1000)}`,
    created: Math.floor(Date.now() / 1000),
    model: completion.model,
    choices: [choice],
    logprobs: logprobsSupported && completion.logprobs,
    topLogprobs: completion.topLogprobs,
    promptTokens: Math.ceil(completion.prompt.text.length / 4) + 20,
    completionTokens: choice.tokens.length,
    systemFingerprint: 'fp_ollama',
  });
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
